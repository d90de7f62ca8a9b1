"""What the matcher matches: entities (an id, names, identifiers, a place, types) and
queries (a text, types, property constraints), as plain data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

# The identifier schemes a query may name, with the shape of a canonical value.
ID_SCHEMES: dict[str, re.Pattern[str]] = {
    "ror": re.compile(r"0[a-z0-9]{6}\d{2}"),
    "pic": re.compile(r"\d{9}"),
    "wikidata": re.compile(r"Q[1-9]\d*"),
    "grid": re.compile(r"grid\.\d+\.[0-9a-f]+"),
    "isni": re.compile(r"\d{4} \d{4} \d{4} \d{3}[\dX]"),
    "fundref": re.compile(r"\d{6,12}"),
    "kvk": re.compile(r"\d{8}"),
}
_PREFIXES = (
    ("ror", re.compile(r"^(?:https?://)?(?:www\.)?ror\.org/", re.I)),
    ("wikidata", re.compile(r"^(?:https?://)?(?:www\.)?wikidata\.org/(?:entity|wiki)/", re.I)),
    ("grid", re.compile(r"^(?:https?://)?(?:www\.)?grid\.ac/institutes/", re.I)),
)
# Name kinds, strongest first: a display name, another name, an acronym.
LABEL, ALIAS, ACRONYM = "label", "alias", "acronym"


def canonical_id(scheme: str, value: str) -> str | None:
    """The canonical form of an identifier of ``scheme``, or None if it has not its shape."""
    v = value.strip()
    for name, prefix in _PREFIXES:
        if name == scheme:
            v = prefix.sub("", v)
    if scheme == "wikidata":
        v = v.upper()
    elif scheme == "isni":
        digits = re.sub(r"[\s-]", "", v).upper()
        if len(digits) == 16:
            v = " ".join(digits[i : i + 4] for i in range(0, 16, 4))
    else:
        v = v.lower()
    pattern = ID_SCHEMES.get(scheme)
    return v if pattern is not None and pattern.fullmatch(v) else None


def identifiers_in(text: str) -> list[tuple[str, str]]:
    """The (scheme, value) pairs a query text can be read as: a ROR id or URL, a PIC, a
    Wikidata QID or URL, a GRID id. A bare number of nine digits is read as a PIC only."""
    t = text.strip()
    found = []
    for scheme in ("ror", "wikidata", "grid", "pic"):
        value = canonical_id(scheme, t)
        if value is not None:
            found.append((scheme, value))
    return found


@dataclass(frozen=True)
class Entity:
    """One organisation as the matcher knows it."""

    id: str
    name: str
    names: tuple[tuple[str, str], ...] = ()  # (text, LABEL|ALIAS|ACRONYM)
    ids: Mapping[str, frozenset[str]] = field(default_factory=dict)  # scheme → values
    country: str = ""  # ISO 3166 alpha-2, upper case; "" when unknown
    cities: frozenset[str] = frozenset()  # folded city names
    types: frozenset[str] = frozenset()
    description: str = ""


@dataclass(frozen=True)
class Constraint:
    """A property a candidate should have: ``country`` = ``NL``, ``ror`` = ``03cv38k47``."""

    pid: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Query:
    text: str = ""
    types: frozenset[str] = frozenset()
    constraints: tuple[Constraint, ...] = ()
    limit: int = 5


@dataclass(frozen=True)
class Candidate:
    entity: Entity
    score: float  # 0–100: 100 an identifier or an exact name, ≥ the threshold a sure match
    match: bool
    features: Mapping[str, float | bool]
    matched: str = ""  # the name (or identifier) that matched
