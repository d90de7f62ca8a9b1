"""Map payloads prepared off the request path and kept: a view is built once per graph
version and options, in a background thread, and every later request serves it as is.

Building the display graph of a whole region (~5,000 organisations, ~100,000 ties with
their evidence) takes seconds, so :meth:`PreparedViews.prepare` starts it and returns
``None`` until it is there (the page says so and reloads itself); the JSON text and its
gzip are kept with the data, so a repeated request costs a dictionary look-up. A build
that fails keeps its exception, re-raised to every request (the request that caused it
answers the error; a new graph version or other options start afresh).
"""

from __future__ import annotations

import gzip
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("helixgraph.maps")


@dataclass(frozen=True)
class Prepared:
    """One view's payload as data, as JSON text safe inside ``<script>``, and gzipped."""

    data: dict[str, Any]
    text: str
    gzipped: bytes

    @classmethod
    def of(cls, data: dict[str, Any]) -> Prepared:
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        # inside <script type="application/json">: no "</script" and no markup
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return cls(data, text, gzip.compress(text.encode("utf-8"), compresslevel=6))


class PreparedViews:
    """The last ``items`` prepared views, by key, built by at most ``builders`` threads."""

    def __init__(self, items: int = 24, builders: int = 1):
        self.items = items
        self._done: OrderedDict[Hashable, Prepared | Exception] = OrderedDict()
        self._building: set[Hashable] = set()
        self._lock = threading.Lock()
        self._builders = threading.BoundedSemaphore(builders)
        self.seconds = 2.0  # how long the last build took

    def prepare(self, key: Hashable, build: Callable[[], dict[str, Any]]) -> Prepared | None:
        """The prepared view of ``key``; else start ``build`` in the background (once,
        however many ask) and return ``None``. Re-raises the exception a build raised."""
        with self._lock:
            if key in self._done:
                self._done.move_to_end(key)
                found = self._done[key]
                if isinstance(found, Exception):
                    raise found
                return found
            if key in self._building:
                return None
            self._building.add(key)

        def run() -> None:
            with self._builders:
                start = time.monotonic()
                result: Prepared | Exception
                try:
                    result = Prepared.of(build())
                except Exception as exc:  # kept: every request for it answers the error
                    log.info("map view %s failed: %s", key, exc)
                    result = exc
                self.seconds = time.monotonic() - start
            with self._lock:
                self._building.discard(key)
                self._done[key] = result
                while len(self._done) > self.items:
                    self._done.popitem(last=False)

        threading.Thread(target=run, daemon=True, name="map-view").start()
        return None


views = PreparedViews()
