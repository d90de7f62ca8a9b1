"""Competency questions: what the graph built from ``data/`` must answer, and the answers
the five seed articles give.

Each test is one question, asked in SPARQL over the built store (default graph = union of
all named graphs), with the expected answer taken from the articles (see data/README.md).
The store is built once per session by the ``seed_store`` fixture (tests/conftest.py).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from helixgraph.store.access import open_store

ID = "https://w3id.org/helixgraph/id/"
GRAPH = "https://w3id.org/helixgraph/graph/source/"

PREFIXES = f"""
PREFIX hx: <https://w3id.org/helixgraph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX o: <{ID}org/>
PREFIX p: <{ID}person/>
PREFIX i: <{ID}initiative/>
PREFIX pl: <{ID}place/>
PREFIX s: <{ID}source/>
PREFIX aw: <{ID}award/>
PREFIX g: <{GRAPH}>
"""


@pytest.fixture(scope="module")
def store(seed_store: Path) -> ox.Store:
    return open_store(seed_store)


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT as {variable: value}; IRIs under the id base become their local id."""
    result = store.query(PREFIXES + query)
    names = [v.value for v in result.variables]
    out = []
    for solution in result:
        row = {}
        for name in names:
            term = solution[name]
            if term is None:
                continue
            value = term.value
            for base in (ID + "org/", ID + "person/", ID + "initiative/", ID + "place/",
                         ID + "source/", ID + "award/", GRAPH):
                if value.startswith(base):
                    value = value[len(base):]
                    break
            row[name] = value
        out.append(row)
    return out


def column(rows: list[dict[str, str]], name: str) -> set[str]:
    return {r[name] for r in rows if name in r}


def ask(store: ox.Store, query: str) -> bool:
    return bool(store.query(PREFIXES + query))


# --------------------------------------------------------------------------- Twente


def test_partners_of_medtech_twente_2030(store):
    """Which parties does the Twente MedTech cluster work with in MedTech Twente 2030? (s003)"""
    rows = select(store, """
        SELECT DISTINCT ?partner WHERE {
            o:twente-medtech-cluster hx:participatesIn i:medtech-twente-2030 ;
                                     (hx:collaboratesWith|^hx:collaboratesWith) ?partner .
            ?partner hx:participatesIn i:medtech-twente-2030 .
        }""")
    assert column(rows, "partner") == {
        "novel-t", "saxion", "wtc-twente", "kennispark", "health-valley", "university-of-twente",
        "oost-nl", "provincie-overijssel", "gemeente-enschede", "twente-board",
    }


def test_project_manager_of_medtech_twente_2030(store):
    rows = select(store, """
        SELECT DISTINCT ?name ?title WHERE {
            ?person org:holds ?post ; foaf:name ?name .
            ?post org:role hx:projectManager ; hx:postIn i:medtech-twente-2030 ; rdfs:label ?title .
        }""")
    assert rows == [{"name": "Alexander Schippers", "title": "projectmanager"}]


def test_organisations_by_helix_in_twente(store):
    """Organisations located in Twente (or a place within it), grouped by helix."""
    rows = select(store, """
        SELECT DISTINCT ?org ?helix WHERE {
            ?org a hx:Organisation ; hx:locatedIn/hx:partOf* pl:twente ; hx:helix ?helix .
        }""")
    by_helix: dict[str, set[str]] = {}
    for r in rows:
        by_helix.setdefault(r["helix"].rsplit("#", 1)[1], set()).add(r["org"])
    assert by_helix == {
        "academia": {"university-of-twente", "techmed-centre"},
        "government": {"gemeente-enschede"},
        "industry": {"twente-medtech-cluster", "wtc-twente"},
    }
    # hybrids in Twente carry no helix (policy in data/README.md)
    rows = select(store, """
        SELECT DISTINCT ?org WHERE {
            ?org a hx:Organisation ; hx:locatedIn/hx:partOf* pl:twente .
            FILTER NOT EXISTS { ?org hx:helix ?h }
        }""")
    assert column(rows, "org") == {"twente-board", "kennispark"}


