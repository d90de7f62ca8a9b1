"""Answers that are pure functions of the graph version, kept so that a repeated request
costs a lookup: the rendered bodies of recent JSON answers (:class:`ResponseCache`) and
values such as the landing page's counts (:class:`PerVersion`)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


class ResponseCache:
    """The rendered bodies of recent JSON answers, at most ``budget`` bytes, keyed by
    graph version, variant and full URL (links in a body name the URL): a repeated
    request costs a lookup, not a query and a validation."""

    def __init__(self, budget: int = 32 * 1024 * 1024) -> None:
        self.budget = budget
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
        if len(body) > self.budget // 16:
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
