"""Hostile and malformed HTTP input against a live server: parser-crashing nesting,
pathological queries, invalid UTF-8, absurd pagination, huge URLs, path traversal, and
the headers and token handling that keep answers from being misused.

(Timeouts, result and request caps, read-only mode, SERVICE and LOAD are in
``tests/api/test_safety.py``.)
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

from helixgraph.sparql import Service
from tests.api.conftest import ADMIN_TOKEN, Server, build_store, start_server, stop_server

BEARER = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
LISTS = ["/api/organisations", "/api/people", "/api/awards", "/api/sources", "/api/regions"]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A writable server with a 2 s timeout (the admin token is set)."""
    root = tmp_path_factory.mktemp("hostile-http")
    server = start_server(
        build_store(root / "store"),
        root / "server.log",
        HELIXGRAPH_ADMIN_TOKEN=ADMIN_TOKEN,
        HELIXGRAPH_QUERY_TIMEOUT="2",
        HELIXGRAPH_QUERY_WORKERS="2",
    )
    yield server
    stop_server(server)


@pytest.fixture
def client(live: Server) -> Iterator[httpx.Client]:
    with live.client() as c:
        yield c


def healthy(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert r.status_code == 200 and r.json()["boolean"] is True


def raw(server: Server, target: bytes, method: bytes = b"GET") -> tuple[int, bytes]:
    """Send a request line exactly as given (no client-side normalisation of ``..``)."""
    url = urlparse(server.url)
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        sock.sendall(method + b" " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    if not data:
        return 0, b""
    status = int(data.split(b" ", 2)[1])
    return status, data.partition(b"\r\n\r\n")[2]


# ------------------------------------------------------------------- SPARQL input


def test_deep_nesting_is_a_400_not_a_dead_worker(client: httpx.Client) -> None:
    for deep in (
        "SELECT * WHERE " + "{" * 20_000 + " ?s ?p ?o " + "}" * 20_000,
        "ASK { FILTER(" + "(" * 20_000 + "1" + ")" * 20_000 + ") }",
        "SELECT * WHERE { ?s " + "(" * 30_000 + "<http://x/p>" + ")" * 30_000 + " ?o }",
    ):
        r = client.post(
            "/sparql", content=deep, headers={"Content-Type": "application/sparql-query"}
        )
        assert r.status_code == 400, r.text
        assert "levels deep; at most 256" in r.text
    deep_update = "INSERT DATA { GRAPH <http://x/g> " + "{" * 20_000 + "}" * 20_000 + " }"
    r = client.post("/sparql", data={"update": deep_update}, headers=BEARER)
    assert r.status_code == 400 and "levels deep" in r.text
    healthy(client)


@pytest.mark.parametrize(
    "query",
    [
        # unbounded property paths, joined: closure x closure x everything
        "SELECT (COUNT(*) AS ?n) WHERE { ?a (<http://x/p>|!<http://x/p>)* ?b . "
        "?c (<http://x/p>|!<http://x/p>)* ?d . ?e ?f ?g }",
        # a cartesian product hidden in OPTIONALs
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c OPTIONAL { ?d ?e ?f OPTIONAL { ?g ?h ?i "
        "OPTIONAL { ?j ?k ?l OPTIONAL { ?m ?n ?o } } } } }",
        # nesting below the limit is fine
        "SELECT * WHERE " + "{" * 250 + " ?s ?p ?o " + "}" * 250 + " LIMIT 1",
    ],
    ids=["path-closures", "optional-product", "nesting-250"],
)
def test_pathological_queries_end_by_the_timeout(client: httpx.Client, query: str) -> None:
    started = time.monotonic()
    r = client.get("/sparql", params={"query": query})
    assert r.status_code in (200, 504), r.text
    assert time.monotonic() - started < 10  # 2 s timeout, and some slack for a busy machine
    healthy(client)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT",
        "SELECT * WHERE { ?s ?p }",
        "}}}}",
        "\x00\x01",
        "SELECT * { ?s ?p ?o } LIMIT -1",
        "",
    ],
)
def test_malformed_sparql_is_a_400(client: httpx.Client, text: str) -> None:
    r = client.get("/sparql", params={"query": text})
    assert r.status_code == 400, r.text


def test_invalid_utf8_is_a_400(client: httpx.Client, live: Server) -> None:
    r = client.get("/sparql?query=SELECT%20%ff%fe")
    assert r.status_code == 400 and "query string is not valid UTF-8" in r.text
    # a replacement character sent as such (valid UTF-8) is part of the query
    r = client.get("/sparql", params={"query": 'ASK { FILTER("\ufffd" != "") }'})
    assert r.status_code == 200 and json.loads(r.text)["boolean"] is True
    r = client.post(
        "/sparql", content=b"SELECT \xff", headers={"Content-Type": "application/sparql-query"}
    )
    assert r.status_code == 400 and "UTF-8" in r.text
    r = client.post(
        "/sparql",
        content=b"query=ASK%7B%7D%ff",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 400
    status, _ = raw(live, b"/api/organisations/%ff%fe")
    assert status in (404, 422), status
    # query strings are decoded leniently (U+FFFD), so these are ordinary unknown values
    for target in (b"/api/organisations?q=%ff", b"/map/data?region=%ff", b"/map?ego=%ff%fe"):
        status, _ = raw(live, target)
        deadline = time.monotonic() + 60
        while status in (202, 503) and time.monotonic() < deadline:  # the view is computed
            time.sleep(0.2)
            status, _ = raw(live, target)
        assert status in (200, 404, 422), (target, status)
    healthy(client)


# ----------------------------------------------------------------------- JSON API


@pytest.mark.parametrize("path", LISTS)
def test_absurd_pagination_is_a_422(client: httpx.Client, path: str) -> None:
    for params in (
        {"limit": "-1"}, {"limit": "0"}, {"limit": str(10**30)}, {"limit": "201"},
        {"offset": "-1"}, {"offset": str(10**30)}, {"limit": "ten"}, {"offset": "1e3"},
    ):  # fmt: skip
        r = client.get(path, params=params)
        assert r.status_code == 422, (path, params, r.text)
        assert r.headers["content-type"] == "application/problem+json"
    r = client.get(path, params={"limit": "200", "offset": "9999999"})
    assert r.status_code == 200 and r.json()["items"] == []


def test_huge_url_and_headers_are_refused_and_the_server_lives(
    live: Server, client: httpx.Client
) -> None:
    status, _ = raw(live, b"/api/organisations?q=" + b"x" * 200_000)
    assert status == 0 or 400 <= status < 500, status  # refused (or the connection closed)
    r = client.get("/api/organisations", headers={"X-Big": "y" * 100_000})
    assert r.status_code < 500
    healthy(client)


def test_unsupported_accept(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    r = client.get("/api/organisations", headers={"Accept": "image/png;q=x, */*;q=-3"})
    assert r.status_code < 500


# ------------------------------------------------------------------ path traversal

TRAVERSALS = [
    b"/static/../api/settings.py",
    b"/static/../../etc/passwd",
    b"/static/%2e%2e/%2e%2e/etc/passwd",
    b"/static/..%2f..%2fapi%2fsettings.py",
    b"/static/%2e%2e%2fsettings.py",
    b"/static//etc/passwd",
    b"/static/..\\..\\api\\settings.py",
    b"/map/lib/..%2f..%2fapi%2fsettings.py",
    b"/map/lib/../../api/settings.py",
    b"/map/export/..%2f..%2f..%2fetc%2fpasswd",
    b"/map/export/../../../etc/passwd",
    b"/api/organisations/..%2f..%2f..%2fetc%2fpasswd",
    b"/store?graph=file:///etc/passwd",
]


@pytest.mark.parametrize("target", TRAVERSALS, ids=[t.decode() for t in TRAVERSALS])
def test_path_traversal_reaches_no_file(live: Server, target: bytes) -> None:
    status, body = raw(live, target)
    assert status in (400, 404), (status, body[:200])
    for secret in (b"root:", b"HELIXGRAPH_", b"import ", ADMIN_TOKEN.encode()):
        assert secret not in body


def test_static_files_are_still_served(live: Server) -> None:
    status, body = raw(live, b"/static/bundles/query.js")
    assert status == 200 and b"textContent" in body


# ------------------------------------------------------------- headers and tokens


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/query",
        "/sparql?query=ASK%7B%7D",
        "/sparql?query=SELEC",
        "/nowhere",
        "/api/organisations",
    ],
)
def test_every_answer_forbids_content_sniffing(client: httpx.Client, path: str) -> None:
    r = client.get(path)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"


def test_graph_store_writes_need_the_token(client: httpx.Client) -> None:
    body = "<http://x/s> <http://x/p> <http://x/o> ."
    for method in ("PUT", "POST", "DELETE"):
        for headers in (
            {},
            {"Authorization": "Bearer nope"},
            {"Authorization": f"Basic {ADMIN_TOKEN}"},
        ):
            r = client.request(method, "/store", params={"graph": "http://x/g"}, content=body,
                               headers={**headers, "Content-Type": "text/turtle"})  # fmt: skip
            assert r.status_code == 403, (method, headers)
    ask = client.get("/sparql", params={"query": "ASK { GRAPH <http://x/g> { ?s ?p ?o } }"})
    assert ask.json()["boolean"] is False


def test_the_token_appears_in_no_answer(client: httpx.Client, live: Server) -> None:
    for path in ("/", "/query", "/sparql", "/openapi.json", "/docs", "/store?default"):
        assert ADMIN_TOKEN not in client.get(path).text, path
    r = client.post(
        "/sparql",
        data={"update": "CLEAR ALL"},
        headers={"Authorization": "Bearer " + ADMIN_TOKEN[:-1]},
    )
    assert r.status_code == 403 and ADMIN_TOKEN[:-1] not in r.text
    assert ADMIN_TOKEN not in live.log.read_text()


def test_token_is_compared_in_constant_time(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import hmac

    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    service = Service(tmp_path / "unused", admin_token="s3cret")
    assert (
        service.authorised("s3cret")
        and not service.authorised("s3cre")
        and not service.authorised(None)
    )
    assert compared == [(b"s3cret", b"s3cret"), (b"s3cre", b"s3cret")]
    assert not Service(tmp_path / "unused").authorised("anything")  # no token: no writes
