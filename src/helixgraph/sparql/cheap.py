"""Which queries are cheap enough to answer in the server's own process.

A query is *cheap* when its text alone bounds its work: ``SELECT`` (variables or ``*``)
or ``ASK`` over one group of triple patterns and ``FILTER`` constraints, with at most
``LIMIT``/``OFFSET`` after it, where

* at least one triple pattern is anchored: a constant subject, or a constant predicate
  and a constant object (one index range of the store);
* every other pattern has a constant predicate and shares a variable with an anchored
  pattern (one index range per answer of the anchor: a star around the anchors);
* the patterns are connected by their variables (no cartesian product).

Anything else -- aggregates, ``ORDER BY``, ``OPTIONAL``, ``UNION``, subqueries, property
paths, ``GRAPH``, ``SERVICE``, ``VALUES``, ``BIND``, ``FROM``, blank nodes, expressions in
the ``SELECT`` list -- is not cheap and goes to a killable worker process. The check
reads the text only; :class:`helixgraph.sparql.service.Service` still bounds a cheap
query's rows and time, and falls back to a worker when it finds them larger.
"""

from __future__ import annotations

import functools
import re

_TOKEN = re.compile(
    r"""
    (?P<skip>\s+|\#[^\n]*)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
    |(?P<pname>(?:[A-Za-z\u00c0-\uffff][\w\-.]*)?:(?:[\w\-:%]+(?:\.+[\w\-:%]+)*)?)
    |(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    |(?P<number>[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
    |(?P<word>[A-Za-z_]\w*)
    |(?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}().;,*=<>!+\-/])
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

Token = tuple[str, str]  # (kind, text); words upper-cased
# longest text analysed (cheap queries are short; longer ones go to the workers)
MAX_CHARS = 4096


class _NotCheap(Exception):
    pass


def _tokens(text: str) -> list[Token]:
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind == "skip":
            continue
        if kind == "other":
            raise _NotCheap
        value = m.group()
        out.append((kind, value.upper() if kind == "word" else value))
    return out


class _Reader:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> Token:
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "")

    def take(self) -> Token:
        token = self.peek()
        if token[0] == "end":
            raise _NotCheap
        self.i += 1
        return token

    def expect(self, value: str) -> None:
        if self.take()[1] != value:
            raise _NotCheap

    def accept(self, value: str) -> bool:
        if self.peek()[1] == value:
            self.i += 1
            return True
        return False


def _term(r: _Reader, *, verb: bool = False) -> str | None:
    """One RDF term: its variable's name, or None for a constant."""
    kind, value = r.take()
    if kind == "var":
        return value[1:]
    if kind in ("iri", "pname"):
        return None
    if verb:
        if (kind, value) == ("word", "A"):
            return None
        raise _NotCheap
    if kind == "string":
        if r.peek()[0] == "lang":
            r.take()
        elif r.accept("^^") and r.take()[0] not in ("iri", "pname"):
            raise _NotCheap
        return None
    if kind == "number" or (kind == "word" and value in ("TRUE", "FALSE")):
        return None
    raise _NotCheap


def _filter(r: _Reader) -> None:
    """``FILTER ( ... )`` or ``FILTER fn( ... )``: any expression without a group."""
    if r.peek()[0] == "word":
        r.take()
    r.expect("(")
    depth = 1
    while depth:
        kind, value = r.take()
        if value in ("{", "}") or (kind == "word" and value == "EXISTS"):
            raise _NotCheap
        depth += value == "("
        depth -= value == ")"


Pattern = tuple[str | None, str | None, str | None]


def _group(r: _Reader) -> list[Pattern]:
    """The triple patterns of ``{ ... }`` (filters checked and skipped)."""
    r.expect("{")
    patterns: list[Pattern] = []
    while not r.accept("}"):
        if r.accept("FILTER"):
            _filter(r)
            r.accept(".")
            continue
        subject = _term(r)
        while True:
            predicate = _term(r, verb=True)
            while True:
                patterns.append((subject, predicate, _term(r)))
                if not r.accept(","):
                    break
            if not r.accept(";") or r.peek()[1] in (".", "}"):
                break
        if not r.accept(".") and r.peek()[1] not in ("}", "FILTER"):
            raise _NotCheap
    return patterns


def _anchored(pattern: Pattern) -> bool:
    subject, predicate, obj = pattern
    # None marks a constant (see _term)
    return subject is None or (predicate is None and obj is None)


def _bounded(patterns: list[Pattern]) -> bool:
    """An anchor, and every other pattern one join away from an anchor."""
    anchors = [p for p in patterns if _anchored(p)]
    near = {v for p in anchors for v in p if v is not None}
    return bool(anchors) and all(
        _anchored(p) or (p[1] is None and bool({p[0], p[2]} & near)) for p in patterns
    )


def _connected(patterns: list[Pattern]) -> bool:
    """Every pattern shares a variable with the others, transitively."""
    groups = [{v for v in p if v is not None} for p in patterns]
    joined = groups[0]
    rest = groups[1:]
    while rest:
        linked = [g for g in rest if g & joined]
        if not linked:
            return False
        for g in linked:
            joined |= g
        rest = [g for g in rest if not g & joined]
    return True


def _check(text: str) -> bool:
    r = _Reader(_tokens(text))
    while r.peek()[1] in ("PREFIX", "BASE"):
        if r.take()[1] == "PREFIX" and r.take()[0] != "pname":
            return False
        if r.take()[0] != "iri":
            return False
    form = r.take()[1]
    if form == "SELECT":
        if not r.accept("DISTINCT"):
            r.accept("REDUCED")
        if not r.accept("*"):
            if r.peek()[0] != "var":
                return False
            while r.peek()[0] == "var":
                r.take()
    elif form != "ASK":
        return False
    r.accept("WHERE")
    patterns = _group(r)
    while r.peek()[1] in ("LIMIT", "OFFSET"):
        r.take()
        if r.take()[0] != "number":
            return False
    if r.peek()[0] != "end" or not patterns:
        return False
    return _bounded(patterns) and _connected(patterns)


def is_cheap(text: str) -> bool:
    """Whether ``text`` is a query whose work its text bounds (see the module's doc)."""
    return len(text) <= MAX_CHARS and _is_cheap(text)


@functools.lru_cache(maxsize=1024)  # the same queries come again
def _is_cheap(text: str) -> bool:
    try:
        return _check(text)
    except _NotCheap:
        return False
