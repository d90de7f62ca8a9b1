"""IRIs, prefixes and value conversion shared by the catalog queries."""

from __future__ import annotations

import re
from decimal import Decimal

import pyoxigraph as ox

from helixgraph.ingest.regional import PREFIX as REGIONAL_PREFIX
from helixgraph.vocab import iris
from helixgraph.vocab.namespace import HX, ID, META_GRAPH, RDF, sparql_prefixes
from helixgraph.vocab.namespace import PREFIXES as NAMESPACES
from helixgraph.vocab.values import (
    HELICES,
    INITIATIVE_KINDS,
    MEASURES,
    ORG_KINDS,
    PLACE_KINDS,
    RELATIONS,
    ROLES,
)

# The namespaces the catalog's queries and records use, as plain strings (``RDFS + "label"``).
HXNS = iris.HX
RDF_TYPE = str(RDF.type)
RDFS = NAMESPACES["rdfs"]
SKOS = NAMESPACES["skos"]
ORG = NAMESPACES["org"]
FOAF = NAMESPACES["foaf"]
DCT = NAMESPACES["dcterms"]
PROV = NAMESPACES["prov"]
SCHEMA = NAMESPACES["schema"]
SOURCE_GRAPH = iris.SOURCE_GRAPH
META = str(META_GRAPH)

PREFIXES = sparql_prefixes("hx", "rdfs", "skos", "org", "foaf", "dcterms", "prov", "rdf")

# API type name ↔ IRI path segment (docs/data-model.md, "IRIs").
TYPE_SEGMENT = {
    "organisation": "org",
    "person": "person",
    "place": "place",
    "initiative": "initiative",
    "award": "award",
    "source": "source",
    "post": "post",
    "figure": "figure",
    "link": "link",
}
SEGMENT_TYPE = {seg: t for t, seg in TYPE_SEGMENT.items()}
TYPE_CLASS = {
    "organisation": "Organisation",
    "person": "Person",
    "place": "Place",
    "initiative": "Initiative",
    "award": "FundingAward",
    "source": "SourceDocument",
}
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

# Controlled values: the data files' slug → the ontology term's local name.
VOCAB: dict[str, dict[str, str]] = {
    "org_kind": ORG_KINDS,
    "initiative_kind": INITIATIVE_KINDS,
    "place_kind": PLACE_KINDS,
    "helix": HELICES,
    "role": ROLES,
    "measure": MEASURES,
}
RELATION_PROPERTIES = {name: str(prop) for name, (prop, _, _) in RELATIONS.items()}
PROPERTY_RELATION = {prop: name for name, prop in RELATION_PROPERTIES.items()}
SYMMETRIC = {str(HX.partnerOf), str(HX.collaboratesWith)}


def hx(local: str) -> str:
    return HXNS + local


def entity_iri(type_: str, id_: str) -> str:
    if not SLUG.fullmatch(id_):
        raise ValueError(f"bad id {id_!r}: ids are lower-case slugs [a-z0-9][a-z0-9-]*")
    return f"{ID}{TYPE_SEGMENT[type_]}/{id_}"


def parse_iri(iri: str) -> tuple[str, str] | None:
    """``.../id/org/uni`` → ``("organisation", "uni")``; None for other IRIs."""
    if not iri.startswith(ID):
        return None
    seg, _, ident = iri[len(ID) :].partition("/")
    type_ = SEGMENT_TYPE.get(seg)
    return (type_, ident) if type_ and ident else None


IMPORT_GRAPH = iris.GRAPH + "import/"


def source_of_graph(graph: str) -> str | None:
    """The source id of a named graph: ``graph/source/s000`` → ``s000``; an import's
    ``graph/import/ror`` → ``ror`` (its dataset, described by the source ``id/source/ror``),
    and so the build's regional extract ``graph/import/regional-ror`` → ``ror`` too."""
    if graph.startswith(SOURCE_GRAPH):
        return graph[len(SOURCE_GRAPH) :]
    if graph.startswith(IMPORT_GRAPH):
        return graph[len(IMPORT_GRAPH) :].removeprefix(REGIONAL_PREFIX)
    return None


def term_slug(vocab: str, iri: str) -> str | None:
    """The data-file slug of an ontology term (``hx:AcademicHospital`` → ``academic_hospital``)."""
    if not iri.startswith(HXNS):
        return None
    local = iri[len(HXNS) :]
    for slug, name in VOCAB[vocab].items():
        if name == local:
            return slug
    return None


def slug_term(vocab: str, slug: str) -> str:
    return hx(VOCAB[vocab][slug])


def literal_value(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> str | int | float:
    """A literal as JSON: decimals and integers as numbers, everything else as text."""
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt.endswith("#decimal") or dt.endswith("#double") or dt.endswith("#float"):
            number = Decimal(term.value)
            return int(number) if number == number.to_integral_value() else float(number)
        if dt.endswith("#integer") or dt.endswith("#int") or dt.endswith("#long"):
            return int(term.value)
        return term.value
    return term.value


def sparql_string(text: str) -> str:
    return str(ox.Literal(text))
