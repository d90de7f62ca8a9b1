"""Predeclared prefixes: the endpoint's jobs and the library's query helper know the
project's prefixes; a query's own PREFIX wins; an undefined prefix is named in one line;
a job without predeclared prefixes (as the W3C suite runs) is parsed as before."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from helixgraph.sparql import Job, execute
from helixgraph.sparql.execute import undefined_prefix
from helixgraph.sparql.prefixes import PREDECLARED, compact, query
from helixgraph.vocab.namespace import PREFIXES, QUERY_PREFIXES

HX = PREFIXES["hx"]
UMCG = "https://w3id.org/helixgraph/id/org/umcg"


@pytest.fixture
def store() -> ox.Store:
    s = ox.Store()
    s.add(ox.Quad(ox.NamedNode(UMCG), ox.NamedNode(HX + "ror"), ox.Literal("044jw3g30")))
    return s


def test_the_project_prefixes_are_predeclared() -> None:
    names = dict(PREDECLARED)
    for name in ("hx", "skos", "org", "prov", "rdfs", "rdf", "xsd", "schema", "foaf", "dcterms"):
        assert names[name] == QUERY_PREFIXES[name]
    assert names["hxorg"] + "umcg" == UMCG


def test_a_job_with_predeclared_prefixes_runs_without_prefix_lines(store: ox.Store) -> None:
    job = Job("SELECT ?v WHERE { hxorg:umcg hx:ror ?v }", format="csv", prefixes=PREDECLARED)
    outcome = execute(store, job)
    assert outcome.status == "ok", outcome.message
    assert outcome.body.decode().split() == ["v", "044jw3g30"]


def test_a_query_that_declares_a_prefix_keeps_its_own(store: ox.Store) -> None:
    text = "PREFIX hx: <http://example.org/> ASK { ?s hx:ror ?v }"
    outcome = execute(store, Job(text, format="json", prefixes=PREDECLARED))
    assert outcome.status == "ok" and b"false" in outcome.body


def test_without_predeclared_prefixes_the_query_is_refused_as_before(store: ox.Store) -> None:
    outcome = execute(store, Job("ASK { ?s hx:ror ?v }"))
    assert outcome.status == "syntax"
    assert outcome.message.startswith("query syntax error at line 1")


def test_an_undefined_prefix_is_named_in_one_line(store: ox.Store) -> None:
    text = "SELECT * WHERE {\n  ?s hx:ror ?v ; foo:bar ?w\n}"
    outcome = execute(store, Job(text, prefixes=PREDECLARED))
    assert outcome.status == "syntax"
    assert "undefined prefix foo:" in outcome.message
    assert "line 2, column 18" in outcome.message
    assert "\n" not in outcome.message and len(outcome.message) < 150
    outcome = execute(store, Job("ASK { ?s hx:ror ?v }"))
    assert "undefined prefix hx:" in outcome.message and len(outcome.message) < 150


def test_undefined_prefix_ignores_strings_iris_and_comments() -> None:
    text = 'PREFIX a: <x:> # b:c\nSELECT * { ?s a:p "d:e" , <f:g> ; h:i ?o }'
    assert undefined_prefix(text) == ("h", 2, 35)
    assert undefined_prefix("SELECT * { ?s a:p ?o }", (("a", "x:"),)) is None


def test_the_library_query_helper(store: ox.Store) -> None:
    result = query(store, "SELECT ?v WHERE { hxorg:umcg hx:ror ?v }")
    assert [s["v"].value for s in result] == ["044jw3g30"]
    with pytest.raises(SyntaxError, match="undefined prefix nope:"):
        query(store, "ASK { ?s nope:p ?o }")


@pytest.mark.parametrize(
    ("iri", "short"),
    [
        (UMCG, "hxorg:umcg"),
        (HX + "Organisation", "hx:Organisation"),
        ("http://www.w3.org/2004/02/skos/core#prefLabel", "skos:prefLabel"),
        ("https://w3id.org/helixgraph/graph/source/s000", "hxgraph:s000"),
        ("https://example.org/a/b", "https://example.org/a/b"),
        (HX + "a/b", HX + "a/b"),  # no prefixed name can spell it
    ],
)
def test_compact(iri: str, short: str) -> None:
    assert compact(iri) == short
