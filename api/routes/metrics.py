"""Network analytics over the knowledge graph: centralities, brokerage, helix mixing,
communities and funding flows, each restricted by the same filters (:data:`api.deps.FiltersDep`).

Routes are thin: :mod:`helixgraph.analytics.suite` projects the store (:mod:`helixgraph.network`)
and computes the metrics in the analytics workers (:data:`api.deps.JobsDep`), never in the
request; results are cached per graph version, so each combination of filters is computed
once per build, and until it is there a route answers 503 with ``Retry-After``. Response
models: :mod:`api.metric_schemas`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Query
from pydantic import BaseModel

from helixgraph import network
from helixgraph.catalog.terms import parse_iri

from ..deps import FiltersDep, JobsDep, StoreJobs, WeightingDep
from ..metric_schemas import (
    BrokerageResponse,
    CentralityResponse,
    CommunitiesResponse,
    FundingResponse,
    HelixResponse,
    StructuralHolesResponse,
)
from ..problems import COMPUTE_ERRORS, LIST_ERRORS, ProblemRoute

router = APIRouter(
    prefix="/api", route_class=ProblemRoute, tags=["network analytics"], responses=COMPUTE_ERRORS
)

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


Limit = Annotated[
    int, Query(ge=1, le=100_000, description="Rows (nodes, flows, communities) to return")
]
Seed = Annotated[int, Query(ge=0, le=2**31, description="Seed for sampling and Louvain")]


def _compute(
    jobs: StoreJobs,
    family: str,
    filters: network.Filters,
    weighting: str = network.DEFAULT_WEIGHTING,
    **params: Any,
) -> dict[str, Any]:
    if weighting != network.DEFAULT_WEIGHTING:  # the default keeps the cache keys it had
        params["weighting"] = weighting
    result: dict[str, Any] = jobs.metrics(family, filters, **params)
    return {**result, "version": jobs.version}


def _envelope(result: dict[str, Any], *fields: str) -> dict[str, Any]:
    """What every answer holds (family, version, filters, graph), with the named
    ``fields`` of the computed result."""
    body = result.get("result", {})
    return {
        **{k: result[k] for k in ("family", "version", "filters", "graph")},
        **{k: body[k] for k in fields},
    }


def _rows(result: dict[str, Any], table: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    labels = result.get("labels", {})
    return [{"iri": v, "label": labels.get(v), **vals} for v, vals in table.items()]


def _sorted(
    rows: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any]
) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (key(r), r["iri"]))


def _get(path: str, model: type[BaseModel], summary: str) -> Callable[[Endpoint], Endpoint]:
    """``router.get`` for an analytics route: its response model, its summary, and the 422
    problem it may answer with."""
    return router.get(path, response_model=model, responses=LIST_ERRORS, summary=summary)


CentralitySort = Literal[
    "pagerank", "degree", "strength", "betweenness", "closeness", "eigenvector"
]


@_get(
    "/metrics/centrality",
    CentralityResponse,
    "Centralities of organisations in the collaboration network",
)
def centrality(
    jobs: JobsDep,
    filters: FiltersDep,
    weighting: WeightingDep = "count",
    limit: Limit = 100,
    seed: Seed = 0,
    sort: Annotated[
        CentralitySort, Query(description="Column to rank by, descending")
    ] = "pagerank",
    betweenness_k: Annotated[
        int | None,
        Query(
            ge=2,
            le=100_000,
            description=(
                "Estimate betweenness from this many sampled sources (Brandes & Pich); "
                "default exact up to 5,000 organisations, else 256 sources"
            ),
        ),
    ] = None,
) -> dict[str, Any]:
    """Degree, strength (summed evidence), betweenness and closeness (hops), eigenvector and
    PageRank (weighted by evidence) of each organisation, highest first."""
    r = _compute(jobs, "centrality", filters, weighting, betweenness_k=betweenness_k, seed=seed)
    rows = _sorted(_rows(r, r["result"]), lambda row: -(row.get(sort) or 0.0))
    used = r["parameters"]["betweenness_k"]
    return {**_envelope(r), "sort": sort, "betweenness_k": used, "items": rows[:limit]}


@_get(
    "/metrics/structural-holes",
    StructuralHolesResponse,
    "Burt's constraint, effective size and efficiency",
)
def structural_holes(
    jobs: JobsDep, filters: FiltersDep, weighting: WeightingDep = "count", limit: Limit = 100
) -> dict[str, Any]:
    """Least constrained organisations first (isolated ones, with no value, last)."""
    r = _compute(jobs, "structural_holes", filters, weighting)
    rows = _sorted(
        _rows(r, r["result"]), lambda row: (row["constraint"] is None, row["constraint"] or 0.0)
    )
    return {**_envelope(r), "items": rows[:limit]}


@_get(
    "/metrics/brokerage",
    BrokerageResponse,
    "Gould-Fernandez brokerage roles with helix as the group",
)
def brokerage(
    jobs: JobsDep, filters: FiltersDep, weighting: WeightingDep = "count", limit: Limit = 100
) -> dict[str, Any]:
    """Coordinator, itinerant, representative, gatekeeper and liaison counts per organisation
    (helix = its primary sphere), with expected values and z-scores under Gould &
    Fernandez's null model, following R's ``sna::brokerage`` conventions. With no open
    two-path in the network, ``note`` says so (every count is then zero)."""
    r = _compute(jobs, "brokerage", filters, weighting)
    body = r["result"]
    rows = _sorted(_rows(r, body["nodes"]), lambda row: -row["raw"]["total"])
    return {
        **_envelope(r, "directed", "density", "roles", "groups"),
        "conventions": "sna::brokerage: ordered two-paths a->b->c without a->c; an undirected "
        "tie counts both ways; z = (raw - expected) / sd, null when sd = 0",
        "graph_level": body["graph"],
        "note": body.get("note"),
        "items": rows[:limit],
    }


@_get(
    "/metrics/helix",
    HelixResponse,
    "E-I index, cross-helix links, U-I-G triads and triple-helix synergy",
)
def helix(
    jobs: JobsDep,
    filters: FiltersDep,
    weighting: WeightingDep = "count",
    limit: Annotated[int, Query(ge=0, le=10_000, description="Triads to list")] = 100,
) -> dict[str, Any]:
    """Krackhardt & Stern's E-I index overall, per helix and per organisation; the matrix of
    ties between helices; closed academia-industry-government triads; and Leydesdorff's
    mutual information T(UIG) (and the four-helix T) in bits from the helix composition
    of initiatives -- negative T is synergy in his sign convention."""
    r = _compute(jobs, "helix", filters, weighting, triad_limit=limit)
    return _envelope(r, "ei_index", "matrix", "triads", "synergy")


@_get(
    "/metrics/communities",
    CommunitiesResponse,
    "Louvain communities (seeded) and their helix composition",
)
def communities(
    jobs: JobsDep,
    filters: FiltersDep,
    weighting: WeightingDep = "count",
    limit: Limit = 100,
    seed: Seed = 0,
) -> dict[str, Any]:
    """Largest communities first; the same seed gives the same partition."""
    r = _compute(jobs, "communities", filters, weighting, seed=seed)
    answer = _envelope(r, "modularity", "seed", "sizes")
    return {**answer, "communities": r["result"]["communities"][:limit]}


@_get("/funding/flows", FundingResponse, "Funding flows funder -> recipient, and totals")
def funding_flows(jobs: JobsDep, filters: FiltersDep, limit: Limit = 100) -> dict[str, Any]:
    """Amounts summed per funder and recipient and by year (EUR); totals by funder, recipient
    helix, region and year. Region and helix filter the recipients; the window the award dates."""
    r = _compute(jobs, "funding", filters)
    labels: dict[str, str | None] = r.get("labels", {})
    flows = [_named(flow, labels) for flow in r["flows"][:limit]]
    totals = r["totals"]
    keyed = [*totals.get("by_funder", {}), *totals.get("by_recipient", {})]
    shown = [iri for f in flows for iri in (f["funder"], f["recipient"])]
    return {
        **_envelope(r),
        "totals": totals,
        "flows": flows,
        "names": {iri: labels.get(iri) for iri in dict.fromkeys([*shown, *keyed])},
        "unattributed": r["unattributed"],
    }


def _named(flow: dict[str, Any], labels: dict[str, str | None]) -> dict[str, Any]:
    """A flow with the ids and names of its funder and recipient."""
    out = dict(flow)
    for end in ("funder", "recipient"):
        parsed = parse_iri(str(flow[end]))
        out[f"{end}_type"] = parsed[0] if parsed else None
        out[f"{end}_id"] = parsed[1] if parsed else None
        out[f"{end}_label"] = labels.get(flow[end])
    return out
