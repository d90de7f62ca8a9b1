"""One import run: an external dataset → one named graph, swapped in atomically.

An importer (``sources/cordis.py``, ``ror.py``, ``structural_funds.py``, ``generic.py``)
reads its files into an :class:`Extract`: the organisations it names (as
:class:`~helixgraph.ingest.resolve.Record` plus kinds, helices and place) and a function that
writes every other fact. :func:`run_import` then

1. resolves the organisations against the current store (``resolve.py``);
2. writes the facts as quads of the graph ``graph/import/{name}``;
3. validates them: undeclared terms over the whole graph (SPARQL), and SHACL
   (``validate.py``) over the whole graph when it is small, over a sample of its nodes
   (with everything the store says about them) when it is large;
4. writes a new store holding the current store minus the old ``graph/import/{name}``
   (and its metadata) plus the new graph and its PROV metadata, and swaps it in with
   ``store.replacing``. Any failure before the swap leaves the store as it was, and
   re-importing the same files gives the same graph (idempotent).

Bad rows are collected by :class:`Problems`: ``on_error="stop"`` raises at the first one,
``"skip"`` skips the row and counts it. Each is reported as ``file:row: column: problem``.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from helixgraph import store as hstore
from helixgraph.ingest.resolve import Index, Record, Resolution, resolve
from helixgraph.ingest.sources.datasets import Dataset, describe
from helixgraph.ingest.validate import ontology_dir, validate
from helixgraph.vocab.namespace import (
    DCTERMS,
    GRAPH,
    HX,
    ID,
    META_GRAPH,
    ONTOLOGY_GRAPH,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    VOID,
    XSD,
)

IMPORT_GRAPH = GRAPH + "import/"
RUN_IRI = ID + "import/"
FULL_SHACL_LIMIT = 20_000  # triples; above this, SHACL runs on a sample of nodes
SAMPLE_NODES = 1_000
Progress = Callable[[str, int, int], None]  # (task, done, total)


def _v(term: object) -> str:
    """The IRI or lexical form of a pyoxigraph term ("" for the default graph)."""
    return str(getattr(term, "value", ""))


def _nothing(task: str, done: int, total: int) -> None:
    return None


class ImportFailed(RuntimeError):
    """The import stopped; the store is unchanged. ``problems`` are ``file:row: …`` lines."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def import_graph(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise ImportFailed([f"bad graph name {name!r}: use a lower-case slug"])
    return IMPORT_GRAPH + name


class Problems:
    """Bad rows: ``stop`` raises at the first, ``skip`` records and counts them."""

    def __init__(self, on_error: str = "stop"):
        if on_error not in ("stop", "skip"):
            raise ValueError(f"on_error must be 'stop' or 'skip', not {on_error!r}")
        self.on_error = on_error
        self.lines: list[str] = []
        self.kinds: Counter[str] = Counter()

    def add(self, file: Path | str, row: int, column: str, problem: str) -> None:
        line = f"{file}:{row}: {column}: {problem}"
        if self.on_error == "stop":
            raise ImportFailed([line])
        self.lines.append(line)
        self.kinds[f"{column}: {re.sub(r'[0-9]+', 'N', problem.split(':')[0])[:60]}"] += 1

    def __len__(self) -> int:
        return len(self.lines)


@dataclass
class Org:
    """An organisation as an importer read it."""

    record: Record
    kinds: list[str] = field(default_factory=list)  # local names of hx: classes
    helices: list[str] = field(default_factory=list)  # local names of hx: concepts
    city: str = ""
    website: str = ""
    founded: str = ""  # a year


class Out:
    """Collects the quads of one graph, with small helpers for terms."""

    def __init__(self, graph: str):
        self.graph = ox.NamedNode(graph)
        self.quads: list[ox.Quad] = []
        self._nodes: dict[str, ox.NamedNode] = {}

    def n(self, value: str | URIRef) -> ox.NamedNode:
        key = str(value)
        node = self._nodes.get(key)
        if node is None:
            node = self._nodes[key] = ox.NamedNode(key)
        return node

    def add(self, s: str | URIRef, p: URIRef, o: ox.NamedNode | ox.Literal | str | URIRef) -> None:
        obj = o if isinstance(o, ox.NamedNode | ox.Literal) else self.n(o)
        self.quads.append(ox.Quad(self.n(s), self.n(p), obj, self.graph))

    def text(self, value: str, lang: str | None = None) -> ox.Literal:
        return ox.Literal(value, language=lang) if lang else ox.Literal(value)

    def typed(self, value: object, datatype: URIRef) -> ox.Literal:
        return ox.Literal(str(value), datatype=self.n(datatype))


