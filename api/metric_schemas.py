"""Response models of the network analytics routes (:mod:`api.routes.metrics`), and so
their OpenAPI schemas: an envelope (family, graph version, filters, graph size) and each
metric family's rows."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class GraphSize(BaseModel):
    nodes: int
    edges: int


class Envelope(BaseModel):
    family: str = Field(description="The metric family")
    version: str = Field(description="The graph version (build id) the numbers come from")
    filters: dict[str, Any] = Field(description="The filters applied, as given")
    graph: GraphSize = Field(description="Size of the projected graph")


class CentralityRow(BaseModel):
    iri: str
    label: str | None
    degree: float
    strength: float | None = None
    betweenness: float
    closeness: float
    eigenvector: float | None = None
    pagerank: float


class CentralityResponse(Envelope):
    sort: str
    betweenness_k: int | None = Field(description="Sources sampled for betweenness (null: exact)")
    items: list[CentralityRow]


class StructuralHolesRow(BaseModel):
    iri: str
    label: str | None
    constraint: float | None
    effective_size: float | None
    efficiency: float | None


class StructuralHolesResponse(Envelope):
    items: list[StructuralHolesRow]


class BrokerageRow(BaseModel):
    iri: str
    label: str | None
    group: str | None
    raw: dict[str, int]
    expected: dict[str, float]
    sd: dict[str, float]
    z: dict[str, float | None]


class BrokerageResponse(Envelope):
    directed: bool
    density: float
    roles: list[str]
    conventions: str
    graph_level: dict[str, dict[str, float | None]] = Field(
        description="raw, expected, sd and z per role for the whole graph"
    )
    note: str | None = Field(
        None,
        description="Set when the network has no open two-path (every pair of an "
        "organisation's partners is itself tied), so there is no brokerage to count",
    )
    groups: dict[str, Any]
    items: list[BrokerageRow]


class HelixResponse(Envelope):
    ei_index: dict[str, Any] = Field(description="overall, external, internal, groups, nodes")
    matrix: dict[str, dict[str, float]] = Field(description="ties between helices")
    triads: dict[str, Any] = Field(description="closed academia-industry-government triads")
    synergy: dict[str, Any] = Field(description="Leydesdorff's T(UIG) and four-helix T, in bits")


class Community(BaseModel):
    id: int
    size: int
    helices: dict[str, int]
    members: list[str]


class CommunitiesResponse(Envelope):
    modularity: float
    seed: int
    sizes: list[int]
    communities: list[Community]


class Flow(BaseModel):
    funder: str = Field(description="the funder's IRI")
    funder_type: str | None = Field(None, description="organisation, initiative, ...")
    funder_id: str | None = Field(None, description="its id (its page is /{type}/{id})")
    funder_label: str | None = Field(None, description="its name (English, else Dutch, else any)")
    recipient: str = Field(description="the recipient's IRI")
    recipient_type: str | None = None
    recipient_id: str | None = None
    recipient_label: str | None = None
    amount: float
    awards: int
    by_year: dict[str, float]


class FundingResponse(Envelope):
    totals: dict[str, Any] = Field(
        description="total, awards, by_funder, by_recipient, "
        "by_funder_helix, by_recipient_helix, by_region, by_year, helix_flows"
    )
    flows: list[Flow]
    names: dict[str, str | None] = Field(
        default_factory=dict,
        description="IRI -> name of every funder and recipient in flows and totals",
    )
    unattributed: list[dict[str, Any]] = Field(description="awards whose funder is not stated")
