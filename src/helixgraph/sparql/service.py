"""The SPARQL service behind the endpoint: limits, read workers, the writer, the cache."""

from __future__ import annotations

import asyncio
import hmac
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from helixgraph import store as hstore
from helixgraph.sparql.cache import Cache
from helixgraph.sparql.cheap import is_cheap
from helixgraph.sparql.execute import Job, Outcome
from helixgraph.sparql.formats import NotAcceptable, negotiate
from helixgraph.sparql.inline import Inline
from helixgraph.sparql.pool import Pool, store_target
from helixgraph.store.query_text import (
    QUERY_FORMS,
    DatasetConflict,
    add_using,
    analyse,
    too_deep,
)

# queries longer than this are checked in a thread, off the event loop (64 KiB: ~4 ms)
LOOP_CHARS = 64 * 1024


@dataclass
class Limits:
    timeout: float = 10.0
    max_result_bytes: int = 50_000_000
    allow_service: bool = False
    allow_load: bool = False
    cache_bytes: int = 64 * 1024 * 1024
    # on a read-only service, each read worker copies a store up to this size on disk
    # into memory (0: never)
    memory_copy_bytes: int = 128 * 1024 * 1024
    # a cheap query (helixgraph.sparql.cheap) is answered in the server's process when its
    # answer is at most this large and ready within this many seconds, else by a worker
    # (0: never)
    inline_seconds: float = 0.005
    inline_bytes: int = 1024 * 1024


class Service:
    """The SPARQL service behind the endpoint: read workers, an optional writer, the
    limits, and a result cache keyed by the store's build and write generation."""

    def __init__(
        self,
        path: Path,
        *,
        workers: int = 4,
        limits: Limits | None = None,
        admin_token: str | None = None,
    ) -> None:
        self.path = path
        self.limits = limits or Limits()
        self.admin_token = admin_token or None
        # a writable store would have every reader copy it again after each update
        memory = 0 if self.admin_token else self.limits.memory_copy_bytes
        self.readers = Pool(path, workers, memory_bytes=memory)
        self.writer = Pool(path, 1, writable=True) if self.admin_token else None
        self._writer_lock = threading.Lock()
        self._writer_started = False
        self.generation = 0
        self.cache = Cache(self.limits.cache_bytes)
        self.remote = hstore.is_remote(path)
        self.inline: Inline | None = None
        if not self.remote and self.limits.inline_seconds > 0:
            self.inline = Inline(path, self.limits.inline_seconds, self.limits.inline_bytes)

    def start(self) -> None:
        self.readers.start()
        if self.inline is not None:
            self.inline.runner.open(self.generation)  # not on the first query's time

    def close(self) -> None:
        self.readers.close()
        if self.writer:
            self.writer.close()

    @property
    def writable(self) -> bool:
        return self.admin_token is not None

    def authorised(self, token: str | None) -> bool:
        """Constant-time check of a request's admin token."""
        if self.admin_token is None or token is None:
            return False
        return hmac.compare_digest(token.encode(), self.admin_token.encode())

    def _admit(self, job: Job) -> tuple[Outcome | None, Job, tuple[Any, ...] | None]:
        """Check ``job`` before any work: an early outcome (a refusal or a cached
        result), or the job to run with its cache key."""
        analysis = analyse(job.text)
        if deep := too_deep(analysis):
            return Outcome("syntax", message=deep), job, None
        if analysis.form == "UPDATE":
            message = "this is an update: send it as 'update', not 'query'"
            return Outcome("syntax", message=message), job, None
        if analysis.service and not self.limits.allow_service:
            message = (
                "SERVICE (federated query) is disabled on this endpoint: it does not "
                "fetch other URLs"
            )
            return Outcome("refused", message=message), job, None
        if analysis.form in QUERY_FORMS:
            try:  # refuse early, before any work, when no format fits
                negotiate(job.accept, analysis.graph_result, job.format)
            except NotAcceptable as exc:
                return Outcome("not_acceptable", message=str(exc)), job, None
        job = replace(job, max_bytes=self.limits.max_result_bytes, generation=self.generation)
        if self.limits.cache_bytes <= 0 or analysis.nondeterministic:
            return None, job, None
        try:
            target = store_target(self.path, self.remote)
            key: tuple[Any, ...] = (target, job)
        except (OSError, RuntimeError):  # a remote store that is down: no caching
            return None, job, None
        return self.cache.get(key), job, key

    def _keep(self, key: tuple[Any, ...] | None, outcome: Outcome) -> Outcome:
        if key is not None and outcome.status == "ok":
            self.cache.put(key, outcome)
        return outcome

    def query(self, job: Job) -> Outcome:
        """Run a query in a read worker (blocking this thread), or answer from the cache."""
        early, job, key = self._admit(job)
        if early is not None:
            return early
        return self._keep(key, self.readers.run(job, self.limits.timeout))

    async def aquery(self, job: Job) -> Outcome:
        """:meth:`query` on the event loop: on the embedded store no thread is used."""
        if self.remote:  # finding the remote store's version is an HTTP request
            return await asyncio.to_thread(self.query, job)
        if len(job.text) > LOOP_CHARS:  # tokenising 1 MB takes ~60 ms: not on the loop
            early, job, key = await asyncio.to_thread(self._admit, job)
        else:
            early, job, key = self._admit(job)
        if early is not None:
            return early
        if self.inline is not None and is_cheap(job.text):
            outcome = self.inline.answer(job)  # on this thread: a hop costs more
            if outcome is not None:
                return self._keep(key, outcome)
        return self._keep(key, await self.readers.arun(job, self.limits.timeout))

    def update(self, job: Job, token: str | None) -> Outcome:
        if self.writer is None:
            return Outcome(
                "forbidden",
                message="this endpoint is read-only: updates need a server started with "
                "HELIXGRAPH_ADMIN_TOKEN",
            )
        if not self.authorised(token):
            return Outcome(
                "forbidden", message="updates need a valid admin token (Authorization: Bearer ...)"
            )
        analysis = analyse(job.text)
        if deep := too_deep(analysis):
            return Outcome("syntax", message=deep)
        if analysis.form in QUERY_FORMS:
            return Outcome("syntax", message="this is a query: send it as 'query', not 'update'")
        if analysis.load and not self.limits.allow_load:
            return Outcome(
                "refused", message="LOAD is disabled on this endpoint: it does not fetch other URLs"
            )
        if analysis.service and not self.limits.allow_service:
            return Outcome(
                "refused", message="SERVICE (federated query) is disabled on this endpoint"
            )
        try:
            text = add_using(job.text, job.default_graphs, job.named_graphs)
        except DatasetConflict as exc:
            return Outcome("conflict", message=str(exc))
        with self._writer_lock:  # the writer opens the store read-write on first use
            if not self._writer_started:
                try:
                    self.writer.start()
                except RuntimeError as exc:
                    return Outcome("error", message=f"cannot open the store for writing: {exc}")
                self._writer_started = True
        job = replace(job, text=text, default_graphs=(), named_graphs=(), update=True)
        outcome = self.writer.run(job, self.limits.timeout)
        if outcome.status == "updated" or outcome.status == "timeout":
            self.generation += 1  # readers reopen the store, the cache misses
        return outcome
