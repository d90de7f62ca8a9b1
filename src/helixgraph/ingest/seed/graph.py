"""The compiled seed graph: its quads per source graph, and where each node came from.

Shared by the compiler (``compile.py``) and the writers of rows (``rows.py``) and
identifiers (``identifiers.py``).
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import RDF, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV

from helixgraph.ingest.tables import Row
from helixgraph.vocab.namespace import META_GRAPH, iri, source_graph


def date_literal(text: str) -> Literal:
    """A date cell as ``xsd:gYear``, ``xsd:gYearMonth`` or ``xsd:date`` by its length."""
    kind = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(text), XSD.date)
    return Literal(text, datatype=kind)


def row_hash(*parts: str) -> str:
    """A short stable id for a row without one (posts, figures, links)."""
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
