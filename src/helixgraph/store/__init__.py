"""The store: an embedded Oxigraph database (a link to the current build) or a remote
SPARQL 1.1 server. Callers use this package's names; the modules behind it:

* :mod:`~helixgraph.store.access` -- open, version and replace the store at a path;
* :mod:`~helixgraph.store.remote` -- a remote SPARQL store (config, reads, writes, graph
  differences, the server-side lock);
* :mod:`~helixgraph.store.query_text` -- what a SPARQL text is (form, dataset, depth),
  read without parsing it.
"""

from helixgraph.store.access import (
    ENV_VAR,
    Current,
    StoreError,
    builds_dir,
    default_path,
    exists,
    is_remote,
    link_target,
    open_store,
    remote_config,
    replacing,
    updating,
    version,
)

__all__ = [
    "ENV_VAR",
    "Current",
    "StoreError",
    "builds_dir",
    "default_path",
    "exists",
    "is_remote",
    "link_target",
    "open_store",
    "remote_config",
    "replacing",
    "updating",
    "version",
]
