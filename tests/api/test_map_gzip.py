"""The map's large answers (``/map``, ``/map/embed``, ``/map/data``) are compressed once per
graph version and view and the stored gzip is sent to every client that accepts gzip:
a real uvicorn server over the seed store, raw HTTP (no client-side decoding), and the
server's own log line of each compression counted."""

from __future__ import annotations

import gzip
import http.client
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.api.conftest import Server, start_server, stop_server

PATHS = ("/map", "/map/embed", "/map/data")


@pytest.fixture(scope="module")
def live(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_server(seed_store, tmp_path_factory.mktemp("map-gzip") / "server.log")
    yield server
    stop_server(server)


def get(server: Server, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """A raw GET: the status, the headers (lower-case names) and the body as sent."""
    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
    try:
        conn.request("GET", path, headers=headers)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def complete(server: Server, path: str) -> bytes:
    """The identity body of ``path`` once its view is complete (the seed's centralities are
    computed by the analytics workers on the first request: a few seconds)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status, headers, body = get(server, path, **{"Accept-Encoding": "identity"})
        if status == 200 and "retry-after" not in headers:
            assert "content-encoding" not in headers
            return body
        time.sleep(0.5)
    raise AssertionError(f"{path} was not complete in 120 s")


def compressions(server: Server, what: str) -> int:
    text = server.log.read_text(encoding="utf-8", errors="replace")
    return sum(1 for line in text.splitlines() if f"gzip: compressed {what} " in line)


@pytest.mark.parametrize("path", PATHS)
def test_gzip_clients_get_the_stored_gzip_of_the_identity_answer(live: Server, path: str) -> None:
    identity = complete(live, path)
    what = "map-data" if path == "/map/data" else "map-page"
    before = compressions(live, what)
    with ThreadPoolExecutor(4) as pool:  # several at once: still one compression
        answers = list(pool.map(lambda _: get(live, path, **{"Accept-Encoding": "gzip"}), range(4)))
    status, headers, body = answers[0]
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert "accept-encoding" in headers["vary"].lower()
    assert headers["etag"]
    assert gzip.decompress(body) == identity
    assert all(a[2] == body and a[1]["etag"] == headers["etag"] for a in answers)
    assert compressions(live, what) == before + 1

    again = get(live, path, **{"Accept-Encoding": "gzip, deflate, br"})
    assert again[1]["content-encoding"] == "gzip" and again[2] == body
    assert compressions(live, what) == before + 1  # sent as stored, not compressed again

    plain = get(live, path, **{"Accept-Encoding": "gzip;q=0, identity"})
    assert "content-encoding" not in plain[1] and plain[2] == identity
    assert "accept-encoding" in plain[1]["vary"].lower()

    revalidated = get(live, path, **{"If-None-Match": headers["etag"], "Accept-Encoding": "gzip"})
    assert revalidated[0] == 304 and revalidated[2] == b""