def test_ecosystems_twente_aims_to_join_as_the_netherlands(store):
    """With which MedTech ecosystems does Twente want to take an international position? (s004)"""
    rows = select(store, """
        SELECT DISTINCT ?eco ?topic WHERE {
            GRAPH ?g { o:twente-medtech-cluster (hx:collaboratesWith|^hx:collaboratesWith) ?eco }
            ?eco a hx:RegionalEcosystem .
            ?e a hx:LinkEvidence ; rdf:subject o:twente-medtech-cluster ; rdf:object ?eco ;
               hx:topic ?topic .
            FILTER (?g = g:s004)
        }""")
    assert column(rows, "eco") == {"medical-delta", "brainport-eindhoven",
                                   "brightlands-maastricht-health-campus"}
    assert all(r["topic"].startswith("doel") for r in rows), "recorded as an aim, not a fact"


def test_techmed_centre(store):
    """The TechMed Centre: part of the University of Twente, in Enschede, 450 researchers."""
    rows = select(store, """
        SELECT DISTINCT ?parent ?place ?value ?unit ?url WHERE {
            o:techmed-centre org:subOrganizationOf ?parent ; hx:locatedIn ?place .
            OPTIONAL { o:techmed-centre <http://schema.org/url>|<https://schema.org/url> ?url }
            ?f hx:about o:techmed-centre ; hx:measure hx:researchers ;
               hx:value ?value ; hx:unit ?unit .
        }""")
    assert len(rows) == 1
    r = rows[0]
    assert (r["parent"], r["place"], Decimal(r["value"]), r["unit"]) == (
        "university-of-twente", "enschede", Decimal(450), "persons")
    assert r["url"] == "https://www.utwente.nl/en/techmed/"


def test_digital_working_visit_of_candidate_mps(store):
    """The 5 February 2021 digital working visit of eight candidate MPs (s004)."""
    rows = select(store, """
        SELECT DISTINCT ?visit ?start ?host ?guide ?title ?n WHERE {
            ?visit a hx:Event ; hx:startDate ?start .
            ?host hx:hosts ?visit .
            ?guide hx:participatesIn ?visit ; org:holds ?post .
            ?post hx:postIn ?host ; org:role hx:businessDirector ; rdfs:label ?title .
            ?f hx:about ?visit ; hx:measure hx:visitors ; hx:value ?n .
            FILTER (?start = "2021-02-05"^^xsd:date)
        }""")
    assert len(rows) == 1
    r = rows[0]
    assert r["host"] == "techmed-centre"
    assert r["guide"] == "remke-burie"
    assert r["title"] == "zakelijk directeur van het TechMed-centrum"
    assert Decimal(r["n"]) == 8


def test_state_secretary_working_visit(store):
    """Mona Keijzer's working visit, where she received an investment proposal (s004)."""
    rows = select(store, """
        SELECT DISTINCT ?visit ?year ?host WHERE {
            p:mona-keijzer hx:participatesIn ?visit ; org:holds/org:role hx:stateSecretary .
            ?visit a hx:Event ; hx:startDate ?year .
            ?host hx:hosts ?visit .
        }""")
    assert column(rows, "host") == {"kennispark", "techmed-centre"}
    assert column(rows, "year") == {"2020"}
    (visit,) = column(rows, "visit")
    rows = select(store, f"""
        SELECT DISTINCT ?proposal ?by WHERE {{
            ?proposal a hx:Proposal ; hx:partOf i:{visit} .
            ?by hx:participatesIn ?proposal .
        }}""")
    assert column(rows, "by") == {"eddy-van-hijum", "jaap-beernink"}


def test_posts_of_jaap_beernink_and_freerk_faber(store):
    rows = select(store, """
        SELECT DISTINCT ?person ?role ?org WHERE {
            VALUES ?person { p:jaap-beernink p:freerk-faber }
            ?person org:holds ?post . ?post org:role ?role ; hx:postIn ?org .
        }""")
    got = {(r["person"], r["role"].rsplit("#", 1)[1], r["org"]) for r in rows}
    assert got == {("jaap-beernink", "ceo", "novel-t"), ("jaap-beernink", "partner", "wtc-twente"),
                   ("freerk-faber", "ceo", "wtc-twente")}


# --------------------------------------------------------------------------- Northern Netherlands


