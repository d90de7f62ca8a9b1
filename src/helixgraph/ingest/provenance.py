"""The records of import runs: graph names, PROV metadata, and finding them again.

Each import writes the graph ``graph/import/{name}``; the metadata graph describes it
(``hx:ImportGraph``, rows read and skipped, files, filters) and the run that made it
(a ``prov:Activity`` ``id/import/{name}-{time}``), with the dataset it came from.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pyoxigraph as ox

from helixgraph.ingest.datasets import describe
from helixgraph.ingest.toolkit import Extract, ImportFailed, Out
from helixgraph.vocab.namespace import DCTERMS, GRAPH, HX, ID, META_GRAPH, PROV, RDF, VOID, XSD

IMPORT_GRAPH = GRAPH + "import/"
RUN_IRI = ID + "import/"


def import_graph(name: str) -> str:
    """The IRI of the import graph ``name`` (a lower-case slug, else ImportFailed)."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise ImportFailed([f"bad graph name {name!r}: use a lower-case slug"])
    return IMPORT_GRAPH + name


def run_iri(graph: str, started: dt.datetime) -> str:
    """The IRI of the run that imports ``graph``, started at ``started``."""
    return f"{RUN_IRI}{graph.rsplit('/', 1)[-1]}-{started.strftime('%Y%m%dT%H%M%S%fZ')}"


def describe_run(
    extract: Extract, graph: str, run: str, triples: int, started: dt.datetime, ended: dt.datetime
) -> list[ox.Quad]:
    """The metadata quads of one import: its graph, its run and its dataset."""
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


def records_of(store: ox.Store, graph: str) -> set[str]:
    """Subjects of the metadata graph that belong to ``graph``'s previous import."""
    q = f"SELECT ?run WHERE {{ GRAPH <{META_GRAPH}> {{ <{graph}> <{PROV.wasGeneratedBy}> ?run }} }}"
    runs = {sol["run"].value for sol in store.query(q)}  # type: ignore[union-attr]
    return runs | {graph}


def import_quads(store: ox.Store, skip: str = "") -> Iterator[ox.Quad]:
    """The import graphs and their metadata (for a rebuild from data/ to carry over),
    except the graphs whose IRI starts with ``skip``."""
    meta = ox.NamedNode(str(META_GRAPH))
    q = (
        f"SELECT DISTINCT ?g ?s WHERE {{ GRAPH <{META_GRAPH}> {{ {{ ?g a <{HX.ImportGraph}> . "
        f"BIND(?g AS ?s) }} UNION {{ ?g a <{HX.ImportGraph}> ; <{PROV.wasGeneratedBy}> ?s }} "
        f"UNION {{ ?g a <{HX.ImportGraph}> ; <{PROV.wasDerivedFrom}> ?s }} }} }}"
    )
    keep = {
        sol["s"].value
        for sol in store.query(q)  # type: ignore[union-attr]
        if not (skip and sol["g"].value.startswith(skip))
    }
    for g in store.named_graphs():
        if g.value.startswith(IMPORT_GRAPH) and not (skip and g.value.startswith(skip)):
            yield from store.quads_for_pattern(None, None, None, g)
    for s in sorted(keep):
        yield from store.quads_for_pattern(ox.NamedNode(s), None, None, meta)
