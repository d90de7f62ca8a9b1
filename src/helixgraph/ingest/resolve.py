"""Entity resolution: the same organisation from several sources becomes one node.

An incoming organisation record is matched against the organisations already in the
store (the seed and earlier imports, never the graph being replaced) with the shared
matcher (:mod:`helixgraph.matching`, the one ``/reconcile`` answers with):

1. by identifier, an exact match, in the order of :data:`SCHEMES` (PIC, ROR, Wikidata,
   GRID, ISNI, FundRef, KvK): the first identifier that an existing node holds decides;
   when its other identifiers (or another holder of the same one) point at a different
   node, the case is reported as ambiguous;
2. else by name: each of the record's names is a matcher query, constrained by the
   record's country and city when it has them, against every name of the existing nodes
   (``skos:prefLabel``, ``skos:altLabel``, ``rdfs:label``, ``hx:abbreviation``; legal forms,
   word order, accents and Dutch/English variants set aside,
   :func:`helixgraph.matching.key`). The record is merged only on the matcher's sure match
   (its calibrated ``match``: a score of at least ``THRESHOLD`` with no other organisation
   within ``MARGIN``), never on a bare acronym or on one word against the record's city,
   never onto a node whose identifiers of a
   scheme differ from the record's or that an identifier gave to another record of the
   import, and never when several records of the import take the same node. Candidates
   that are close (score ≥ :data:`CLOSE`) but not sure are reported as ambiguous and left
   apart;
3. else the record gets a node of its own, ``id/org/{scheme}-{value}`` from its first
   identifier (stable across imports).

A matched record is written onto the existing node's IRI (no ``owl:sameAs``), so SPARQL,
the JSON API and the network analytics see one node without any change. Each merge says
by what (an identifier scheme, or ``name`` with its score and the name it matched).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from helixgraph.matching import (
    ACRONYM,
    ALIAS,
    ID_SCHEMES,
    LABEL,
    Candidate,
    Constraint,
    Entity,
    Matcher,
    Query,
    canonical_id,
    country_code,
    fold,
    key,
)
from helixgraph.matching.normalise import looks_like_acronym
from helixgraph.vocab.namespace import ID, iri, sparql_prefixes

SCHEMES: tuple[str, ...] = ("pic", "ror", "wikidata", "grid", "isni", "fundref", "kvk")
assert set(SCHEMES) == set(ID_SCHEMES)  # one list of schemes, in the order that decides
CLOSE = 80.0  # a candidate this close that is not a sure match is reported, never merged
NL = str(iri("place", "netherlands"))
_CC = re.compile(re.escape(ID) + r"place/(?:city|country)-([a-z]{2})(?:-|$)")


class IdentifierError(ValueError):
    """An identifier value that does not have its scheme's shape."""


def clean_id(scheme: str, value: str) -> str:
    """The canonical form of an identifier (the matcher's): ``https://ror.org/03cv38k47`` →
    ``03cv38k47``; raises :class:`IdentifierError` naming a bad scheme or value."""
    if scheme not in ID_SCHEMES:
        raise IdentifierError(f"unknown identifier scheme {scheme!r} (one of {', '.join(SCHEMES)})")
    v = canonical_id(scheme, value)
    if v is None:
        raise IdentifierError(f"{value!r} is not a {scheme} identifier")
    return v


def org_iri(scheme: str, value: str) -> str:
    """The IRI of an imported organisation: ``id/org/pic-999914801``."""
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return str(iri("org", f"{scheme}-{slug}"))


@dataclass
class Record:
    """One organisation as a source states it."""

    key: str  # e.g. "pic:999914801": unique within the import
    ids: dict[str, str] = field(default_factory=dict)  # scheme → canonical value
    names: list[tuple[str, str | None]] = field(default_factory=list)  # (text, language)
    abbreviations: list[str] = field(default_factory=list)  # not used for matching
    country: str = ""  # ISO 3166 alpha-2, upper case; "" when unknown
    origin: str = ""  # file:row, for the report
    default_iri: str = ""  # the IRI of a new node, when not made from an identifier
    city: str = ""  # as the source spells it; "" when unknown (a hint for name matches)

    @property
    def name(self) -> str:
        return self.names[0][0] if self.names else self.key


