"""The organisations as the matcher sees them: every name, acronym and identifier, the
place, kinds and helices, read from the store with a few SPARQL queries and turned into
:class:`helixgraph.matching.Entity` records.

Reading and indexing them takes 10-30 s on the default store (8,535 organisations), so it
is a product of the build: :func:`index_bytes` is the ``call`` the build's precompute (or
an analytics worker) runs, in a process of its own, and the web process only
:func:`loads` the result (several times faster than building it). :func:`name_index` keeps the
index of the last few graph versions and builds or loads one version once, however many
requests ask.
"""

from __future__ import annotations

import gc
import pickle
import re
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from helixgraph.catalog.facts import select, values
from helixgraph.catalog.terms import ORG, RDF_TYPE, term_slug
from helixgraph.matching import ACRONYM, ALIAS, LABEL, Entity, Matcher, fold
from helixgraph.vocab.namespace import ID, iri

ORG_PREFIX = ID + "org/"
ORGANISATION = "organisation"  # the type every organisation has
SCHEMES = ("ror", "pic", "wikidata", "grid", "isni", "fundref", "kvk")
NL = str(iri("place", "netherlands"))
_CC = re.compile(re.escape(ID) + r"place/(?:city|country)-([a-z]{2})(?:-|$)")


@dataclass
class NameIndex:
    """The matcher over a graph version, with what a reconciliation answer shows beside it."""

    version: str
    matcher: Matcher
    helices: dict[str, list[str]] = field(default_factory=dict)  # entity id → helix slugs
    places: dict[str, list[str]] = field(default_factory=dict)  # entity id → place labels
    kinds: dict[str, list[str]] = field(default_factory=dict)  # entity id → org kind slugs


def org_id(node: str) -> str | None:
    return node[len(ORG_PREFIX) :] if node.startswith(ORG_PREFIX) else None


def read_index(store: ox.Store, version: str) -> NameIndex:
    """Read every organisation's names, identifiers, place, kinds and helices."""
    nodes: dict[str, str] = {}  # id → display label
    for row in select(
        store,
        "SELECT ?o (SAMPLE(?l) AS ?label) WHERE { ?o a hx:Organisation "
        "OPTIONAL { ?o skos:prefLabel ?l } } GROUP BY ?o",
    ):
        ident = org_id(row["o"].value)
        if ident:
            nodes[ident] = row["label"].value if "label" in row else ident
    names: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in select(
        store,
        "SELECT ?o ?p ?n WHERE { VALUES ?p { skos:prefLabel skos:altLabel rdfs:label "
        "hx:abbreviation } ?o a hx:Organisation ; ?p ?n }",
    ):
        ident = org_id(row["o"].value)
        if not ident:
            continue
        p = row["p"].value
        kind = ACRONYM if p.endswith("abbreviation") else LABEL if "prefLabel" in p else ALIAS
        names[ident].append((row["n"].value, kind))
    ids: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    schemes = " ".join(f"(hx:{s} '{s}')" for s in SCHEMES)
    for row in select(
        store, f"SELECT ?o ?scheme ?v WHERE {{ VALUES (?p ?scheme) {{ {schemes} }} ?o ?p ?v }}"
    ):
        ident = org_id(row["o"].value)
        if ident:
            ids[ident][row["scheme"].value].add(row["v"].value)
    countries: dict[str, str] = {}
    cities: dict[str, set[str]] = defaultdict(set)
    places: dict[str, list[str]] = defaultdict(list)
    for row in select(
        store,
        "SELECT ?o ?x ?label (SAMPLE(?up) AS ?nl) WHERE { ?o a hx:Organisation ; "
        "hx:locatedIn ?x . OPTIONAL { ?x skos:prefLabel ?label } "
        f"OPTIONAL {{ ?x hx:partOf* ?up FILTER(?up = <{NL}>) }} }} GROUP BY ?o ?x ?label",
    ):
        ident = org_id(row["o"].value)
        if not ident:
            continue
        place = row["x"].value
        cc = (
            "NL"
            if "nl" in row or place == NL
            else (m[1].upper() if (m := _CC.match(place)) else "")
        )
        if cc:
            countries.setdefault(ident, cc)
        if "label" in row:
            label = row["label"].value
            cities[ident].add(fold(label).strip())
            if label not in places[ident]:
                places[ident].append(label)
    kinds: dict[str, list[str]] = defaultdict(list)
    helices: dict[str, list[str]] = defaultdict(list)
    for row in select(
        store,
        f"SELECT ?o ?p ?v WHERE {{ VALUES ?p {{ <{RDF_TYPE}> hx:helix }} "
        "?o a hx:Organisation ; ?p ?v }",
    ):
        ident = org_id(row["o"].value)
        if not ident:
            continue
        if row["p"].value == RDF_TYPE:
            slug = term_slug("org_kind", row["v"].value)
            if slug and slug not in kinds[ident]:
                kinds[ident].append(slug)
        else:
            slug = term_slug("helix", row["v"].value)
            if slug and slug not in helices[ident]:
                helices[ident].append(slug)
    entities = []
    for ident, label in nodes.items():
        description = ", ".join(
            [k.replace("_", " ") for k in kinds.get(ident, [])] + places.get(ident, [])
        )
        entities.append(
            Entity(
                id=ident,
                name=label,
                names=tuple(names.get(ident, ())),
                ids={s: frozenset(v) for s, v in ids.get(ident, {}).items()},
                country=countries.get(ident, ""),
                cities=frozenset(cities.get(ident, ())),
                types=frozenset([ORGANISATION, *kinds.get(ident, [])]),
                description=description,
            )
        )
    return NameIndex(version, Matcher(entities), dict(helices), dict(places), dict(kinds))


