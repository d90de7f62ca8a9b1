"""Compile ontology + data files into a new store, validate, then swap it in.

Nothing is written to the store users see until every file has parsed and the whole
graph conforms to the SHACL shapes; see ``store.replacing``. The graphs of imported
datasets (``helixgraph import``) live in the store only: a build carries them over
(:func:`carry_over`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef

from helixgraph import __version__
from helixgraph import store as hstore
from helixgraph.ingest import regional as hregional
from helixgraph.ingest.paths import data_dir as data_dir
from helixgraph.ingest.provenance import IMPORT_GRAPH, import_graph, import_quads
from helixgraph.ingest.resolve import Resolution
from helixgraph.ingest.run import Staged, stage
from helixgraph.ingest.seed.compile import compile_seed
from helixgraph.ingest.seed.graph import SeedGraph
from helixgraph.ingest.seed.identifiers import SCHEME_PREDICATES, seed_identifiers
from helixgraph.ingest.tables import DataError
from helixgraph.ingest.terms import oxigraph_term, term_value
from helixgraph.ingest.toolkit import ImportFailed, Problems
from helixgraph.ingest.validate import ontology_dir, undeclared_terms, validate
from helixgraph.store.merge import merged
from helixgraph.vocab.namespace import (
    HX,
    ID,
    ONTOLOGY_GRAPH,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    VOID,
    XSD,
    source_graph,
)

BUILD_IRI = ID + "build/"
# The regional extracts are checked by SHACL on a sample of nodes of each (with all the
# store says about them): the shipped files were validated whole when they were made
# (tests/ingest/test_regional.py), so the build only guards against a damaged copy.
REGIONAL_SAMPLE = 250
# What only the seed or the import that made a node may say of it (see carry_over).
CURATED_ONLY = {
    str(SKOS.prefLabel),
    str(RDFS.label),
    str(HX.helix),
    str(HX.founded),
    str(SCHEMA.url),
    str(HX.locatedIn),
    str(HX.abbreviation),
}


class BuildError(RuntimeError):
    """The build stopped; ``problems`` lists each one as ``file:line: message``."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class BuildReport:
    store_path: Path
    graphs: dict[str, int] = field(default_factory=dict)
    quads: int = 0
    build_id: str = ""
    resolutions: dict[str, Resolution] = field(default_factory=dict)  # regional graph → its

    def resolved(self, graph: str) -> str:
        """How a regional graph's organisations were resolved: ``"pic 8, name 37; 9 ambiguous"``."""
        res = self.resolutions.get(graph)
        if res is None:
            return ""
        kinds = Counter(m.rule for m in res.merges)
        merged = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) or "none"
        return f"merged {merged}; {len(res.ambiguous)} ambiguous"


def compile_all(data: Path, ontology: Path) -> SeedGraph:
    """Parse the data files and the ontology into one dataset (raises BuildError)."""
    if not data.is_dir():
        raise BuildError([f"{data}: data directory not found"])
    try:
        sg = compile_seed(data)
    except DataError as exc:
        raise BuildError([str(exc)]) from None
    helix = ontology / "helix.ttl"
    try:
        sg.dataset.graph(URIRef(ONTOLOGY_GRAPH)).parse(helix, format="turtle")
    except FileNotFoundError:
        raise BuildError([f"{helix}: ontology file not found"]) from None
    except Exception as exc:  # rdflib raises several parser error types
        raise BuildError([f"{helix}: cannot parse the ontology: {exc}"]) from None
    return sg


