"""The importer toolkit: what a source module (``ingest/sources/*.py``) builds on.

A source reads its files into an :class:`Extract`: the organisations it names
(:class:`Org`, a :class:`~helixgraph.ingest.resolve.Record` plus kinds, helices and place)
and a function that writes every other fact into an :class:`Out` once the organisations
are resolved; :class:`Places` finds or makes the city nodes. Bad rows go to
:class:`Problems`: ``on_error="stop"`` raises :class:`ImportFailed` at the first one,
``"skip"`` skips the row and counts it; each is reported as ``file:row: column: problem``.
The rest are small readers the sources share (CSV files, Dutch notation) and the nodes
several sources write (the European Commission, a programme).

The import run that calls the sources is :mod:`helixgraph.ingest.run`.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from helixgraph.ingest.datasets import Dataset
from helixgraph.ingest.resolve import Record, Resolution
from helixgraph.vocab.namespace import HX, ID, PROV, RDF, RDFS, SKOS, iri, sparql_prefixes

EC = str(iri("org", "european-commission"))  # the seed's node, funder of EU programmes
DUTCH_AMOUNT = re.compile(r"\d{1,3}(?:\.\d{3})*(?:,\d+)?|\d+(?:,\d+)?")
DUTCH_DATE = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})")


class ImportFailed(RuntimeError):
    """The import stopped; the store is unchanged. ``problems`` are ``file:row: …`` lines."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


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


EC_KEY = "european-commission"  # its key among an extract's organisations


def european_commission() -> Org:
    """The European Commission, the funder of every award of an EU programme's dataset."""
    record = Record(
        EC_KEY,
        {},
        [("European Commission", "en"), ("Europese Commissie", "nl")],
        origin="(funder of every award)",
        default_iri=EC,
    )
    return Org(record, ["GovernmentBody"], ["government"])


class Out:
    """Collects the quads of one graph, with small helpers for terms."""

    def __init__(self, graph: str):
        self.graph = ox.NamedNode(graph)
        self.quads: list[ox.Quad] = []
        self._nodes: dict[str, ox.NamedNode] = {}

    def n(self, value: str | URIRef | ox.NamedNode) -> ox.NamedNode:
        if type(value) is ox.NamedNode:
            return value
        key = str(value)
        node = self._nodes.get(key)
        if node is None:
            node = self._nodes[key] = ox.NamedNode(key)
        return node

    def add(
        self,
        s: str | URIRef | ox.NamedNode,
        p: URIRef | ox.NamedNode,
        o: ox.NamedNode | ox.Literal | str | URIRef,
    ) -> None:
        obj = o if type(o) is ox.NamedNode or type(o) is ox.Literal else self.n(o)
        self.quads.append(ox.Quad(self.n(s), self.n(p), obj, self.graph))

    def text(self, value: str, lang: str | None = None) -> ox.Literal:
        return ox.Literal(value, language=lang) if lang else ox.Literal(value)

    def typed(self, value: object, datatype: URIRef) -> ox.Literal:
        return ox.Literal(str(value), datatype=self.n(datatype))


