"""Run the metric suite on a graph, and cache results per graph version.

:func:`centrality_table`, :func:`structural_holes_table`, :func:`brokerage_summary`,
:func:`helix_summary`, :func:`communities_summary` and :func:`funding_summary` each
compute one family of metrics as JSON-ready data; :func:`metric_suite` runs them all and
records how long each took. :class:`ResultCache` keeps results on disk under
``<cache>/<graph version>/``, where the graph version is the store's build directory
name, so a rebuilt store never serves old numbers. The CLI and the API both go through
this module.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Hashable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from helixgraph import metrics
from helixgraph import store as hstore
from helixgraph.metrics.synergy import QUADRUPLE_HELIX

FAMILIES = ("centrality", "structural_holes", "brokerage", "helix", "communities")
CACHE_ENV = "HELIXGRAPH_CACHE"


def graph_version(store_path: Path | None = None) -> str:
    """The build id of the store at ``store_path``: the name of its build directory (for a
    remote store, a hash of the build and import runs it records)."""
    path = store_path or hstore.default_path()
    if hstore.is_remote(path):
        return hstore.version(path)
    return path.resolve().name


def _key(v: Hashable) -> str:
    return v if isinstance(v, str) else json.dumps(v) if v is None else str(v)


def centrality_table(
    G: Any,
    *,
    weight: str | None = "weight",
    betweenness_k: int | None = None,
    closeness_k: int | None = None,
    seed: int = 0,
) -> dict[str, dict[str, float]]:
    """Degree, strength, betweenness, closeness, eigenvector and PageRank per node.

    Betweenness and closeness count hops (tie weights are strengths, not lengths);
    eigenvector and PageRank use ``weight``.
    """
    columns: dict[str, dict[Hashable, float]] = {
        "degree": {k: float(v) for k, v in metrics.degree(G).items()},
        "strength": metrics.strength(G, weight=weight) if weight else {},
        "betweenness": metrics.betweenness(G, k=betweenness_k, seed=seed),
        "closeness": metrics.closeness(G, k=closeness_k, seed=seed),
        "eigenvector": _eigenvector_or_empty(G, weight),
        "pagerank": metrics.pagerank(G, weight=weight),
    }
    return {_key(v): {name: col[v] for name, col in columns.items() if v in col} for v in G}


def _eigenvector_or_empty(G: Any, weight: str | None) -> dict[Hashable, float]:
    try:
        return metrics.eigenvector(G, weight=weight)
    except nx.PowerIterationFailedConvergence:
        return {}


def structural_holes_table(G: Any, *, weight: str | None = "weight") -> dict[str, dict[str, Any]]:
    """Constraint, effective size and efficiency per node."""
    c = metrics.constraint(G, weight=weight)
    es = metrics.effective_size(G, weight=weight)
    out: dict[str, dict[str, Any]] = {}
    for v in G:
        size = es[v]
        contacts = len(set(nx.all_neighbors(G, v)) - {v})
        efficiency = None if size is None else size / contacts
        out[_key(v)] = {"constraint": c[v], "effective_size": size, "efficiency": efficiency}
    return out


def brokerage_summary(G: Any, *, group: str = "helix") -> dict[str, Any]:
    """Gould--Fernandez brokerage with ``group`` as the group, keys made JSON-safe."""
    r = metrics.brokerage(G, group=group)
    r["nodes"] = {_key(v): x for v, x in r["nodes"].items()}
    r["groups"] = {_key(g): x for g, x in r["groups"].items()}
    return r


def helix_summary(
    G: Any, *, group: str = "helix", weight: str | None = None, triad_limit: int | None = 100
) -> dict[str, Any]:
    """E-I index, cross-helix matrix and closed U-I-G triads."""
    ei = metrics.ei_index(G, group=group, weight=weight)
    ei["groups"] = {_key(g): x for g, x in ei["groups"].items()}
    ei["nodes"] = {_key(v): x for v, x in ei["nodes"].items()}
    matrix = metrics.cross_helix_matrix(G, group=group, weight=weight)
    triads = metrics.triple_helix_triads(G, group=group, limit=triad_limit)
    triads["nodes"] = {_key(v): n for v, n in triads["nodes"].items()}
    triads["triads"] = [[_key(v) for v in t] for t in triads["triads"]]
    return {
        "ei_index": ei,
        "matrix": {_key(g): {_key(h): x for h, x in row.items()} for g, row in matrix.items()},
        "triads": triads,
    }


def communities_summary(
    G: Any, *, weight: str | None = "weight", seed: int = 0, group: str = "helix"
) -> dict[str, Any]:
    """Seeded Louvain communities with the helix composition of each."""
    r = metrics.louvain_communities(G, weight=weight, seed=seed)
    composition = metrics.community_helix_composition(G, r["membership"], group=group)
    return {
        "modularity": r["modularity"],
        "seed": seed,
        "sizes": r["sizes"],
        "communities": [
            {
                "id": i,
                "size": len(c),
                "helices": composition.get(i, {}),
                "members": [_key(v) for v in c],
            }
            for i, c in enumerate(r["communities"])
        ],
        "membership": {_key(v): i for v, i in r["membership"].items()},
    }


def funding_summary(F: Any) -> dict[str, Any]:
    """Funding totals and flows of a funding graph, keys made JSON-safe."""
    totals = metrics.funding_totals(F)
    flows = metrics.funding_flows(F)
    for rec in flows:
        rec["funder"], rec["recipient"] = _key(rec["funder"]), _key(rec["recipient"])
    return {
        "totals": _jsonable(totals),
        "flows": flows,
        "unattributed": F.graph.get("unattributed", []),
    }


def metric_suite(
    G: Any,
    *,
    group: str = "helix",
    weight: str | None = "weight",
    families: tuple[str, ...] = FAMILIES,
    betweenness_k: int | None = None,
    closeness_k: int | None = None,
    seed: int = 0,
    triad_limit: int | None = 100,
    timer: Callable[[], float] = time.perf_counter,
) -> dict[str, Any]:
    """Run every family in ``families`` on ``G``; ``seconds`` records the time of each."""
    unknown = set(families) - set(FAMILIES)
    if unknown:
        raise ValueError(f"unknown metric families {sorted(unknown)}: expected {FAMILIES}")
    runs: dict[str, Callable[[], Any]] = {
        "centrality": lambda: centrality_table(
            G, weight=weight, betweenness_k=betweenness_k, closeness_k=closeness_k, seed=seed
        ),
        "structural_holes": lambda: structural_holes_table(G, weight=weight),
        "brokerage": lambda: brokerage_summary(G, group=group),
        "helix": lambda: helix_summary(G, group=group, triad_limit=triad_limit),
        "communities": lambda: communities_summary(G, weight=weight, seed=seed, group=group),
    }
    out: dict[str, Any] = {
        "graph": {
            "nodes": G.number_of_nodes(),
            "edges": G.number_of_edges(),
            "directed": bool(G.is_directed()),
        },
        "parameters": {
            "group": group,
            "weight": weight,
            "betweenness_k": betweenness_k,
            "closeness_k": closeness_k,
            "seed": seed,
        },
        "seconds": {},
    }
    for family in FAMILIES:
        if family in families:
            start = timer()
            out[family] = runs[family]()
            out["seconds"][family] = round(timer() - start, 3)
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {_key(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    return value


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV, "var/cache")) / "metrics"


class ResultCache:
    """Results by (graph version, name, parameters), in memory and as JSON files on disk.

    A result is computed once per graph version; a new build has a new version and so a
    fresh cache (old versions' folders are left for :meth:`prune`).
    """

    def __init__(self, root: Path | None = None, *, memory_items: int = 64):
        self.root = root or cache_dir()
        self.memory_items = memory_items
        self._memory: dict[str, Any] = {}
        self._lock = threading.Lock()

    @staticmethod
    def key(name: str, params: Mapping[str, Any]) -> str:
        blob = json.dumps({"name": name, "params": params}, sort_keys=True, default=str)
        return f"{name}-{hashlib.sha256(blob.encode()).hexdigest()[:20]}"

    def get_or_compute(
        self, version: str, name: str, params: Mapping[str, Any], compute: Callable[[], Any]
    ) -> Any:
        key = f"{version}/{self.key(name, params)}"
        with self._lock:
            if key in self._memory:
                return self._memory[key]
        path = self.root / f"{key}.json"
        if path.is_file():
            try:
                result = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                result = None
            if result is not None:
                self._remember(key, result)
                return result
        result = _jsonable(compute())
        text = json.dumps(result, allow_nan=False, default=str)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp-{os.getpid()}-{threading.get_ident()}")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only disk only costs the disk cache
        result = json.loads(text)
        self._remember(key, result)
        return result

    def _remember(self, key: str, value: Any) -> None:
        with self._lock:
            self._memory[key] = value
            while len(self._memory) > self.memory_items:
                self._memory.pop(next(iter(self._memory)))

    def prune(self, keep: str) -> None:
        """Delete the cached results of every graph version but ``keep``."""
        import shutil

        if not self.root.is_dir():
            return
        for d in self.root.iterdir():
            if d.is_dir() and d.name != keep:
                shutil.rmtree(d, ignore_errors=True)


STORE_FAMILIES = (*FAMILIES, "funding")
EXACT_LIMIT = 5000  # organisations up to which store metrics use exact betweenness/closeness
AUTO_SAMPLE = 256  # sampled sources/pivots above it (see benchmarks/metrics_h2020.py for error)
UNKNOWN_FUNDER = "funder-not-stated"  # the node standing for awards whose funder is unstated


def sample_sizes(
    n: int, betweenness_k: int | None, closeness_k: int | None
) -> tuple[int | None, int | None]:
    """The sample sizes to use: as given, else exact up to :data:`EXACT_LIMIT` nodes and
    :data:`AUTO_SAMPLE` above."""
    if n > EXACT_LIMIT:
        return betweenness_k or AUTO_SAMPLE, closeness_k or AUTO_SAMPLE
    return betweenness_k, closeness_k


def store_metrics(
    store: Any,
    family: str,
    filters: Any = None,
    *,
    betweenness_k: int | None = None,
    closeness_k: int | None = None,
    seed: int = 0,
    triad_limit: int | None = 100,
) -> dict[str, Any]:
    """Project the store (``network``) with ``filters`` and compute one family on it.

    Betweenness and closeness are exact up to :data:`EXACT_LIMIT` organisations; on a
    larger graph, unless ``betweenness_k``/``closeness_k`` say otherwise, they are
    estimated from :data:`AUTO_SAMPLE` sampled nodes, and ``parameters`` says so.
    ``helix`` adds Leydesdorff's T(UIG) and the four-helix T from the helix composition
    of the initiatives in the bipartite projection; ``funding`` works on the funding
    projection; the others on the organisation collaboration graph.
    """
    from helixgraph import network

    filters = filters or network.Filters()
    if family not in STORE_FAMILIES:
        raise ValueError(f"unknown metric family {family!r}: expected one of {STORE_FAMILIES}")
    out: dict[str, Any] = {"family": family, "filters": filters.as_dict()}
    if family == "funding":
        F = network.funding_graph(store, filters, unknown_funder=UNKNOWN_FUNDER)
        out["graph"] = {"nodes": F.number_of_nodes(), "edges": F.number_of_edges()}
        out["labels"] = {v: d.get("label") for v, d in F.nodes(data=True)}
        out.update(funding_summary(F))
        return out
    G = network.collaboration_graph(store, filters, evidence=False)  # metrics read weights only
    out["graph"] = {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()}
    out["labels"] = {v: d.get("label") for v, d in G.nodes(data=True)}
    betweenness_k, closeness_k = sample_sizes(len(G), betweenness_k, closeness_k)
    suite = metric_suite(
        G,
        families=(family,),
        betweenness_k=betweenness_k,
        closeness_k=closeness_k,
        seed=seed,
        triad_limit=triad_limit,
    )
    out["result"] = suite[family]
    out["parameters"] = suite["parameters"]
    if family == "helix":
        B = network.bipartite_graph(store, filters)
        projects = [v for v, d in B.nodes(data=True) if d.get("bipartite") == 1]
        out["result"]["synergy"] = {
            "triple_helix": metrics.helix_synergy(B, projects, group="helices"),
            "quadruple_helix": metrics.helix_synergy(
                B, projects, group="helices", spheres=QUADRUPLE_HELIX
            ),
            "sign_convention": "Leydesdorff: in three dimensions a negative T (bits) is synergy",
        }
    return out
