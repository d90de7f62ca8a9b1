"""The result cache: an LRU bounded in bytes, keyed by the store's build and generation."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from helixgraph.sparql.execute import Outcome


@dataclass
class Cache:
    budget: int
    entries: OrderedDict[tuple[Any, ...], Outcome] = field(default_factory=OrderedDict)
    size: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: tuple[Any, ...]) -> Outcome | None:
        with self.lock:
            hit = self.entries.get(key)
            if hit is not None:
                self.entries.move_to_end(key)
            return hit

    def put(self, key: tuple[Any, ...], outcome: Outcome) -> None:
        if len(outcome.body) > self.budget // 4:
            return
        with self.lock:
            self.entries[key] = outcome
            self.size += len(outcome.body)
            while self.size > self.budget:
                _, old = self.entries.popitem(last=False)
                self.size -= len(old.body)
