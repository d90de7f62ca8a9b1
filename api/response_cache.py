"""Answers that are pure functions of the graph version, kept so that a repeated request
costs a lookup: the rendered bodies of recent JSON answers (:class:`ResponseCache`) and
values such as the landing page's counts (:class:`PerVersion`), and the gzip of large
bodies compressed once and served as kept (:class:`Compressed`, :func:`accepts_gzip`)."""

from __future__ import annotations

import gzip
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware, IdentityResponder
from starlette.types import Receive, Scope, Send

T = TypeVar("T")

log = logging.getLogger("uvicorn.error")


class ResponseCache:
    """The rendered bodies of recent JSON answers, at most ``budget`` bytes, keyed by
    graph version, variant and full URL (links in a body name the URL): a repeated
    request costs a lookup, not a query and a validation."""

    def __init__(self, budget: int = 32 * 1024 * 1024, largest: int | None = None) -> None:
        self.budget = budget
        self.largest = budget // 16 if largest is None else largest  # a larger body is not kept
        self.used = 0
        self.entries: OrderedDict[tuple[str, str, str], tuple[bytes, str]] = OrderedDict()
        self.lock = threading.Lock()
        self.flights: dict[tuple[str, str, str], tuple[threading.Lock, list[int]]] = {}

    @contextmanager
    def flight(self, key: tuple[str, str, str]) -> Iterator[None]:
        """Held while the answer of ``key`` is rendered: requests for the same answer
        that come meanwhile wait for it (then find it kept) instead of rendering it too."""
        with self.lock:
            lock, waiting = self.flights.setdefault(key, (threading.Lock(), [0]))
            waiting[0] += 1
        try:
            with lock:
                yield
        finally:
            with self.lock:
                waiting[0] -= 1
                if not waiting[0]:
                    self.flights.pop(key, None)

    def get(self, key: tuple[str, str, str]) -> tuple[bytes, str] | None:
        with self.lock:
            hit = self.entries.get(key)
            if hit is not None:
                self.entries.move_to_end(key)
            return hit

    def put(self, key: tuple[str, str, str], body: bytes, media_type: str) -> None:
        if len(body) > self.largest:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            self.used += len(body) - (len(old[0]) if old else 0)
            self.entries[key] = (body, media_type)
            while self.used > self.budget:
                _, (dropped, _) = self.entries.popitem(last=False)
                self.used -= len(dropped)


class PerVersion:
    """Values that are pure functions of the graph version (the landing page's counts):
    each computed once per version and name, however many requests ask at the same time
    (the others wait for the one computing it), for the last ``keep`` versions."""

    def __init__(self, keep: int = 2) -> None:
        self.keep = keep
        self.values: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self.computed = 0  # how many values were computed (not looked up)
        self.lock = threading.Lock()
        self.flights: dict[tuple[str, str], threading.Lock] = {}

    def get(self, version: str, name: str, compute: Callable[[], T]) -> T:
        with self.lock:
            found = self.values.get(version, {})
            if name in found:
                value: T = found[name]
                return value
            flight = self.flights.setdefault((version, name), threading.Lock())
        with flight:  # one computation; those who asked meanwhile find its value
            with self.lock:
                found = self.values.get(version, {})
                if name in found:
                    value = found[name]
                    return value
            value = compute()
            with self.lock:
                self.computed += 1
                self.values.setdefault(version, {})[name] = value
                self.values.move_to_end(version)
                while len(self.values) > self.keep:
                    old, _ = self.values.popitem(last=False)
                    for k in [k for k in self.flights if k[0] == old]:
                        del self.flights[k]
                self.flights.pop((version, name), None)
            return value


def accepts_gzip(header: str) -> bool:
    """Whether an ``Accept-Encoding`` header accepts gzip (``gzip``, ``x-gzip`` or ``*``
    with a quality above 0; RFC 9110, section 12.5.3)."""
    quality: dict[str, float] = {}
    for item in header.lower().split(","):
        name, _, params = item.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if name:
            quality[name.strip()] = q
    for name in ("gzip", "x-gzip"):
        if name in quality:
            return quality[name] > 0
    return quality.get("*", 0.0) > 0


class Compressed:
    """The gzip of large bodies that are pure functions of the graph version and the
    request (a map page, a map's data), compressed once per key and kept (at most
    ``budget`` bytes): a repeated request sends the kept bytes instead of compressing
    several MB again (gzip was 42 % of the web process's CPU under load with
    ``GZipMiddleware`` doing it per request). ``compressions`` counts the bodies
    compressed; each is logged, so a test or an operator can see that a repeat did not."""

    def __init__(self, budget: int = 32 * 1024 * 1024, level: int = 6) -> None:
        self.kept = ResponseCache(budget, largest=budget // 4)
        self.level = level
        self.compressions = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str, str], body: bytes, media_type: str) -> bytes:
        """The gzip of ``body`` (the answer of ``key``): kept, or compressed now, once
        however many requests ask at the same time."""
        hit = self.kept.get(key)
        if hit is not None:
            return hit[0]
        with self.kept.flight(key):
            hit = self.kept.get(key)
            if hit is not None:
                return hit[0]
            packed = gzip.compress(body, compresslevel=self.level, mtime=0)
            self.kept.put(key, packed, media_type)
            with self._lock:
                self.compressions += 1
            log.info(
                "gzip: compressed %s %s once (%d -> %d bytes)",
                key[1],
                key[2],
                len(body),
                len(packed),
            )
            return packed


class NegotiatedGZip(GZipMiddleware):
    """Starlette's ``GZipMiddleware`` for clients that accept gzip per :func:`accepts_gzip`
    (it compresses whenever the header names gzip, ``gzip;q=0`` included); an answer that
    has a ``Content-Encoding`` already (:class:`Compressed`) it leaves as it is."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not accepts_gzip(
            Headers(scope=scope).get("accept-encoding", "")
        ):
            identity = IdentityResponder(
                self.app, self.minimum_size, exclude_content_types=self.exclude_content_types
            )
            await identity(scope, receive, send)
            return
        await super().__call__(scope, receive, send)