def test_who_funded_lodes_rehabilitation_research(store):
    """Who funded Lode's rehabilitation-tool research, through which call? No amount is stated."""
    rows = select(store, """
        SELECT DISTINCT ?funder ?call ?budget ?date ?count WHERE {
            ?award hx:recipient o:lode-bv ; hx:funder ?funder ; hx:programme ?call .
            ?call a hx:FundingCall .
            ?b hx:about ?call ; hx:measure hx:budget ; hx:value ?budget ; hx:date ?date .
            ?c hx:about ?call ; hx:measure hx:awardCount ; hx:value ?count .
            FILTER NOT EXISTS { ?award hx:amount ?amount }
        }""")
    assert len(rows) == 1
    r = rows[0]
    assert (r["funder"], r["call"]) == ("snn", "snn-covid-19-call-2020")
    assert Decimal(r["budget"]) == Decimal(1_000_000) and r["date"] == "2020-04"
    assert Decimal(r["count"]) == 5


def test_open_diagnostics_ecosysteem_award_has_no_funder(store):
    rows = select(store, """
        SELECT DISTINCT ?amount ?currency ?funder ?date WHERE {
            ?award hx:recipient i:open-diagnostics-ecosysteem ;
                   hx:amount ?amount ; hx:currency ?currency .
            OPTIONAL { ?award hx:funder ?funder }
            OPTIONAL { ?award hx:awardDate ?date }
        }""")
    assert rows == [{"amount": "2100000", "currency": "EUR"}]


def test_life_cooperative_2020_employment_and_revenue(store):
    rows = select(store, """
        SELECT DISTINCT ?measure ?value ?unit WHERE {
            ?f hx:about o:life-cooperative ; hx:measure ?measure ; hx:value ?value ; hx:unit ?unit ;
               hx:year "2020"^^xsd:gYear .
        }""")
    got = {(r["measure"].rsplit("#", 1)[1], Decimal(r["value"]), r["unit"]) for r in rows}
    assert got == {("employeesFTE", Decimal(4000), "FTE"), ("revenue", Decimal(400_000_000), "EUR")}


def test_life_cooperative_members_and_growth(store):
    """About forty companies ("Zo'n 40"), four named new startups, 6.5 % growth, founded 2015."""
    rows = select(store, """
        SELECT DISTINCT ?value ?qualifier WHERE {
            GRAPH g:s002 {
                ?f hx:about o:life-cooperative ; hx:measure hx:memberCount ; hx:value ?value .
                OPTIONAL { ?f hx:qualifier ?qualifier }
            }
        }""")
    assert {Decimal(r["value"]) for r in rows} == {Decimal(40)}
    assert "approximately" in column(rows, "qualifier")
    rows = select(store, """
        SELECT DISTINCT ?m WHERE { ?m org:memberOf o:life-cooperative ; a hx:StartUp . }""")
    assert column(rows, "m") == {"ivy-medical", "reperio-medtech", "detact-diagnostics",
                                 "sg-papertronics"}
    rows = select(store, """
        SELECT DISTINCT ?v ?founded WHERE {
            ?f hx:about o:life-cooperative ; hx:measure hx:employmentGrowth ;
               hx:value ?v ; hx:unit "percent" .
            o:life-cooperative hx:founded ?founded .
        }""")
    assert [(Decimal(r["v"]), r["founded"]) for r in rows] == [(Decimal("6.5"), "2015")]


def test_knowledge_institutions_life_cooperative_trains_talent_with(store):
    """Human Capital: with which knowledge institutions does LIFE Cooperative work? (s002)"""
    rows = select(store, """
        SELECT DISTINCT ?inst WHERE {
            o:life-cooperative hx:participatesIn ?theme .
            ?theme a hx:Theme .
            ?inst hx:participatesIn ?theme ;
                  (hx:collaboratesWith|^hx:collaboratesWith) o:life-cooperative .
        }""")
    assert column(rows, "inst") == {"university-of-groningen", "umcg", "hanzehogeschool-groningen",
                                    "noorderpoort", "drenthe-college"}
    assert ask(store, 'ASK { o:university-of-groningen hx:abbreviation "RUG" }')


def test_who_chairs_life_cooperative(store):
    rows = select(store, """
        SELECT DISTINCT ?name ?title WHERE {
            ?person org:holds ?post ; foaf:name ?name .
            ?post org:role hx:chair ; hx:postIn o:life-cooperative ; rdfs:label ?title .
        }""")
    assert rows == [{"name": "Ton Vries", "title": "voorzitter van de coöperatie"}]