@dataclass(frozen=True)
class Merge:
    key: str
    name: str
    target: str
    target_label: str
    rule: str  # "pic", "ror", …, or "name"
    origin: str
    score: float = 100.0  # the matcher's score of a name match (identifiers: 100)
    matched: str = ""  # the existing node's name that matched

    @property
    def by(self) -> str:
        """What the merge rests on: ``pic``, or ``name 97.5 ('Rijksuniversiteit Groningen')``."""
        if self.rule != "name":
            return self.rule
        return f"name {self.score:g}" + (f" ({self.matched!r})" if self.matched else "")


@dataclass(frozen=True)
class Ambiguous:
    key: str
    name: str
    candidates: tuple[str, ...]
    reason: str
    origin: str
    chosen: str = ""  # the node used (id conflicts), "" when left apart


@dataclass
class Resolution:
    iri: dict[str, str] = field(default_factory=dict)  # record key → node IRI
    existing: set[str] = field(default_factory=set)  # record keys written onto an existing node
    merges: list[Merge] = field(default_factory=list)
    ambiguous: list[Ambiguous] = field(default_factory=list)
    index: Index | None = None

    def is_new(self, key: str) -> bool:
        return key not in self.existing

    def lookup_name(self, name: str, country: str = "") -> str | None:
        """The existing organisation this name surely is (the matcher's sure match, in
        ``country`` if given, not by an acronym alone), else None."""
        if self.index is None:
            return None
        sure = _sure(name, self.index.matcher().match(_query(name, country, "")))
        return sure.entity.id if sure else None


@dataclass
class Index:
    """Identifiers, names, countries and cities of the organisations already in the store;
    :meth:`matcher` is the shared matcher over them."""

    by_id: dict[tuple[str, str], str] = field(default_factory=dict)
    ids_of: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # node → scheme → values
    names: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # node → (text, kind)
    label: dict[str, str] = field(default_factory=dict)
    country: dict[str, str] = field(default_factory=dict)
    cities: dict[str, set[str]] = field(default_factory=dict)  # node → folded city names
    nodes: set[str] = field(default_factory=set)
    _matcher: Matcher | None = None

    def add_id(self, node: str, scheme: str, value: str) -> None:
        self.by_id.setdefault((scheme, value), node)
        self.ids_of.setdefault(node, {}).setdefault(scheme, set()).add(value)
        self._matcher = None

    def add_name(self, node: str, name: str, kind: str = LABEL) -> None:
        self.names.setdefault(node, []).append((name, kind))
        if kind != ACRONYM:
            self.label.setdefault(node, name)
        self._matcher = None

    def matcher(self) -> Matcher:
        """The matcher over the indexed organisations (built once, on first use)."""
        if self._matcher is None:
            self._matcher = Matcher(
                Entity(
                    id=node,
                    name=self.label.get(node, node.rsplit("/", 1)[-1]),
                    names=tuple(self.names.get(node, ())),
                    ids={s: frozenset(v) for s, v in self.ids_of.get(node, {}).items()},
                    country=country_code(self.country.get(node, "")) or "",
                    cities=frozenset(self.cities.get(node, ())),
                )
                for node in sorted(self.nodes)
            )
        return self._matcher

    @classmethod
    def from_store(cls, store: ox.Store, exclude_graph: str | None = None) -> Index:
        index = cls()
        skip = f"FILTER(?g != <{exclude_graph}>)" if exclude_graph else ""
        schemes = " ".join(f"(hx:{s} '{s}')" for s in SCHEMES)
        prefix = sparql_prefixes("hx", "skos", "rdfs")
        q_ids = prefix + (
            f"SELECT ?o ?scheme ?v WHERE {{ VALUES (?p ?scheme) {{ {schemes} }} "
            f"GRAPH ?g {{ ?o ?p ?v }} {skip} }}"
        )
        for sol in store.query(q_ids):  # type: ignore[union-attr]
            key_ = (sol["scheme"].value, sol["v"].value)
            index.add_id(sol["o"].value, *key_)
        q_orgs = prefix + (
            f"SELECT DISTINCT ?o WHERE {{ GRAPH ?g {{ ?o a hx:Organisation }} {skip} }}"
        )
        for sol in store.query(q_orgs):  # type: ignore[union-attr]
            index.nodes.add(sol["o"].value)
        q_names = prefix + (
            "SELECT ?o ?p ?n WHERE { VALUES ?p { skos:prefLabel rdfs:label skos:altLabel "
            f"hx:abbreviation }} GRAPH ?g {{ ?o ?p ?n }} {skip} }}"
        )
        kinds = {"prefLabel": LABEL, "label": LABEL, "altLabel": ALIAS, "abbreviation": ACRONYM}
        for sol in store.query(q_names):  # type: ignore[union-attr]
            node = sol["o"].value
            if node in index.nodes:
                kind = kinds[sol["p"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]]
                index.add_name(node, sol["n"].value, kind)
        q_places = prefix + (
            f"SELECT ?o ?p WHERE {{ GRAPH ?g {{ ?o hx:locatedIn ?x }} ?x hx:partOf* ?p {skip} }}"
        )
        for sol in store.query(q_places):  # type: ignore[union-attr]
            node, place = sol["o"].value, sol["p"].value
            cc = "NL" if place == NL else (m[1].upper() if (m := _CC.match(place)) else "")
            if cc and node in index.nodes:
                index.country.setdefault(node, cc)
        q_cities = prefix + (
            f"SELECT ?o ?l WHERE {{ GRAPH ?g {{ ?o hx:locatedIn ?x }} ?x skos:prefLabel ?l {skip} }}"
        )
        for sol in store.query(q_cities):  # type: ignore[union-attr]
            if sol["o"].value in index.nodes:
                index.cities.setdefault(sol["o"].value, set()).add(fold(sol["l"].value).strip())
        return index


