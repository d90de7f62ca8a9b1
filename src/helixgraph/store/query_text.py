"""Analysis of a SPARQL query or update, without evaluating it.

:func:`analyse` tokenises the text to find its form, ``SERVICE``, ``LOAD``, dataset
clauses (``FROM``, ``USING``, ``WITH``) and non-deterministic functions;
:func:`add_using` applies the protocol's ``using-graph-uri``/``using-named-graph-uri``
to an update.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

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
# Deeper nesting of { ( [ is refused before parsing: pyoxigraph's recursive-descent parser
# overflows its stack (a segmentation fault) at a few thousand levels.
MAX_NESTING = 256
_OPEN, _CLOSE = frozenset("{(["), frozenset("})]")


@dataclass(frozen=True)
class Analysis:
    """What a query or update asks for, found without evaluating it."""

    form: str  # SELECT, CONSTRUCT, DESCRIBE, ASK, UPDATE or UNKNOWN
    service: bool = False
    load: bool = False
    dataset: bool = False  # FROM / FROM NAMED in a query
    using: bool = False  # USING / USING NAMED / WITH in an update
    nondeterministic: bool = False
    depth: int = 0  # deepest nesting of { ( [

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
    ``?service``, ``ex:LOAD`` and ``"SERVICE"`` are not the keywords. Short texts are
    remembered: the server and the worker each analyse a query, and queries repeat.
    """
    if len(text) > _MEMO_CHARS:
        return _analyse(text)
    return _analyse_memo(text)


_MEMO_CHARS = 4096


def _analyse(text: str) -> Analysis:
    words: set[str] = set()
    form = ""
    depth = deepest = 0
    for m in _TOKEN.finditer(text):  # one pass: keywords, the form, bracket depth
        kind = m.lastgroup
        if kind == "word":
            word = m.group().upper()
            words.add(word)
            if not form and word not in ("PREFIX", "BASE"):
                form = word
        elif kind == "brace" or kind == "other":
            char = m.group()
            if char in _OPEN:
                depth += 1
                deepest = max(deepest, depth)
            elif char in _CLOSE:
                depth -= 1
    form = form if form in QUERY_FORMS else "UPDATE" if form in UPDATE_WORDS else "UNKNOWN"
    return Analysis(
        form=form,
        service="SERVICE" in words,
        load="LOAD" in words,
        dataset=form in QUERY_FORMS and "FROM" in words,
        using=form == "UPDATE" and bool(words & {"USING", "WITH"}),
        nondeterministic=bool(words & NONDETERMINISTIC),
        depth=deepest,
    )


_analyse_memo = functools.lru_cache(maxsize=512)(_analyse)


def too_deep(analysis: Analysis) -> str | None:
    """The refusal message for a request nested deeper than :data:`MAX_NESTING`, if it is."""
    if analysis.depth <= MAX_NESTING:
        return None
    return (
        f"the request nests brackets {analysis.depth} levels deep; at most {MAX_NESTING} "
        "are accepted"
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
