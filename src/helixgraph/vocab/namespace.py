"""The ontology's terms as code, and the IRIs of helixgraph's nodes and graphs.

``HX`` lists every term of ``ontology/helix.ttl`` (a test checks both ways), so a
misspelt term raises ``AttributeError`` instead of minting a new IRI::

    >>> HX.Organisation
    rdflib.term.URIRef('https://w3id.org/helixgraph/ontology#Organisation')
    >>> iri("org", "umcg")
    rdflib.term.URIRef('https://w3id.org/helixgraph/id/org/umcg')
"""

from __future__ import annotations

import re

from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    VOID,
    XSD,
    DefinedNamespace,
    Namespace,
)
from rdflib.term import URIRef

from helixgraph.vocab import iris

__all__ = [
    "BASE",
    "DCTERMS",
    "ENTITY_PREFIXES",
    "EURIO",
    "FOAF",
    "GRAPH",
    "HX",
    "HXSH",
    "ID",
    "KINDS",
    "META_GRAPH",
    "ONTOLOGY",
    "ONTOLOGY_GRAPH",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "VIVO",
    "VOID",
    "XSD",
    "iri",
    "source_graph",
    "DATASET",
    "QUERY_PREFIXES",
    "REGISTRIES",
    "sparql_prefixes",
]

BASE = iris.BASE
ID = iris.ID
GRAPH = iris.GRAPH
ONTOLOGY = URIRef(iris.ONTOLOGY)
ONTOLOGY_GRAPH = URIRef(iris.ONTOLOGY_GRAPH)
META_GRAPH = URIRef(iris.META_GRAPH)

