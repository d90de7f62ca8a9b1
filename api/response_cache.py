"""The rendered bodies of recent JSON answers, so a repeated request costs a lookup."""

from __future__ import annotations

import threading
from collections import OrderedDict


class ResponseCache:
    """The rendered bodies of recent JSON answers, at most ``budget`` bytes, keyed by
    graph version, variant and full URL (links in a body name the URL): a repeated
    request costs a lookup, not a query and a validation."""

    def __init__(self, budget: int = 32 * 1024 * 1024) -> None:
        self.budget = budget
        self.used = 0
        self.entries: OrderedDict[tuple[str, str, str], tuple[bytes, str]] = OrderedDict()
        self.lock = threading.Lock()

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
