"""Analytics worker processes (``python -m helixgraph.analytics FD``).

A worker computes one :class:`Task` at a time -- a metric family of
:func:`~helixgraph.analytics.suite.store_metrics` or the metrics of a map
(:func:`~helixgraph.analytics.suite.map_metrics`) for one graph version and view --, writes
the result to the :class:`~helixgraph.analytics.cache.ResultCache` on disk, appends a line
to that version's journal (:data:`JOURNAL`) and answers ``done``. The server's side,
:class:`Worker`, waits at most the time limit for the answer and otherwise kills the
process: networkx cannot be interrupted, and a killed process frees everything it held.
This follows the SPARQL pool (:mod:`helixgraph.sparql.pool`): a socket pair, a process in a
session of its own, and a worker that exits when its server is gone.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from helixgraph import network
from helixgraph import store as hstore
from helixgraph.analytics import suite
from helixgraph.analytics.cache import ResultCache
from helixgraph.analytics.views import Projections

JOURNAL = "computed.log"  # one line per computation, in <cache>/<graph version>/


@dataclass(frozen=True)
class Task:
    """One computation: ``kind`` ``metrics`` (``name`` is the family), ``map``, or ``call``
    (a function named in ``options``, see :func:`call`)."""

    kind: str
    name: str
    params: dict[str, Any]  # the cache key's parameters (the filters included)
    filters: network.Filters
    store: str  # the build directory (or remote store descriptor) to read
    version: str
    cache: str  # the ResultCache's root folder
    options: dict[str, Any] = field(default_factory=dict)  # keywords of store_metrics

    @classmethod
    def call(
        cls, store: str, version: str, cache: str, name: str, function: str, filters: Any
    ) -> Task:
        """A ``call`` task (:func:`call`): ``function`` of the store and the task, on the
        view ``filters``; its result (bytes) is kept under ``name``."""
        params = {"filters": filters.as_dict(), "function": function}
        return cls("call", name, params, filters, store, version, cache, {"function": function})

    @property
    def key(self) -> tuple[str, str, str]:
        """What single flight and the cache know the task by: (version, name, hash)."""
        return (self.version, self.name, ResultCache.key(self.name, self.params))


@dataclass(frozen=True)
class Outcome:
    """A worker's answer: ``ready`` (started), ``done``, ``error``, ``timeout`` or ``lost``."""

    status: str
    message: str = ""
    seconds: float = 0.0


def open_store(target: str) -> Any:
    """The store a task reads: a build directory read-only, or a remote store."""
    path = Path(target)
    if hstore.is_remote(path):
        return hstore.open_store(path)
    import pyoxigraph as ox

    return ox.Store.read_only(target)


def call(task: Task, store: Any, projections: Projections | None = None) -> Any:
    """A ``call`` task: the function ``options["function"]`` (``helixgraph.module:name``,
    a layer above registers it; it gets the store and the task) returns bytes to keep.
    A function with a ``projections`` parameter also gets ``projections`` (the
    precompute's, shared by the tasks of one run; ``None`` in a worker)."""
    spec = str(task.options.get("function", ""))
    module, _, name = spec.partition(":")
    if not module.startswith("helixgraph.") or not name:
        raise ValueError(f"not a helixgraph function: {spec!r}")
    function = getattr(importlib.import_module(module), name)
    if "projections" in inspect.signature(function).parameters:
        return function(store, task, projections=projections)
    return function(store, task)


def compute(task: Task, store: Any, projections: Projections | None = None) -> Any:
    """The result of ``task`` on ``store`` (JSON-ready once through the cache);
    ``projections`` shares a view's projections between tasks (:mod:`.views`)."""
    if task.kind == "call":
        return call(task, store, projections)
    project = projections or Projections(store)
    if task.kind == "metrics":
        options = {**task.options, "projections": project}
        return suite.store_metrics(store, task.name, task.filters, **options)
    if task.kind == "map":
        return suite.map_metrics(project.collaboration(task.filters))
    raise ValueError(f"unknown kind of computation {task.kind!r}")


def run_task(task: Task, store: Any, projections: Projections | None = None) -> Outcome:
    """Compute ``task``, keep its result in the cache and journal it."""
    start = time.perf_counter()
    value = compute(task, store, projections)
    cache = ResultCache(Path(task.cache))
    if isinstance(value, bytes):
        cache.store_bytes(task.version, task.name, task.params, value)
    else:
        cache.write(task.version, task.name, task.params, value)
    seconds = time.perf_counter() - start
    journal = cache.root / task.version / JOURNAL
    line = f"{time.time():.3f} {task.kind} {task.key[2]} {seconds:.3f} pid={os.getpid()}\n"
    try:
        journal.parent.mkdir(parents=True, exist_ok=True)
        with journal.open("a", encoding="utf-8") as fh:
            fh.write(line)
    except OSError:
        pass
    return Outcome("done", seconds=seconds)


def exit_with_parent(interval: float = 0.5) -> None:
    """Stop this worker when the server that started it is gone, even mid-computation."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="analytics-parent-watch").start()


def worker_main(fd: int) -> None:
    exit_with_parent()
    with contextlib.suppress(OSError):
        os.nice(10)  # the web server's requests come first
    conn = Connection(fd)
    stores: dict[str, Any] = {}
    try:
        conn.send(Outcome("ready"))
        while True:
            task: Task = conn.recv()
            try:
                if task.store not in stores:
                    stores.clear()  # one build open at a time
                    stores[task.store] = open_store(task.store)
                outcome = run_task(task, stores[task.store])
            except Exception as exc:  # any failure is the task's answer; the worker lives on
                outcome = Outcome("error", message=f"{type(exc).__name__}: {exc}")
            conn.send(outcome)
    except (EOFError, OSError):  # the server went away
        return


class Worker:
    """One worker process and the server's end of its socket."""

    def __init__(self) -> None:
        parent, child = socket.socketpair()
        env = dict(os.environ)
        src = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "helixgraph.analytics", str(child.fileno())],
            pass_fds=(child.fileno(),),
            env=env,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C on the server does not hit the worker
        )
        child.close()
        self.conn = Connection(parent.detach())
        self.ready = False

    def run(self, task: Task, timeout: float, start_timeout: float = 60.0) -> Outcome:
        """Send ``task`` and wait at most ``timeout`` s for its outcome (``timeout``);
        ``lost`` when the worker died or did not start."""
        try:
            if not self.ready:
                if not self.conn.poll(start_timeout):
                    return Outcome("lost", message="an analytics worker did not start in time")
                self.ready = self.conn.recv().status == "ready"
            self.conn.send(task)
            if not self.conn.poll(timeout):
                return Outcome("timeout", message=f"stopped after {timeout:g} s")
            outcome: Outcome = self.conn.recv()
            return outcome
        except (EOFError, OSError):
            return Outcome("lost", message="the analytics worker died (out of memory?)")
        except Exception as exc:  # an answer that cannot be read: the worker is not trusted
            return Outcome("lost", message=f"unreadable answer from a worker: {exc}")

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.conn.close()
