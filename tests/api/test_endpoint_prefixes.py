"""The endpoint predeclares the project's prefixes, lists them in the service
description, and names an undefined prefix in one line."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from helixgraph.vocab.namespace import QUERY_PREFIXES
from tests.api.conftest import Server

SH = Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as live:
        yield live


def test_query_without_prefix_lines_runs(client: httpx.Client) -> None:
    r = client.get(
        "/sparql",
        params={
            "query": "SELECT (COUNT(*) AS ?n) WHERE { ?o a hx:Organisation ; skos:prefLabel ?l }"
        },
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200, r.text
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) > 0


def test_a_query_declaring_a_prefix_keeps_its_own(client: httpx.Client) -> None:
    q = "PREFIX hx: <http://example.org/> ASK { ?o a hx:Organisation }"
    r = client.get(
        "/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"}
    )
    assert r.status_code == 200 and r.json()["boolean"] is False


def test_undefined_prefix_is_one_line_naming_it(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE {\n ?o a hz:Organisation }"})
    assert r.status_code == 400
    text = r.text.strip()
    assert "undefined prefix hz:" in text and "line 2, column 7" in text
    assert "\n" not in text and len(text) < 150


def test_service_description_lists_the_prefixes(client: httpx.Client, server: Server) -> None:
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=r.text, format="turtle")
    declared = {
        str(g.value(d, SH.prefix)): str(g.value(d, SH.namespace))
        for d in g.objects(URIRef(server.sparql), SH.declare)
    }
    assert declared == QUERY_PREFIXES
    assert (None, SH.prefix, Literal("hx")) in g


def test_positions_of_other_errors_are_the_texts_own(client: httpx.Client) -> None:
    """Predeclaring must not move the parser's line and column (on a remote store the
    prefixes go before the text's first line)."""
    text = "SELECT * WHERE { ?s ?p }"
    with pytest.raises(SyntaxError) as parsed:
        ox.Store().query(text)
    line, column = re.match(r"error at (\d+):(\d+)", str(parsed.value)).groups()  # type: ignore[union-attr]
    r = client.get("/sparql", params={"query": text})
    assert r.status_code == 400
    assert f"at line {line}, column {column}:" in r.text
