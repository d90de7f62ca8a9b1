"""``data/identifiers.csv`` (optional): identifiers of seed organisations in external datasets.

Each row puts ``<org> hx:{scheme} "value"`` into the graph of the dataset that states it
(``graph/source/{dataset}``) and describes that dataset as a source document in the
metadata graph; see docs/data-model.md, "Identifiers". :func:`seed_identifiers` reads
them back from the built quads, for a rebuild to re-resolve the imported nodes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef

from helixgraph.ingest.datasets import DATASETS, describe
from helixgraph.ingest.resolve import SCHEMES, IdentifierError, clean_id
from helixgraph.ingest.seed.graph import SeedGraph
from helixgraph.ingest.tables import Row, read_table
from helixgraph.ingest.terms import rdflib_term, term_value
from helixgraph.vocab.namespace import HX, META_GRAPH, iri

FILE = "identifiers.csv"
COLUMNS = ("organisation", "scheme", "value", "sources", "note")
SCHEME_PREDICATES = {str(HX[s]): s for s in SCHEMES}  # identifier property IRI → scheme


def add_identifiers(sg: SeedGraph, data_dir: Path) -> None:
    """Read ``identifiers.csv`` when it exists (raises DataError on a bad row)."""
    path = data_dir / FILE
    if not path.exists():
        return
    seen: dict[tuple[str, str], Row] = {}
    for row in read_table(path, COLUMNS):
        add_identifier(sg, row, seen)


def add_identifier(sg: SeedGraph, row: Row, seen: dict[tuple[str, str], Row]) -> None:
    org = sg.ref(row, "organisation", row["organisation"], ("org",))
    scheme = row.choice("scheme", SCHEMES)
    try:
        value = clean_id(scheme, row["value"])
    except IdentifierError as exc:
        raise row.error("value", str(exc)) from None
    key = (scheme, value)
    if key in seen and seen[key]["organisation"] != row["organisation"]:
        first = seen[key]
        raise row.error(
            "value",
            f"{scheme} {value} is already given to "
            f"{first['organisation']!r} at {first.file.name}:{first.line}",
        )
    seen[key] = row
    sources = row.many("sources")
    if not sources:
        raise row.error("sources", "is empty: name the dataset that states the identifier")
    for src in sources:
        if src in DATASETS:
            _register_dataset(sg, src)
        else:
            sg.ref(row, "sources", src, ("source",))
        sg.add([src], org, HX[scheme], Literal(value))


def _register_dataset(sg: SeedGraph, dataset_id: str) -> None:
    if dataset_id in sg.source_langs:
        return
    d = DATASETS[dataset_id]
    sg.source_langs[dataset_id] = "en"
    sg.ids.setdefault("source", {})[dataset_id] = iri("source", dataset_id)
    meta = sg.dataset.graph(URIRef(META_GRAPH))
    for q in describe(d, str(META_GRAPH)):
        meta.add((rdflib_term(q.subject), rdflib_term(q.predicate), rdflib_term(q.object)))


def seed_identifiers(quads: Iterable[ox.Quad]) -> dict[tuple[str, str], str]:
    """(scheme, value) → node, from the identifier triples of the seed's quads."""
    found: dict[tuple[str, str], str] = {}
    for q in quads:
        scheme = SCHEME_PREDICATES.get(q.predicate.value)
        if scheme:
            found.setdefault((scheme, term_value(q.object)), term_value(q.subject))
    return found
