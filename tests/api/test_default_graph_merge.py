"""The default graph is the RDF merge of the source graphs (issue 25), over HTTP and the CLI.

On the seed store a triple stated by several sources counts once: the count of
organisations is the number of distinct organisations, DESCRIBE repeats no triple, and
every example of the query page gives the rows an independent evaluation gives: the
store's named graphs exported as N-Quads and loaded once into rdflib's own SPARQL engine
(a second implementation), whose default graph is the set-merge of those graphs. Rows
are compared as multisets; a disagreement names the example and the first differing rows.
Runs on the embedded store and, with ``HELIXGRAPH_TEST_STORE=remote``, on ``oxigraph serve``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from typer.testing import CliRunner

from helixgraph import store as hstore
from helixgraph.cli.main import app
from helixgraph.vocab.namespace import QUERY_PREFIXES
from tests.api.conftest import ROOT, Server, start_server, stop_server

EXAMPLES = json.loads((ROOT / "api" / "static" / "examples.json").read_text(encoding="utf-8"))
# the questions the graph is for (ontology/competency-questions.json)
COMPETENCY = json.loads(
    (ROOT / "ontology" / "competency-questions.json").read_text(encoding="utf-8")
)
HX = "https://w3id.org/helixgraph/ontology#"
UMCG = "https://w3id.org/helixgraph/id/org/umcg"
COUNT_ORGS = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?o a <{HX}Organisation> }}"
DISTINCT_ORGS = (
    f"SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{ GRAPH ?g {{ ?o a <{HX}Organisation> }} }}"
)
NUMERIC = {str(XSD.integer), str(XSD.decimal), str(XSD.double), str(XSD.float)}
_LIMIT = re.compile(r"\bLIMIT\s+(\d+)\s*$", re.IGNORECASE)

Row = tuple[Any, ...]


@pytest.fixture(scope="module")
def seed_server(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    live = start_server(seed_store, tmp_path_factory.mktemp("merge") / "server.log")
    yield live
    stop_server(live)


@pytest.fixture(scope="module")
def client(seed_server: Server) -> Iterator[httpx.Client]:
    with seed_server.client() as live:
        yield live


@pytest.fixture(scope="module")
def reference(seed_store: Path) -> Dataset:
    """The store's named graphs, exported as N-Quads, in rdflib; its default graph holds
    the set-merge of them."""
    st = hstore.open_store(seed_store)
    named = (
        q
        for q in st.quads_for_pattern(None, None, None, None)
        if not isinstance(q.graph_name, ox.DefaultGraph)
    )
    data = ox.serialize(named, format=ox.RdfFormat.N_QUADS)
    assert data
    ds = Dataset()
    ds.parse(data=data, format="nquads")
    for g in list(ds.graphs()):
        if g.identifier != ds.default_graph.identifier:
            for t in g:
                ds.default_graph.add(t)
    return ds


def _key(term: Any, *, concat: bool) -> Any:
    """A comparable value for an rdflib term: blank nodes alike, numbers by value, the
    items of a GROUP_CONCAT (whose order SPARQL leaves open) sorted."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return "_:"
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype else None
        if datatype in NUMERIC:
            return ("number", Decimal(str(term.toPython())))
        text = str(term)
        if concat and ", " in text:
            text = ", ".join(sorted(text.split(", ")))
        return ("literal", text, term.language, datatype)
    return ("iri", str(term))


def _from_json(binding: dict[str, str] | None) -> Any:
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    return Literal(value, datatype=URIRef(datatype) if datatype else None)


def endpoint_rows(client: httpx.Client, query: str) -> list[Row]:
    r = client.post(
        "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert r.status_code == 200, r.text
    doc = r.json()
    concat = "GROUP_CONCAT" in query.upper()
    names = doc["head"]["vars"]
    return [
        tuple(_key(_from_json(b.get(n)), concat=concat) for n in names)
        for b in doc["results"]["bindings"]
    ]


def reference_rows(ds: Dataset, query: str) -> list[Row]:
    concat = "GROUP_CONCAT" in query.upper()
    # the endpoint predeclares the project's prefixes; rdflib is given them
    rows = ds.query(query, initNs=QUERY_PREFIXES)
    return [tuple(_key(t, concat=concat) for t in row) for row in rows]  # type: ignore[union-attr]


def _first_differences(got: Counter[Row], want: Counter[Row]) -> str:
    extra = list((got - want).elements())[:3]
    missing = list((want - got).elements())[:3]
    return f"endpoint only: {extra}; reference only: {missing}"


def nt_lines(body: bytes) -> list[str]:
    return [line for line in body.decode().splitlines() if line.strip()]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["title"] for e in EXAMPLES])