class Places:
    """City nodes ``id/place/city-{cc}-{slug}``, or the seed's city of the same name."""

    def __init__(self, store: ox.Store, exclude_graph: str = ""):
        self.existing: dict[str, str] = {}  # normalised Dutch city name → seed/imported IRI
        self.labelled: set[str] = set()  # place IRIs that already have a label in the store
        q = sparql_prefixes("hx", "skos") + (
            "SELECT ?p ?n WHERE { GRAPH ?g { ?p a hx:City ; skos:prefLabel ?n } "
            f"FILTER(?g != <{exclude_graph}>) }}"
        )
        for sol in store.query(q):  # type: ignore[union-attr]
            node, name = sol["p"].value, sol["n"].value
            self.labelled.add(node)
            if "/place/city-" not in node:
                self.existing.setdefault(_slug(name), node)
        self.made: dict[str, str] = {}  # IRI → display name, written by this import
        q = sparql_prefixes("hx") + (
            f"SELECT DISTINCT ?p WHERE {{ GRAPH ?g {{ ?p a hx:Place }} FILTER(?g != <{exclude_graph}>) }}"
        )
        # every place the store already holds (e.g. the seed's regions), by IRI
        self.known: set[str] = {sol["p"].value for sol in store.query(q)}  # type: ignore[union-attr]
        q = sparql_prefixes("hx") + (
            "SELECT DISTINCT ?o WHERE { GRAPH ?g { ?o hx:locatedIn ?p } "
            f"FILTER(?g != <{exclude_graph}>) }}"
        )
        # the nodes some other graph already places (the seed's curated locations)
        self.located: set[str] = {sol["o"].value for sol in store.query(q)}  # type: ignore[union-attr]

    def city(self, name: str, country: str) -> str | None:
        """The IRI of a city (``country`` ISO alpha-2), creating a node when needed."""
        slug = _slug(re.sub(r"^\d{4}\s*[A-Z]{0,2}\s+", "", name.strip()))
        if not slug or not country:
            return None
        if country.upper() == "NL" and slug in self.existing:
            return self.existing[slug]
        node = f"{ID}place/city-{country.lower()}-{slug}"
        if node not in self.labelled:
            self.made.setdefault(node, _display(name))
        return node

    def emit(self, out: Out, source: str) -> None:
        for node, name in self.made.items():
            out.add(node, RDF.type, HX.Place)
            out.add(node, RDF.type, HX.City)
            out.add(node, SKOS.prefLabel, out.text(name, "en"))
            out.add(node, RDFS.label, out.text(name, "en"))
            out.add(node, PROV.wasDerivedFrom, source)


def slug(text: str) -> str:
    """A place name as a key: ``'Den Haag'`` → ``'den-haag'`` (postcode prefix dropped)."""
    return _slug(re.sub(r"^\d{4}\s*[A-Z]{0,2}\s+", "", text.strip()))


def _slug(text: str) -> str:
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")


def _display(name: str) -> str:
    name = re.sub(r"\s+", " ", name.strip())
    return name.title() if name.isupper() or name.islower() else name


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


# --------------------------------------------------------------------------- shared readers


def open_text(path: Path) -> io.TextIOBase:
    raw = gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")  # noqa: SIM115
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def read_csv(path: Path, delimiter: str = ",") -> Iterator[tuple[int, dict[str, str]]]:
    """Rows with their line number (the header is line 1)."""
    with open_text(path) as fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        line = 1
        for row in reader:
            yield line + 1, {k: (v or "").strip() for k, v in row.items() if k is not None}
            line = reader.line_num


def dutch_amount(text: str) -> Decimal:
    """``'7.488.600'`` → 7488600, ``'1.234,50'`` → 1234.50 (raises ValueError)."""
    t = text.strip().replace("€", "").strip()
    if not DUTCH_AMOUNT.fullmatch(t):
        raise ValueError(f"{text!r} is not an amount in Dutch notation (e.g. 7.488.600)")
    return Decimal(t.replace(".", "").replace(",", "."))


def dutch_date(text: str) -> str:
    """``'19.02.2009'`` → ``'2009-02-19'`` (raises ValueError)."""
    m = DUTCH_DATE.fullmatch(text.strip())
    if not m:
        raise ValueError(f"{text!r} is not a date dd.mm.yyyy")
    try:
        return datetime.date(int(m[3]), int(m[2]), int(m[1])).isoformat()
    except ValueError:
        raise ValueError(f"{text!r} is not a date dd.mm.yyyy") from None


# --------------------------------------------------------------------------- shared nodes


def programme(out: Out, s: str, name_en: str, name_nl: str | None, source: str) -> None:
    """A funding programme node with its names in English and Dutch."""
    out.add(s, RDF.type, HX.Initiative)
    out.add(s, RDF.type, HX.Programme)
    for name, lang in ((name_en, "en"), (name_nl, "nl")):
        if name:
            out.add(s, SKOS.prefLabel, out.text(name, lang))
            out.add(s, RDFS.label, out.text(name, lang))
    out.add(s, PROV.wasDerivedFrom, source)