def _query(text: str, country: str, city: str) -> Query:
    """A matcher query for one name, constrained by the country and city it comes with."""
    constraints = []
    cc = country_code(country) if country else None
    if cc:
        constraints.append(Constraint("country", (cc,)))
    if city.strip():
        constraints.append(Constraint("city", (city,)))
    return Query(text, constraints=tuple(constraints), limit=5)


def _sure(text: str, candidates: list[Candidate]) -> Candidate | None:
    """The matcher's sure match, unless the record's name is a bare acronym ("UMCG") or a
    single word whose city contradicts the candidate's ("STICHTING AVANS" in Tilburg is
    not "Avans+" in Breda): one word is weak evidence against a stated place."""
    if not candidates or not candidates[0].match or looks_like_acronym(text):
        return None
    top = candidates[0]
    if len(key(text).split()) == 1 and top.features.get("city") is False:
        return None
    return top


# A firm's national branch: CORDIS's "ASML NETHERLANDS B.V." is ROR's "ASML (Netherlands)"
_BRANCH = re.compile(
    r"^(?P<firm>.*\S)\s*,?\s+(?:the\s+)?(?:nederland|netherlands)\s*,?\s*"
    r"(?:b\.?\s?v|n\.?\s?v)\.?$",
    re.IGNORECASE,
)


def _names(rec: Record) -> list[str]:
    """The texts to query for a record: its names, and a Dutch firm's name as ROR writes
    its national branch (``X NEDERLAND B.V.`` → ``X (Netherlands)``)."""
    out = [text for text, _ in rec.names]
    if country_code(rec.country or "-") == "NL":
        out += [f"{m['firm']} (Netherlands)" for t in list(out) if (m := _BRANCH.match(t))]
    return out


def _short(node: str) -> str:
    return node.rsplit("/", 1)[-1]


def _by_identifier(rec: Record, index: Index) -> list[tuple[str, str]]:
    """(scheme, node) for each of the record's identifiers that existing nodes hold,
    in the order of :data:`SCHEMES` (each holder of a shared identifier once)."""
    matcher = index.matcher()
    hits = []
    for s in SCHEMES:
        if s in rec.ids:
            hits += [(s, e.id) for e in matcher.holding(s, rec.ids[s])]
    return hits


def _by_name(
    rec: Record, index: Index, claimed: dict[str, str]
) -> tuple[str, Candidate] | Ambiguous | None:
    """The node the record's names surely match (and the candidate), a doubt, or None."""
    matcher = index.matcher()
    sure: dict[str, Candidate] = {}
    close: dict[str, float] = {}
    seen: set[str] = set()
    for text in _names(rec):
        k = key(text)
        if not k or k in seen:
            continue
        seen.add(k)
        candidates = matcher.match(_query(text, rec.country, rec.city))
        top = _sure(text, candidates)
        if top is not None and (top.entity.id not in sure or top.score > sure[top.entity.id].score):
            sure[top.entity.id] = top
        for c in candidates:
            if c.score >= CLOSE and c.features.get("country") is not False:
                close[c.entity.id] = max(c.score, close.get(c.entity.id, 0.0))
    if len(sure) > 1:
        return _doubt(rec, sorted(sure), "its names match different organisations; left apart")
    if sure:
        node, top = next(iter(sure.items()))
        clash = _id_clash(rec, index.ids_of.get(node, {}))
        if clash:
            why = f"{_short(node)} has another {clash}"
            return _doubt(rec, [why], "same name but conflicting identifiers; left apart")
        if node in claimed:
            why = f"{_short(node)} is already {claimed[node]}"
            return _doubt(rec, [why], "same name but conflicting identifiers; left apart")
        return node, top
    if close:
        best = max(close.values())
        return _doubt(
            rec,
            sorted(close, key=lambda n: (-close[n], n)),
            f"name close to {len(close)} organisation(s) (best score {best:g}) "
            "but no sure match; left apart",
        )
    return None


