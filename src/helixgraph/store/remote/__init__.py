"""A remote SPARQL 1.1 server used in place of the embedded Oxigraph store.

:class:`RemoteStore` offers the part of ``pyoxigraph.Store`` that helixgraph uses
(``query``, ``update``, ``named_graphs``, ``quads_for_pattern``, ``dump``, ``len``) over
the SPARQL 1.1 Protocol, and :func:`replacing` replaces the server's graphs with a
build's, graph by graph. The modules, in the order they build on each other:

* :mod:`~helixgraph.store.remote.config` -- where the server is (environment, descriptor);
* :mod:`~helixgraph.store.remote.clients` -- one HTTP client per server, :class:`RemoteError`;
* :mod:`~helixgraph.store.remote.reads` -- queries, and the store's own records it reads;
* :mod:`~helixgraph.store.remote.diff` -- a graph's content digest and its difference;
* :mod:`~helixgraph.store.remote.writes` -- updates and the replacement of graphs;
* :mod:`~helixgraph.store.remote.lock` -- the build lock held on the server.
"""

from helixgraph.store.remote.clients import RemoteError, client_for, close_clients
from helixgraph.store.remote.config import ENV, KIND, RemoteConfig
from helixgraph.store.remote.lock import LockHeld, server_lock
from helixgraph.store.remote.reads import COMMENT, DIGEST_LABEL, INTERNAL, RemoteReader
from helixgraph.store.remote.writes import RemoteStore, replacing

__all__ = [
    "COMMENT",
    "DIGEST_LABEL",
    "ENV",
    "INTERNAL",
    "KIND",
    "LockHeld",
    "RemoteConfig",
    "RemoteError",
    "RemoteReader",
    "RemoteStore",
    "client_for",
    "close_clients",
    "replacing",
    "server_lock",
]