def test_every_example_agrees_with_rdflib(
    client: httpx.Client, reference: Dataset, example: dict[str, str]
) -> None:
    query = example["query"]
    if query.lstrip().upper().startswith("DESCRIBE"):
        r = client.post(
            "/sparql", data={"query": query}, headers={"Accept": "application/n-triples"}
        )
        assert r.status_code == 200, r.text
        lines = nt_lines(r.content)
        assert len(lines) == len(set(lines)), "DESCRIBE repeated a triple"
        got = {tuple(_key(t, concat=False) for t in triple)
               for triple in Graph().parse(data=r.content, format="nt")}  # fmt: skip
        # DESCRIBE of an IRI in Oxigraph: its triples (rdflib adds reifications, CBD)
        (iri,) = re.findall(r"<([^>]+)>", query)
        described = URIRef(iri)
        want = {
            tuple(_key(t, concat=False) for t in (described, p, o))
            for p, o in reference.default_graph.predicate_objects(described)
        }
        assert got == want, example["title"]
        return
    got = Counter(endpoint_rows(client, query))
    limit = _LIMIT.search(query)
    if limit:  # the endpoint's rows are some of the full answer, as many as the limit allows
        full = Counter(reference_rows(reference, query[: limit.start()]))
        assert not got - full, f"{example['title']}: {_first_differences(got, full)}"
        assert sum(got.values()) == min(int(limit[1]), sum(full.values())), example["title"]
        return
    want = Counter(reference_rows(reference, query))
    assert got, f"{example['title']}: no rows"
    assert got == want, f"{example['title']}: {_first_differences(got, want)}"


@pytest.mark.parametrize("cq", COMPETENCY, ids=[q["id"] for q in COMPETENCY])
def test_every_competency_question_agrees_with_rdflib(
    client: httpx.Client, reference: Dataset, cq: dict[str, str]
) -> None:
    """On the seed (no CORDIS data) some questions have no answer: equal, even if empty."""
    got = Counter(endpoint_rows(client, cq["query"]))
    want = Counter(reference_rows(reference, cq["query"]))
    assert got == want, f"{cq['id']}: {_first_differences(got, want)}"


def _n(client: httpx.Client, query: str) -> int:
    (row,) = endpoint_rows(client, query)
    return int(row[0][1])


def test_a_count_counts_each_organisation_once(client: httpx.Client) -> None:
    distinct = _n(client, DISTINCT_ORGS)
    assert distinct == 38  # the seed's organisations
    assert _n(client, COUNT_ORGS) == distinct


def test_graph_keeps_answering_per_source(client: httpx.Client) -> None:
    """GRAPH ?g ranges over the named graphs only, not over the merged default graph."""
    per_graph = endpoint_rows(
        client, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?o a <{HX}Organisation> }} }}"
    )
    assert per_graph and all(
        g[0][1].startswith("https://w3id.org/helixgraph/graph/") for g in per_graph
    )
    stated = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?o a <{HX}Organisation> }} }}"
    assert _n(client, stated) > _n(client, COUNT_ORGS)  # sources overlap: provenance kept


@pytest.mark.parametrize("fmt", ["application/n-triples", "text/turtle", "application/ld+json"])
def test_describe_and_construct_repeat_no_triple(client: httpx.Client, fmt: str) -> None:
    queries = [
        f"DESCRIBE <{UMCG}>",
        f"CONSTRUCT {{ <{UMCG}> ?p ?o }} WHERE {{ GRAPH ?g {{ <{UMCG}> ?p ?o }} }}",
        # a dataset of several graphs: the protocol's own union still gives a set
        f"DESCRIBE <{UMCG}> FROM <https://w3id.org/helixgraph/graph/source/s000> "
        "FROM <https://w3id.org/helixgraph/graph/source/s001>",
    ]
    for query in queries:
        r = client.post("/sparql", data={"query": query}, headers={"Accept": fmt})
        assert r.status_code == 200, r.text
        if fmt == "application/n-triples":
            lines = nt_lines(r.content)
            assert lines and len(lines) == len(set(lines)), query
        else:
            g = Graph().parse(data=r.content, format="turtle" if "turtle" in fmt else "json-ld")
            assert len(g) > 0
    nt = client.post(
        "/sparql", data={"query": f"DESCRIBE <{UMCG}>"}, headers={"Accept": "application/n-triples"}
    )
    distinct = endpoint_rows(
        client, f"SELECT DISTINCT ?p ?o WHERE {{ GRAPH ?g {{ <{UMCG}> ?p ?o }} }}"
    )
    assert len(nt_lines(nt.content)) == len(distinct)  # each distinct statement once


def test_the_graph_store_default_graph_is_the_merge(client: httpx.Client) -> None:
    r = client.get("/store?default", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200, r.text
    lines = nt_lines(r.content)
    assert len(lines) == len(set(lines))
    distinct = _n(
        client,
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }",
    )
    assert len(lines) == distinct


def test_helixgraph_query_counts_each_organisation_once(seed_store: Path) -> None:
    result = CliRunner().invoke(
        app, ["query", COUNT_ORGS, "--format", "json", "--store", str(seed_store)]
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["results"]["bindings"][0]["n"]["value"] == "38"
    describe = CliRunner().invoke(
        app, ["query", f"DESCRIBE <{UMCG}>", "--format", "nt", "--store", str(seed_store)]
    )
    assert describe.exit_code == 0, describe.stderr
    lines = nt_lines(describe.stdout.encode())
    assert lines and len(lines) == len(set(lines))
