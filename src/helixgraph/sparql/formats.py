"""Result formats (:data:`FORMATS`), content negotiation (:func:`negotiate`, which picks
one from an HTTP ``Accept`` header with q-values or raises :class:`NotAcceptable`), and a
byte-capped buffer for serialising results."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    """One result serialisation: short name, media types (canonical first), kind."""

    name: str
    media_types: tuple[str, ...]
    graph: bool  # True for CONSTRUCT/DESCRIBE results, False for SELECT/ASK
    ox_format: ox.RdfFormat | ox.QueryResultsFormat
    extension: str

    @property
    def media_type(self) -> str:
        return self.media_types[0]


FORMATS: tuple[Format, ...] = (
    Format(
        "json",
        ("application/sparql-results+json", "application/json"),
        False,
        ox.QueryResultsFormat.JSON,
        "srj",
    ),
    Format(
        "xml",
        ("application/sparql-results+xml", "application/xml", "text/xml"),
        False,
        ox.QueryResultsFormat.XML,
        "srx",
    ),
    Format("csv", ("text/csv",), False, ox.QueryResultsFormat.CSV, "csv"),
    Format("tsv", ("text/tab-separated-values",), False, ox.QueryResultsFormat.TSV, "tsv"),
    Format("turtle", ("text/turtle", "application/x-turtle"), True, ox.RdfFormat.TURTLE, "ttl"),
    Format("ntriples", ("application/n-triples", "text/plain"), True, ox.RdfFormat.N_TRIPLES, "nt"),
    Format(
        "jsonld", ("application/ld+json", "application/json"), True, ox.RdfFormat.JSON_LD, "jsonld"
    ),
    Format(
        "rdfxml",
        ("application/rdf+xml", "application/xml", "text/xml"),
        True,
        ox.RdfFormat.RDF_XML,
        "rdf",
    ),
    Format("nquads", ("application/n-quads",), True, ox.RdfFormat.N_QUADS, "nq"),
    # Turtle is N3 too: for clients (SPARQLWrapper) that ask for N3
    Format("n3", ("text/n3", "text/rdf+n3"), True, ox.RdfFormat.TURTLE, "n3"),
    Format("trig", ("application/trig",), True, ox.RdfFormat.TRIG, "trig"),
)

# ``format=`` values besides the names above and the media types themselves
FORMAT_ALIASES = {
    "srj": "json",
    "srx": "xml",
    "ttl": "turtle",
    "nt": "ntriples",
    "n-triples": "ntriples",
    "json-ld": "jsonld",
    "rdf": "rdfxml",
    "rdf+xml": "rdfxml",
    "nq": "nquads",
    "n-quads": "nquads",
}
# on a graph result, ``format=json`` / ``format=xml`` mean JSON-LD / RDF/XML
_GRAPH_NAMES = {"json": "jsonld", "xml": "rdfxml"}


class NotAcceptable(ValueError):
    """No result format satisfies the request's ``Accept`` header or ``format``."""


def formats_for(graph: bool) -> list[Format]:
    return [f for f in FORMATS if f.graph == graph]


def parse_accept(header: str) -> list[tuple[str, float]]:
    """``Accept`` header -> ``[(media range, q)]``; ranges are lower-cased."""
    ranges: list[tuple[str, float]] = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((pieces[0].lower(), q))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float | None:
    """The q of the most specific range matching ``media_type`` (None: no match)."""
    major = media_type.split("/")[0]
    best: tuple[int, float] | None = None
    for rng, q in ranges:
        if rng == media_type:
            rank = 3
        elif rng == f"{major}/*":
            rank = 2
        elif rng in ("*/*", "*"):
            rank = 1
        else:
            continue
        if best is None or rank > best[0]:
            best = (rank, q)
    return None if best is None else best[1]


@functools.lru_cache(maxsize=256)  # clients send the same few headers again and again
def negotiate(accept: str | None, graph: bool, override: str | None = None) -> tuple[Format, str]:
    """Choose the result format and the media type to label it with.

    ``override`` (the ``format=`` parameter: a short name or a media type, or several
    separated by commas, first available wins) wins over ``accept``. Never falls back to
    a format the client did not accept.
    """
    offered = formats_for(graph)
    if override:
        for value in override.split(","):  # several values: the first available wins
            key = value.split(";")[0].strip().lower()
            key = FORMAT_ALIASES.get(key, key)
            if graph:
                key = _GRAPH_NAMES.get(key, key)
            for fmt in offered:
                if key == fmt.name:
                    return fmt, fmt.media_type
                if key in fmt.media_types:
                    return fmt, key
        kind = "CONSTRUCT/DESCRIBE" if graph else "SELECT/ASK"
        names = ", ".join(f.name for f in offered)
        raise NotAcceptable(f"format={override!r} is not available for {kind}; use one of {names}")
    ranges = parse_accept(accept or "")
    if not ranges:
        return offered[0], offered[0].media_type
    best: tuple[float, Format, str] | None = None
    for fmt in offered:
        for media_type in fmt.media_types:
            q = _quality(media_type, ranges)
            if q is None or q <= 0:
                continue
            exact = any(r == media_type for r, _ in ranges)
            label = media_type if exact else fmt.media_type
            if best is None or q > best[0]:
                best = (q, fmt, label)
    if best is None:
        types = ", ".join(mt for f in offered for mt in f.media_types)
        raise NotAcceptable(f"cannot answer with any type in Accept: {accept!r}; offered: {types}")
    return best[1], best[2]


class ResultTooLarge(Exception):
    pass


class _CappedBuffer:
    """A writable that refuses to grow past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise ResultTooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)
