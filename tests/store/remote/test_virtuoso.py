"""What the remote layer does for Virtuoso (``HELIXGRAPH_SPARQL_ENGINE=virtuoso``).

The first tests need no server (what is sent, how answers are read); the others run on a
real Virtuoso 7.2 in the Virtuoso pass (``HELIXGRAPH_TEST_STORE=virtuoso``, see
tests/virtuoso_server.py) and are skipped, saying so, in the other passes.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from helixgraph import store as hstore
from helixgraph.store.remote import RemoteConfig, RemoteError, RemoteStore, virtuoso
from tests.remote_store import virtuoso_mode
from tests.virtuoso_server import VirtuosoServer, start_virtuoso

EX = "http://example.org/"
A, P = ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p")
on_virtuoso = pytest.mark.skipif(
    not virtuoso_mode(), reason="needs Virtuoso: runs in the pass HELIXGRAPH_TEST_STORE=virtuoso"
)


def test_json_results_get_standard_blank_nodes() -> None:
    raw = {
        "head": {"vars": ["s", "o"]},
        "results": {"bindings": [{
            "s": {"type": "bnode", "value": "nodeID://b10000"},
            "o": {"type": "literal", "xml:lang": "en-gb", "value": "x"},
        }]},
    }  # fmt: skip
    fixed = virtuoso.fix_json(json.dumps(raw).encode())
    rows = list(ox.parse_query_results(fixed, format=ox.QueryResultsFormat.JSON))
    assert rows[0]["s"] == ox.BlankNode("b10000")
    assert rows[0]["o"] == ox.Literal("x", language="en-gb")


def test_virtuosos_ntriples_are_rewritten_as_pyoxigraph_writes_them() -> None:
    with tempfile.TemporaryFile() as file:
        file.write(b'<http://e/a>\t<http://e/p>\t"\\u00C4 \\"q\\""@en-gb .\n')
        virtuoso.canonical_ntriples(file)
        assert file.read() == '<http://e/a> <http://e/p> "Ä \\"q\\""@en-gb .\n'.encode()


def test_updates_name_the_default_graph_unless_they_cannot() -> None:
    assert virtuoso.update_dataset("INSERT DATA { <a> <b> <c> }", using=False) == {
        "using-graph-uri": [virtuoso.DEFAULT_GRAPH]
    }
    assert (
        virtuoso.update_dataset("WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", using=True) == {}
    )
    subquery = (
        "DELETE { GRAPH <g> { ?s ?p ?o } } WHERE { SELECT * WHERE { GRAPH <g> { ?s ?p ?o } } "
        "LIMIT 1 }"
    )
    assert virtuoso.update_dataset(subquery, using=False) == {}


def test_queries_get_the_default_graph_and_the_named_graphs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(virtuoso, "GRAPHS_TTL", 60.0)
    listed: list[int] = []

    def graphs() -> list[str]:
        listed.append(1)
        return [EX + "g1", virtuoso.DEFAULT_GRAPH]

    key = object()
    plain = virtuoso.dataset(key, graphs, "SELECT * WHERE { ?s ?p ?o }", False, False)
    assert plain == {"default-graph-uri": [virtuoso.DEFAULT_GRAPH]} and not listed
    named = virtuoso.dataset(key, graphs, "SELECT * { GRAPH ?g { ?s ?p ?o } }", False, False)
    assert named["named-graph-uri"] == [EX + "g1"]  # never the merge's own graph
    virtuoso.dataset(key, graphs, "SELECT * { GRAPH ?g { ?s ?p ?o } }", False, False)
    assert len(listed) == 1  # the list is reused ...
    virtuoso.forget(key)
    virtuoso.dataset(key, graphs, "SELECT * { GRAPH ?g { ?s ?p ?o } }", False, False)
    assert len(listed) == 2  # ... until a write
    assert virtuoso.dataset(key, graphs, "SELECT * FROM <x> { ?s ?p ?o }", True, False) == {}


def test_engine_setting_is_checked_and_kept(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="HELIXGRAPH_SPARQL_ENGINE='fuseki'"):
        RemoteConfig("http://x/sparql", engine="fuseki")
    config = RemoteConfig.from_env({"HELIXGRAPH_SPARQL_QUERY_URL": "http://x/sparql",
                                    "HELIXGRAPH_SPARQL_ENGINE": "Virtuoso"})  # fmt: skip
    assert config is not None and config.virtuoso
    assert RemoteConfig.from_file(config.write(tmp_path / "store")).virtuoso


def test_a_partial_answer_at_the_servers_time_limit_is_an_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {"head": {"vars": ["n"]}, "results": {"bindings": []}}
        headers = {"content-type": "application/sparql-results+json", "X-SQL-State": "S1TAT"}
        return httpx.Response(200, json=body, headers=headers)

    config = RemoteConfig("http://sparql.example/sparql", engine="virtuoso")
    st = RemoteStore(config, httpx.Client(transport=httpx.MockTransport(handler)))
    with pytest.raises(RemoteError, match="MaxQueryExecutionTime"):
        st.query("SELECT ?n WHERE { ?s ?p ?n }")


@pytest.fixture
def live() -> VirtuosoServer:
    from tests.virtuoso_server import shared_virtuoso

    return shared_virtuoso()


@on_virtuoso
def test_system_graphs_are_untouched_and_unseen(live: VirtuosoServer, tmp_path: Path) -> None:
    path = live.config.write(tmp_path / "store")
    for _ in range(2):  # the second build drops the first's graphs it no longer has
        with hstore.replacing(path) as st:
            st.add(ox.Quad(A, P, ox.Literal("x", language="en-GB"), ox.NamedNode(EX + "g")))
    st = hstore.open_store(path)
    assert [g.value for g in st.named_graphs()] == [EX + "g"]
    raw = httpx.post(
        live.url + "/sparql",
        data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"},
    ).json()
    held = {r["g"]["value"] for r in raw["results"]["bindings"]}
    assert set(virtuoso.SYSTEM_GRAPHS) <= held  # still there
    # a query without a dataset reads helixgraph's default graph (the merge), only
    assert [str(r[0]) for r in st.query("SELECT ?o WHERE { ?s ?p ?o }")] == ['"x"@en-gb']
    rows = st.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert [(r[0].value, r[1].value) for r in rows] == [(EX + "g", "1")]


@on_virtuoso
def test_the_servers_own_time_limit_is_an_error(tmp_path: Path) -> None:
    server = start_virtuoso(tmp_path / "virtuoso", query_seconds=1)
    try:
        st = RemoteStore(server.config)
        nodes = [ox.Triple(ox.NamedNode(f"{EX}n{i}"), P, A) for i in range(400)]
        st.put_graph(ox.NamedNode(EX + "g"), nodes)
        slow = (
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a ?p ?x } GRAPH ?g { ?b ?p ?y } "
            "GRAPH ?g { ?c ?p ?z } FILTER(STR(?a) < STR(?b)) }"
        )
        with pytest.raises(RemoteError, match="own time limit"):
            st.query(slow)
    finally:
        server.stop()
