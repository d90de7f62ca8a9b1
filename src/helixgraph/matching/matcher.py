"""The matcher: an index of organisations' names and identifiers, built once, that turns
a query (a name, types, properties) into scored candidates.

Candidates come from four places: an identifier in the query (ROR id or URL, PIC,
Wikidata QID, GRID id) or in its properties, the exact key of a name
(:func:`~helixgraph.matching.normalise.key`), an acronym, and the names sharing the
query's rarer words (an inverted index) or close to it in spelling (rapidfuzz). Each
is scored 0–100 by :func:`helixgraph.matching.scoring.name_score` against each of its
names; property constraints (country, city, identifiers) then raise or lower the score.

``match`` is set on the first candidate only when it is certain: an identifier, or a
score at least :data:`THRESHOLD` with no other organisation within :data:`MARGIN` of it.
Both were calibrated on the labelled evaluation set (``tests/fixtures/reconcile/``,
``benchmarks/reconcile_quality.py``) so that automatic matches are right ≥ 99 % of the time.
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from helixgraph.matching.entities import (
    ACRONYM,
    ID_SCHEMES,
    Candidate,
    Constraint,
    Entity,
    Query,
    canonical_id,
    identifiers_in,
)
from helixgraph.matching.normalise import fold, key, looks_like_acronym, squashed, words
from helixgraph.matching.places import country_code
from helixgraph.matching.scoring import Name, Text, name_score, weight

THRESHOLD = 90.0  # a candidate at or above it may be a sure match …
MARGIN = 6.0  # … when no other organisation scores within this of it
FUZZY_CUTOFF = 82.0  # spelling-close keys below this are not candidates
FUZZY_WHEN_BELOW = 80.0  # look for spelling-close keys only when nothing scored as much
RESPELL_EDITS = 1  # a query word no name has is read as a known word this many edits away
MAX_CANDIDATES = 20  # scored per query, at most
COMMON = 400  # a word in more names than this ("university") finds too much alone
RESPELL_CACHE = 100_000  # unknown words whose reading is kept
PROPERTIES = ("country", "city", *ID_SCHEMES)  # the properties a query may constrain


_TOKEN = re.compile(r"[a-z0-9]+")
_BRACKETS = re.compile(r"\(([^()]{2,40})\)")


class MatchError(ValueError):
    """A query the matcher cannot answer as asked (an unknown property, a bad value)."""


@dataclass(frozen=True)
class _Scored:
    index: int
    score: float
    matched: str
    features: dict[str, float | bool]


class Matcher:
    """Organisations by name and identifier. Build once per graph version; thread-safe
    for reading (its index is never changed after construction; a cache of respelled
    words only grows, each entry the same answer whoever writes it)."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities: list[Entity] = list(entities)
        self.by_id: dict[str, Entity] = {e.id: e for e in self.entities}
        self._ident: dict[tuple[str, str], list[int]] = defaultdict(list)
        self._exact: dict[str, list[int]] = defaultdict(list)
        self._acronym: dict[str, list[int]] = defaultdict(list)
        self._word: dict[str, list[int]] = defaultdict(list)
        self._folded: list[tuple[str, int, str]] = []  # (folded name, entity, name) for suggest
        prepared: list[list[tuple[str, str, str, frozenset[str]]]] = []
        self._tokens: set[str] = set()  # every word of every name, as written (folded)
        for i, e in enumerate(self.entities):
            for scheme, values in e.ids.items():
                for v in values:
                    self._ident[(scheme, v)].append(i)
            names: list[tuple[str, str, str, frozenset[str]]] = []
            seen: set[tuple[str, bool]] = set()
            for text, kind in ((e.name, "label"), *e.names):
                k = key(text)
                if not k or (k, kind == ACRONYM) in seen:
                    continue
                seen.add((k, kind == ACRONYM))
                ws = frozenset(words(text))
                names.append((text, kind, k, ws))
                if i not in self._exact[k]:
                    self._exact[k].append(i)
                if kind == ACRONYM or looks_like_acronym(text):
                    self._acronym[squashed(text)].append(i)
                for w in ws:
                    if not self._word[w] or self._word[w][-1] != i:
                        self._word[w].append(i)
                self._folded.append((fold(text), i, text))
                self._tokens.update(_TOKEN.findall(fold(text)))
            prepared.append(names)
        self._rarity = {w: min(1.0, 1.0 / len(ix) ** 0.5) for w, ix in self._word.items()}
        self._names: list[list[Name]] = [
            [Name(t, kind, k, squashed(t), ws, weight(ws, self._rarity)) for t, kind, k, ws in ns]
            for ns in prepared
        ]
        # ties go to the organisation the graph knows best (more names and identifiers)
        self._richness = [
            len(ns) + sum(map(len, e.ids.values()))
            for ns, e in zip(prepared, self.entities, strict=True)
        ]
        # every distinct key, shortest first, for the spelling-close search: a key whose
        # length is too far from the query's cannot reach FUZZY_CUTOFF, so only a slice
        # of them is compared (ratio ≤ 2·min(len)/(sum of lengths))
        self._keys = sorted(self._exact, key=len)
        self._key_lengths = [len(k) for k in self._keys]
        self._respelled_words: dict[str, str] = {}  # a cache: unknown word → its reading
        by_length: dict[int, list[str]] = defaultdict(list)
        for token in sorted(self._tokens):
            by_length[len(token)].append(token)
        # the words a word of length n may be a misspelling of: one edit away, they
        # differ in length by one letter at most
        self._near_length = {
            n: [w for size in range(n - 1, n + 2) for w in by_length.get(size, ())]
            for n in range(5, max(by_length, default=0) + 2)
        }

    # ------------------------------------------------------------------ reconcile

    def match(self, query: Query) -> list[Candidate]:
        """The candidates for one query, best first, at most ``query.limit``."""
        for c in query.constraints:
            if c.pid not in PROPERTIES:
                raise MatchError(f"unknown property {c.pid!r} (one of {', '.join(PROPERTIES)})")
            if c.pid == "country":
                for v in c.values:
                    if country_code(v) is None:
                        raise MatchError(f"country {v!r} is neither an ISO code nor a known name")
        text = query.text.strip()
        generic = False
        found: dict[int, _Scored] = {}
        for scheme, value in identifiers_in(text) if text else []:
            for i in self._ident.get((scheme, value), ()):
                found[i] = _Scored(i, 100.0, value, {"identifier": True})
        if text:
            q = self._prepare(text)
            generic = self._generic(q)
            self._score_names(q, self._candidates(q), found)
            if max((s.score for s in found.values()), default=0.0) < FUZZY_WHEN_BELOW:
                self._score_names(q, self._spelled_close(q), found)
        for c in query.constraints:  # identifiers given as properties find their holder
            if c.pid in ID_SCHEMES:
                for v in c.values:
                    held = canonical_id(c.pid, v)
                    if held is None:
                        raise MatchError(f"{v!r} is not a {c.pid} identifier")
                    for i in self._ident.get((c.pid, held), ()):
                        if i not in found:
                            found[i] = _Scored(i, 0.0 if text else 100.0, held, {})
        implied = self._implied_country(text, query)
        scored = [self._constrained(s, query, implied) for s in found.values()]
        if query.types:
            scored = [s for s in scored if self.entities[s.index].types & query.types]
        scored.sort(key=lambda s: (-s.score, -self._richness[s.index], self.entities[s.index].name))
        return self._decide(scored[: max(query.limit, 1)], scored, sure_allowed=not generic)

    def match_many(self, queries: Sequence[Query]) -> list[list[Candidate]]:
        return [self.match(q) for q in queries]

    def _prepare(self, text: str) -> Text:
        respelled = self._respelled(text)
        ws = frozenset(words(respelled))
        return Text(
            text,
            " ".join(sorted(ws)),
            squashed(text),
            ws,
            looks_like_acronym(text),
            weight(ws, self._rarity),
            guessed=respelled != fold(text),
        )

    def _respelled(self, text: str) -> str:
        """The text with each word no name has replaced by the closest word a name has
        ("Univesity" → "university"), so the words and phrases are recognised."""

        def near(m: re.Match[str]) -> str:
            token = m[0]
            if len(token) < 5 or token in self._tokens or token.isdigit():
                return token
            known = self._respelled_words.get(token)
            if known is None:
                found = process.extractOne(
                    token,
                    self._near_length.get(len(token), ()),
                    scorer=Levenshtein.distance,
                    score_cutoff=RESPELL_EDITS,
                )
                known = token if found is None else str(found[0])
                if len(self._respelled_words) < RESPELL_CACHE:  # the same answer every time
                    self._respelled_words[token] = known
            return known

        return _TOKEN.sub(near, fold(text))

    def _candidates(self, q: Text) -> list[int]:
        """Organisations with the query's key or acronym, then those sharing its rarer words."""
        out: dict[int, float] = {}
        for i in self._exact.get(q.key, ()):
            out[i] = 10.0
        for i in self._acronym.get(q.squashed, ()):
            out[i] = 10.0
        votes: dict[int, float] = defaultdict(float)
        for w in q.words:
            ix = self._word.get(w, ())
            if len(ix) > COMMON:  # "university", "netherlands": they find too much alone
                continue
            r = self._rarity.get(w, 0.0)
            for i in ix:
                votes[i] += r
        # with an exact name in hand, the others are only there to be runners-up
        keep = MAX_CANDIDATES // 2 if out else MAX_CANDIDATES
        for i, v in heapq.nlargest(keep, votes.items(), key=lambda kv: kv[1]):
            out.setdefault(i, v)
        if self._generic(q):  # only common words: the names that are most nearly just them
            having = set.intersection(*(set(self._word[w]) for w in q.words))
            fewest = heapq.nsmallest(
                MAX_CANDIDATES, having, key=lambda i: min(len(n.words) for n in self._names[i])
            )
            for i in fewest:
                out.setdefault(i, 0.0)
        return list(out)

    def _generic(self, q: Text) -> bool:
        """Whether every word of the query is common ("University", "Hospital"): such a
        query names no one organisation, whatever name or abbreviation it equals."""
        return bool(q.words) and all(len(self._word.get(w, ())) > COMMON for w in q.words)

    def _spelled_close(self, q: Text) -> list[int]:
        """Organisations with a key close in spelling (typos, words run together)."""
        share = FUZZY_CUTOFF / 100.0
        n = len(q.key)
        lo = bisect.bisect_left(self._key_lengths, math.ceil(n * share / (2.0 - share)))
        hi = bisect.bisect_right(self._key_lengths, math.floor(n * (2.0 - share) / share))
        close = process.extract(
            q.key, self._keys[lo:hi], scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=10
        )
        return [i for k, _, _ in close for i in self._exact[k]]

    def _score_names(self, q: Text, candidates: Iterable[int], found: dict[int, _Scored]) -> None:
        for i in candidates:
            if i in found:
                continue
            best, matched = 0.0, ""
            for name in self._names[i]:
                s = name_score(q, name, self._rarity)
                if s > best:
                    best, matched = s, name.text
            found[i] = _Scored(i, round(best, 2), matched, {"name": round(best, 2)})

    @staticmethod
    def _implied_country(text: str, query: Query) -> Constraint | None:
        """A country the name states in brackets ("Philips (Netherlands)"), unless the
        query gives a country itself."""
        if any(c.pid == "country" for c in query.constraints):
            return None
        for inner in _BRACKETS.findall(text):
            if country_code(inner):
                return Constraint("country", (inner,))
        return None

    def _constrained(self, s: _Scored, query: Query, implied: Constraint | None) -> _Scored:
        if not query.constraints and implied is None:
            return s
        e = self.entities[s.index]
        score, features = s.score, dict(s.features)
        for c in (*query.constraints, *([implied] if implied else [])):
            ok = self._holds(e, c)
            if ok is None:
                continue
            features[c.pid] = ok
            if c.pid in ID_SCHEMES:
                score = 100.0 if ok else score - 40.0
            elif c.pid == "country":
                score = score if ok else score - 30.0
            else:  # city: a weaker hint, cities are spelled many ways
                score = min(score + 2.0, 100.0) if ok else score - 8.0
        return _Scored(s.index, max(round(score, 2), 0.0), s.matched, features)

    @staticmethod
    def _holds(e: Entity, c: Constraint) -> bool | None:
        """Whether the entity has one of the values; None when it says nothing on it."""
        if c.pid in ID_SCHEMES:
            have = e.ids.get(c.pid)
            if not have:
                return None
            wanted = {canonical_id(c.pid, v) for v in c.values}
            return bool(have & {w for w in wanted if w})
        if c.pid == "country":
            if not e.country:
                return None
            return e.country in {country_code(v) for v in c.values}
        if not e.cities:
            return None
        return any(fold(v).strip() in e.cities for v in c.values)

    def _decide(
        self, top: list[_Scored], everything: list[_Scored], sure_allowed: bool = True
    ) -> list[Candidate]:
        out = []
        for rank, s in enumerate(top):
            sure = False
            by_id = any(s.features.get(k) is True for k in ("identifier", *ID_SCHEMES))
            if rank == 0 and (sure_allowed or by_id):
                runner_up = everything[1].score if len(everything) > 1 else 0.0
                sure = s.score >= THRESHOLD and s.score - runner_up >= MARGIN
            out.append(Candidate(self.entities[s.index], s.score, sure, s.features, s.matched))
        return out

    def holding(self, scheme: str, value: str) -> list[Entity]:
        """The organisations with this identifier (canonical form, e.g. ``ror``, ``03cv38k47``)."""
        return [self.entities[i] for i in self._ident.get((scheme, value), ())]

    # ------------------------------------------------------------------ suggest

    def suggest(self, prefix: str, limit: int = 10, cursor: int = 0) -> list[Entity]:
        """Organisations whose name (or a word of it) starts with ``prefix``, or that hold
        the identifier it spells; names that start with it first, then shorter names."""
        p = fold(prefix).strip()
        if not p:
            return []
        hits: dict[int, tuple[int, int]] = {}
        for scheme, value in identifiers_in(prefix):
            for i in self._ident.get((scheme, value), ()):
                hits[i] = (0, 0)
        word_start = " " + p
        for folded, i, text in self._folded:
            if folded.startswith(p):
                rank = (1, len(text))
            elif word_start in folded:
                rank = (2, len(text))
            else:
                continue
            if i not in hits or rank < hits[i]:
                hits[i] = rank
        order = sorted(hits, key=lambda i: (hits[i], self.entities[i].name))
        return [self.entities[i] for i in order[cursor : cursor + limit]]
