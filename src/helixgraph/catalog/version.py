"""The version of the graph a store holds, for cache validators: named for its build.

``{build id}`` for a store as ``helixgraph build`` wrote it (the regional extracts the
build stages are part of it), ``{build id}+{digest}`` once ``helixgraph import`` has run
on it (the digest of the import runs it records, so every import gives a new version and
a rebuild a new build id).
"""

from __future__ import annotations

import hashlib

import pyoxigraph as ox

from helixgraph.vocab.namespace import ID, META_GRAPH, PROV

BUILD_RUN = ID + "build/"
IMPORT_RUN = ID + "import/"


def graph_version(store: ox.Store) -> str:
    """The id of the build that wrote the store, with a digest of the imports since (a
    hash of its size if it records no build)."""
    result = store.query(
        f"SELECT DISTINCT ?run WHERE {{ GRAPH <{META_GRAPH}> {{ ?run a <{PROV.Activity}> }} }}"
    )
    assert isinstance(result, ox.QuerySolutions)
    runs = sorted(str(row["run"].value) for row in result if row["run"] is not None)
    builds = [r[len(BUILD_RUN) :] for r in runs if r.startswith(BUILD_RUN)]
    # a build's own staged imports are "{build id}-{graph}": the build is the shortest
    build = min(builds, key=lambda b: (len(b), b), default="")
    imports = [r for r in runs if r.startswith(IMPORT_RUN)]
    if not build:
        return hashlib.sha1(str(len(store)).encode()).hexdigest()[:12]
    if not imports:
        return build
    return build + "+" + hashlib.sha1("\n".join(imports).encode()).hexdigest()[:8]
