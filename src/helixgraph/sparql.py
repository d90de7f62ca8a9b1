"""Run SPARQL 1.1 queries and updates on the store, safely.

Three parts, from the inside out:

* **analysis** -- :func:`analyse` tokenises a query or update (without evaluating it) to
  find its form, ``SERVICE``, ``LOAD``, dataset clauses (``FROM``, ``USING``, ``WITH``) and
  non-deterministic functions; :func:`add_using` applies the protocol's
  ``using-graph-uri``/``using-named-graph-uri`` to an update.
* **formats** -- the result formats (:data:`FORMATS`) and :func:`negotiate`, which picks
  one from an HTTP ``Accept`` header with q-values, or raises :class:`NotAcceptable`.
* **execution** -- :func:`execute` runs one :class:`Job` on an open store and serialises
  the result with pyoxigraph's own serialisers, under a size cap. :class:`Service` runs
  jobs in a pool of worker processes (``python -m helixgraph.sparql``): pyoxigraph's
  ``Store.query`` has no timeout, so a query that outlives its time is stopped by
  killing its worker, which frees everything it held, and a fresh worker takes its place.

The default graph is the union of all graphs of the store unless the request names a
dataset, by the protocol's ``default-graph-uri``/``named-graph-uri`` (which win) or by
the query's ``FROM``/``FROM NAMED``.
"""

from __future__ import annotations

import hmac
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

