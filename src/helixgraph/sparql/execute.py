"""One query or update (:class:`Job`), what it produced (:class:`Outcome`), and
:func:`execute`, which runs a job on an open store in this process and serialises the
result with pyoxigraph's own serialisers under a size cap (no timeout: see
:class:`helixgraph.sparql.pool.Pool`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from helixgraph.sparql.formats import NotAcceptable, ResultTooLarge, _CappedBuffer, negotiate
from helixgraph.store.merge import REFRESH, distinct_triples
from helixgraph.store.query_text import _TOKEN, analyse, too_deep


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
    # predeclared prefixes (name, namespace): the endpoint gives the project's
    # (vocab.namespace.QUERY_PREFIXES); a prefix the text declares itself wins
    prefixes: tuple[tuple[str, str], ...] = ()


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


_POSITION = re.compile(r"^error at (\d+):(\d+): ")


def syntax_message(kind: str, exc: SyntaxError, shift: int = 0) -> str:
    """``error at 3:2: expected X`` -> ``query syntax error at line 3, column 2: expected X``
    (``shift``: characters put before the text's first line, taken off its columns)."""
    text = str(exc)
    m = _POSITION.match(text)
    if m:
        line, column = int(m[1]), int(m[2])
        if line == 1:
            column = max(1, column - shift)
        return f"{kind} syntax error at line {line}, column {column}: {text[m.end() :]}"
    return f"{kind} syntax error: {text}"


_DECLARED = re.compile(r"PREFIX\s+([^\W\d_][\w.\-\u00b7]*)?:", re.IGNORECASE)


def undefined_prefix(
    text: str, predeclared: tuple[tuple[str, str], ...] = ()
) -> tuple[str, int, int] | None:
    """The first prefix ``text`` uses (outside strings, IRIs and comments) that it neither
    declares nor is predeclared, with its line and column (from 1): ``("hx", 1, 12)`` for
    ``SELECT * { ?s hx:p ?o }``."""
    declared = {m[1] or "" for m in _DECLARED.finditer(text)} | {n for n, _ in predeclared}
    for m in _TOKEN.finditer(text):
        if m.lastgroup == "pname":
            prefix = m.group().partition(":")[0]
            if prefix not in declared:
                line = text.count("\n", 0, m.start()) + 1
                column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
                return prefix, line, column
    return None


def parse_error(kind: str, exc: SyntaxError, text: str, job: Job, shift: int = 0) -> str:
    """:func:`syntax_message`, but one line naming the prefix when one is undefined
    (pyoxigraph lists every character a name may hold, or the wrong keyword, instead)."""
    found = undefined_prefix(text, job.prefixes)
    if found is not None:
        prefix, line, column = found
        return (
            f"{kind} syntax error at line {line}, column {column}: undefined prefix "
            f"{prefix}: -- declare it with PREFIX {prefix}: <...>"
        )
    return syntax_message(kind, exc, shift)


def with_prefixes(store: ox.Store, text: str, job: Job) -> tuple[str, dict[str, Any]]:
    """The text and keyword arguments that predeclare ``job.prefixes``: pyoxigraph's own
    ``prefixes`` on the embedded store; PREFIX lines the text lacks on a remote one."""
    if not job.prefixes:
        return text, {}
    if isinstance(store, ox.Store):
        return text, {"prefixes": dict(job.prefixes)}
    declared = {m[1] or "" for m in _DECLARED.finditer(text)}
    # on the first line, so line numbers stay the text's (columns: see parse_error's shift)
    lines = "".join(f"PREFIX {n}: <{ns}> " for n, ns in job.prefixes if n not in declared)
    return f"{lines}{text}", {}


def _graphs(iris: tuple[str, ...]) -> list[Any]:
    return [ox.NamedNode(iri) for iri in iris]


def execute(store: ox.Store, job: Job) -> Outcome:
    """Run ``job`` on ``store`` in this process (no timeout: see :class:`Service`)."""
    analysis = analyse(job.text)
    if deep := too_deep(analysis):  # the parser would overflow its stack
        return Outcome("syntax", message=deep)
    if job.update:
        try:
            text, extra = with_prefixes(store, job.text, job)
            store.update(text, base_iri=job.base_iri, **extra)
            # the default graph stays the merge of the named graphs (the update may have
            # changed them); an update to the default graph itself is undone by this
            refresh = getattr(store, "refresh_merge", None)  # a remote store knows its graphs
            refresh() if refresh is not None else store.update(REFRESH)
        except SyntaxError as exc:
            shift = len(text) - len(job.text)
            return Outcome("syntax", message=parse_error("update", exc, job.text, job, shift))
        except (RuntimeError, ValueError) as exc:  # e.g. CREATE of an existing graph
            return Outcome("failed", message=f"update failed, nothing was changed: {exc}")
        except OSError as exc:
            return Outcome("error", message=f"update failed, nothing was changed: {exc}")
        return Outcome("updated")
    result = evaluate(store, job)
    return result if isinstance(result, Outcome) else serialise(result, job)


Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


def evaluate(store: ox.Store, job: Job) -> Result | Outcome:
    """Start evaluating the query of ``job`` (results are lazy), or the error outcome."""
    # Without a dataset in the request, the default graph is the store's own: the merge
    # of the named graphs, each triple once (see helixgraph.store.merge).
    dataset = bool(job.default_graphs or job.named_graphs)
    text, extra = with_prefixes(store, job.text, job)
    try:
        result: Result = store.query(
            text,
            **extra,
            base_iri=job.base_iri,
            default_graph=_graphs(job.default_graphs) if dataset else None,
            named_graphs=_graphs(job.named_graphs) if dataset else None,
        )
    except SyntaxError as exc:
        shift = len(text) - len(job.text)
        return Outcome("syntax", message=parse_error("query", exc, job.text, job, shift))
    except (OSError, ValueError, RuntimeError) as exc:  # RuntimeError: a damaged store
        return Outcome("error", message=f"query failed: {exc}")
    return result


def serialise(result: Result, job: Job, out: _CappedBuffer | None = None) -> Outcome:
    """The outcome of an evaluated query: its results in the negotiated format, capped
    (at ``job.max_bytes``, or by ``out``, whose own exceptions pass through)."""
    graph = isinstance(result, ox.QueryTriples)
    try:
        fmt, media_type = negotiate(job.accept, graph, job.format)
    except NotAcceptable as exc:
        return Outcome("not_acceptable", message=str(exc))
    out = out or _CappedBuffer(job.max_bytes)
    try:
        if graph:  # a set: no triple twice, even over a dataset of several graphs
            ox.serialize(distinct_triples(result), out, fmt.ox_format)  # type: ignore[arg-type]
        else:
            result.serialize(out, fmt.ox_format)  # type: ignore[arg-type]
    except ResultTooLarge:
        return Outcome(
            "too_large",
            message=f"the result is larger than the cap of {job.max_bytes:,} bytes; "
            "narrow the query or add a LIMIT",
        )
    except (OSError, ValueError, SyntaxError, RuntimeError) as exc:  # results are lazy
        return Outcome("error", message=f"query failed: {exc}")
    if media_type.startswith("text/"):
        media_type += "; charset=utf-8"
    return Outcome("ok", out.getvalue(), media_type, extension=fmt.extension)
