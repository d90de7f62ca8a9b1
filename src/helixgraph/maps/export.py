"""Write a map's network for other tools: GraphML and GEXF (Gephi), CSV tables, node-link JSON.

Works on any networkx graph with plain attributes (the display graph of
:mod:`helixgraph.maps`, one edge per relation between two nodes). File formats take
scalars only, so :func:`flatten` turns lists into ``;``-joined text, dicts into their
entries (``metrics`` -> ``pagerank``, ``betweenness``...) or JSON text, and drops ``None``.
A graph whose edges are all undirected (``directed`` false) is written undirected;
otherwise directed, with ``directed`` kept as an edge attribute.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import networkx as nx

FORMATS = ("graphml", "gexf", "csv", "json")
EXTENSIONS = {"graphml": "graphml", "gexf": "gexf", "json": "json"}
EXPANDED = ("metrics", "brokerage")  # dict attributes written as one column per entry


def _scalar(value: Any) -> Any:
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        if all(isinstance(v, (str, int, float)) for v in items):
            return ";".join(str(v) for v in items)
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def _flat_attrs(data: dict[str, Any], prefix: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            continue
        if key in EXPANDED and isinstance(value, dict):
            for k, v in value.items():
                if v is not None:
                    out[prefix.get(key, "") + str(k)] = _scalar(v)
            continue
        out[key] = _scalar(value)
    return out


def flatten(G: Any) -> Any:
    """A copy of ``G`` with scalar attributes only, undirected when no edge is directed."""
    directed = any(d.get("directed", G.is_directed()) for _, _, d in G.edges(data=True))
    H: Any = nx.MultiDiGraph() if directed else nx.MultiGraph()
    H.graph.update({k: _scalar(v) for k, v in G.graph.items() if v is not None})
    prefix = {"brokerage": "brokerage_"}
    for v, d in G.nodes(data=True):
        H.add_node(v, **_flat_attrs(d, prefix))
    edges = (
        G.edges(keys=True, data=True)
        if G.is_multigraph()
        else ((u, v, d.get("relation", 0), d) for u, v, d in G.edges(data=True))
    )
    for u, v, k, d in edges:
        H.add_edge(u, v, key=k, **_flat_attrs(d, prefix))
    return H


def _columns(rows: list[dict[str, Any]], first: list[str]) -> list[str]:
    seen = dict.fromkeys(first)
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def nodes_csv(G: Any) -> str:
    """One row per node: ``node`` (its IRI) and every attribute."""
    H = flatten(G)
    rows = [{"node": v, **d} for v, d in H.nodes(data=True)]
    return _csv(rows, _columns(rows, ["node", "id", "label"]))


def edges_csv(G: Any) -> str:
    """One row per edge: ``source``, ``target``, ``key`` (the relation) and every attribute."""
    H = flatten(G)
    rows = [
        {"source": u, "target": v, "key": k, **d} for u, v, k, d in H.edges(keys=True, data=True)
    ]
    return _csv(rows, _columns(rows, ["source", "target", "key", "relation", "weight"]))


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def graphml(G: Any) -> str:
    return "\n".join(nx.generate_graphml(flatten(G))) + "\n"


def gexf(G: Any) -> str:
    """GEXF 1.2; the ``id`` attribute is written as ``slug`` (networkx's GEXF writer would
    take it for the node's id)."""
    H = flatten(G)
    for _, d in H.nodes(data=True):
        if "id" in d:
            d["slug"] = d.pop("id")
    return "\n".join(nx.generate_gexf(H)) + "\n"


def node_link(G: Any) -> str:
    """networkx node-link JSON (``edges`` key), readable with ``nx.node_link_graph``."""
    data = nx.node_link_data(flatten(G), edges="edges")
    return json.dumps(data, ensure_ascii=False, indent=1, default=str)


def read_csv(nodes: str, edges: str) -> Any:
    """Read :func:`nodes_csv` and :func:`edges_csv` back (attributes as text)."""
    rows = list(csv.DictReader(io.StringIO(edges)))
    directed = any(r.get("directed") == "True" for r in rows)
    G: Any = nx.MultiDiGraph() if directed else nx.MultiGraph()
    for row in csv.DictReader(io.StringIO(nodes)):
        node = row.pop("node")
        G.add_node(node, **{k: v for k, v in row.items() if v != ""})
    for row in rows:
        u, v, k = row.pop("source"), row.pop("target"), row.pop("key")
        G.add_edge(u, v, key=k, **{a: b for a, b in row.items() if b != ""})
    return G
