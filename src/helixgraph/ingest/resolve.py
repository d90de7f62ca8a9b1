"""Entity resolution: the same organisation from several sources becomes one node.

An incoming organisation record is matched against the organisations already in the
store (the seed and earlier imports, never the graph being replaced):

1. by identifier, in the order of :data:`SCHEMES` (PIC, ROR, Wikidata, GRID, ISNI,
   FundRef, KvK): the first identifier that an existing node holds decides; when its
   other identifiers point at a different node, the case is reported as ambiguous;
2. else by normalised name (:func:`normalise`: case, accents, punctuation and legal
   forms such as ``B.V.`` or ``Stichting`` dropped) against every label of the existing
   nodes (``skos:prefLabel``, ``skos:altLabel``, ``rdfs:label``), when exactly one node
   carries that name and its country, if known, is the record's. Two or more candidates
   leave the record apart and are reported as ambiguous;
3. else the record gets a node of its own, ``id/org/{scheme}-{value}`` from its first
   identifier (stable across imports).

A matched record is written onto the existing node's IRI (no ``owl:sameAs``), so SPARQL,
the JSON API and the network analytics see one node without any change.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from helixgraph.vocab.namespace import ID, iri, sparql_prefixes

SCHEMES: tuple[str, ...] = ("pic", "ror", "wikidata", "grid", "isni", "fundref", "kvk")
ID_PATTERNS: dict[str, re.Pattern[str]] = {
    "pic": re.compile(r"\d{9}"),
    "ror": re.compile(r"0[a-z0-9]{6}\d{2}"),
    "wikidata": re.compile(r"Q[1-9]\d*"),
    "grid": re.compile(r"grid\.\d+\.[0-9a-f]+"),
    "isni": re.compile(r"\d{4} \d{4} \d{4} \d{3}[\dX]"),
    "fundref": re.compile(r"\d{6,12}"),
    "kvk": re.compile(r"\d{8}"),
}
LEGAL_FORMS = frozenset(
    [
        "bv",
        "nv",
        "vof",
        "cv",
        "stichting",
        "vereniging",
        "cooperatie",
        "ua",
        "gmbh",
        "mbh",
        "ag",
        "kg",
        "ev",
        "eg",
        "ltd",
        "limited",
        "plc",
        "llp",
        "inc",
        "corp",
        "llc",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "sl",
        "slu",
        "ab",
        "oy",
        "oyj",
        "as",
        "aps",
        "asa",
        "sp",
        "zoo",
        "doo",
        "kft",
        "sro",
        "zrt",
    ]
)
NL = str(iri("place", "netherlands"))
_CC = re.compile(re.escape(ID) + r"place/(?:city|country)-([a-z]{2})(?:-|$)")


class IdentifierError(ValueError):
    """An identifier value that does not have its scheme's shape."""


def clean_id(scheme: str, value: str) -> str:
    """The canonical form of an identifier: ``https://ror.org/03cv38k47`` → ``03cv38k47``."""
    v = value.strip()
    if scheme == "ror":
        v = v.removeprefix("https://ror.org/").removeprefix("http://ror.org/")
    elif scheme == "wikidata":
        v = v.removeprefix("http://www.wikidata.org/entity/").removeprefix(
            "https://www.wikidata.org/wiki/"
        )
    elif scheme == "isni":
        digits = v.replace(" ", "").replace("-", "")
        if len(digits) == 16:
            v = " ".join(digits[i : i + 4] for i in range(0, 16, 4))
    if scheme not in ID_PATTERNS:
        raise IdentifierError(f"unknown identifier scheme {scheme!r} (one of {', '.join(SCHEMES)})")
    if not ID_PATTERNS[scheme].fullmatch(v):
        raise IdentifierError(f"{value!r} is not a {scheme} identifier")
    return v


def org_iri(scheme: str, value: str) -> str:
    """The IRI of an imported organisation: ``id/org/pic-999914801``."""
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return str(iri("org", f"{scheme}-{slug}"))


