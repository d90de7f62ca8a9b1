"""Worker processes (``python -m helixgraph.sparql``), each with the store open.

pyoxigraph's ``Store.query`` has no timeout, so a query that outlives its time is stopped
by killing its worker, which frees everything it held, and a fresh worker takes its
place. The same pool, with one writable worker, is the writer.

A read worker answers from a copy of the store in memory when the store is no larger on
disk than ``memory_bytes``: joins and aggregates run 2.5-3.5x faster there than on
RocksDB. Measured on 255 k quads (47 MB on disk): 99 MB more per worker, 3.9 s to start
instead of 0.2 s (see :func:`in_memory` for the default store).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import pickle
import queue
import socket
import struct
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from helixgraph import store as hstore
from helixgraph.sparql.execute import Job, Outcome, execute
from helixgraph.store.access import link_target


def store_target(path: Path, remote: bool) -> str:
    """The build directory the store link points to now (for a remote store, a hash of
    its recorded build and import runs, fetched from the server)."""
    return hstore.version(path) if remote else link_target(path)


def disk_size(directory: str) -> int:
    """Bytes in the files of a store directory (RocksDB keeps its files in one folder)."""
    with os.scandir(directory) as entries:
        return sum(e.stat().st_size for e in entries if e.is_file(follow_symlinks=False))


def in_memory(disk: ox.Store) -> ox.Store:
    """A copy of ``disk`` in memory, its quads streamed into pyoxigraph's bulk loader.
    Measured on the default store (510 k quads, 98 MiB on disk): 13 s and a 344 MB peak,
    against 23 s and 432 MB through a whole N-Quads dump in memory."""
    copy = ox.Store()
    copy.bulk_extend(disk.quads_for_pattern(None, None, None, None))
    return copy


class Runner:
    """Inside a worker: keeps the store open, reopens it after writes or a rebuild. After
    a rebuild, a store to copy into memory is read from disk until its copy is made."""

    def __init__(self, path: Path, writable: bool, memory_bytes: int = 0) -> None:
        self.path = path
        self.writable = writable
        self.memory_bytes = memory_bytes
        self.target = ""
        self.generation = -1
        self.store: ox.Store | None = None
        self.remote = hstore.is_remote(path)
        self.copying: threading.Thread | None = None
        self._lock = threading.Lock()  # the store is swapped for its copy under it

    def open(self, generation: int, wait: bool = False) -> ox.Store:
        """The store to query; ``wait``: make a copy in memory now, not in the background."""
        with self._lock:
            if self.store is not None and self.remote:
                return self.store  # every query goes to the server: nothing to reopen
            target = store_target(self.path, self.remote)
            if (
                self.store is None
                or target != self.target
                or (generation != self.generation and not self.writable)
            ):
                self.store = None
                self.store = self._open(target, wait)
                self.target = target
            self.generation = generation
            return self.store

    def _copy_later(self, disk: ox.Store) -> None:
        def copy() -> None:
            try:
                store = in_memory(disk)
            except (OSError, RuntimeError):
                return  # the store stays on disk
            with self._lock:
                if self.store is disk:  # not reopened meanwhile
                    self.store = store

        self.copying = threading.Thread(target=copy, daemon=True, name="sparql-memory-copy")
        self.copying.start()

    def _open(self, target: str, wait: bool) -> ox.Store:
        if self.remote:
            return hstore.open_store(self.path)
        if self.writable:
            return ox.Store(target)
        for attempt in range(20):
            try:
                disk = ox.Store.read_only(target)
                if self.memory_bytes and disk_size(target) <= self.memory_bytes:
                    if wait:
                        return in_memory(disk)
                    self._copy_later(disk)
                return disk
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


def worker_main(fd: int, path: str, writable: bool, memory_bytes: int = 0) -> None:
    exit_with_parent()
    conn = Connection(fd)
    runner = Runner(Path(path), writable, memory_bytes)
    try:
        try:
            runner.open(0, wait=True)  # a new worker starts with its copy in memory
        except (OSError, RuntimeError) as exc:  # RuntimeError: RocksDB reports corruption
            conn.send(Outcome("error", message=f"cannot open the store at {path}: {exc}"))
            return
        conn.send(Outcome("ready"))
        while True:
            job = conn.recv()
            conn.send(runner.run(job))
    except (EOFError, OSError):  # the server went away
        return


def _frame(obj: object) -> bytes:
    """``obj`` pickled and framed as :class:`multiprocessing.connection.Connection` reads it
    (a signed 4-byte length, or -1 and an 8-byte length for 2 GiB and more)."""
    data = pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)
    if len(data) > 0x7FFFFFFF:
        return struct.pack("!iQ", -1, len(data)) + data
    return struct.pack("!i", len(data)) + data


# bytes asked for by the first read of an outcome: small results arrive in one call
_FIRST_READ = 64 * 1024


class _Worker:
    """One worker process and the server's end of its socket. The worker speaks
    :class:`~multiprocessing.connection.Connection`; this side reads the same frames
    either blocking (:meth:`exchange`) or from an event loop (:meth:`aexchange`), so an
    async server waits for a result without a thread."""

    def __init__(self, path: Path, writable: bool, memory_bytes: int = 0) -> None:
        parent, child = socket.socketpair()
        env = dict(os.environ)
        src = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
        args = [sys.executable, "-m", "helixgraph.sparql", str(child.fileno()), str(path)]
        args += ["--writable"] if writable else ["--memory-bytes", str(memory_bytes)]
        self.proc = subprocess.Popen(
            args,
            pass_fds=(child.fileno(),),
            env=env,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C on the server does not hit the worker
        )
        child.close()
        self.sock = parent
        self.path = path

    def wait_ready(self, timeout: float) -> None:
        try:
            outcome = self.receive(time.monotonic() + timeout)
        except TimeoutError:
            self.kill()
            raise RuntimeError("a SPARQL worker did not start in time") from None
        except (EOFError, OSError):  # it died while opening the store
            self.kill()
            raise RuntimeError(f"a SPARQL worker exited while opening {self.path}") from None
        if outcome.status != "ready":
            self.kill()
            raise RuntimeError(outcome.message)

    def _read(self, size: int, deadline: float) -> bytearray:
        buf = bytearray(size)
        view, got = memoryview(buf), 0
        while got < size:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            self.sock.settimeout(left)
            n = self.sock.recv_into(view[got:])
            if n == 0:
                raise EOFError
            got += n
        return buf

    async def _aread_into(self, view: memoryview, got: int, size: int) -> int:
        """Read into ``view`` from ``got`` until at least ``size`` bytes are there."""
        loop = asyncio.get_running_loop()
        while got < size:
            n = await loop.sock_recv_into(self.sock, view[got:])
            if n == 0:
                raise EOFError
            got += n
        return got

    def receive(self, deadline: float) -> Outcome:
        (size,) = struct.unpack("!i", self._read(4, deadline))
        if size == -1:
            (size,) = struct.unpack("!Q", self._read(8, deadline))
        outcome: Outcome = pickle.loads(self._read(size, deadline))
        return outcome

    def exchange(self, job: Job, timeout: float) -> Outcome:
        """Send ``job``, wait at most ``timeout`` s for its outcome (TimeoutError)."""
        deadline = time.monotonic() + timeout
        self.sock.settimeout(timeout)
        self.sock.sendall(_frame(job))
        return self.receive(deadline)

    async def aexchange(self, job: Job) -> Outcome:
        """Send ``job`` and await its outcome on the running loop (the caller times it).
        A frame that fits the first buffer (most results) is read in one system call."""
        loop = asyncio.get_running_loop()
        self.sock.setblocking(False)
        await loop.sock_sendall(self.sock, _frame(job))
        buf = bytearray(_FIRST_READ)
        got = await self._aread_into(memoryview(buf), 0, 4)
        (size,) = struct.unpack_from("!i", buf)
        start = 4
        if size == -1:
            got = await self._aread_into(memoryview(buf), got, 12)
            (size,), start = struct.unpack_from("!Q", buf, 4), 12
        if start + size > len(buf):  # a large result: one buffer of the whole frame
            buf = buf[:got] + bytearray(start + size - got)
        await self._aread_into(memoryview(buf), got, start + size)
        outcome: Outcome = pickle.loads(memoryview(buf)[start : start + size])
        return outcome

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.sock.close()


# how a worker is lost mid-job: past its time (TimeoutError), or dead
_LOST = (TimeoutError, EOFError, OSError, pickle.UnpicklingError)


class Pool:
    """Worker processes, each with the store open; a job that outlives its time is
    stopped by killing its worker, which a fresh one replaces. :meth:`run` blocks the
    calling thread; :meth:`arun` awaits on the event loop."""

    def __init__(
        self, path: Path, size: int, *, writable: bool = False, memory_bytes: int = 0
    ) -> None:
        self.path = path
        self.size = size
        self.writable = writable
        self.memory_bytes = 0 if writable else memory_bytes
        # last in, first out: the most recently used worker has the warmest caches
        self.idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self.closed = False
        # threads that wait for a free worker when a coroutine finds none idle
        self._waiting = concurrent.futures.ThreadPoolExecutor(
            max_workers=64, thread_name_prefix="sparql-wait"
        )

    def start(self, timeout: float = 60.0) -> None:
        workers = [self._spawn() for _ in range(self.size)]
        for worker in workers:
            worker.wait_ready(timeout)
            self.idle.put(worker)

    def _spawn(self) -> _Worker:
        return _Worker(self.path, self.writable, self.memory_bytes)

    def _replace(self, dead: _Worker) -> None:
        """Kill ``dead`` now; reap it and start a fresh worker off the caller's thread."""
        dead.proc.kill()

        def spawn() -> None:
            dead.kill()
            while not self.closed:
                try:
                    worker = self._spawn()
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

    def _take(self, timeout: float) -> _Worker | None:
        try:
            return self.idle.get(timeout=timeout)
        except queue.Empty:
            return None

    async def _atake(self, timeout: float) -> _Worker | None:
        try:
            return self.idle.get_nowait()
        except queue.Empty:
            pass
        waiting = asyncio.get_running_loop().run_in_executor(self._waiting, self._take, timeout)
        try:
            return await asyncio.shield(waiting)
        except asyncio.CancelledError:  # the request went away: a worker taken goes back
            waiting.add_done_callback(self._give_back)
            raise

    def _give_back(self, taken: asyncio.Future[_Worker | None]) -> None:
        worker = None if taken.cancelled() else taken.result()
        if worker is not None:
            self.idle.put(worker)

    @staticmethod
    def _busy() -> Outcome:
        return Outcome("busy", message="all query workers are busy; try again shortly")

    def _lost(self, worker: _Worker, exc: BaseException, timeout: float) -> Outcome:
        """A worker that timed out or failed is replaced; what to tell the client."""
        self._replace(worker)
        if isinstance(exc, TimeoutError):
            return Outcome(
                "timeout", message=f"the query ran longer than {timeout:g} s and was stopped"
            )
        return Outcome("error", message="the query worker died (out of memory?)")

    def run(self, job: Job, timeout: float) -> Outcome:
        """Run ``job`` in a worker; wait at most ``timeout`` s for a worker and as long
        again for the job."""
        worker = self._take(timeout)
        if worker is None:
            return self._busy()
        try:
            outcome = worker.exchange(job, timeout)
        except _LOST as exc:
            return self._lost(worker, exc, timeout)
        self.idle.put(worker)
        return outcome

    async def arun(self, job: Job, timeout: float) -> Outcome:
        """:meth:`run` for an event loop: no thread waits while the worker works."""
        worker = await self._atake(timeout)
        if worker is None:
            return self._busy()
        try:
            async with asyncio.timeout(timeout):
                outcome = await worker.aexchange(job)
        except _LOST as exc:
            return self._lost(worker, exc, timeout)
        except asyncio.CancelledError:  # the worker may still be busy with the job
            self._replace(worker)
            raise
        self.idle.put(worker)
        return outcome

    def close(self) -> None:
        self.closed = True
        self._waiting.shutdown(wait=False, cancel_futures=True)
        while True:
            try:
                self.idle.get_nowait().kill()
            except queue.Empty:
                return