def check(sg: SeedGraph, ontology: Path) -> None:
    """Validate with SHACL; raise BuildError naming the data file and line of each violation."""
    data = Dataset()
    for g in sg.dataset.graphs():
        if g.identifier != URIRef(ONTOLOGY_GRAPH):
            data.graph(g.identifier).__iadd__(g)
    undeclared = undeclared_terms(data, ontology / "helix.ttl")
    if undeclared:
        raise BuildError(
            [
                f"{ontology / 'helix.ttl'}: term used by the data but not declared: {t}"
                for t in sorted(undeclared)
            ]
        )
    report = validate(
        sg.dataset, shapes_path=ontology / "shapes.ttl", ontology_path=ontology / "helix.ttl"
    )
    if report.conforms:
        return
    problems = []
    for v in report.violations:
        file, line = sg.origin.get(URIRef(str(v.focus)), ("(derived)", 0))
        where = f"{file}:{line}" if line else file
        problems.append(f"{where}: {v.focus} {v.path or ''}: {v.message}".replace("  ", " "))
    raise BuildError(sorted(set(problems)))


def describe(sg: SeedGraph, build_id: str, started: dt.datetime) -> None:
    """Record the build run and each source graph's size in the metadata graph."""
    meta = sg.meta
    run = URIRef(BUILD_IRI + build_id)
    meta.add((run, RDF.type, PROV.Activity))
    meta.add((run, PROV.startedAtTime, Literal(started.isoformat(), datatype=XSD.dateTime)))
    meta.add((run, SCHEMA.softwareVersion, Literal(__version__)))
    for source_id in sg.source_langs:
        g = URIRef(source_graph(source_id))
        meta.add((g, RDF.type, HX.SourceGraph))
        meta.add((g, PROV.wasDerivedFrom, URIRef(str(sg.ids["source"][source_id]))))
        meta.add((g, PROV.wasGeneratedBy, run))
        meta.add((g, VOID.triples, Literal(len(sg.dataset.graph(g)))))
    ended = dt.datetime.now(dt.UTC)
    meta.add((run, PROV.endedAtTime, Literal(ended.isoformat(), datatype=XSD.dateTime)))


def to_oxigraph(dataset: Dataset) -> list[ox.Quad]:
    """The named graphs' quads as pyoxigraph quads."""
    return [
        ox.Quad(oxigraph_term(s), oxigraph_term(p), oxigraph_term(o), graph)  # type: ignore[arg-type]
        for g in dataset.graphs()
        if len(g)
        for graph in [ox.NamedNode(str(g.identifier))]
        for s, p, o in g
    ]


def build(
    data: Path | None = None,
    ontology: Path | None = None,
    store_path: Path | None = None,
    *,
    progress: Callable[[str], None] = lambda _: None,
    regional: bool = False,
) -> BuildReport:
    """Build the store from ``data`` and ``ontology``; the old store stays if anything fails.

    ``regional``: also the extracts of ``data/regional/`` (:mod:`helixgraph.ingest.regional`:
    CORDIS H2020 and Horizon Europe projects of the seed regions, ROR's Dutch records),
    each staged as an import graph ``regional-…`` in the same atomic step. Without it
    (the default here; ``helixgraph build`` builds them unless ``--seed-only``) the build
    holds the seed only, and drops the regional graphs of an earlier build.
    """
    data, ontology = data or data_dir(), ontology or ontology_dir()
    store_path = store_path or hstore.default_path()
    started = dt.datetime.now(dt.UTC)
    build_id = started.strftime("%Y%m%dT%H%M%S%fZ")
    progress(f"reading {data}")
    sg = compile_all(data, ontology)
    progress("validating with SHACL")
    check(sg, ontology)
    describe(sg, build_id, started)
    report = BuildReport(store_path, build_id=build_id)
    for g in sg.dataset.graphs():
        if len(g):
            report.graphs[str(g.identifier)] = len(g)
    report.quads = sum(report.graphs.values())
    quads = to_oxigraph(sg.dataset)
    staged = stage_regional(data, quads, ontology, build_id, progress) if regional else []
    for s in staged:
        report.graphs[s.graph] = len(s.quads)
        report.resolutions[s.graph] = s.resolution
    built = set(quads).union(*(s.quads + s.meta for s in staged))
    report.quads = len(built)
    progress(f"writing {report.quads} quads to {store_path}")
    # Imported datasets (helixgraph import) live in the store only: carry them over, read
    # under the build lock so that an import finishing meanwhile is kept, not dropped.
    with hstore.replacing(store_path) as st:
        carried = carry_over(store_path, seed_identifiers(quads))
        if carried:
            progress(f"keeping {len(carried)} quads of imported datasets")
            report.quads = len(built | set(carried))
        st.extend(quads)
        for s in staged:
            st.bulk_extend(s.quads + s.meta)
        st.bulk_extend(carried)
        if len(st) != report.quads:
            raise BuildError([f"store holds {len(st)} quads, expected {report.quads}"])
    return report


