"""The version of the graph a store holds: its build run's id, for cache validators."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox

from helixgraph.vocab.namespace import META_GRAPH, PROV


def graph_version(store: ox.Store) -> str:
    """The id of the build that wrote the store (a hash of its size if it records none)."""
    result = store.query(
        f"SELECT ?run WHERE {{ GRAPH <{META_GRAPH}> "
        f"{{ ?run a <{PROV.Activity}> }} }} ORDER BY DESC(?run) LIMIT 1"
    )
    assert isinstance(result, ox.QuerySolutions)
    for row in result:
        run = row["run"]
        if run is not None:
            return str(run.value).rsplit("/", 1)[-1]
    return hashlib.sha1(str(len(store)).encode()).hexdigest()[:12]
