"""Analytics off the request path: :class:`Computations` runs each :class:`~.workers.Task`
in a bounded pool of worker processes (:mod:`.workers`), once per graph version and view.

:meth:`Computations.get` never waits for a computation: it answers :class:`Ready` with the
result when the cache (:class:`~.cache.ResultCache`, in memory and on disk, so a restart
does not recompute) has it, else submits the task -- once: later callers find it in the
in-flight table (single flight) -- and answers :class:`Pending` with an estimate of the
seconds left. A computation over the time limit is stopped by killing its worker, which
a fresh one replaces; it and any failed computation answer :class:`Failed` until
``retry_failed`` seconds have passed, so a failing view is not recomputed in a loop.
With ``workers=0`` a task is computed in the caller's thread (for the CLI and tests).
"""

from __future__ import annotations

import logging
import math
import os
import queue
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helixgraph.analytics import precompute
from helixgraph.analytics.cache import ResultCache
from helixgraph.analytics.workers import Outcome, Task, Worker, open_store, run_task

log = logging.getLogger("helixgraph.analytics")

Key = tuple[str, str, str]


@dataclass(frozen=True)
class Ready:
    result: Any


@dataclass(frozen=True)
class Pending:
    """Being computed; ask again in ``retry_after`` seconds."""

    retry_after: int


@dataclass(frozen=True)
class Failed:
    """Failed or stopped at the time limit (``timed_out``); not retried before ``until``."""

    reason: str
    timed_out: bool
    until: float

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil(self.until - time.monotonic()))


@dataclass(frozen=True)
class Busy:
    """Too many distinct computations are waiting (the queue cap): nothing was submitted."""

    retry_after: int


Answer = Ready | Pending | Failed | Busy


@dataclass
class _Job:
    task: Task
    started: float | None = None