@dataclass
class Extract:
    """What an importer read: organisations and a writer of the other facts."""

    dataset: Dataset
    files: list[Path]
    orgs: dict[str, Org]
    rows_read: int
    emit: Callable[[Out, Resolution, Places], None]
    problems: Problems
    filters: str = ""
    counts: dict[str, int] = field(default_factory=dict)  # e.g. "projects": 31451
    source_title: str | None = None


@dataclass
class ImportReport:
    graph: str
    dataset: str
    triples: int
    rows_read: int
    rows_skipped: int
    resolution: Resolution
    counts: dict[str, int]
    problems: list[str]
    validation: str
    store_quads: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


class Places:
    """City nodes ``id/place/city-{cc}-{slug}``, or the seed's city of the same name."""

    def __init__(self, store: ox.Store, exclude_graph: str = ""):
        self.existing: dict[str, str] = {}  # normalised Dutch city name → seed/imported IRI
        self.labelled: set[str] = set()  # place IRIs that already have a label in the store
        q = (
            "PREFIX hx: <https://w3id.org/helixgraph/ontology#> "
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            "SELECT ?p ?n WHERE { GRAPH ?g { ?p a hx:City ; skos:prefLabel ?n } "
            f"FILTER(?g != <{exclude_graph}>) }}"
        )
        for sol in store.query(q):  # type: ignore[union-attr]
            iri, name = sol["p"].value, sol["n"].value
            self.labelled.add(iri)
            if "/place/city-" not in iri:
                self.existing.setdefault(_slug(name), iri)
        self.made: dict[str, str] = {}  # IRI → display name, written by this import

    def city(self, name: str, country: str) -> str | None:
        """The IRI of a city (``country`` ISO alpha-2), creating a node when needed."""
        slug = _slug(re.sub(r"^\d{4}\s*[A-Z]{0,2}\s+", "", name.strip()))
        if not slug or not country:
            return None
        if country.upper() == "NL" and slug in self.existing:
            return self.existing[slug]
        iri = f"{ID}place/city-{country.lower()}-{slug}"
        if iri not in self.labelled:
            self.made.setdefault(iri, _display(name))
        return iri

    def emit(self, out: Out, source: str) -> None:
        for iri, name in self.made.items():
            out.add(iri, RDF.type, HX.Place)
            out.add(iri, RDF.type, HX.City)
            out.add(iri, SKOS.prefLabel, out.text(name, "en"))
            out.add(iri, RDFS.label, out.text(name, "en"))
            out.add(iri, PROV.wasDerivedFrom, source)


def _slug(text: str) -> str:
    import unicodedata

    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")


def _display(name: str) -> str:
    name = re.sub(r"\s+", " ", name.strip())
    return name.title() if name.isupper() or name.islower() else name


def emit_orgs(out: Out, orgs: dict[str, Org], res: Resolution, places: Places, source: str) -> None:
    """Organisation facts; onto an existing node only identifiers and names as altLabels.

    A node created by the seed or an earlier import keeps its curated kinds, helices and
    preferred labels; the import adds what it knows as extra names and identifiers.
    """
    for key, org in orgs.items():
        s = res.iri[key]
        rec = org.record
        out.add(s, RDF.type, HX.Organisation)
        out.add(s, PROV.wasDerivedFrom, source)
        for scheme, value in rec.ids.items():
            out.add(s, HX[scheme], out.text(value))
        if res.is_new(key):
            for kind in org.kinds:
                out.add(s, RDF.type, HX[kind])
            for helix in org.helices:
                out.add(s, HX.helix, HX[helix])
            seen: set[str | None] = set()
            for text, lang in rec.names:
                if lang not in seen:
                    seen.add(lang)
                    out.add(s, SKOS.prefLabel, out.text(text, lang))
                    out.add(s, RDFS.label, out.text(text, lang))
                else:
                    out.add(s, SKOS.altLabel, out.text(text, lang))
            for abbr in rec.abbreviations:
                out.add(s, HX.abbreviation, out.text(abbr))
                out.add(s, SKOS.altLabel, out.text(abbr))
            if org.founded:
                out.add(s, HX.founded, out.typed(org.founded, XSD.gYear))
            if org.website:
                out.add(s, SCHEMA.url, out.typed(org.website, XSD.anyURI))
            if org.city:
                place = places.city(org.city, rec.country)
                if place:
                    out.add(s, HX.locatedIn, place)
        else:
            for text, lang in rec.names:
                out.add(s, SKOS.altLabel, out.text(text, lang))
            for abbr in rec.abbreviations:
                out.add(s, SKOS.altLabel, out.text(abbr))


