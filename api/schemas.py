"""Response models of the JSON API (and so its OpenAPI schemas).

Fields other than ``type``, ``id``, ``iri`` and ``href`` have defaults, so a response
trimmed with ``?fields=`` still matches its schema.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from helixgraph.vocab import iris

ORG_IRI = iris.ID + "org/umcg"
Sources = list[str]
Number = int | float


def sources_field() -> Any:
    return Field(
        default_factory=list,
        description="Ids of the source documents stating this",
        examples=[["s001", "s014"]],
    )


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Problem(Model):
    """An error, as RFC 9457 problem details (``application/problem+json``)."""

    type: str = Field(examples=["about:blank"])
    title: str = Field(examples=["Not Found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["no organisation with id 'nope'"])
    instance: str = Field(examples=["/api/organisations/nope"])
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="For 422: each bad parameter (loc, msg, type)"
    )


class Ref(Model):
    """A link to another node of the graph."""

    type: str = Field(
        description="organisation, person, initiative, award, place, source…",
        examples=["organisation"],
    )
    id: str = Field(examples=["umcg"])
    iri: str = Field(examples=[ORG_IRI])
    label: str = Field(examples=["University Medical Center Groningen"])
    href: str | None = Field(default=None, examples=["/api/organisations/umcg"])
    sources: Sources = sources_field()


class Term(Model):
    """A value of a controlled vocabulary (kind, helix, role, measure)."""

    id: str = Field(examples=["academic_hospital"])
    iri: str = Field(examples=[iris.HX + "AcademicHospital"])
    sources: Sources = sources_field()


class Text(Model):
    text: str
    lang: str | None = Field(default=None, examples=["nl"])
    sources: Sources = sources_field()


class Label(Text):
    kind: Literal["preferred", "alternative", "abbreviation"]


class Identifier(Model):
    scheme: str = Field(
        examples=["ror"],
        description="iri, ror, pic, wikidata, isni, grid, fundref, kvk or website",
    )
    value: str = Field(examples=["044jw3g30"])
    registry: str | None = Field(None, examples=["ROR"], description="the registry's name")
    url: str | None = Field(
        None, examples=["https://ror.org/044jw3g30"], description="the registry's page"
    )
    sources: Sources = sources_field()


class Evidence(Model):
    """A link-evidence node: the quote and topic a source gives for a relation."""

    id: str
    iri: str
    topic: list[Text] = []
    quote: list[Text] = []
    sources: Sources = sources_field()


class Relation(Model):
    relation: str = Field(examples=["collaborates_with"])
    property: str = Field(examples=[iris.HX + "collaboratesWith"])
    direction: Literal["outgoing", "incoming", "symmetric"]
    target: Ref
    sources: Sources = sources_field()
    evidence: list[Evidence] = []


class Post(Model):
    id: str
    iri: str
    role: Term | None = None
    title: list[Text] = []
    holder: Ref | None = None
    post_in: Ref | None = None
    quote: list[Text] = []
    sources: Sources = sources_field()


class Figure(Model):
    """A quantitative fact (jobs, revenue, members…) about a node."""

    id: str
    iri: str
    measure: Term | None = None
    value: Number | None = Field(default=None, examples=[4000])
    unit: str | None = Field(default=None, examples=["FTE"])
    year: str | None = Field(default=None, examples=["2020"])
    date: str | None = None
    qualifier: str | None = Field(default=None, examples=["approximately"])
    quote: list[Text] = []
    sources: Sources = sources_field()


class Node(Model):
    type: str = Field(examples=["organisation"])
    id: str = Field(description="The last segment of the IRI", examples=["umcg"])
    iri: str = Field(examples=[ORG_IRI])
    href: str = Field(examples=["/api/organisations/umcg"])
    label: str = Field(default="", examples=["University Medical Center Groningen"])


class Award(Node):
    """A funding award: who funds whom, how much, under which programme."""

    amount: Number | None = Field(default=None, examples=[250000.5])
    currency: str | None = Field(default=None, examples=["EUR"])
    date: str | None = Field(default=None, examples=["2020-04"])
    funder: Ref | None = None
    recipient: Ref | None = None
    programme: Ref | None = None
    purpose: dict[str, str] = Field(default_factory=dict, examples=[{"en": "research"}])
    quote: list[Text] = []
    sources: Sources = sources_field()


class AwardDetail(Award):
    source_documents: list[Ref] = []


class OrganisationSummary(Node):
    names: dict[str, str] = Field(
        default_factory=dict,
        description="Preferred name by language",
        examples=[
            {
                "en": "University Medical Center Groningen",
                "nl": "Universitair Medisch Centrum Groningen",
            }
        ],
    )
    abbreviations: list[str] = Field(default_factory=list, examples=[["UMCG"]])
    kinds: list[Term] = []
    helices: list[Term] = []
    places: list[Ref] = []
    sources: Sources = sources_field()


class Memberships(Model):
    member_of: list[Ref] = []
    members: list[Ref] = []


class Organisation(OrganisationSummary):
    """Everything the graph states about an organisation, each fact with its sources."""

    labels: list[Label] = []
    identifiers: list[Identifier] = []
    founded: str | None = Field(default=None, examples=["2015"])
    note: str | None = None
    parents: list[Ref] = Field(default_factory=list, description="org:subOrganizationOf")
    units: list[Ref] = Field(default_factory=list, description="Sub-organisations")
    posts: list[Post] = []
    memberships: Memberships = Memberships()
    relations: list[Relation] = []
    funding_received: list[Award] = []
    funding_given: list[Award] = []
    figures: list[Figure] = []
    source_documents: list[Ref] = []


class PersonSummary(Node):
    name: str | None = Field(default=None, examples=["Ann Example"])
    sources: Sources = sources_field()


class Person(PersonSummary):
    posts: list[Post] = []
    member_of: list[Ref] = []
    relations: list[Relation] = []
    source_documents: list[Ref] = []


class InitiativeSummary(Node):
    names: dict[str, str] = {}
    abbreviations: list[str] = []
    kinds: list[Term] = []
    places: list[Ref] = []
    start: str | None = Field(default=None, examples=["2020-04"])
    end: str | None = None
    sources: Sources = sources_field()


class Initiative(InitiativeSummary):
    descriptions: dict[str, str] = {}
    part_of: list[Ref] = []
    parts: list[Ref] = []
    participants: list[Ref] = []
    leads: list[Ref] = []
    hosts: list[Ref] = []
    relations: list[Relation] = []
    posts: list[Post] = []
    funding_received: list[Award] = []
    awards_in_programme: list[Award] = []
    figures: list[Figure] = []
    source_documents: list[Ref] = []


class RegionSummary(Node):
    names: dict[str, str] = {}
    kind: Literal["city", "province", "region", "country"] | None = None
    part_of: list[Ref] = []
    sources: Sources = sources_field()


class Region(RegionSummary):
    parts: list[Ref] = []
    located_here: list[Ref] = []
    counts_within: dict[str, int] = Field(
        default_factory=dict,
        description="Organisations and initiatives located in the place or any place within it",
        examples=[{"organisations": 42, "initiatives": 7}],
    )
    figures: list[Figure] = []
    source_documents: list[Ref] = []


class SourceSummary(Node):
    title: str = ""
    language: str | None = Field(default=None, examples=["nl"])
    publisher: str | None = None
    date: str | None = Field(default=None, examples=["2021-02-22"])
    url: str | None = None
    seed_file: str | None = None
    note: str | None = None
    translation_of: Ref | None = None
    triples: int = Field(default=0, description="Statements in this source's named graph")


class Source(SourceSummary):
    """A source document and what it states."""

    translations: list[Ref] = []
    states: dict[str, list[Ref]] = Field(
        default_factory=dict, description="Nodes this source states, by type"
    )
    statement_counts: dict[str, int] = Field(
        default_factory=dict, examples=[{"relations": 12, "posts": 3, "figures": 4, "awards": 1}]
    )


class Links(Model):
    self: str
    first: str
    last: str
    next: str | None = None
    prev: str | None = None


class Page(Model):
    total: int = Field(description="Items matching the filters, over all pages")
    limit: int
    offset: int
    links: Links


class OrganisationPage(Page):
    items: list[OrganisationSummary]


class PersonPage(Page):
    items: list[PersonSummary]


class InitiativePage(Page):
    items: list[InitiativeSummary]


class AwardPage(Page):
    items: list[Award]


class RegionPage(Page):
    items: list[RegionSummary]


class SourcePage(Page):
    items: list[SourceSummary]