# The path segment of each kind of node (docs/data-model.md, "IRIs").
KINDS = ("org", "person", "place", "initiative", "award", "source", "post", "figure", "link")
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def iri(kind: str, id: str) -> URIRef:
    """The IRI of a node: ``iri("org", "umcg")`` is ``.../id/org/umcg``.

    ``id`` is a lower-case slug (or, for posts, figures and links, a hash of the row).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: expected one of {', '.join(KINDS)}")
    if not SLUG.fullmatch(id):
        raise ValueError(f"bad id {id!r}: ids are lower-case slugs [a-z0-9][a-z0-9-]*")
    return URIRef(f"{ID}{kind}/{id}")


def source_graph(source_id: str) -> URIRef:
    """The named graph that holds the facts of one source: ``.../graph/source/{id}``."""
    if not SLUG.fullmatch(source_id):
        raise ValueError(f"bad source id {source_id!r}: ids are lower-case slugs")
    return URIRef(iris.SOURCE_GRAPH + source_id)


class HX(DefinedNamespace):
    """helixgraph ontology (``ontology/helix.ttl``)."""

    _NS = Namespace(iris.HX)
    _fail = True

    # Classes: organisations
    Organisation: URIRef
    University: URIRef
    UniversityOfAppliedSciences: URIRef
    VocationalCollege: URIRef
    ResearchInstitute: URIRef
    ResearchInfrastructure: URIRef
    Biobank: URIRef
    ResearchCentre: URIRef
    Faculty: URIRef
    Hospital: URIRef
    AcademicHospital: URIRef
    GovernmentBody: URIRef
    Ministry: URIRef
    ProvincialGovernment: URIRef
    MunicipalGovernment: URIRef
    RegionalFundingBody: URIRef
    Intermediary: URIRef
    DevelopmentAgency: URIRef
    InvestmentCompany: URIRef
    BusinessAssociation: URIRef
    Firm: URIRef
    StartUp: URIRef
    SME: URIRef
    LargeFirm: URIRef
    Cluster: URIRef
    Cooperative: URIRef
    Network: URIRef
    RegionalEcosystem: URIRef
    Campus: URIRef
    Consortium: URIRef
    HigherEducationInstitution: URIRef
    HealthcareOrganisation: URIRef
    NonProfitOrganisation: URIRef
    OtherOrganisation: URIRef

    # Classes: people, places, initiatives
    Person: URIRef
    Post: URIRef
    Role: URIRef
    Place: URIRef
    City: URIRef
    Province: URIRef
    Region: URIRef
    Country: URIRef
    Initiative: URIRef
    ActionPlan: URIRef
    FundingCall: URIRef
    Programme: URIRef
    Project: URIRef
    Event: URIRef
    Proposal: URIRef
    Theme: URIRef

    # Classes: funding, figures, evidence, sources
    FundingAward: URIRef
    Figure: URIRef
    Measure: URIRef
    LinkEvidence: URIRef
    SourceDocument: URIRef
    SourceGraph: URIRef
    ImportGraph: URIRef

    # Properties
    translationOf: URIRef
    seedFile: URIRef
    abbreviation: URIRef
    helix: URIRef
    locatedIn: URIRef
    partOf: URIRef
    founded: URIRef
    postIn: URIRef
    quote: URIRef
    startDate: URIRef
    endDate: URIRef
    partnerOf: URIRef
    collaboratesWith: URIRef
    spinOffOf: URIRef
    participatesIn: URIRef
    leads: URIRef
    hosts: URIRef
    topic: URIRef
    funder: URIRef
    recipient: URIRef
    amount: URIRef
    currency: URIRef
    awardDate: URIRef
    programme: URIRef
    purpose: URIRef
    about: URIRef
    measure: URIRef
    value: URIRef
    unit: URIRef
    year: URIRef
    date: URIRef
    qualifier: URIRef

    # Properties: identifiers and import runs (imports.py, resolve.py)
    pic: URIRef
    ror: URIRef
    wikidata: URIRef
    grid: URIRef
    isni: URIRef
    fundref: URIRef
    kvk: URIRef
    sourceFile: URIRef
    importFilter: URIRef
    rowsRead: URIRef
    rowsSkipped: URIRef

    # Concept schemes and their concepts
    helixSpheres: URIRef
    academia: URIRef
    industry: URIRef
    government: URIRef
    civilSociety: URIRef

    roles: URIRef
    chair: URIRef
    ceo: URIRef
    president: URIRef
    boardMember: URIRef
    projectManager: URIRef
    businessDirector: URIRef
    businessManager: URIRef
    partner: URIRef
    themeLead: URIRef
    stateSecretary: URIRef
    author: URIRef

    measures: URIRef
    employeesFTE: URIRef
    jobs: URIRef
    revenue: URIRef
    employmentGrowth: URIRef
    memberCount: URIRef
    participants: URIRef
    researchers: URIRef
    budget: URIRef
    awardCount: URIRef
    generations: URIRef
    followUpYears: URIRef
    visitors: URIRef


class SCHEMA(DefinedNamespace):
    """The schema.org terms helixgraph uses, under ``http://schema.org/`` (as EURIO does).

    rdflib's ``SDO`` is the ``https://`` namespace; a test checks each name here exists in it.
    """

    _NS = Namespace("http://schema.org/")
    _fail = True

    url: URIRef
    name: URIRef
    Organization: URIRef
    MedicalOrganization: URIRef
    GovernmentOrganization: URIRef
    Place: URIRef
    City: URIRef
    AdministrativeArea: URIRef
    Country: URIRef
    Project: URIRef
    MonetaryGrant: URIRef
    translationOfWork: URIRef
    location: URIRef
    containedInPlace: URIRef
    foundingDate: URIRef
    startDate: URIRef
    endDate: URIRef
    funder: URIRef
    fundedItem: URIRef
    amount: URIRef
    currency: URIRef
    unitText: URIRef
    softwareVersion: URIRef  # the helixgraph version that made a build (its prov:Activity)


# Not closed: used only for alignments in the ontology and in tests.
EURIO = Namespace("http://data.europa.eu/s66#")
VIVO = Namespace("http://vivoweb.org/ontology/core#")
HXSH = Namespace("https://w3id.org/helixgraph/shapes#")

# Prefixes for serialising and for readable messages.
PREFIXES: dict[str, str] = {
    "hx": str(HX),
    "hxsh": str(HXSH),
    "org": str(ORG),
    "skos": str(SKOS),
    "prov": str(PROV),
    "foaf": str(FOAF),
    "schema": str(SCHEMA),
    "dcterms": str(DCTERMS),
    "void": str(VOID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "eurio": str(EURIO),
    "vivo": str(VIVO),
}


# The dataset as a whole (the VoID / DCAT description at /.well-known/void)
DATASET = URIRef(BASE + "dataset")

# Predeclared in every query of the endpoint, ``helixgraph query`` and the library's query
# helpers (as the Wikidata Query Service predeclares wd:, wdt:, ...): the vocabulary's
# prefixes, DCAT and the service description's, and one per kind of helixgraph node, so
# ``hxorg:umcg`` is ``<https://w3id.org/helixgraph/id/org/umcg>``. A query that declares a
# prefix itself keeps its own.
ENTITY_PREFIXES: dict[str, str] = {
    "hxorg": f"{ID}org/",
    "hxperson": f"{ID}person/",
    "hxplace": f"{ID}place/",
    "hxinit": f"{ID}initiative/",
    "hxaward": f"{ID}award/",
    "hxsource": f"{ID}source/",
    "hxgraph": iris.SOURCE_GRAPH,
}
QUERY_PREFIXES: dict[str, str] = {
    **PREFIXES,
    "dcat": "http://www.w3.org/ns/dcat#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    **ENTITY_PREFIXES,
}


# The registry page of an organisation identifier, by scheme (the ``hx:`` property of the
# same name): ``{}`` is the identifier as the graph holds it (ISNI without its spaces).
REGISTRIES: dict[str, tuple[str, str]] = {
    "ror": ("ROR", "https://ror.org/{}"),
    "pic": (
        "PIC (EU Funding & Tenders / CORDIS)",
        "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/"
        "how-to-participate/org-details/{}",
    ),
    "wikidata": ("Wikidata", "https://www.wikidata.org/wiki/{}"),
    "isni": ("ISNI", "https://isni.org/isni/{}"),
    "grid": ("GRID", "https://www.grid.ac/institutes/{}"),
    "fundref": ("Crossref Funder Registry (FundRef)", "https://doi.org/10.13039/{}"),
    "kvk": ("KvK (Dutch Chamber of Commerce)", "https://www.kvk.nl/zoeken/?source=all&q={}"),
}


def sparql_prefixes(*names: str) -> str:
    """The SPARQL ``PREFIX`` lines of the named prefixes (all of :data:`PREFIXES` if none)::

    >>> sparql_prefixes("hx", "skos")
    'PREFIX hx: <https://w3id.org/helixgraph/ontology#>\\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\\n'
    """
    unknown = [n for n in names if n not in PREFIXES]
    if unknown:
        raise KeyError(f"unknown prefix {unknown[0]!r}: expected one of {', '.join(PREFIXES)}")
    return "".join(f"PREFIX {n}: <{PREFIXES[n]}>\n" for n in names or PREFIXES)
