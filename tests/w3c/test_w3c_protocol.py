"""The W3C SPARQL 1.1 Protocol tests, run over HTTP against a live server on loopback.

Each test's ``ut:graphData`` is loaded (through the endpoint, with the admin token) before
its requests run; every request carries the admin token, as this server needs it for
updates. ``/sparql/`` in the manifest is replaced by this server's ``/sparql``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDFS

from tests.api.conftest import ADMIN_TOKEN, Server, build_store, start_server, stop_server
from tests.shared_data import SHARED as SHARED_DIR

ROOT = Path(__file__).resolve().parents[2]
SHARED = SHARED_DIR / "data" / "sparql11"
MANIFEST = SHARED / "protocol" / "manifest.ttl"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
EMPTY = Path(__file__).parent / "empty.trig"


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: str | None
    statuses: set[str]
    expected_format: str | None
    expected_boolean: bool | None


@dataclass
class ProtocolTest:
    name: str
    label: str
    graphs: dict[str, Path] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)


def load_tests() -> list[ProtocolTest]:
    g = Graph().parse(MANIFEST, format="turtle", publicID=f"file://{MANIFEST}")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        test = ProtocolTest(str(entry).rsplit("#", 1)[1], str(g.value(entry, MF.name)))
        for data in g.objects(entry, UT.graphData):
            file = Path(str(g.value(data, UT.graph)).removeprefix("file://"))
            test.graphs[str(g.value(data, RDFS.label))] = file
        action = g.value(entry, MF.action)
        for req in Collection(g, g.value(action, HT.requests)):
            headers = {}
            header_list = g.value(req, HT.headers)
            if header_list is not None:
                for header in Collection(g, header_list):
                    headers[str(g.value(header, HT.fieldName))] = str(
                        g.value(header, HT.fieldValue)
                    )
            body = g.value(req, HT.body)
            resp = g.value(req, HT.resp)
            boolean = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            test.requests.append(
                Request(
                    method=str(g.value(req, HT.methodName)),
                    path=str(g.value(req, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
                    headers=headers,
                    body=None if body is None else str(g.value(body, CNT.chars)),
                    statuses={str(s).removeprefix(HTS) for s in g.objects(resp, MF.expectedStatus)},
                    expected_format=None if fmt is None else str(fmt),
                    expected_boolean=None if boolean is None else bool(boolean.toPython()),
                )
            )
        tests.append(test)
    return tests


TESTS = load_tests()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("w3c-protocol")
    server = start_server(
        build_store(root / "store", Path(__file__).parent / "empty.trig"),
        root / "server.log",
        HELIXGRAPH_ADMIN_TOKEN=ADMIN_TOKEN,
        HELIXGRAPH_QUERY_WORKERS="2",
        HELIXGRAPH_CACHE_BYTES="0",
    )
    yield server
    stop_server(server)


def reset(client: httpx.Client, graphs: dict[str, Path]) -> None:
    inserts = " ".join(f"GRAPH <{name}> {{ {file.read_text()} }}" for name, file in graphs.items())
    update = "DROP ALL" + (f" ; INSERT DATA {{ {inserts} }}" if inserts else "")
    r = client.post("/sparql", data={"update": update})
    assert r.status_code == 204, r.text


RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
RDF_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


def check(response: httpx.Response, request: Request) -> None:
    status = f"{response.status_code // 100}xx"
    assert status in request.statuses, f"{response.status_code} {response.text[:300]}"
    media_type = response.headers.get("content-type", "").split(";")[0]
    if request.expected_format in ("boolean", "tabular"):
        assert media_type in RESULT_TYPES, media_type
    if request.expected_format == "RDF":
        assert media_type in RDF_TYPES, media_type
        list(ox.parse(response.content, RDF_TYPES[media_type]))
    if request.expected_boolean is not None:
        if "json" in media_type:
            answer = json.loads(response.content)["boolean"]
        else:
            answer = ox.parse_query_results(response.content, RESULT_TYPES[media_type])
            answer = bool(answer)
        assert answer is request.expected_boolean


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol(live: Server, test: ProtocolTest) -> None:
    with live.client(headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}) as client:
        reset(client, test.graphs)
        for request in test.requests:
            body = request.body
            content = None
            if body is not None:
                charset = request.headers.get("content-type", "").lower()
                content = body.encode("utf-16" if "utf-16" in charset else "utf-8")
            headers = dict(request.headers)
            response = client.request(
                request.method, request.path, content=content, headers=headers
            )
            check(response, request)


def test_suite_is_complete() -> None:
    assert len(TESTS) == 34