# --------------------------------------------------------------------------- validation


def _rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(term)


def _declared_terms(ontology: Path) -> set[str]:
    g = Graph().parse(ontology / "helix.ttl")
    return {str(s) for s in g.subjects(RDF.type, None) if isinstance(s, URIRef)}


def check(
    quads: list[ox.Quad],
    old: ox.Store,
    meta: list[ox.Quad],
    exclude: str,
    ontology: Path,
    *,
    full_limit: int = FULL_SHACL_LIMIT,
    seed: int = 0,
) -> str:
    """Validate the new graph; raise ImportFailed with one line per violation."""
    declared = _declared_terms(ontology)
    used = {q.predicate.value for q in quads}
    used |= {_v(q.object) for q in quads if q.predicate.value == str(RDF.type)}
    undeclared = sorted(used - declared)
    if undeclared:
        raise ImportFailed(
            [
                f"{ontology / 'helix.ttl'}: term used by the import but not declared: {t}"
                for t in undeclared
            ]
        )
    by_subject: dict[str, list[ox.Quad]] = {}
    for q in quads:
        by_subject.setdefault(_v(q.subject), []).append(q)
    subjects = sorted(by_subject)
    if len(quads) <= full_limit:
        focus, mode = subjects, f"SHACL on the whole graph ({len(quads)} triples)"
    else:
        focus = random.Random(seed).sample(subjects, min(SAMPLE_NODES, len(subjects)))
        mode = f"SHACL on a sample of {len(focus)} of {len(subjects)} nodes"
    g = Graph()
    for q in meta:
        g.add((_rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object)))  # type: ignore[arg-type]
    skip = ox.NamedNode(exclude)
    neighbours: set[str] = set()

    def add_old(s: str, *, types_only: bool = False) -> None:
        pred = ox.NamedNode(str(RDF.type)) if types_only else None
        for q in old.quads_for_pattern(ox.NamedNode(s), pred, None, None):
            if q.graph_name != skip and q.graph_name != ox.NamedNode(str(ONTOLOGY_GRAPH)):
                g.add((_rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object)))  # type: ignore[arg-type]
                if not types_only and isinstance(q.object, ox.NamedNode):
                    neighbours.add(_v(q.object))

    for s in focus:
        for q in by_subject[s]:
            g.add((_rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object)))  # type: ignore[arg-type]
            if isinstance(q.object, ox.NamedNode):
                neighbours.add(_v(q.object))
        add_old(s)
    for n in neighbours - set(focus):
        for q in by_subject.get(n, []):
            if q.predicate.value == str(RDF.type) or q.predicate.value.startswith(str(SKOS)):
                g.add((_rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object)))  # type: ignore[arg-type]
        add_old(n, types_only=True)
    report = validate(g, shapes_path=ontology / "shapes.ttl", ontology_path=ontology / "helix.ttl")
    focus_set = set(focus)
    # Neighbours come with their types only, so only the sampled nodes are judged.
    problems = sorted({v.text() for v in report.violations if str(v.focus) in focus_set})
    if problems:
        raise ImportFailed(
            [f"SHACL ({mode}): {p}" for p in problems[:50]]
            + ([f"... and {len(problems) - 50} more"] if len(problems) > 50 else [])
        )
    return mode


# --------------------------------------------------------------------------- the run


def describe_run(
    extract: Extract, graph: str, run: str, triples: int, started: dt.datetime, ended: dt.datetime
) -> list[ox.Quad]:
    out = Out(str(META_GRAPH))
    g, source = graph, extract.dataset.iri
    out.add(g, RDF.type, HX.ImportGraph)
    out.add(g, PROV.wasDerivedFrom, source)
    out.add(g, PROV.wasGeneratedBy, run)
    out.add(g, PROV.generatedAtTime, out.typed(ended.isoformat(), XSD.dateTime))
    out.add(g, VOID.triples, out.typed(triples, XSD.integer))
    out.add(g, HX.rowsRead, out.typed(extract.rows_read, XSD.integer))
    out.add(g, HX.rowsSkipped, out.typed(len(extract.problems), XSD.integer))
    if extract.dataset.licence:
        out.add(g, DCTERMS.license, extract.dataset.licence)
    for f in extract.files:
        out.add(g, HX.sourceFile, out.text(f.name))
    if extract.filters:
        out.add(g, HX.importFilter, out.text(extract.filters))
    out.add(run, RDF.type, PROV.Activity)
    out.add(run, PROV.used, source)
    out.add(run, PROV.startedAtTime, out.typed(started.isoformat(), XSD.dateTime))
    out.add(run, PROV.endedAtTime, out.typed(ended.isoformat(), XSD.dateTime))
    out.quads += describe(extract.dataset, str(META_GRAPH), custom_title=extract.source_title)
    return out.quads


