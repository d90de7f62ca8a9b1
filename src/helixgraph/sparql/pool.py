"""Worker processes (``python -m helixgraph.sparql``), each with the store open.

pyoxigraph's ``Store.query`` has no timeout, so a query that outlives its time is stopped
by killing its worker, which frees everything it held, and a fresh worker takes its
place. The same pool, with one writable worker, is the writer.
"""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from helixgraph import store as hstore
from helixgraph.sparql.execute import Job, Outcome, execute


def store_target(path: Path) -> str:
    """The build directory the store link points to now (for a remote store, a hash of
    its recorded build and import runs, fetched from the server)."""
    if hstore.is_remote(path):
        return hstore.version(path)
    return os.path.realpath(path)


class _Runner:
    """Inside a worker: keeps the store open, reopens it after writes or a rebuild."""

    def __init__(self, path: Path, writable: bool) -> None:
        self.path = path
        self.writable = writable
        self.target = ""
        self.generation = -1
        self.store: ox.Store | None = None
        self.remote = hstore.is_remote(path)

    def open(self, generation: int) -> ox.Store:
        if self.store is not None and self.remote:
            return self.store  # every query goes to the server: nothing to reopen
        target = store_target(self.path)
        if (
            self.store is None
            or target != self.target
            or (generation != self.generation and not self.writable)
        ):
            self.store = None
            self.store = self._open(target)
            self.target = target
        self.generation = generation
        return self.store

    def _open(self, target: str) -> ox.Store:
        if self.remote:
            return hstore.open_store(self.path)
        if self.writable:
            return ox.Store(target)
        for attempt in range(20):
            try:
                return ox.Store.read_only(target)
            except (OSError, RuntimeError):
                # the writer may be compacting (files listed in the manifest vanish)
                if attempt == 19:
                    raise
                time.sleep(0.05)
        raise AssertionError("unreachable")

    def run(self, job: Job) -> Outcome:
        try:
            store = self.open(job.generation)
        except (OSError, RuntimeError) as exc:
            self.store = None
            return Outcome("error", message=f"cannot open the store: {exc}")
        return execute(store, job)


def exit_with_parent(interval: float = 0.5) -> None:
    """Stop this worker when the server that started it is gone, even in mid-query (the
    query releases the GIL): a server killed with SIGKILL leaves no runaway query behind."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="sparql-parent-watch").start()


def worker_main(fd: int, path: str, writable: bool) -> None:
    exit_with_parent()
    conn = Connection(fd)
    runner = _Runner(Path(path), writable)
    try:
        try:
            runner.open(0)
        except (OSError, RuntimeError) as exc:  # RuntimeError: RocksDB reports corruption
            conn.send(Outcome("error", message=f"cannot open the store at {path}: {exc}"))
            return
        conn.send(Outcome("ready"))
        while True:
            job = conn.recv()
            conn.send(runner.run(job))
    except (EOFError, OSError):  # the server went away
        return


class _Worker:
    def __init__(self, path: Path, writable: bool) -> None:
        parent, child = socket.socketpair()
        env = dict(os.environ)
        src = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
        args = [sys.executable, "-m", "helixgraph.sparql", str(child.fileno()), str(path)]
        self.proc = subprocess.Popen(
            args + (["--writable"] if writable else []),
            pass_fds=(child.fileno(),),
            env=env,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C on the server does not hit the worker
        )
        child.close()
        self.conn = Connection(parent.detach())
        self.path = path

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            self.kill()
            raise RuntimeError("a SPARQL worker did not start in time")
        try:
            outcome: Outcome = self.conn.recv()
        except (EOFError, OSError):  # it died while opening the store
            self.kill()
            raise RuntimeError(f"a SPARQL worker exited while opening {self.path}") from None
        if outcome.status != "ready":
            self.kill()
            raise RuntimeError(outcome.message)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.conn.close()


class Pool:
    """Worker processes, each with the store open; a job that outlives its time is
    stopped by killing its worker, which a fresh one replaces."""

    def __init__(self, path: Path, size: int, *, writable: bool = False) -> None:
        self.path = path
        self.size = size
        self.writable = writable
        # last in, first out: the most recently used worker has the warmest caches
        self.idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self.closed = False

    def start(self, timeout: float = 60.0) -> None:
        workers = [_Worker(self.path, self.writable) for _ in range(self.size)]
        for worker in workers:
            worker.wait_ready(timeout)
            self.idle.put(worker)

    def _replace(self) -> None:
        def spawn() -> None:
            while not self.closed:
                try:
                    worker = _Worker(self.path, self.writable)
                    worker.wait_ready(60.0)
                except (OSError, RuntimeError):
                    time.sleep(1.0)
                    continue
                if self.closed:
                    worker.kill()
                else:
                    self.idle.put(worker)
                return

        threading.Thread(target=spawn, daemon=True, name="sparql-worker-spawn").start()

    def run(self, job: Job, timeout: float) -> Outcome:
        """Run ``job`` in a worker; wait at most ``timeout`` s for a worker and as long
        again for the job."""
        try:
            worker = self.idle.get(timeout=timeout)
        except queue.Empty:
            return Outcome("busy", message="all query workers are busy; try again shortly")
        try:
            worker.conn.send(job)
            if not worker.conn.poll(timeout):
                worker.kill()
                self._replace()
                return Outcome(
                    "timeout",
                    message=f"the query ran longer than {timeout:g} s and was stopped",
                )
            outcome: Outcome = worker.conn.recv()
        except (EOFError, OSError):
            worker.kill()
            self._replace()
            return Outcome("error", message="the query worker died (out of memory?)")
        self.idle.put(worker)
        return outcome

    def close(self) -> None:
        self.closed = True
        while True:
            try:
                self.idle.get_nowait().kill()
            except queue.Empty:
                return
