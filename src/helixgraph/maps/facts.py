"""What a map needs beyond the projections: kinds, names and sources of the nodes.

An adapter over the store, read with flat SPARQL queries over the union of the named
graphs. :mod:`helixgraph.network` gives organisations their helix and regions but not
their kinds, abbreviations or the sources that state them; the map shows those in
shapes, search and tooltips.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

HX = "https://w3id.org/helixgraph/ontology#"
PLACE = "https://w3id.org/helixgraph/id/place/"
SOURCE_GRAPH = "https://w3id.org/helixgraph/graph/source/"
PREFIXES = (
    f"PREFIX hx: <{HX}>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
)

# hx class local name -> the kind slug of the data files (data-model.md)
KIND_SLUGS = {
    "University": "university",
    "UniversityOfAppliedSciences": "university_of_applied_sciences",
    "VocationalCollege": "vocational_college",
    "ResearchInstitute": "research_institute",
    "ResearchInfrastructure": "research_infrastructure",
    "Biobank": "biobank",
    "ResearchCentre": "research_centre",
    "Faculty": "faculty",
    "Hospital": "hospital",
    "AcademicHospital": "academic_hospital",
    "GovernmentBody": "government_body",
    "Ministry": "ministry",
    "ProvincialGovernment": "provincial_government",
    "MunicipalGovernment": "municipal_government",
    "RegionalFundingBody": "regional_funding_body",
    "Intermediary": "intermediary",
    "DevelopmentAgency": "development_agency",
    "InvestmentCompany": "investment_company",
    "BusinessAssociation": "business_association",
    "Firm": "firm",
    "StartUp": "startup",
    "SME": "sme",
    "LargeFirm": "large_firm",
    "Cluster": "cluster",
    "Cooperative": "cooperative",
    "Network": "network",
    "RegionalEcosystem": "regional_ecosystem",
    "Campus": "campus",
    "Consortium": "consortium",
}

# kind slug -> the coarse category a map draws as one shape
CATEGORY_OF_KIND = {
    **dict.fromkeys(
        (
            "university",
            "university_of_applied_sciences",
            "vocational_college",
            "research_institute",
            "research_infrastructure",
            "biobank",
            "research_centre",
            "faculty",
        ),
        "knowledge",
    ),
    **dict.fromkeys(("hospital", "academic_hospital"), "hospital"),
    **dict.fromkeys(
        (
            "government_body",
            "ministry",
            "provincial_government",
            "municipal_government",
            "regional_funding_body",
        ),
        "government",
    ),
    **dict.fromkeys(("firm", "startup", "sme", "large_firm", "investment_company"), "firm"),
    **dict.fromkeys(
        (
            "intermediary",
            "development_agency",
            "business_association",
            "cluster",
            "cooperative",
            "network",
            "regional_ecosystem",
            "campus",
            "consortium",
        ),
        "intermediary",
    ),
}
CATEGORIES = ("knowledge", "hospital", "government", "firm", "intermediary", "other")
# a hospital is drawn as a hospital even when it is also a knowledge institution
_CATEGORY_ORDER = ("hospital", "knowledge", "government", "firm", "intermediary")


def category(kinds: list[str]) -> str:
    """The shape category of an organisation with these kinds (``other`` if none fits)."""
    found = {CATEGORY_OF_KIND.get(k) for k in kinds}
    return next((c for c in _CATEGORY_ORDER if c in found), "other")


@dataclass
class NodeFacts:
    """Per-IRI facts: kinds, other names, the sources stating it; source titles."""

    kinds: dict[str, list[str]] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)
    abbreviations: dict[str, list[str]] = field(default_factory=dict)
    sources: dict[str, list[str]] = field(default_factory=dict)
    source_titles: dict[str, str] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)


def _select(store: ox.Store, query: str) -> list[dict[str, str]]:
    result = store.query(PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [
        {n: s[n].value for n in names if s[n] is not None}
        for s in result
    ]


def _source_id(graph: str) -> str:
    return graph[len(SOURCE_GRAPH) :] if graph.startswith(SOURCE_GRAPH) else graph


def node_facts(store: ox.Store) -> NodeFacts:
    """Read the kinds, names and sources of every organisation, initiative and person."""
    facts = NodeFacts()
    for r in _select(store, "SELECT ?o ?t WHERE { ?o a hx:Organisation ; a ?t }"):
        slug = KIND_SLUGS.get(r["t"].removeprefix(HX))
        if slug is not None and r["t"].startswith(HX):
            facts.kinds.setdefault(r["o"], []).append(slug)
    for r in _select(store, "SELECT ?o ?a WHERE { ?o hx:abbreviation ?a }"):
        facts.abbreviations.setdefault(r["o"], []).append(r["a"])
    q = "SELECT ?o ?n WHERE { ?o skos:prefLabel|skos:altLabel ?n }"
    for r in _select(store, q):
        facts.names.setdefault(r["o"], []).append(r["n"])
    q = """SELECT DISTINCT ?x ?g WHERE { GRAPH ?g { ?x a ?c }
           VALUES ?c { hx:Organisation hx:Initiative hx:Person hx:FundingAward } }"""
    for r in _select(store, q):
        if r["g"].startswith(SOURCE_GRAPH):
            facts.sources.setdefault(r["x"], []).append(_source_id(r["g"]))
    q = "SELECT ?s ?t WHERE { ?s a hx:SourceDocument ; dcterms:title ?t }"
    for r in _select(store, q):
        facts.source_titles.setdefault(r["s"].rsplit("/", 1)[-1], r["t"])
    q = f"""SELECT ?p ?l WHERE {{ ?p skos:prefLabel ?l
           FILTER(STRSTARTS(STR(?p), "{PLACE}") && LANGMATCHES(LANG(?l), "en")) }}"""
    for r in _select(store, q):
        facts.places[r["p"].removeprefix(PLACE)] = r["l"]
    for table in (facts.kinds, facts.names, facts.abbreviations, facts.sources):
        for key, values in table.items():
            table[key] = sorted(set(values))
    return facts
