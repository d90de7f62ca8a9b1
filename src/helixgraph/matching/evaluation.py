"""Measure a matcher on a labelled set: top-1 accuracy, precision of ``match: true``,
recall, and the time a batch takes.

A case is a query with the identifiers of its right answer (a ROR id, a PIC: any
organisation holding one of them is right). When no organisation of the index holds
them, the case has no right answer there: it counts only for precision (a sure match
to anything is a false one). See ``tests/fixtures/reconcile/README.md``.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from helixgraph.matching.entities import Constraint, Query
from helixgraph.matching.matcher import Matcher


@dataclass(frozen=True)
class Case:
    query: str
    expected: tuple[tuple[str, str], ...]  # (scheme, value): who holds one is the answer
    variant: str = ""  # label, alias, acronym, upper, typo, cordis, …
    city: str = ""  # a property to send with the query, when the set has one


@dataclass
class Quality:
    cases: int = 0
    answerable: int = 0  # cases whose answer is in the index (the others: no right answer)
    top1: int = 0  # answerable cases whose first candidate is right
    sure: int = 0  # cases with match: true
    sure_right: int = 0
    seconds: float = 0.0
    by_variant: dict[str, list[int]] = field(default_factory=dict)  # variant → [n, top1]
    misses: list[tuple[str, str, str, bool]] = field(
        default_factory=list
    )  # query, got, variant, sure

    @property
    def accuracy(self) -> float:
        return self.top1 / self.answerable if self.answerable else 0.0

    @property
    def precision(self) -> float:
        return self.sure_right / self.sure if self.sure else 1.0

    @property
    def recall(self) -> float:
        """Answerable cases matched automatically and rightly."""
        return self.sure_right / self.answerable if self.answerable else 0.0


def read_cases(path: Path) -> list[Case]:
    """Cases from a CSV file: ``query, ror, pic, variant, city`` (``#`` lines are notes)."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        out = []
        for row in rows:
            expected = tuple(
                (scheme, v)
                for scheme in ("ror", "pic")
                for v in (row.get(scheme) or "").split("|")
                if v
            )
            out.append(Case(row["query"], expected, row.get("variant", ""), row.get("city", "")))
        return out


def evaluate(matcher: Matcher, cases: Sequence[Case], use_city: bool = False) -> Quality:
    """Run every case as one batch and score the answers."""
    queries = [
        Query(
            c.query,
            constraints=(Constraint("city", (c.city,)),) if use_city and c.city else (),
            limit=3,
        )
        for c in cases
    ]
    start = time.perf_counter()
    answers = matcher.match_many(queries)
    quality = Quality(cases=len(cases), seconds=time.perf_counter() - start)
    for case, candidates in zip(cases, answers, strict=True):
        right = _holders(matcher, case.expected)  # none: the answer is not in this index
        first = candidates[0] if candidates else None
        ok = first is not None and first.entity.id in right
        if right:
            quality.answerable += 1
            quality.top1 += ok
            tally = quality.by_variant.setdefault(case.variant, [0, 0])
            tally[0] += 1
            tally[1] += ok
        if not ok and (right or (first is not None and first.match)):
            got = first.entity.name if first else "(nothing)"
            quality.misses.append((case.query, got, case.variant, bool(first and first.match)))
        if first is not None and first.match:
            quality.sure += 1
            quality.sure_right += ok
    return quality


def _holders(matcher: Matcher, expected: Iterable[tuple[str, str]]) -> set[str]:
    return {e.id for scheme, value in expected for e in matcher.holding(scheme, value)}