def _doubt(rec: Record, candidates: Iterable[str], reason: str) -> Ambiguous:
    return Ambiguous(rec.key, rec.name, tuple(candidates), reason, rec.origin)


def resolve(records: Iterable[Record], index: Index) -> Resolution:
    """Map each record to an existing node or a new one, and report merges and doubts.

    Identifier matches are decided first, so that a name match never takes a node that
    an identifier already gave to another record of the same import.
    """
    res = Resolution(index=index)
    pending: list[Record] = []
    claimed: dict[str, str] = {}  # node → key of the record an identifier gave it to
    for rec in records:
        hits = _by_identifier(rec, index)
        if not hits:
            pending.append(rec)
            continue
        scheme, node = hits[0]
        res.iri[rec.key] = node
        res.existing.add(rec.key)
        claimed.setdefault(node, rec.key)
        res.merges.append(
            Merge(rec.key, rec.name, node, index.label.get(node, ""), scheme, rec.origin)
        )
        others = tuple(sorted({n for _, n in hits if n != node}))
        if others:
            res.ambiguous.append(
                Ambiguous(
                    rec.key,
                    rec.name,
                    (node, *others),
                    f"identifiers point at different nodes; used the {scheme} match",
                    rec.origin,
                    chosen=node,
                )
            )
    by_name: dict[str, tuple[str, Candidate]] = {}  # record key → its node and candidate
    for rec in pending:
        found = _by_name(rec, index, claimed)
        if isinstance(found, Ambiguous):
            res.ambiguous.append(found)
        elif found is not None:
            by_name[rec.key] = found
    # A name that several records of this import share does not identify any of them
    # (e.g. SIEMENS SA, SIEMENS SRL and SIEMENS SPA against one "Siemens").
    # Records without identifiers (a beneficiary list) may spell one name several ways.
    sharing: dict[str, list[str]] = defaultdict(list)
    for rec in pending:
        if rec.key in by_name and rec.ids:
            sharing[by_name[rec.key][0]].append(rec.key)
    for rec in pending:
        node, top = by_name.get(rec.key, ("", None))
        if top is not None and len(sharing[node]) <= 1:
            res.iri[rec.key] = node
            res.existing.add(rec.key)
            label = index.label.get(node, "")
            res.merges.append(
                Merge(rec.key, rec.name, node, label, "name", rec.origin, top.score, top.matched)
            )
            continue
        if node:
            why = f"{len(sharing[node])} records of this import have this name; left apart"
            res.ambiguous.append(_doubt(rec, (node,), why))
        res.iri[rec.key] = new_iri(rec)
    return res


def _id_clash(rec: Record, node_ids: dict[str, set[str]]) -> str:
    """The scheme in which the record and a node have different identifiers, or ""."""
    for scheme, value in rec.ids.items():
        if node_ids.get(scheme) and value not in node_ids[scheme]:
            return scheme
    return ""


def new_iri(rec: Record) -> str:
    if rec.default_iri:
        return rec.default_iri
    for scheme in SCHEMES:
        if scheme in rec.ids:
            return org_iri(scheme, rec.ids[scheme])
    return org_iri("name", rec.key)


def report_rows(res: Resolution) -> list[dict[str, str]]:
    """One row per merge and per ambiguous case, for a CSV report."""
    rows = [
        {
            "outcome": "merged",
            "record": m.key,
            "name": m.name,
            "node": m.target,
            "node_label": m.target_label,
            "rule": m.by,
            "candidates": "",
            "origin": m.origin,
        }
        for m in res.merges
    ]
    rows += [
        {
            "outcome": "ambiguous",
            "record": a.key,
            "name": a.name,
            "node": a.chosen,
            "node_label": "",
            "rule": a.reason,
            "candidates": " ".join(a.candidates),
            "origin": a.origin,
        }
        for a in res.ambiguous
    ]
    return rows