# ---------------------------------------------------------------------------- analysis

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<var>[?$][^\s(){}\[\],;.<>=!|&*+/"'^#-]*)
    |(?P<pname>(?:[^\W\d_][\w.\-\u00b7]*)?:[\w.\-:%\\\u00b7]*)
    |(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    |(?P<word>[A-Za-z_]\w*)
    |(?P<brace>[{}])
    |(?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_WORDS = frozenset(
    ["INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"]
)
NONDETERMINISTIC = frozenset(["NOW", "RAND", "UUID", "STRUUID", "BNODE"])


@dataclass(frozen=True)
class Analysis:
    """What a query or update asks for, found without evaluating it."""

    form: str  # SELECT, CONSTRUCT, DESCRIBE, ASK, UPDATE or UNKNOWN
    service: bool = False
    load: bool = False
    dataset: bool = False  # FROM / FROM NAMED in a query
    using: bool = False  # USING / USING NAMED / WITH in an update
    nondeterministic: bool = False

    @property
    def graph_result(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def _words(text: str) -> list[tuple[str, int]]:
    """The bare keywords (upper-cased) and braces of ``text`` with their offsets."""
    out: list[tuple[str, int]] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "word":
            out.append((m.group().upper(), m.start()))
        elif kind == "brace":
            out.append((m.group(), m.start()))
    return out


def analyse(text: str) -> Analysis:
    """Find the form and the risky or dataset-changing parts of a SPARQL request.

    Keywords inside strings, IRIs, comments, variables and prefixed names do not count:
    ``?service``, ``ex:LOAD`` and ``"SERVICE"`` are not the keywords.
    """
    words = {w for w, _ in _words(text)}
    form = "UNKNOWN"
    for word, _ in _words(text):
        if word in ("PREFIX", "BASE", "{", "}"):
            continue
        form = word if word in QUERY_FORMS else "UPDATE" if word in UPDATE_WORDS else "UNKNOWN"
        break
    return Analysis(
        form=form,
        service="SERVICE" in words,
        load="LOAD" in words,
        dataset=form in QUERY_FORMS and "FROM" in words,
        using=form == "UPDATE" and bool(words & {"USING", "WITH"}),
        nondeterministic=bool(words & NONDETERMINISTIC),
    )


class DatasetConflict(ValueError):
    """The protocol names a dataset and the update names one too (USING or WITH)."""


def add_using(update: str, using: tuple[str, ...], using_named: tuple[str, ...]) -> str:
    """Apply protocol ``using-graph-uri``/``using-named-graph-uri`` to every
    ``DELETE``/``INSERT ... WHERE`` operation of ``update`` (SPARQL 1.1 Protocol 2.2.3)."""
    if not using and not using_named:
        return update
    if analyse(update).using:
        raise DatasetConflict(
            "using-graph-uri/using-named-graph-uri cannot be combined with USING or WITH "
            "in the update"
        )
    clause = " ".join(
        [f"USING <{iri}>" for iri in using] + [f"USING NAMED <{iri}>" for iri in using_named]
    )
    cuts: list[int] = []
    depth = 0
    previous = ""
    for word, pos in _words(update):
        if word == "{":
            depth += 1
        elif word == "}":
            depth -= 1
        elif depth == 0:
            if word == "WHERE" and previous != "DELETE":
                cuts.append(pos)
            previous = word
    for pos in reversed(cuts):
        update = f"{update[:pos]}{clause} {update[pos:]}"
    return update


# ----------------------------------------------------------------------------- formats


@dataclass(frozen=True)
class Format:
    """One result serialisation: short name, media types (canonical first), kind."""

    name: str
    media_types: tuple[str, ...]
    graph: bool  # True for CONSTRUCT/DESCRIBE results, False for SELECT/ASK
    ox_format: ox.RdfFormat | ox.QueryResultsFormat
    extension: str

    @property
    def media_type(self) -> str:
        return self.media_types[0]


FORMATS: tuple[Format, ...] = (
    Format(
        "json",
        ("application/sparql-results+json", "application/json"),
        False,
        ox.QueryResultsFormat.JSON,
        "srj",
    ),
    Format(
        "xml",
        ("application/sparql-results+xml", "application/xml", "text/xml"),
        False,
        ox.QueryResultsFormat.XML,
        "srx",
    ),
    Format("csv", ("text/csv",), False, ox.QueryResultsFormat.CSV, "csv"),
    Format("tsv", ("text/tab-separated-values",), False, ox.QueryResultsFormat.TSV, "tsv"),
    Format("turtle", ("text/turtle", "application/x-turtle"), True, ox.RdfFormat.TURTLE, "ttl"),
    Format("ntriples", ("application/n-triples", "text/plain"), True, ox.RdfFormat.N_TRIPLES, "nt"),
    Format(
        "jsonld", ("application/ld+json", "application/json"), True, ox.RdfFormat.JSON_LD, "jsonld"
    ),
    Format(
        "rdfxml",
        ("application/rdf+xml", "application/xml", "text/xml"),
        True,
        ox.RdfFormat.RDF_XML,
        "rdf",
    ),
    Format("nquads", ("application/n-quads",), True, ox.RdfFormat.N_QUADS, "nq"),
    # Turtle is N3 too: for clients (SPARQLWrapper) that ask for N3
    Format("n3", ("text/n3", "text/rdf+n3"), True, ox.RdfFormat.TURTLE, "n3"),
    Format("trig", ("application/trig",), True, ox.RdfFormat.TRIG, "trig"),
)

# ``format=`` values besides the names above and the media types themselves
FORMAT_ALIASES = {
    "srj": "json",
    "srx": "xml",
    "ttl": "turtle",
    "nt": "ntriples",
    "n-triples": "ntriples",
    "json-ld": "jsonld",
    "rdf": "rdfxml",
    "rdf+xml": "rdfxml",
    "nq": "nquads",
    "n-quads": "nquads",
}
# on a graph result, ``format=json`` / ``format=xml`` mean JSON-LD / RDF/XML
_GRAPH_NAMES = {"json": "jsonld", "xml": "rdfxml"}


class NotAcceptable(ValueError):
    """No result format satisfies the request's ``Accept`` header or ``format``."""


def formats_for(graph: bool) -> list[Format]:
    return [f for f in FORMATS if f.graph == graph]


def parse_accept(header: str) -> list[tuple[str, float]]:
    """``Accept`` header -> ``[(media range, q)]``; ranges are lower-cased."""
    ranges: list[tuple[str, float]] = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((pieces[0].lower(), q))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float | None:
    """The q of the most specific range matching ``media_type`` (None: no match)."""
    major = media_type.split("/")[0]
    best: tuple[int, float] | None = None
    for rng, q in ranges:
        if rng == media_type:
            rank = 3
        elif rng == f"{major}/*":
            rank = 2
        elif rng in ("*/*", "*"):
            rank = 1
        else:
            continue
        if best is None or rank > best[0]:
            best = (rank, q)
    return None if best is None else best[1]


def negotiate(accept: str | None, graph: bool, override: str | None = None) -> tuple[Format, str]:
    """Choose the result format and the media type to label it with.

    ``override`` (the ``format=`` parameter: a short name or a media type, or several
    separated by commas, first available wins) wins over ``accept``. Never falls back to
    a format the client did not accept.
    """
    offered = formats_for(graph)
    if override:
        for value in override.split(","):  # several values: the first available wins
            key = value.split(";")[0].strip().lower()
            key = FORMAT_ALIASES.get(key, key)
            if graph:
                key = _GRAPH_NAMES.get(key, key)
            for fmt in offered:
                if key == fmt.name:
                    return fmt, fmt.media_type
                if key in fmt.media_types:
                    return fmt, key
        kind = "CONSTRUCT/DESCRIBE" if graph else "SELECT/ASK"
        names = ", ".join(f.name for f in offered)
        raise NotAcceptable(f"format={override!r} is not available for {kind}; use one of {names}")
    ranges = parse_accept(accept or "")
    if not ranges:
        return offered[0], offered[0].media_type
    best: tuple[float, Format, str] | None = None
    for fmt in offered:
        for media_type in fmt.media_types:
            q = _quality(media_type, ranges)
            if q is None or q <= 0:
                continue
            exact = any(r == media_type for r, _ in ranges)
            label = media_type if exact else fmt.media_type
            if best is None or q > best[0]:
                best = (q, fmt, label)
    if best is None:
        types = ", ".join(mt for f in offered for mt in f.media_types)
        raise NotAcceptable(f"cannot answer with any type in Accept: {accept!r}; offered: {types}")
    return best[1], best[2]


# --------------------------------------------------------------------------- execution


@dataclass(frozen=True)
class Job:
    """One query or update, with its protocol dataset and result preferences."""

    text: str
    update: bool = False
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None
    accept: str | None = None
    format: str | None = None
    max_bytes: int = 50_000_000
    generation: int = 0


@dataclass(frozen=True)
class Outcome:
    """What a job produced: ``status`` is ``ok`` or an error kind (see :data:`STATUS`)."""

    status: str
    body: bytes = b""
    media_type: str = "text/plain; charset=utf-8"
    message: str = ""
    extension: str = ""


# error kind -> HTTP status, for the API layer
STATUS = {
    "ok": 200,
    "updated": 204,
    "syntax": 400,
    "conflict": 400,
    "failed": 400,
    "refused": 403,
    "forbidden": 403,
    "not_acceptable": 406,
    "too_large": 422,
    "error": 500,
    "busy": 503,
    "timeout": 504,
}


class ResultTooLarge(Exception):
    pass


class _CappedBuffer:
    """A writable that refuses to grow past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise ResultTooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


_POSITION = re.compile(r"^error at (\d+):(\d+): ")


def syntax_message(kind: str, exc: SyntaxError) -> str:
    """``error at 3:2: expected X`` -> ``query syntax error at line 3, column 2: expected X``."""
    text = str(exc)
    m = _POSITION.match(text)
    if m:
        return f"{kind} syntax error at line {m[1]}, column {m[2]}: {text[m.end() :]}"
    return f"{kind} syntax error: {text}"


def _graphs(iris: tuple[str, ...]) -> list[Any]:
    return [ox.NamedNode(iri) for iri in iris]


def execute(store: ox.Store, job: Job) -> Outcome:
    """Run ``job`` on ``store`` in this process (no timeout: see :class:`Service`)."""
    if job.update:
        try:
            store.update(job.text, base_iri=job.base_iri)
        except SyntaxError as exc:
            return Outcome("syntax", message=syntax_message("update", exc))
        except (RuntimeError, ValueError) as exc:  # e.g. CREATE of an existing graph
            return Outcome("failed", message=f"update failed, nothing was changed: {exc}")
        except OSError as exc:
            return Outcome("error", message=f"update failed, nothing was changed: {exc}")
        return Outcome("updated")
    dataset = bool(job.default_graphs or job.named_graphs)
    union = not dataset and not analyse(job.text).dataset
    try:
        result = store.query(
            job.text,
            base_iri=job.base_iri,
            use_default_graph_as_union=union,
            default_graph=_graphs(job.default_graphs) if dataset else None,
            named_graphs=_graphs(job.named_graphs) if dataset else None,
        )
    except SyntaxError as exc:
        return Outcome("syntax", message=syntax_message("query", exc))
    except (OSError, ValueError) as exc:
        return Outcome("error", message=f"query failed: {exc}")
    graph = isinstance(result, ox.QueryTriples)
    try:
        fmt, media_type = negotiate(job.accept, graph, job.format)
    except NotAcceptable as exc:
        return Outcome("not_acceptable", message=str(exc))
    out = _CappedBuffer(job.max_bytes)
    try:
        result.serialize(out, fmt.ox_format)  # type: ignore[arg-type]
    except ResultTooLarge:
        return Outcome(
            "too_large",
            message=f"the result is larger than the cap of {job.max_bytes:,} bytes; "
            "narrow the query or add a LIMIT",
        )
    except (OSError, ValueError, SyntaxError) as exc:
        return Outcome("error", message=f"query failed: {exc}")
    if media_type.startswith("text/"):
        media_type += "; charset=utf-8"
    return Outcome("ok", out.getvalue(), media_type, extension=fmt.extension)


# ----------------------------------------------------------------------- worker process


def store_target(path: Path) -> str:
    """The build directory the store link points to now."""
    return os.path.realpath(path)


class _Runner:
    """Inside a worker: keeps the store open, reopens it after writes or a rebuild."""

    def __init__(self, path: Path, writable: bool) -> None:
        self.path = path
        self.writable = writable
        self.target = ""
        self.generation = -1
        self.store: ox.Store | None = None

    def open(self, generation: int) -> ox.Store:
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


def _worker_main(fd: int, path: str, writable: bool) -> None:
    conn = Connection(fd)
    runner = _Runner(Path(path), writable)
    try:
        try:
            runner.open(0)
        except OSError as exc:
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
        src = str(Path(__file__).resolve().parents[1])
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

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            self.kill()
            raise RuntimeError("a SPARQL worker did not start in time")
        outcome: Outcome = self.conn.recv()
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


# ------------------------------------------------------------------------------ service


@dataclass
class Limits:
    timeout: float = 10.0
    max_result_bytes: int = 50_000_000
    allow_service: bool = False
    allow_load: bool = False
    cache_bytes: int = 64 * 1024 * 1024


@dataclass
class _Cache:
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
        self.readers = Pool(path, workers)
        self.writer = Pool(path, 1, writable=True) if self.admin_token else None
        self._writer_lock = threading.Lock()
        self._writer_started = False
        self.generation = 0
        self.cache = _Cache(self.limits.cache_bytes)

    def start(self) -> None:
        self.readers.start()

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

    def query(self, job: Job) -> Outcome:
        analysis = analyse(job.text)
        if analysis.form == "UPDATE":
            return Outcome("syntax", message="this is an update: send it as 'update', not 'query'")
        if analysis.service and not self.limits.allow_service:
            return Outcome(
                "refused",
                message="SERVICE (federated query) is disabled on this endpoint: it does "
                "not fetch other URLs",
            )
        if analysis.form in QUERY_FORMS:
            try:  # refuse early, before any work, when no format fits
                negotiate(job.accept, analysis.graph_result, job.format)
            except NotAcceptable as exc:
                return Outcome("not_acceptable", message=str(exc))
        job = replace(job, max_bytes=self.limits.max_result_bytes, generation=self.generation)
        key: tuple[Any, ...] | None = None
        if self.limits.cache_bytes > 0 and not analysis.nondeterministic:
            key = (store_target(self.path), job)
            hit = self.cache.get(key)
            if hit is not None:
                return hit
        outcome = self.readers.run(job, self.limits.timeout)
        if key is not None and outcome.status == "ok":
            self.cache.put(key, outcome)
        return outcome

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


if __name__ == "__main__":  # a worker: python -m helixgraph.sparql FD STORE [--writable]
    # import the module by name so that pickled jobs and outcomes use its classes
    from helixgraph.sparql import _worker_main as main

    main(int(sys.argv[1]), sys.argv[2], "--writable" in sys.argv[3:])