def normalise(name: str) -> str:
    """A name for matching: ``'Hanzehogeschool Groningen, Stichting'`` → ``'hanzehogeschool groningen'``."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("&", " and ")
    text = re.sub(r"\b([a-z])\.(?=[a-z]\.)", r"\1", text)  # b.v. → bv.
    text = re.sub(r"\b([a-z])\.([a-z])\.", r"\1\2", text)
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    kept = [w for w in words if w not in LEGAL_FORMS]
    return " ".join(kept or words)


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
        """The one existing organisation with this (normalised) name, if exactly one."""
        if self.index is None:
            return None
        nodes = {
            n
            for n in self.index.by_name.get(normalise(name), ())
            if not (country and self.index.country.get(n, country) != country)
        }
        return nodes.pop() if len(nodes) == 1 else None


@dataclass
class Index:
    """Identifiers, names and countries of the organisations already in the store."""

    by_id: dict[tuple[str, str], str] = field(default_factory=dict)
    ids_of: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # node → scheme → values
    by_name: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    label: dict[str, str] = field(default_factory=dict)
    country: dict[str, str] = field(default_factory=dict)
    nodes: set[str] = field(default_factory=set)

    def add_id(self, node: str, scheme: str, value: str) -> None:
        self.by_id.setdefault((scheme, value), node)
        self.ids_of.setdefault(node, {}).setdefault(scheme, set()).add(value)

    def add_name(self, node: str, name: str) -> None:
        n = normalise(name)
        if n:
            self.by_name[n].add(node)
        self.label.setdefault(node, name)

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
            key = (sol["scheme"].value, sol["v"].value)
            index.add_id(sol["o"].value, *key)
        q_orgs = prefix + (
            f"SELECT DISTINCT ?o WHERE {{ GRAPH ?g {{ ?o a hx:Organisation }} {skip} }}"
        )
        for sol in store.query(q_orgs):  # type: ignore[union-attr]
            index.nodes.add(sol["o"].value)
        q_names = prefix + (
            "SELECT ?o ?n WHERE { VALUES ?p { skos:prefLabel skos:altLabel rdfs:label } "
            f"GRAPH ?g {{ ?o ?p ?n }} {skip} }}"
        )
        for sol in store.query(q_names):  # type: ignore[union-attr]
            node = sol["o"].value
            if node in index.nodes:
                index.add_name(node, sol["n"].value)
        q_places = prefix + (
            f"SELECT ?o ?p WHERE {{ GRAPH ?g {{ ?o hx:locatedIn ?x }} ?x hx:partOf* ?p {skip} }}"
        )
        for sol in store.query(q_places):  # type: ignore[union-attr]
            node, place = sol["o"].value, sol["p"].value
            cc = "NL" if place == NL else (m[1].upper() if (m := _CC.match(place)) else "")
            if cc and node in index.nodes:
                index.country.setdefault(node, cc)
        return index


def resolve(records: Iterable[Record], index: Index) -> Resolution:
    """Map each record to an existing node or a new one, and report merges and doubts.

    Identifier matches are decided first, so that a name match never takes a node that
    an identifier already gave to another record of the same import.
    """
    res = Resolution(index=index)
    pending: list[Record] = []
    claimed: dict[str, str] = {}  # node → key of the record an identifier gave it to
    for rec in records:
        hits = [
            (s, index.by_id[(s, rec.ids[s])])
            for s in SCHEMES
            if s in rec.ids and (s, rec.ids[s]) in index.by_id
        ]
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
    by_name: dict[str, str] = {}  # record key → the one node its name matched
    for rec in pending:
        candidates: set[str] = set()
        refused: list[str] = []
        for text, _ in rec.names:
            for node in index.by_name.get(normalise(text), ()):
                cc = index.country.get(node, "")
                if rec.country and cc and cc != rec.country:
                    continue
                clash = _id_clash(rec, index.ids_of.get(node, {}))
                if clash:
                    refused.append(f"{node.rsplit('/', 1)[-1]} has another {clash}")
                elif node in claimed:
                    refused.append(f"{node.rsplit('/', 1)[-1]} is already {claimed[node]}")
                else:
                    candidates.add(node)
        if len(candidates) == 1:
            by_name[rec.key] = candidates.pop()
        elif candidates:
            res.ambiguous.append(
                Ambiguous(
                    rec.key,
                    rec.name,
                    tuple(sorted(candidates)),
                    f"name matches {len(candidates)} organisations; left apart",
                    rec.origin,
                )
            )
        elif refused:
            res.ambiguous.append(
                Ambiguous(
                    rec.key,
                    rec.name,
                    tuple(sorted(set(refused))),
                    "same name but conflicting identifiers; left apart",
                    rec.origin,
                )
            )
    # A name that several records of this import share does not identify any of them
    # (e.g. SIEMENS SA, SIEMENS SRL and SIEMENS SPA against one "Siemens").
    # Records without identifiers (a beneficiary list) may spell one name several ways.
    sharing: dict[str, list[str]] = defaultdict(list)
    for rec in pending:
        if rec.key in by_name and rec.ids:
            sharing[by_name[rec.key]].append(rec.key)
    for rec in pending:
        node = by_name.get(rec.key, "")
        if node and len(sharing[node]) <= 1:
            res.iri[rec.key] = node
            res.existing.add(rec.key)
            res.merges.append(
                Merge(rec.key, rec.name, node, index.label.get(node, ""), "name", rec.origin)
            )
            continue
        if node:
            res.ambiguous.append(
                Ambiguous(
                    rec.key,
                    rec.name,
                    (node,),
                    f"{len(sharing[node])} records of this import have this name; left apart",
                    rec.origin,
                )
            )
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
            "rule": m.rule,
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
