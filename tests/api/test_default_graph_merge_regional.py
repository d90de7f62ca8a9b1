"""The default graph is the RDF merge on the regional store too (issue 25): seed + the
regional extracts, where ROR, CORDIS and the seed state the same types, names and links.

The independent evaluation: the store's named graphs exported as N-Quads and loaded once
into a separate in-memory Oxigraph store *as triples of its default graph* (a set: each
distinct triple once, whatever the sources). The endpoint answers the same queries from
its materialised merge. The corpus is every example of the query page, the competency
questions (``ontology/competency-questions.json``) and queries
generated from what the graph uses: for each class a count, and for each property a
count, a GROUP BY, an OPTIONAL and a property path. A disagreement names the query and
its first differing rows. Runs embedded and, with ``HELIXGRAPH_TEST_STORE=remote``, on
``oxigraph serve``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest

from helixgraph import store as hstore
from helixgraph.vocab.namespace import QUERY_PREFIXES
from tests.api.conftest import ROOT, Server, start_server, stop_server
from tests.api.test_default_graph_merge import (
    COMPETENCY,
    COUNT_ORGS,
    DISTINCT_ORGS,
    UMCG,
    endpoint_rows,
)

EXAMPLES = json.loads((ROOT / "api" / "static" / "examples.json").read_text(encoding="utf-8"))
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

Row = tuple[Any, ...]


@pytest.fixture(scope="module")
def server(regional_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    live = start_server(regional_store, tmp_path_factory.mktemp("merge-reg") / "server.log")
    yield live
    stop_server(live)


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with server.client() as live:
        yield live


@pytest.fixture(scope="module")
def reference(regional_store: Path) -> ox.Store:
    """A second store with the same named graphs, whose default graph holds every named
    graph's triples, once."""
    st = hstore.open_store(regional_store)
    named = [
        q
        for q in st.quads_for_pattern(None, None, None, None)
        if not isinstance(q.graph_name, ox.DefaultGraph)
    ]
    ref = ox.Store()
    ref.bulk_extend(named)  # GRAPH ?g answers per source, as the endpoint's
    ref.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in named)
    merged = len(ref) - len(named)
    assert merged < len(named)  # sources overlap, so the set is smaller than the statements
    return ref


def _term(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return "_:"
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype.endswith(("#integer", "#decimal", "#double", "#float")):
            return ("number", float(term.value))
        return ("literal", term.value, term.language, None if term.language else datatype)
    return ("iri", term.value)


def _json_term(value: Any) -> Any:
    """Endpoint rows (tests.api.test_default_graph_merge keys) in the same shape as _term."""
    if value is None or value == "_:":
        return value
    if value[0] == "number":
        return ("number", float(value[1]))
    if value[0] == "literal":
        _, text, lang, datatype = value
        return ("literal", text, lang, None if lang else datatype or XSD_STRING)
    return value


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def reference_rows(ref: ox.Store, query: str) -> Counter[Row]:
    solutions = ref.query(query, prefixes=QUERY_PREFIXES)  # the endpoint's predeclared ones
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    rows = (tuple(_term(s[n]) for n in names) for s in solutions)
    if "GROUP_CONCAT" in query.upper():  # the order of the items is open: compare them sorted
        rows = (tuple(_sorted_items(v) for v in row) for row in rows)
    return Counter(rows)


def _sorted_items(value: Any) -> Any:
    if isinstance(value, tuple) and value[0] == "literal" and ", " in value[1]:
        return ("literal", ", ".join(sorted(value[1].split(", "))), *value[2:])
    return value


def got_rows(client: httpx.Client, query: str) -> Counter[Row]:
    return Counter(tuple(_json_term(v) for v in row) for row in endpoint_rows(client, query))


def _differences(got: Counter[Row], want: Counter[Row]) -> str:
    return (
        f"endpoint only: {list((got - want).elements())[:3]}; "
        f"reference only: {list((want - got).elements())[:3]}"
    )


def generated(ref: ox.Store) -> list[str]:
    """A count per class in use; a count, a GROUP BY, an OPTIONAL and a path per property."""
    classes = [s["c"].value for s in ref.query(f"SELECT DISTINCT ?c {{ ?s <{RDF_TYPE}> ?c }}")]
    props = [s["p"].value for s in ref.query("SELECT DISTINCT ?p { ?s ?p ?o }")]
    queries = [f"SELECT (COUNT(?s) AS ?n) WHERE {{ ?s a <{c}> }}" for c in classes]
    for p in props:
        queries += [
            f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{p}> ?o }}",
            f"SELECT ?t (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{p}> ?o OPTIONAL {{ ?s a ?t }} }} "
            "GROUP BY ?t",
            f"SELECT (COUNT(*) AS ?n) (COUNT(?l) AS ?labelled) WHERE {{ ?s <{p}> ?o "
            f"OPTIONAL {{ ?o <{LABEL}> ?l }} }}",
            f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{p}>/a ?t }}",
        ]
    return queries


