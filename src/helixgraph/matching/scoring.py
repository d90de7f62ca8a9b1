"""How close a query is to one name of an organisation, 0–100.

* 100: the same key (:func:`~helixgraph.matching.normalise.key`): the same words once
  case, accents, legal forms, word order and Dutch/English variants are set aside;
  (85 when that word was respelled to match: a one-letter slip of one word is as
  likely another organisation);
* 97: the same acronym (``U.M.C.G.`` and ``UMCG``); an acronym matches nothing else;
* otherwise half the rapidfuzz :func:`~rapidfuzz.fuzz.ratio` of the two keys (spelling),
  a fifth the share of their words weighted by rarity (a word that names one
  organisation counts fully, "university" hardly), and three tenths how much of the
  name the query holds (a register's "PHILIPS ELECTRONICS NEDERLAND B.V." holds all of
  "Philips"), capped at 99.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

from helixgraph.matching.entities import ACRONYM

GUESSED_ALONE = 85.0  # a one-word query matched only once a word was respelled
COMMON_WORD = 0.05  # the weight of a word found in every name (and of an unknown one: 1)


@dataclass(frozen=True)
class Name:
    """One name of an organisation, prepared for scoring."""

    text: str
    kind: str
    key: str
    squashed: str
    words: frozenset[str]
    weight: float  # the sum of its words' weights


@dataclass(frozen=True)
class Text:
    """A query text, prepared once for scoring against many names."""

    text: str
    key: str
    squashed: str
    words: frozenset[str]
    acronymish: bool
    weight: float
    guessed: bool = False  # a word was respelled: one word alone is then no sure match


def weight(ws: frozenset[str], rarity: Mapping[str, float]) -> float:
    """Words weighted by rarity: a word that names one organisation counts fully."""
    return sum(max(rarity.get(w, 1.0), COMMON_WORD) for w in ws)


def name_score(q: Text, name: Name, rarity: Mapping[str, float]) -> float:
    """The score of a query text against one name."""
    if q.key and q.key == name.key:
        # "Hortec" respelled is "Ortec", another firm: one guessed word proves nothing
        return GUESSED_ALONE if q.guessed and len(q.words) < 2 else 100.0
    if name.kind == ACRONYM or q.acronymish:
        return 97.0 if q.squashed and q.squashed == name.squashed else 0.0
    if not q.words or not name.words:
        return 0.0
    shared_words = q.words & name.words
    shared = weight(shared_words, rarity) if shared_words else 0.0
    overlap = shared / (q.weight + name.weight - shared)
    covered = shared / name.weight  # how much of the name the query holds
    spelling = fuzz.ratio(q.key, name.key)
    return min(0.5 * spelling + 20.0 * overlap + 30.0 * covered, 99.0)
