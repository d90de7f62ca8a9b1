"""The metric suite: the families of :mod:`helixgraph.metrics` run on a graph, or on a
projection of the store, as JSON-ready data.

:func:`centrality_table`, :func:`structural_holes_table`, :func:`brokerage_summary`,
:func:`helix_summary`, :func:`communities_summary` and :func:`funding_summary` each
compute one family of metrics; :func:`metric_suite` runs them all and records how long
each took; :func:`store_metrics` projects the store (:mod:`helixgraph.network`) and
computes one family on it. The CLI and the API both go through this module; they cache
its results per graph version with :mod:`helixgraph.analytics.cache` (whose
:class:`ResultCache`, :func:`cache_dir` and :func:`graph_version` this module re-exports).
:func:`map_metrics` computes what a map draws from (centralities, communities, brokerage).
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Hashable
from typing import Any

import networkx as nx

from helixgraph import metrics, network
from helixgraph.analytics.cache import CACHE_ENV as CACHE_ENV
from helixgraph.analytics.cache import ResultCache as ResultCache
from helixgraph.analytics.cache import cache_dir as cache_dir
from helixgraph.analytics.cache import graph_version as graph_version
from helixgraph.analytics.cache import json_key, jsonable
from helixgraph.analytics.views import Projections
from helixgraph.metrics import layout
from helixgraph.metrics.engine import cached
from helixgraph.metrics.synergy import QUADRUPLE_HELIX

FAMILIES = ("centrality", "structural_holes", "brokerage", "helix", "communities")


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
        "betweenness": _once(
            G,
            ("betweenness", betweenness_k, seed),
            lambda: metrics.betweenness(G, k=betweenness_k, seed=seed),
        ),
        "closeness": _once(
            G,
            ("closeness", closeness_k, seed),
            lambda: metrics.closeness(G, k=closeness_k, seed=seed),
        ),
        "eigenvector": _once(G, ("eigenvector", weight), lambda: _eigenvector_or_empty(G, weight)),
        "pagerank": _once(G, ("pagerank", weight), lambda: metrics.pagerank(G, weight=weight)),
    }
    return {json_key(v): {name: col[v] for name, col in columns.items() if v in col} for v in G}


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
        out[json_key(v)] = {"constraint": c[v], "effective_size": size, "efficiency": efficiency}
    return out


NO_OPEN_TWO_PATHS = (
    "no open two-paths: every pair of an organisation's partners is itself tied, "
    "so there is no brokerage to count"
)


def _once(G: Any, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
    """``make()`` once per graph ``G`` and ``key`` (kept with the graph, :func:`.engine.cached`,
    gone when the graph changes): a map's metrics and the metric families of one view ask
    for the same communities, brokerage, eigenvector and PageRank (and, when both are exact
    or sampled alike, betweenness and closeness). A copy each time, so a
    caller may change what it gets."""
    return copy.deepcopy(cached(G, ("suite", *key), make))


def brokerage_summary(G: Any, *, group: str = "helix") -> dict[str, Any]:
    """Gould--Fernandez brokerage with ``group`` as the group, keys made JSON-safe.

    When the graph has no open two-path (every raw count is zero: each component is a
    clique, or has no ties), ``note`` says so (:data:`NO_OPEN_TWO_PATHS`); else it is ``None``.
    """
    r: dict[str, Any] = _once(G, ("brokerage", group), lambda: metrics.brokerage(G, group=group))
    r["nodes"] = {json_key(v): x for v, x in r["nodes"].items()}
    r["groups"] = {json_key(g): x for g, x in r["groups"].items()}
    r["note"] = NO_OPEN_TWO_PATHS if not r["graph"]["raw"]["total"] else None
    return r


def helix_summary(
    G: Any, *, group: str = "helix", weight: str | None = None, triad_limit: int | None = 100
) -> dict[str, Any]:
    """E-I index, cross-helix matrix and closed U-I-G triads."""
    ei = metrics.ei_index(G, group=group, weight=weight)
    ei["groups"] = {json_key(g): x for g, x in ei["groups"].items()}
    ei["nodes"] = {json_key(v): x for v, x in ei["nodes"].items()}
    matrix = metrics.cross_helix_matrix(G, group=group, weight=weight)
    triads = metrics.triple_helix_triads(G, group=group, limit=triad_limit)
    triads["nodes"] = {json_key(v): n for v, n in triads["nodes"].items()}
    triads["triads"] = [[json_key(v) for v in t] for t in triads["triads"]]
    return {
        "ei_index": ei,
        "matrix": {
            json_key(g): {json_key(h): x for h, x in row.items()} for g, row in matrix.items()
        },
        "triads": triads,
    }


def communities_summary(
    G: Any, *, weight: str | None = "weight", seed: int = 0, group: str = "helix"
) -> dict[str, Any]:
    """Seeded Louvain communities with the helix composition of each."""
    r = _once(
        G,
        ("louvain", weight, seed),
        lambda: metrics.louvain_communities(G, weight=weight, seed=seed),
    )
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
                "members": [json_key(v) for v in c],
            }
            for i, c in enumerate(r["communities"])
        ],
        "membership": {json_key(v): i for v, i in r["membership"].items()},
    }


def funding_summary(F: Any) -> dict[str, Any]:
    """Funding totals and flows of a funding graph, keys made JSON-safe."""
    totals = metrics.funding_totals(F)
    flows = metrics.funding_flows(F)
    for rec in flows:
        rec["funder"], rec["recipient"] = json_key(rec["funder"]), json_key(rec["recipient"])
    return {
        "totals": jsonable(totals),
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
    weighting: str = network.DEFAULT_WEIGHTING,
    projections: Projections | None = None,
) -> dict[str, Any]:
    """Project the store (``network``) with ``filters`` and compute one family on it.

    Betweenness and closeness are exact up to :data:`EXACT_LIMIT` organisations; on a
    larger graph, unless ``betweenness_k``/``closeness_k`` say otherwise, they are
    estimated from :data:`AUTO_SAMPLE` sampled nodes, and ``parameters`` says so.
    ``helix`` adds Leydesdorff's T(UIG) and the four-helix T from the helix composition
    of the initiatives in the bipartite projection; ``funding`` works on the funding
    projection; the others on the organisation collaboration graph, its ties weighted
    per ``weighting`` (:data:`helixgraph.network.WEIGHTINGS`; ``parameters`` says which).
    ``projections`` (:class:`~.views.Projections`) hands the same view's projections to
    several calls (the precompute's families of one view).
    """
    filters = filters or network.Filters()
    project = projections or Projections(store)
    if family not in STORE_FAMILIES:
        raise ValueError(f"unknown metric family {family!r}: expected one of {STORE_FAMILIES}")
    network.check_weighting(weighting)
    out: dict[str, Any] = {"family": family, "filters": filters.as_dict()}
    if family == "funding":
        F = project.funding(filters, UNKNOWN_FUNDER)
        out["graph"] = {"nodes": F.number_of_nodes(), "edges": F.number_of_edges()}
        out["labels"] = {v: d.get("label") for v, d in F.nodes(data=True)}
        out.update(funding_summary(F))
        return out
    # metrics read weights only
    G = project.collaboration(filters, weighting)
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
    out["parameters"] = {**suite["parameters"], "weighting": weighting}
    if family == "helix":
        B = project.bipartite(filters)
        projects = [v for v, d in B.nodes(data=True) if d.get("bipartite") == 1]
        out["result"]["synergy"] = {
            "triple_helix": metrics.helix_synergy(B, projects, group="helices"),
            "quadruple_helix": metrics.helix_synergy(
                B, projects, group="helices", spheres=QUADRUPLE_HELIX
            ),
            "sign_convention": "Leydesdorff: in three dimensions a negative T (bits) is synergy",
        }
    return out


MAP_SAMPLE_ABOVE = 1000  # above this many organisations a map's betweenness/closeness is sampled
MAP_SAMPLES = 200


def map_sample(G: Any) -> int | None:
    """The sample size of a map's betweenness and closeness on ``G`` (``None``: exact)."""
    return MAP_SAMPLES if G.number_of_nodes() > MAP_SAMPLE_ABOVE else None


def map_metrics(G: Any) -> dict[str, Any]:
    """What a map of the collaboration graph ``G`` draws from: ``centrality``
    (:func:`centrality_table`, sampled per :func:`map_sample`), ``communities`` and
    ``brokerage``, and the drawing's ``positions`` (:func:`helixgraph.metrics.layout.positions`)."""
    k = map_sample(G)
    return {
        "positions": {v: list(xy) for v, xy in layout.positions(G).items()},
        "centrality": centrality_table(G, betweenness_k=k, closeness_k=k),
        "communities": communities_summary(G),
        "brokerage": brokerage_summary(G),
    }
