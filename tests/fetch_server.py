"""A real HTTP server on loopback for the ``fetch`` tests: it serves ``root/<host>/<path>``
(the layout ``$HELIXGRAPH_FETCH_BASE`` maps official URLs to) with byte ranges, and can be
told to fail a path (any status), cut a response short after some bytes, or ignore
``Range``. Every request is logged as ``(path, Range header or "" or "HEAD")``; files carry an
``ETag`` and ``Last-Modified``.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


@dataclass
class Behaviour:
    root: Path
    status: dict[str, int] = field(default_factory=dict)  # path → HTTP status to answer
    cut: dict[str, int] = field(default_factory=dict)  # path → bytes sent before closing
    ignore_range: bool = False
    log: list[tuple[str, str]] = field(default_factory=list)
    agents: list[str] = field(default_factory=list)  # each request's User-Agent


class Handler(BaseHTTPRequestHandler):
    server: FetchServer

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's name)
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:  # noqa: N802
        b = self.server.behaviour
        path = self.path.split("?", 1)[0]
        rng = self.headers.get("Range", "")
        b.log.append((path, "HEAD" if head else rng))
        b.agents.append(self.headers.get("User-Agent", ""))
        if path in b.status:
            body = b"failure for the test\n"
            self.send_response(b.status[path])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        file = (b.root / path.lstrip("/")).resolve()
        if not file.is_file() or b.root.resolve() not in file.parents:
            self.send_error(404)
            return
        data = file.read_bytes()
        start = 0
        m = re.fullmatch(r"bytes=(\d+)-", rng)
        if m and not b.ignore_range:
            start = int(m.group(1))
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(len(data) - start))
        self.send_header("ETag", '"' + hashlib.sha1(data).hexdigest() + '"')
        self.send_header("Last-Modified", formatdate(file.stat().st_mtime, usegmt=True))
        self.end_headers()
        if head:
            return
        body = data[start:]
        if path in b.cut:
            self.wfile.write(body[: b.cut.pop(path)])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


class FetchServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, behaviour: Behaviour):
        super().__init__(("127.0.0.1", 0), Handler)
        self.behaviour = behaviour

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def serving(root: Path) -> Iterator[FetchServer]:
    server = FetchServer(Behaviour(root))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def web(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FetchServer]:
    """A loopback server standing in for every download URL, and a private downloads folder."""
    from helixgraph.ingest import fetch

    root = tmp_path / "web"
    root.mkdir()
    with serving(root) as server:
        monkeypatch.setenv(fetch.ENV_BASE, server.base)
        monkeypatch.setenv(fetch.ENV_DOWNLOADS, str(tmp_path / "downloads"))
        yield server