def test_a_count_counts_each_organisation_once(client: httpx.Client, reference: ox.Store) -> None:
    (distinct,) = got_rows(client, DISTINCT_ORGS)
    assert distinct[0][1] > 4000  # thousands of organisations: the regional store
    assert got_rows(client, COUNT_ORGS) == Counter([distinct])
    assert reference_rows(reference, COUNT_ORGS) == Counter([distinct])


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["title"] for e in EXAMPLES])
def test_every_example_agrees_with_the_reference(
    client: httpx.Client, reference: ox.Store, example: dict[str, str]
) -> None:
    query = example["query"]
    if query.lstrip().upper().startswith(("DESCRIBE", "CONSTRUCT")):
        r = client.post(
            "/sparql", data={"query": query}, headers={"Accept": "application/n-triples"}
        )
        assert r.status_code == 200, r.text
        lines = [line for line in r.text.splitlines() if line.strip()]
        assert lines and len(lines) == len(set(lines)), f"{example['title']}: a repeated triple"
        return
    got, want = got_rows(client, query), reference_rows(reference, query)
    assert want, f"{example['title']}: no rows on the regional store"
    if "LIMIT" in query.upper():  # some of the full answer: as many rows, none foreign
        assert sum(got.values()) == sum(want.values()), example["title"]
        return
    assert got == want, f"{example['title']}: {_differences(got, want)}"


@pytest.mark.parametrize("cq", COMPETENCY, ids=[q["id"] for q in COMPETENCY])
def test_every_competency_question_agrees_with_the_reference(
    client: httpx.Client, reference: ox.Store, cq: dict[str, str]
) -> None:
    got, want = got_rows(client, cq["query"]), reference_rows(reference, cq["query"])
    assert want, f"{cq['id']}: no answer on the regional store"
    assert got == want, f"{cq['id']}: {_differences(got, want)}"


def test_queries_generated_from_the_graph_agree_with_the_reference(
    client: httpx.Client, reference: ox.Store
) -> None:
    queries = generated(reference)
    assert len(queries) > 100
    disagree = []
    for query in queries:
        got, want = got_rows(client, query), reference_rows(reference, query)
        if got != want:
            disagree.append(f"{query}\n  {_differences(got, want)}")
    assert not disagree, f"{len(disagree)} of {len(queries)} disagree:\n" + "\n".join(disagree[:5])


def test_describe_of_a_hub_repeats_no_triple(client: httpx.Client, reference: ox.Store) -> None:
    r = client.post(
        "/sparql", data={"query": f"DESCRIBE <{UMCG}>"}, headers={"Accept": "application/n-triples"}
    )
    assert r.status_code == 200, r.text
    lines = [line for line in r.text.splitlines() if line.strip()]
    want = list(reference.quads_for_pattern(ox.NamedNode(UMCG), None, None, ox.DefaultGraph()))
    assert len(lines) == len(set(lines)) == len(want)
    # UMCG is joined to its registries by the imports: ROR and PIC on one node
    assert "03cv38k47" in r.text and "999914801" in r.text
