"""Cheap queries answered in the server's own process, under a watchdog.

The hop to a worker process (:mod:`helixgraph.sparql.pool`) makes a timeout real, but a
name lookup pays more for the hop than for the query: measured in-process through the
whole app, 0.47 ms of CPU a lookup here against 0.92 ms through a thread and far more
through a worker. A query that :func:`helixgraph.sparql.cheap.is_cheap` finds bounded by
its text runs here instead, on a read-only store of its own, on the caller's thread.
The watchdog:

* the answer is serialised into a buffer that checks the clock and its size at each
  write (pyoxigraph writes every 8 KiB): past ``budget`` seconds or over ``max_bytes``
  it gives up, and the query goes to a worker as any other (nothing was sent yet);
* a query text whose answer was too large, or that took longer than ``budget`` twice
  in a row (once may be a cold cache or a busy machine), goes straight to a worker
  from then on.

What the watchdog cannot stop is a stretch of evaluation that writes nothing, e.g. an
anchor of many answers that a filter rejects one by one; the analysis keeps that to
index ranges of the anchors (milliseconds on the regional store), once per query text.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from pathlib import Path

import pyoxigraph as ox

from helixgraph.sparql.execute import Job, Outcome, evaluate, serialise
from helixgraph.sparql.formats import _CappedBuffer
from helixgraph.sparql.pool import Runner

# query texts remembered as slow or large
_REMEMBERED = 4096
# strikes after which a text goes to a worker: over the budget twice, or too large once
_OUT = 2


class _GiveUp(Exception):
    """The answer is larger (``large``) or slower than an inline answer may be."""

    def __init__(self, large: bool) -> None:
        super().__init__()
        self.large = large


class _WatchedBuffer(_CappedBuffer):
    def __init__(self, limit: int, deadline: float) -> None:
        super().__init__(limit)
        self.deadline = deadline

    def write(self, data: bytes) -> int:
        if self.size + len(data) > self.limit:
            raise _GiveUp(large=True)
        if time.monotonic() > self.deadline:
            raise _GiveUp(large=False)
        return super().write(data)


class Inline:
    """Answers cheap queries in this process (see the module's doc)."""

    def __init__(self, path: Path, budget: float, max_bytes: int) -> None:
        self.runner = Runner(path, writable=False)
        self.budget = budget
        self.max_bytes = max_bytes
        self.strikes: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()

    def answer(self, job: Job) -> Outcome | None:
        """The outcome, or None: the query goes to a worker."""
        if self.slow(job.text):
            return None
        try:  # (re)opening the store after a rebuild is not the query's time
            store = self.runner.open(job.generation)
        except (OSError, RuntimeError):
            self.runner.store = None
            return None  # a worker reports what is wrong with the store
        started = time.monotonic()
        try:
            outcome = self._run(store, job, started + self.budget)
        except _GiveUp as exc:
            self._strike(job.text, _OUT if exc.large else 1)
            return None
        if time.monotonic() - started > self.budget:
            self._strike(job.text, 1)
        elif job.text in self.strikes:
            with self._lock:
                self.strikes.pop(job.text, None)
        return outcome

    def slow(self, text: str) -> bool:
        """Whether ``text`` goes to a worker from now on."""
        return self.strikes.get(text, 0) >= _OUT

    def _strike(self, text: str, strikes: int) -> None:
        with self._lock:
            self.strikes[text] = self.strikes.pop(text, 0) + strikes
            if len(self.strikes) > _REMEMBERED:
                self.strikes.popitem(last=False)

    def _run(self, store: ox.Store, job: Job, deadline: float) -> Outcome:
        result = evaluate(store, job)
        if isinstance(result, Outcome):
            return result
        return serialise(result, job, _WatchedBuffer(min(self.max_bytes, job.max_bytes), deadline))
