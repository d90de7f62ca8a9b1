"""The hand-curated files in ``data/`` → RDF quads, one named graph per source document.

The mapping is specified in ``docs/data-model.md``; this module is its code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV

from helixgraph.ingest.tables import DataError, Row, read_table
from helixgraph.vocab.namespace import META_GRAPH, iri, source_graph

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


def date_literal(text: str) -> Literal:
    kind = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(text), XSD.date)
    return Literal(text, datatype=kind)


def row_hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]


@dataclass
class SeedGraph:
    """The compiled seed data: quads per source graph, and where each node came from."""

    dataset: Dataset = field(default_factory=lambda: Dataset(default_union=True))
    origin: dict[URIRef, tuple[str, int]] = field(default_factory=dict)
    source_langs: dict[str, str] = field(default_factory=dict)
    ids: dict[str, dict[str, URIRef]] = field(default_factory=dict)

    @property
    def meta(self) -> Graph:
        return self.dataset.graph(URIRef(META_GRAPH))

    def add(self, sources: Iterable[str], s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        for src in sources:
            self.dataset.graph(source_graph(src)).add((s, p, o))

    def node(self, row: Row, sources: list[str], s: URIRef, cls: URIRef) -> None:
        """Type a node created by ``row`` and record its provenance and origin."""
        self.origin.setdefault(s, (str(row.file), row.line))
        self.add(sources, s, RDF.type, cls)
        for src in sources:
            self.add([src], s, PROV.wasDerivedFrom, iri("source", src))

    def ref(self, row: Row, column: str, value: str, kinds: tuple[str, ...]) -> URIRef:
        """Resolve an id to the IRI of a node of one of ``kinds``, or fail naming the row."""
        for kind in kinds:
            if value in self.ids.get(kind, {}):
                return self.ids[kind][value]
        known = sorted(k for kind in kinds for k in self.ids.get(kind, {}))
        import difflib

        close = difflib.get_close_matches(value, known, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        names = " or ".join(
            {
                "org": "organisation",
                "initiative": "initiative",
                "place": "place",
                "person": "person",
                "source": "source",
            }[k]
            for k in kinds
        )
        raise row.error(column, f"unknown {names} id {value!r}{hint}")

    def sources_of(self, row: Row) -> list[str]:
        values = row.many("sources")
        if not values:
            raise row.error("sources", "is empty: every fact needs the source that states it")
        for v in values:
            self.ref(row, "sources", v, ("source",))
        return values

    def text(
        self,
        row: Row,
        sources: list[str],
        s: URIRef,
        p: URIRef,
        column: str,
        lang: str | None = None,
    ) -> None:
        """Add a literal cell; ``lang`` None means: the language of each source."""
        value = row[column]
        if not value:
            return
        for src in sources:
            self.add([src], s, p, Literal(value, lang=lang or self.source_langs.get(src)))


def compile_seed(data_dir: Path) -> SeedGraph:
    """Read every file in ``data_dir`` and return the seed graph (raises DataError)."""
    tables = {name: read_table(data_dir / name, cols) for name, cols in COLUMNS.items()}
    sg = SeedGraph()
    _register_ids(sg, tables)
    from helixgraph.ingest.seed.rows import add_all

    add_all(sg, tables)
    from helixgraph.ingest.seed.identifiers import add_identifiers

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