def _old_meta_of(store: ox.Store, graph: str) -> set[str]:
    """Subjects of the metadata graph that belong to ``graph``'s previous import."""
    q = f"SELECT ?run WHERE {{ GRAPH <{META_GRAPH}> {{ <{graph}> <{PROV.wasGeneratedBy}> ?run }} }}"
    runs = {sol["run"].value for sol in store.query(q)}  # type: ignore[union-attr]
    return runs | {graph}


def carried_quads(
    store: ox.Store, exclude: str | None = None, *, only: set[str] | None = None
) -> Iterator[ox.Quad]:
    """Every quad of the store (of the graphs ``only``, if given) except graph ``exclude``
    and the metadata of its import."""
    drop = _old_meta_of(store, exclude) if exclude else set()
    meta = ox.NamedNode(str(META_GRAPH))
    for g in store.named_graphs():
        if exclude and g.value == exclude or only is not None and g.value not in only:
            continue
        for q in store.quads_for_pattern(None, None, None, g):
            if g == meta and _v(q.subject) in drop:
                continue
            yield q


def import_quads(store: ox.Store) -> Iterator[ox.Quad]:
    """The import graphs and their metadata (for a rebuild from data/ to carry over)."""
    meta = ox.NamedNode(str(META_GRAPH))
    q = (
        f"SELECT DISTINCT ?s WHERE {{ GRAPH <{META_GRAPH}> {{ {{ ?g a <{HX.ImportGraph}> . "
        f"BIND(?g AS ?s) }} UNION {{ ?g a <{HX.ImportGraph}> ; <{PROV.wasGeneratedBy}> ?s }} "
        f"UNION {{ ?g a <{HX.ImportGraph}> ; <{PROV.wasDerivedFrom}> ?s }} }} }}"
    )
    keep = {sol["s"].value for sol in store.query(q)}  # type: ignore[union-attr]
    for g in store.named_graphs():
        if g.value.startswith(IMPORT_GRAPH):
            yield from store.quads_for_pattern(None, None, None, g)
    for s in sorted(keep):
        yield from store.quads_for_pattern(ox.NamedNode(s), None, None, meta)


def run_import(
    extract: Extract,
    *,
    name: str | None = None,
    store_path: Path | None = None,
    ontology: Path | None = None,
    progress: Progress = _nothing,
    full_limit: int = FULL_SHACL_LIMIT,
) -> ImportReport:
    """Resolve, write, validate and swap in one import (see the module docstring)."""
    import time

    ontology = ontology or ontology_dir()
    store_path = store_path or hstore.default_path()
    graph = import_graph(name or extract.dataset.id)
    started = dt.datetime.now(dt.UTC)
    clock = {"start": time.perf_counter()}
    old = hstore.open_store(store_path)
    progress("resolving organisations", 0, len(extract.orgs))
    index = Index.from_store(old, exclude_graph=graph)
    res = resolve((o.record for o in extract.orgs.values()), index)
    progress("resolving organisations", len(extract.orgs), len(extract.orgs))
    clock["resolved"] = time.perf_counter()
    out = Out(graph)
    places = Places(old, graph)
    source = extract.dataset.iri
    emit_orgs(out, extract.orgs, res, places, source)
    extract.emit(out, res, places)
    places.emit(out, source)
    quads = list(dict.fromkeys(out.quads))  # drop duplicates, keep order
    clock["written"] = time.perf_counter()
    meta_preview = describe(extract.dataset, str(META_GRAPH), custom_title=extract.source_title)
    progress("validating", 0, 1)
    mode = check(quads, old, meta_preview, graph, ontology, full_limit=full_limit)
    progress("validating", 1, 1)
    clock["validated"] = time.perf_counter()
    run = f"{RUN_IRI}{graph.rsplit('/', 1)[-1]}-{started.strftime('%Y%m%dT%H%M%S%fZ')}"
    meta = describe_run(extract, graph, run, len(quads), started, dt.datetime.now(dt.UTC))
    total = 0
    # A remote store is replaced in part: only the import's graph and the metadata graph
    # go over the wire; the seed and the other imports stay on the server as they are.
    remote = hstore.is_remote(store_path)
    carried = carried_quads(old, graph, only={str(META_GRAPH)} if remote else None)
    replace = (
        hstore.replacing(store_path, keep_other_graphs=True)
        if remote
        else hstore.replacing(store_path)
    )
    with replace as st:
        batch: list[ox.Quad] = []
        done = 0
        for q in _chain(carried, quads, meta):
            batch.append(q)
            if len(batch) >= 100_000:
                st.bulk_extend(batch)
                done += len(batch)
                batch = []
                progress("writing the store", done, 0)
        st.bulk_extend(batch)
        done += len(batch)
        progress("writing the store", done, done)
        total = len(st)
    if remote:  # ``old`` is the server itself, which now holds the new graphs
        total = len(old)
    del old
    clock["swapped"] = time.perf_counter()
    c = clock
    seconds = {
        "resolve": c["resolved"] - c["start"],
        "map": c["written"] - c["resolved"],
        "validate": c["validated"] - c["written"],
        "store": c["swapped"] - c["validated"],
    }
    return ImportReport(
        graph,
        extract.dataset.id,
        len(quads),
        extract.rows_read,
        len(extract.problems),
        res,
        extract.counts,
        extract.problems.lines,
        mode,
        total,
        seconds,
    )