def stage_regional(
    data: Path,
    seed: list[ox.Quad],
    ontology: Path,
    build_id: str,
    progress: Callable[[str], None],
) -> list[Staged]:
    """The regional extracts as import graphs, resolved in turn against the seed and the
    extracts before them (raises BuildError; nothing is written)."""
    if not hregional.present(data):
        return []
    mem = ox.Store()  # in memory: the seed and the graphs staged so far, with their merge
    mem.bulk_extend(seed)
    mem.bulk_extend(merged(seed))
    out: list[Staged] = []
    try:
        for name, extract in hregional.extracts(data, Problems("stop")):
            progress(f"staging {name} ({extract.dataset.title})")
            graph = import_graph(name)
            s = stage(
                extract,
                mem,
                graph,
                ontology=ontology,
                full_limit=0,
                sample=REGIONAL_SAMPLE,
                run=f"{BUILD_IRI}{build_id}-{name}",
                data=data,
            )
            mem.bulk_extend(s.quads)
            mem.bulk_extend(merged(s.quads))
            out.append(s)
    except ImportFailed as exc:
        raise BuildError(exc.problems) from None
    except (FileNotFoundError, ValueError) as exc:
        raise BuildError([f"{hregional.folder(data)}: {exc}"]) from None
    return out


def carry_over(store_path: Path, seed_ids: dict[tuple[str, str], str]) -> list[ox.Quad]:
    """The import graphs of the store at ``store_path``, for a rebuild of the seed graphs.

    Re-resolution: an imported node that now shares an identifier with a seed node
    (``seed_ids``: (scheme, value) → IRI, e.g. a new row in data/identifiers.csv) is
    rewritten to the seed node's IRI, keeping only what an import may add to an existing
    node (identifiers, names as skos:altLabel, links, provenance).
    """
    if not hstore.exists(store_path):
        return []
    old = hstore.open_store(store_path, check_merge=False)  # a store of any age rebuilds
    # the regional graphs are the build's own: built afresh (or left out), never carried
    quads = list(import_quads(old, skip=IMPORT_GRAPH + hregional.PREFIX))
    del old
    rename: dict[str, str] = {}
    for q in quads:
        scheme = SCHEME_PREDICATES.get(q.predicate.value)
        if scheme and term_value(q.graph_name).startswith(IMPORT_GRAPH):
            target = seed_ids.get((scheme, term_value(q.object)))
            if target and target != term_value(q.subject):
                rename.setdefault(term_value(q.subject), target)
    if not rename:
        return quads
    out: list[ox.Quad] = []
    org_kind = str(HX.Organisation)
    for q in quads:
        s = term_value(q.subject)
        o = term_value(q.object) if isinstance(q.object, ox.NamedNode) else None
        p = q.predicate.value
        if s in rename:
            if (
                p == str(RDF.type)
                and o != org_kind
                or p in CURATED_ONLY
                and p != str(SKOS.prefLabel)
            ):
                continue
            pred = ox.NamedNode(str(SKOS.altLabel)) if p == str(SKOS.prefLabel) else q.predicate
            q = ox.Quad(ox.NamedNode(rename[s]), pred, q.object, q.graph_name)
        if o is not None and o in rename:
            q = ox.Quad(q.subject, q.predicate, ox.NamedNode(rename[o]), q.graph_name)
        out.append(q)
    return list(dict.fromkeys(out))
