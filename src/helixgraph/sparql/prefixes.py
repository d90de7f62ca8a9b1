"""The project's predeclared prefixes, for the endpoint, ``helixgraph query`` and library
callers: :data:`PREDECLARED` (:data:`helixgraph.vocab.namespace.QUERY_PREFIXES` as a
:class:`~helixgraph.sparql.execute.Job`'s ``prefixes``) and :func:`query`, which runs a
query on an open store with them.

Kept out of ``helixgraph.sparql``'s own imports: the vocabulary loads rdflib, which the
worker processes do without (their jobs carry the prefixes).
"""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox

from helixgraph.sparql.execute import Job, parse_error, with_prefixes
from helixgraph.vocab.namespace import QUERY_PREFIXES

PREDECLARED: tuple[tuple[str, str], ...] = tuple(QUERY_PREFIXES.items())


def query(store: ox.Store, text: str, **options: Any) -> Any:
    """``store.query(text, **options)`` with the project's prefixes predeclared (a
    prefix the text declares wins). An undefined prefix raises ``SyntaxError`` with one
    line naming it."""
    job = Job(text, prefixes=PREDECLARED)
    prefixed, extra = with_prefixes(store, text, job)
    try:
        return store.query(prefixed, **extra, **options)
    except SyntaxError as exc:
        shift = len(prefixed) - len(text)
        raise SyntaxError(parse_error("query", exc, text, job, shift)) from None


def compact(iri: str, prefixes: dict[str, str] = QUERY_PREFIXES) -> str:
    """``https://w3id.org/helixgraph/id/org/umcg`` → ``hxorg:umcg``: the longest namespace
    that starts ``iri`` and leaves a local name a prefixed name can spell; else ``iri``."""
    best = ""
    name = ""
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and len(ns) > len(best):
            local = iri[len(ns) :]
            if _LOCAL.fullmatch(local):
                best, name = ns, prefix
    return f"{name}:{iri[len(best) :]}" if best else iri


_LOCAL = re.compile(r"(?:\w(?:[\w\-.]*[\w\-])?)?")