class Computations:
    """A pool of ``workers`` processes computing tasks with single flight, a cache per
    graph version and a time limit of ``timeout`` seconds per computation."""

    def __init__(
        self,
        *,
        workers: int = 2,
        timeout: float = 300.0,
        retry_failed: float = 60.0,
        cache: ResultCache | None = None,
        max_pending: int = 32,
        max_failed: int = 256,
    ) -> None:
        self.size = max(0, workers)
        self.timeout = timeout
        self.retry_failed = retry_failed
        self.cache = cache or ResultCache()
        self.max_pending = max(1, max_pending)
        self.max_failed = max(1, max_failed)
        self._built: dict[str, ResultCache] = {}  # the builds' precomputed results, by root
        self._precompute: subprocess.Popen[bytes] | None = None
        self.closed = False
        self._lock = threading.RLock()  # lookup() takes it too
        self._jobs: dict[Key, _Job] = {}
        self._failed: dict[Key, Failed] = {}
        self._seconds: dict[str, float] = {}  # the last duration per task name
        self._queue: queue.Queue[Key | None] = queue.Queue()
        self._workers: list[Worker] = []
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Start the worker processes (without waiting for them) and their threads."""
        for i in range(self.size):
            worker = Worker()
            self._workers.append(worker)
            thread = threading.Thread(
                target=self._serve, args=(i,), daemon=True, name=f"analytics-{i}"
            )
            self._threads.append(thread)
            thread.start()

    def lookup(self, task: Task) -> Any:
        """The kept result of ``task`` (``None`` if there is none): the build's precomputed
        default views (:mod:`.precompute`) first, then this service's cache; a ``call``
        task's result is bytes."""
        for cache in (self.built(task.store, task.version), self.cache):
            if task.kind == "call":
                data = cache.lookup_bytes(task.version, task.name, task.params)
                if data is not None:
                    return data
            else:
                result = cache.lookup(task.version, task.name, task.params)
                if result is not None:
                    return result
        return None

    def built(self, target: str, version: str) -> ResultCache:
        """The cache of the precomputed results of the build ``target`` at ``version``."""
        folder = precompute.root(target, version)
        if folder == self.cache.root:
            return self.cache
        with self._lock:
            cache = self._built.get(str(folder))
            if cache is None:
                cache = self._built[str(folder)] = ResultCache(folder, memory_items=32)
                while len(self._built) > 2:  # this build and the one it replaced
                    self._built.pop(next(iter(self._built)))
            return cache

    def get(self, task: Task) -> Answer:
        """The result of ``task`` if it is ready; else submit it (once) and say when to
        ask again. Never waits for a computation (unless ``workers=0``). While the build's
        default views are being precomputed, one of them is not computed a second time;
        with ``max_pending`` distinct computations waiting a new one is refused (:class:`Busy`)."""
        key = task.key
        result = self.lookup(task)
        if result is not None:
            return Ready(result)
        if self.size == 0:
            run_task(task, open_store(task.store))
            return Ready(self.lookup(task))
        with self._lock:
            failed = self._failed.get(key)
            if failed is not None and time.monotonic() < failed.until:
                return failed
            job = self._jobs.get(key)
        if job is None and self._precomputing(task):
            return Pending(5)
        with self._lock:
            job = self._jobs.get(key)
            if job is None:
                result = self.lookup(task)  # finished meanwhile
                if result is not None:
                    return Ready(result)
                if self.closed:
                    return Failed("the server is shutting down", False, time.monotonic() + 5)
                if len(self._jobs) >= self.max_pending:
                    return Busy(max(1, self._estimate(_Job(task))))
                self._failed.pop(key, None)
                job = self._jobs[key] = _Job(task)
                self._queue.put(key)
            return Pending(self._estimate(job))

    def _precomputing(self, task: Task) -> bool:
        """Whether the build's precompute is running and will compute ``task``."""
        if precompute.state(task.store, task.version) != "computing":
            return False
        return task.key[2] in precompute.planned(task.store, task.version)

    def metrics_task(
        self, store: str, version: str, family: str, filters: Any, **options: Any
    ) -> Task:
        """A family of :func:`~.suite.store_metrics` on ``store`` (a build directory)."""
        params = {"filters": filters.as_dict(), **options}
        return Task(
            "metrics", family, params, filters, store, version, str(self.cache.root), options
        )

    def map_task(self, store: str, version: str, filters: Any) -> Task:
        """The metrics a map draws from (:func:`~.suite.map_metrics`)."""
        params = precompute.map_params(filters)
        return Task("map", "map", params, filters, store, version, str(self.cache.root))

    def call_task(self, store: str, version: str, name: str, function: str, filters: Any) -> Task:
        """A ``call`` task (:func:`~.workers.call`): ``function`` of the store and the task."""
        return Task.call(store, version, str(self.cache.root), name, function, filters)

    def in_flight(self) -> int:
        with self._lock:
            return len(self._jobs)

    def _estimate(self, job: _Job) -> int:
        typical = self._seconds.get(job.task.name, 2.0)
        if job.started is None:  # waiting for a worker: the queue ahead of it too
            typical *= 1 + self._queue.qsize() / max(1, self.size)
            elapsed = 0.0
        else:
            elapsed = time.monotonic() - job.started
        return int(min(60, max(1, math.ceil(typical - elapsed))))

    def _serve(self, index: int) -> None:
        worker = self._workers[index]
        while True:
            key = self._queue.get()
            if key is None or self.closed:
                break
            with self._lock:
                job = self._jobs[key]
                job.started = time.monotonic()
            outcome = worker.run(job.task, self.timeout)
            if outcome.status in ("timeout", "lost") and not self.closed:
                log.warning(
                    "analytics: worker pid=%d stopped (%s)", worker.proc.pid, outcome.status
                )
                worker.kill()  # stops the computation; a fresh worker takes its place
                worker = self._workers[index] = Worker()
            self._finish(key, job, outcome)
        worker.kill()

    def _finish(self, key: Key, job: _Job, outcome: Outcome) -> None:
        task = job.task
        failed: Failed | None = None
        until = time.monotonic() + self.retry_failed
        if outcome.status == "done":
            self._seconds[task.name] = outcome.seconds
            if not self.cache.has(task.version, task.name, task.params):
                failed = Failed("the result could not be stored", False, until)
            log.info("analytics: computed %s %s in %.1f s", task.kind, task.name, outcome.seconds)
        elif outcome.status == "timeout":
            reason = f"computing {task.name} took longer than {self.timeout:g} s and was stopped"
            failed = Failed(reason, True, until)
        else:
            failed = Failed(f"computing {task.name} failed: {outcome.message}", False, until)
        if failed is not None:
            log.warning("analytics: %s", failed.reason)
        with self._lock:
            if failed is not None:
                self._failed[key] = failed
                self._prune_failed()
            self._jobs.pop(key, None)

    def _prune_failed(self) -> None:
        """Forget failures past their retry time, and the oldest beyond ``max_failed``."""
        now = time.monotonic()
        for k in [k for k, f in self._failed.items() if f.until <= now]:
            del self._failed[k]
        while len(self._failed) > self.max_failed:
            self._failed.pop(next(iter(self._failed)))

    def failed_count(self) -> int:
        with self._lock:
            return len(self._failed)

    def precompute(self, path: Path, target: str, version: str) -> bool:
        """Start computing the default views of the build ``target`` (the store at
        ``path``) in a process of this service's, unless they are there or being computed
        (:mod:`.precompute`); ``HELIXGRAPH_NO_PRECOMPUTE`` set turns this off. Whether
        this service's precompute process is running now."""
        if os.environ.get(precompute.NO_PRECOMPUTE_ENV) or self.closed:
            return False
        if precompute.state(target, version) != "missing":
            return False
        with self._lock:
            if self._precompute is not None and self._precompute.poll() is None:
                return True  # started, not yet holding its lock
            self._precompute = precompute.spawn(path, detached=False)
        log.info("analytics: computing the default views of %s in the background", version)
        return True

    def close(self, timeout: float = 3.0) -> None:
        """Stop every computation now: kill the workers and end their threads."""
        self.closed = True
        if self._precompute is not None and self._precompute.poll() is None:
            self._precompute.kill()
            self._precompute.wait()
        for _ in self._threads:
            self._queue.put(None)
        for worker in list(self._workers):
            worker.proc.kill()  # a thread waiting on it wakes (end of file) and reaps it
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        for worker in list(self._workers):
            if worker.proc.poll() is None:
                worker.proc.kill()
            worker.proc.wait()


def computations(
    *,
    workers: int,
    timeout: float,
    retry_failed: float = 60.0,
    cache_root: Path | None = None,
    max_pending: int = 32,
) -> Computations:
    """A started :class:`Computations` (the cache under ``cache_root`` or the default)."""
    service = Computations(
        workers=workers,
        timeout=timeout,
        retry_failed=retry_failed,
        cache=ResultCache(cache_root) if cache_root else None,
        max_pending=max_pending,
    )
    service.start()
    return service
