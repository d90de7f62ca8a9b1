"""The hand-curated files in ``data/`` → RDF quads, one named graph per source document.

The mapping is specified in ``docs/data-model.md``; this module is its code.
"""

from __future__ import annotations

from pathlib import Path

from helixgraph.ingest.seed.graph import SeedGraph
from helixgraph.ingest.seed.identifiers import add_identifiers
from helixgraph.ingest.seed.rows import add_all
from helixgraph.ingest.tables import DataError, Row, read_table
from helixgraph.vocab.namespace import iri

COLUMNS = {
    "sources.csv": (
        "id",
        "title",
        "language",
        "publisher",
        "date",
        "url",
        "translation_of",
        "seed_file",
        "note",
    ),
    "places.csv": ("id", "name_en", "name_nl", "kind", "part_of", "sources"),
    "organisations.csv": (
        "id",
        "name_en",
        "name_nl",
        "abbreviations",
        "other_names",
        "kinds",
        "helices",
        "located_in",
        "parent",
        "founded",
        "website",
        "sources",
        "note",
    ),
    "people.csv": ("id", "name", "sources"),
    "initiatives.csv": (
        "id",
        "name_en",
        "name_nl",
        "abbreviations",
        "kinds",
        "located_in",
        "start",
        "end",
        "description_en",
        "description_nl",
        "sources",
    ),
    "posts.csv": ("person", "role", "organisation", "initiative", "title", "sources", "quote"),
    "relations.csv": ("subject", "relation", "object", "topic", "sources", "quote"),
    "funding.csv": (
        "id",
        "funder",
        "recipient",
        "amount",
        "currency",
        "date",
        "programme",
        "purpose_en",
        "purpose_nl",
        "sources",
        "quote",
    ),
    "figures.csv": (
        "subject",
        "measure",
        "value",
        "unit",
        "year",
        "date",
        "qualifier",
        "sources",
        "quote",
    ),
}


def compile_seed(data_dir: Path) -> SeedGraph:
    """Read every file in ``data_dir`` and return the seed graph (raises DataError)."""
    tables = {name: read_table(data_dir / name, cols) for name, cols in COLUMNS.items()}
    sg = SeedGraph()
    _register_ids(sg, tables)
    add_all(sg, tables)
    add_identifiers(sg, data_dir)  # data/identifiers.csv is optional
    return sg


def _register_ids(sg: SeedGraph, tables: dict[str, list[Row]]) -> None:
    kinds = {
        "sources.csv": "source",
        "places.csv": "place",
        "organisations.csv": "org",
        "people.csv": "person",
        "initiatives.csv": "initiative",
        "funding.csv": "award",
    }
    seen: dict[str, Row] = {}
    for name, kind in kinds.items():
        sg.ids[kind] = {}
        for row in tables[name]:
            ident = row.slug("id")
            key = f"{'source' if kind == 'source' else 'entity'}:{ident}"
            if kind in ("org", "person", "initiative", "place") and key in seen:
                first = seen[key]
                raise row.error(
                    "id", f"id {ident!r} is already used at {first.file.name}:{first.line}"
                )
            if ident in sg.ids[kind]:
                raise row.error("id", f"id {ident!r} is used twice in {name}")
            seen[key] = row
            sg.ids[kind][ident] = iri(kind, ident)
    for row in tables["sources.csv"]:
        lang = row["language"]
        if not lang:
            raise row.error("language", "is empty: say the source's language, e.g. 'nl' or 'en'")
        sg.source_langs[row["id"]] = lang


__all__ = ["COLUMNS", "DataError", "SeedGraph", "compile_seed"]