def test_life_cooperative_board_and_lode(store):
    rows = select(store, """
        SELECT DISTINCT ?name WHERE {
            ?person org:holds ?post ; foaf:name ?name .
            ?post org:role hx:boardMember ; hx:postIn o:life-cooperative .
        }""")
    assert column(rows, "name") == {"Peter Ketelaar", "Johannes Wolters"}
    rows = select(store, """
        SELECT DISTINCT ?role WHERE {
            p:johannes-wolters org:holds ?post . ?post hx:postIn o:lode-bv ; org:role ?role .
        }""")
    assert {r["role"].rsplit("#", 1)[1] for r in rows} == {"president", "ceo"}


def test_number_of_lifelines_participants(store):
    """Nearly 170,000 participants, stated in the Dutch original and in its translation."""
    rows = select(store, """
        SELECT DISTINCT ?g ?value ?qualifier ?quote WHERE {
            GRAPH ?g { ?f hx:about o:lifelines ; hx:measure hx:participants ; hx:value ?value ;
                          hx:qualifier ?qualifier ; hx:quote ?quote . }
        }""")
    assert {Decimal(r["value"]) for r in rows} == {Decimal(170_000)}
    assert column(rows, "qualifier") == {"nearly"}
    assert column(rows, "g") == {"s000", "s001"}
    by_graph = {r["g"]: r["quote"] for r in rows}
    assert by_graph["s000"].startswith("Bijna 170.000")
    assert by_graph["s001"].startswith("Nearly 170,000")


def test_htric_members(store):
    rows = select(store, "SELECT DISTINCT ?m WHERE { ?m org:memberOf o:htric }")
    assert column(rows, "m") == {"faculty-science-engineering", "faculty-economics-business",
                                 "faculty-behavioural-social-sciences", "umcg"}


def test_which_sources_state_that_umcg_is_an_academic_hospital(store):
    rows = select(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { o:umcg a hx:AcademicHospital } }")
    assert column(rows, "g") == {"s000", "s001"}


# --------------------------------------------------------------------------- sources


def test_what_source_004_states(store):
    """s004: its publisher and date, and the people it names."""
    rows = select(store, """
        SELECT DISTINCT ?publisher ?date WHERE {
            s:s004 dcterms:publisher ?publisher ; dcterms:date ?date .
        }""")
    assert rows == [{"publisher": "Twente Board", "date": "2021-02-22"}]
    rows = select(store, """
        SELECT DISTINCT ?person WHERE { GRAPH g:s004 { ?person a hx:Person } }""")
    assert column(rows, "person") == {"remke-burie", "mona-keijzer", "eddy-van-hijum",
                                      "jaap-beernink", "freerk-faber"}
    rows = select(store, """
        SELECT DISTINCT ?org WHERE { GRAPH g:s004 { ?org a hx:RegionalEcosystem } }""")
    assert column(rows, "org") == {"medical-delta", "brainport-eindhoven",
                                   "brightlands-maastricht-health-campus"}


def test_english_translation_of_s000(store):
    rows = select(store, """
        SELECT DISTINCT ?t ?lang ?title WHERE {
            ?t hx:translationOf s:s000 ; dcterms:language ?lang ; dcterms:title ?title .
        }""")
    assert rows == [{"t": "s001", "lang": "en",
                     "title": "Health sector in northern Netherlands: unique in cohesion"}]


def test_quotes_are_tagged_with_their_sources_language(store):
    """Each quote sits in the graph of the source it is from, in that source's language."""
    rows = select(store, """
        SELECT ?g ?lang (COUNT(*) AS ?n) WHERE {
            GRAPH ?g { ?x hx:quote ?q }
            BIND (LANG(?q) AS ?lang)
        } GROUP BY ?g ?lang""")
    langs = {r["g"]: set() for r in rows}
    for r in rows:
        langs[r["g"]].add(r["lang"])
    assert langs == {"s000": {"nl"}, "s001": {"en"}, "s002": {"nl"}, "s003": {"nl"}, "s004": {"nl"}}


def test_every_fact_node_is_derived_from_a_source(store):
    assert not ask(store, """
        ASK {
            ?x a ?cls .
            VALUES ?cls { hx:Organisation hx:Person hx:Place hx:Initiative hx:Post hx:FundingAward
                          hx:Figure hx:LinkEvidence }
            FILTER NOT EXISTS { ?x prov:wasDerivedFrom ?src . ?src a hx:SourceDocument }
        }""")