def _chain(*parts: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    for part in parts:
        yield from part


# --------------------------------------------------------------------------- rebuilds

_SCHEME_PREDICATES = {
    str(HX[s]): s for s in ("pic", "ror", "wikidata", "grid", "isni", "fundref", "kvk")
}
_CURATED_ONLY = {
    str(SKOS.prefLabel),
    str(RDFS.label),
    str(HX.helix),
    str(HX.founded),
    str(SCHEMA.url),
    str(HX.locatedIn),
    str(HX.abbreviation),
}


def carry_over(store_path: Path, seed_ids: dict[tuple[str, str], str]) -> list[ox.Quad]:
    """The import graphs of the store at ``store_path``, for a rebuild of the seed graphs.

    Re-resolution: an imported node that now shares an identifier with a seed node
    (``seed_ids``: (scheme, value) → IRI, e.g. a new row in data/identifiers.csv) is
    rewritten to the seed node's IRI, keeping only what an import may add to an existing
    node (identifiers, names as skos:altLabel, links, provenance).
    """
    if not hstore.exists(store_path):
        return []
    old = hstore.open_store(store_path)
    quads = list(import_quads(old))
    del old
    rename: dict[str, str] = {}
    for q in quads:
        scheme = _SCHEME_PREDICATES.get(q.predicate.value)
        if scheme and _v(q.graph_name).startswith(IMPORT_GRAPH):
            target = seed_ids.get((scheme, _v(q.object)))
            if target and target != _v(q.subject):
                rename.setdefault(_v(q.subject), target)
    if not rename:
        return quads
    out: list[ox.Quad] = []
    org_kind = str(HX.Organisation)
    for q in quads:
        s, o = _v(q.subject), _v(q.object) if isinstance(q.object, ox.NamedNode) else None
        p = q.predicate.value
        if s in rename:
            if (
                p == str(RDF.type)
                and o != org_kind
                or p in _CURATED_ONLY
                and p != str(SKOS.prefLabel)
            ):
                continue
            pred = ox.NamedNode(str(SKOS.altLabel)) if p == str(SKOS.prefLabel) else q.predicate
            q = ox.Quad(ox.NamedNode(rename[s]), pred, q.object, q.graph_name)
        if o is not None and o in rename:
            q = ox.Quad(q.subject, q.predicate, ox.NamedNode(rename[o]), q.graph_name)
        out.append(q)
    return list(dict.fromkeys(out))


def seed_identifiers(quads: Iterable[ox.Quad]) -> dict[tuple[str, str], str]:
    """(scheme, value) → node, from the identifier triples of the seed's quads."""
    found: dict[tuple[str, str], str] = {}
    for q in quads:
        scheme = _SCHEME_PREDICATES.get(q.predicate.value)
        if scheme:
            found.setdefault((scheme, _v(q.object)), _v(q.subject))
    return found
