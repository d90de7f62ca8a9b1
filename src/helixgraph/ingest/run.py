"""One import run: an external dataset → one named graph, swapped in atomically.

A source (``sources/cordis.py``, ``ror.py``, ``structural_funds.py``, ``generic.py``) reads
its files into a :class:`~helixgraph.ingest.toolkit.Extract`. :func:`run_import` then

1. resolves the organisations against the current store (``resolve.py``);
2. writes the facts as quads of the graph ``graph/import/{name}``;
3. validates them: undeclared terms over the whole graph, and SHACL (``validate.py``)
   over the whole graph when it is small, over a sample of its nodes (with everything
   the store says about them) when it is large;
4. updates a checkpoint of the store (``store.updating``: a new build directory whose
   files are hard links to the current build's, no whole-store copy): the old
   ``graph/import/{name}`` and its metadata go, the new graph and its PROV metadata
   (``provenance.py``) come in, and the default graph stays the merge of the named graphs
   (:func:`swap_in`); then the link is swapped. Any failure before the swap leaves the
   store as it was (the checkpoint is removed), a server keeps reading the old build
   until the swap, and re-importing the same files gives the same graph (idempotent).
   A remote store gets the import's graph and the metadata graph over the wire.

Steps 1-3 are :func:`stage`, which the build also uses to stage the regional extracts
against an in-memory store (:func:`helixgraph.ingest.build.stage_regional`).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from helixgraph import store as hstore
from helixgraph.ingest import nuts
from helixgraph.ingest.datasets import DATASETS, describe
from helixgraph.ingest.paths import gazetteer_file
from helixgraph.ingest.provenance import describe_run, import_graph, records_of, run_iri
from helixgraph.ingest.resolve import Index, Resolution, resolve
from helixgraph.ingest.terms import rdflib_term, term_value
from helixgraph.ingest.toolkit import Extract, ImportFailed, Org, Out, Places
from helixgraph.ingest.validate import declared_terms, ontology_dir, validate
from helixgraph.store import merge
from helixgraph.vocab.namespace import (
    HX,
    META_GRAPH,
    ONTOLOGY_GRAPH,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    XSD,
)

FULL_SHACL_LIMIT = 20_000  # triples; above this, SHACL runs on a sample of nodes
SAMPLE_NODES = 1_000
Progress = Callable[[str, int, int], None]  # (task, done, total)


def _nothing(task: str, done: int, total: int) -> None:
    return None


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


def emit_orgs(out: Out, orgs: dict[str, Org], res: Resolution, places: Places, source: str) -> None:
    """Organisation facts; onto an existing node only identifiers and names as altLabels.

    A node created by the seed or an earlier import keeps its curated kinds, helices and
    preferred labels; the import adds what it knows as extra names and identifiers.
    """
    n = out.n
    a_type, org_class, derived, src = (
        n(RDF.type),
        n(HX.Organisation),
        n(PROV.wasDerivedFrom),
        n(source),
    )
    pref, label, alt, abbreviation = (
        n(SKOS.prefLabel),
        n(RDFS.label),
        n(SKOS.altLabel),
        n(HX.abbreviation),
    )
    for key, org in orgs.items():
        s = n(res.iri[key])
        rec = org.record
        out.add(s, a_type, org_class)
        out.add(s, derived, src)
        for scheme, value in rec.ids.items():
            out.add(s, HX[scheme], out.text(value))
        if res.is_new(key):
            for kind in org.kinds:
                out.add(s, a_type, HX[kind])
            for helix in org.helices:
                out.add(s, HX.helix, HX[helix])
            seen: set[str | None] = set()
            for text, lang in rec.names:
                if lang not in seen:
                    seen.add(lang)
                    name = out.text(text, lang)
                    out.add(s, pref, name)
                    out.add(s, label, name)
                else:
                    out.add(s, alt, out.text(text, lang))
            for abbr in rec.abbreviations:
                out.add(s, abbreviation, out.text(abbr))
                out.add(s, alt, out.text(abbr))
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
                out.add(s, alt, out.text(text, lang))
            for abbr in rec.abbreviations:
                out.add(s, alt, out.text(abbr))
            # a node no source places yet is placed where this source says it is
            if org.city and s.value not in places.located:
                place = places.city(org.city, rec.country)
                if place:
                    out.add(s, HX.locatedIn, place)
                    places.located.add(s.value)


# --------------------------------------------------------------------------- validation


def _declared_terms(ontology: Path) -> frozenset[str]:
    return declared_terms(ontology / "helix.ttl")


def check(
    quads: list[ox.Quad],
    old: ox.Store,
    meta: list[ox.Quad],
    exclude: str,
    ontology: Path,
    *,
    full_limit: int = FULL_SHACL_LIMIT,
    seed: int = 0,
    sample: int = SAMPLE_NODES,
) -> str:
    """Validate the new graph; raise ImportFailed with one line per violation."""
    declared = _declared_terms(ontology)
    a_type = ox.NamedNode(str(RDF.type))
    used = {p.value for p in {q.predicate for q in quads}}
    used |= {term_value(o) for o in {q.object for q in quads if q.predicate == a_type}}
    undeclared = sorted(used - declared)
    if undeclared:
        raise ImportFailed(
            [
                f"{ontology / 'helix.ttl'}: term used by the import but not declared: {t}"
                for t in undeclared
            ]
        )
    by_node: dict[object, list[ox.Quad]] = {}
    for q in quads:
        by_node.setdefault(q.subject, []).append(q)
    by_subject = {term_value(s): facts for s, facts in by_node.items()}
    subjects = sorted(by_subject)
    if len(quads) <= full_limit:
        focus, mode = subjects, f"SHACL on the whole graph ({len(quads)} triples)"
    else:
        focus = random.Random(seed).sample(subjects, min(sample, len(subjects)))
        mode = f"SHACL on a sample of {len(focus)} of {len(subjects)} nodes"
    g = Graph()
    for q in meta:
        g.add((rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object)))
    skip = ox.NamedNode(exclude)
    neighbours: set[str] = set()

    def add_old(s: str, *, types_only: bool = False) -> None:
        pred = ox.NamedNode(str(RDF.type)) if types_only else None
        for q in old.quads_for_pattern(ox.NamedNode(s), pred, None, None):
            if isinstance(q.graph_name, ox.DefaultGraph):
                continue  # the merge: it still holds the old version of this import
            if q.graph_name != skip and q.graph_name != ox.NamedNode(str(ONTOLOGY_GRAPH)):
                g.add((rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object)))
                if not types_only and isinstance(q.object, ox.NamedNode):
                    neighbours.add(term_value(q.object))

    for s in focus:
        for q in by_subject[s]:
            g.add((rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object)))
            if isinstance(q.object, ox.NamedNode):
                neighbours.add(term_value(q.object))
        add_old(s)
    for n in neighbours - set(focus):
        for q in by_subject.get(n, []):
            if q.predicate.value == str(RDF.type) or q.predicate.value.startswith(str(SKOS)):
                g.add((rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object)))
        add_old(n, types_only=True)
    report = validate(
        g, shapes_path=ontology / "shapes.ttl", ontology_path=ontology / "helix.ttl", inplace=True
    )
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


def carried_quads(
    store: ox.Store, exclude: str | None = None, *, only: set[str] | None = None
) -> Iterator[ox.Quad]:
    """Every quad of the store (of the graphs ``only``, if given) except graph ``exclude``
    and the metadata of its import."""
    drop = records_of(store, exclude) if exclude else set()
    meta = ox.NamedNode(str(META_GRAPH))
    for g in store.named_graphs():
        if exclude and g.value == exclude or only is not None and g.value not in only:
            continue
        for q in store.quads_for_pattern(None, None, None, g):
            if g == meta and term_value(q.subject) in drop:
                continue
            yield q


@dataclass
class Staged:
    """One import resolved, written and validated, not yet in any store."""

    graph: str
    quads: list[ox.Quad]
    meta: list[ox.Quad]
    resolution: Resolution
    validation: str
    seconds: dict[str, float]


def stage(
    extract: Extract,
    old: ox.Store,
    graph: str,
    *,
    ontology: Path,
    progress: Progress = _nothing,
    full_limit: int = FULL_SHACL_LIMIT,
    sample: int = SAMPLE_NODES,
    run: str | None = None,
    data: Path | None = None,
) -> Staged:
    """Resolve ``extract`` against ``old``, write its graph and its metadata, validate them
    (raises ImportFailed). ``run`` names the import run (default: ``id/import/...``)."""
    started = dt.datetime.now(dt.UTC)
    c = {"start": time.perf_counter()}
    progress("resolving organisations", 0, len(extract.orgs))
    index = Index.from_store(old, exclude_graph=graph)
    for org in extract.orgs.values():  # the city the source states is a hint for names
        org.record.city = org.record.city or org.city
    res = resolve((o.record for o in extract.orgs.values()), index)
    progress("resolving organisations", len(extract.orgs), len(extract.orgs))
    c["resolved"] = time.perf_counter()
    out = Out(graph)
    places = Places(old, graph)
    source = extract.dataset.iri
    emit_orgs(out, extract.orgs, res, places, source)
    extract.emit(out, res, places)
    places.emit(out, source)
    placed = nuts.place_cities(out, places, nuts.load_gazetteer(gazetteer_file(data)))
    quads = list(dict.fromkeys(out.quads))  # drop duplicates, keep order
    c["written"] = time.perf_counter()
    # the gazetteer's dataset is cited too: describe it as a source document
    cited = describe(DATASETS[nuts.GAZETTEER_DATASET], str(META_GRAPH)) if placed else []
    meta_preview = describe(extract.dataset, str(META_GRAPH), custom_title=extract.source_title)
    meta_preview += cited
    progress("validating", 0, 1)
    mode = check(quads, old, meta_preview, graph, ontology, full_limit=full_limit, sample=sample)
    progress("validating", 1, 1)
    c["validated"] = time.perf_counter()
    run = run or run_iri(graph, started)
    meta = describe_run(extract, graph, run, len(quads), started, dt.datetime.now(dt.UTC))
    meta += cited
    seconds = {
        "resolve": c["resolved"] - c["start"],
        "map": c["written"] - c["resolved"],
        "validate": c["validated"] - c["written"],
    }
    return Staged(graph, quads, meta, res, mode, seconds)


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
    ontology = ontology or ontology_dir()
    store_path = store_path or hstore.default_path()
    graph = import_graph(name or extract.dataset.id)
    old = hstore.open_store(store_path)
    staged = stage(extract, old, graph, ontology=ontology, progress=progress, full_limit=full_limit)
    swap_started = time.perf_counter()
    triples = len(staged.quads)  # swap_in releases the staged quads
    if hstore.is_remote(store_path):
        total = _replace_remote(old, store_path, staged, progress)
    else:
        del old  # the copy is made from the build on disk
        total = swap_in(store_path, staged, progress)
    seconds = dict(staged.seconds, store=time.perf_counter() - swap_started)
    return ImportReport(
        graph,
        extract.dataset.id,
        triples,
        extract.rows_read,
        len(extract.problems),
        staged.resolution,
        extract.counts,
        extract.problems.lines,
        staged.validation,
        total,
        seconds,
    )


def swap_in(store_path: Path, staged: Staged, progress: Progress = _nothing) -> int:
    """Put ``staged`` into a checkpoint of the embedded store at ``store_path`` (no whole-store
    copy: see ``store.updating``) and swap it in; the number of quads the store then holds.

    In the copy, Oxigraph does the work, with no Python object per quad: the default-graph
    triples that only the old import graph states go (one SPARQL update), the old graph and
    its metadata records go, then the new graph's triples, written once as N-Triples to a
    file beside the builds, are bulk-loaded twice: into the import graph and into the
    default graph (the merge of the named graphs). The staged quads are released before the
    loader runs (``staged.quads`` is emptied), so the two never fill memory together.
    """
    graph = ox.NamedNode(staged.graph)
    meta_graph = ox.NamedNode(str(META_GRAPH))
    default = ox.DefaultGraph()
    total_added = len(staged.quads) + len(staged.meta)
    with hstore.updating(store_path) as st:
        progress("writing the store", 0, total_added)
        with merge.triples_file(hstore.builds_dir(store_path), staged.quads) as triples:
            staged.quads.clear()  # the file holds them now: free their memory for the loader
            # default-graph triples that no other named graph states leave with the old graph
            st.update(merge.drop_graph(staged.graph))
            removed: list[ox.Quad] = []
            for s in sorted(records_of(st, staged.graph)):
                removed += st.quads_for_pattern(ox.NamedNode(s), None, None, meta_graph)
            st.remove_graph(graph)
            for q in removed:
                st.remove(q)
            for q in removed:  # a record's triple stays merged while a named graph states it
                stated = st.quads_for_pattern(q.subject, q.predicate, q.object, None)
                if all(isinstance(x.graph_name, ox.DefaultGraph) for x in stated):
                    st.remove(ox.Quad(q.subject, q.predicate, q.object, default))
            done = 0
            for part in merge.chunks(triples):
                # lenient: Oxigraph wrote the file from terms it had checked; no IRI parsing
                st.bulk_load(part, ox.RdfFormat.N_TRIPLES, to_graph=graph, lenient=True)
                st.bulk_load(part, ox.RdfFormat.N_TRIPLES, to_graph=default, lenient=True)
                done += part.count(b"\n")
                progress("writing the store", done, total_added)
            st.bulk_extend(_chain(staged.meta, merge.merged(staged.meta)))
        progress("writing the store", total_added, total_added)
        # the named graphs' quads (one index scan; the default graph only repeats them)
        named = st.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        total = int(next(iter(named))["n"].value)  # type: ignore[arg-type]
    return total


def _replace_remote(old: ox.Store, store_path: Path, staged: Staged, progress: Progress) -> int:
    """A remote store is replaced in part: only the import's graph and the metadata graph
    go over the wire; the seed and the other imports stay on the server as they are."""
    carried = carried_quads(old, staged.graph, only={str(META_GRAPH)})
    with hstore.replacing(store_path, keep_other_graphs=True) as st:
        batch: list[ox.Quad] = []
        done = 0
        for q in _chain(carried, staged.quads, staged.meta):
            batch.append(q)
            if len(batch) >= 100_000:
                st.bulk_extend(batch)
                done += len(batch)
                batch = []
                progress("writing the store", done, 0)
        st.bulk_extend(batch)
        done += len(batch)
        progress("writing the store", done, done)
    return merge.named_quads(old)  # ``old`` is the server itself, which now holds the new graphs


def _chain(*parts: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    for part in parts:
        yield from part