def partner_counts(store: ox.Store, idents: list[str]) -> dict[str, int]:
    """For each organisation, how many others it works with: co-participants in an
    initiative, or linked by partner_of / collaborates_with / membership."""
    counts = dict.fromkeys(idents, 0)
    if not idents:
        return counts
    nodes = values(ORG_PREFIX + i for i in idents)
    query = (
        f"SELECT ?o (COUNT(DISTINCT ?other) AS ?n) WHERE {{ VALUES ?o {{ {nodes} }} "
        "{ ?o hx:participatesIn ?i . ?other hx:participatesIn ?i } UNION "
        "{ ?o hx:partnerOf|^hx:partnerOf|hx:collaboratesWith|^hx:collaboratesWith ?other } "
        f"UNION {{ ?o <{ORG}memberOf>|^<{ORG}memberOf> ?other }} "
        "?other a hx:Organisation FILTER(?other != ?o) } GROUP BY ?o"
    )
    for row in select(store, query):
        ident = org_id(row["o"].value)
        if ident:
            counts[ident] = int(row["n"].value)
    return counts


def index_bytes(store: ox.Store, task: Any) -> bytes:
    """The ``call`` of the build's precompute or an analytics worker
    (:func:`helixgraph.analytics.workers.call`): the pickled index of ``task.version``."""
    return pickle.dumps(read_index(store, task.version), protocol=pickle.HIGHEST_PROTOCOL)


def loads(data: bytes) -> NameIndex:
    """An index :func:`index_bytes` made. The collector is paused meanwhile: unpickling
    creates some 10^5 containers, whose collections doubled the time (0.5 s vs 1.0 s on
    the default store, loaded machine) the loading thread holds the GIL."""
    paused = gc.isenabled()
    gc.disable()
    try:
        index = pickle.loads(data)
    finally:
        if paused:
            gc.enable()
    if not isinstance(index, NameIndex):
        raise TypeError(f"not a name index: {type(index).__name__}")
    return index


_cache: OrderedDict[str, NameIndex] = OrderedDict()
_locks: dict[str, threading.Lock] = {}
_guard = threading.Lock()
KEEP = 3  # graph versions kept
made: dict[str, int] = {"read": 0, "loaded": 0}  # how each kept index came to be


def kept(version: str) -> NameIndex | None:
    """The index of ``version`` if it is kept (reads and builds nothing)."""
    with _guard:
        found = _cache.get(version)
        if found is not None:
            _cache.move_to_end(version)
        return found


def name_index(
    store: ox.Store, version: str, load: Callable[[], NameIndex] | None = None
) -> NameIndex:
    """The matcher of this graph version, kept after the first time: ``load()`` (the
    build's index, :func:`loads`) or, without ``load``, read from ``store`` here."""
    found = kept(version)
    if found is not None:
        return found
    with _guard:
        lock = _locks.setdefault(version, threading.Lock())
    with lock:  # one build per version; the others wait for it
        with _guard:
            found = _cache.get(version)
        if found is not None:
            return found
        built = load() if load is not None else read_index(store, version)
        with _guard:
            made["loaded" if load is not None else "read"] += 1
            _cache[version] = built
            while len(_cache) > KEEP:
                old, _ = _cache.popitem(last=False)
                _locks.pop(old, None)
        return built
