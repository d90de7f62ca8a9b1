"""The ontology's terms for its page: every class, property and concept of the ``hx:``
namespace with its labels (en, nl), definition, domain and range, how often the graph
uses it, and a query that shows it in use."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from helixgraph.catalog.facts import select
from helixgraph.catalog.terms import HXNS
from helixgraph.vocab.iris import ONTOLOGY_GRAPH
from helixgraph.vocab.namespace import OWL, RDF, SKOS

Json = dict[str, Any]
KINDS = {  # rdf:type in the ontology graph -> the section it is listed under
    str(OWL.Class): "class",
    str(OWL.ObjectProperty): "property",
    str(OWL.DatatypeProperty): "property",
    str(OWL.AnnotationProperty): "property",
    str(RDF.Property): "property",
    str(SKOS.Concept): "concept",
    str(SKOS.ConceptScheme): "concept",
}
TERMS = f"""SELECT ?t ?type ?p ?o ?member WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{
  ?t a ?type FILTER(STRSTARTS(STR(?t), "{HXNS}"))
  VALUES ?p {{ rdfs:label skos:prefLabel skos:definition rdfs:comment rdfs:domain rdfs:range
              rdfs:subClassOf rdfs:subPropertyOf skos:inScheme }}
  OPTIONAL {{ ?t ?p ?o
    OPTIONAL {{ ?o <{OWL.unionOf}>/rdf:rest*/rdf:first ?member }} }}
}} }}"""
CLASS_USE = "SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c } GROUP BY ?c"
PROPERTY_USE = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
CONCEPT_USE = "SELECT ?c (COUNT(*) AS ?n) WHERE { ?s ?p ?c FILTER(isIRI(?c)) } GROUP BY ?c"


USES = {"class": CLASS_USE, "property": PROPERTY_USE, "concept": CONCEPT_USE}


def _counts(store: ox.Store, query: str) -> dict[str, int]:
    rows = select(store, query)
    return {next(v.value for k, v in r.items() if k != "n"): int(r["n"].value) for r in rows}


def local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def example(kind: str, name: str) -> str:
    """A query that shows the term in use (with the predeclared prefixes)."""
    if kind == "class":
        return (
            f"SELECT ?x ?name WHERE {{\n  ?x a hx:{name} .\n"
            "  OPTIONAL { ?x skos:prefLabel ?name }\n}\nLIMIT 50"
        )
    if kind == "property":
        return f"SELECT ?subject ?value WHERE {{\n  ?subject hx:{name} ?value .\n}}\nLIMIT 50"
    return f"SELECT ?subject ?property WHERE {{\n  ?subject ?property hx:{name} .\n}}\nLIMIT 50"


def terms(store: ox.Store) -> dict[str, list[Json]]:
    """``{"class": [...], "property": [...], "concept": [...]}``, each sorted by name: a
    term is ``{iri, name, labels: {lang: text}, definition, domain, range, parents, uses,
    example}``."""
    found: dict[str, Json] = {}
    for row in select(store, TERMS):
        iri = row["t"].value
        kind = KINDS.get(row["type"].value)
        if kind is None:
            continue
        term = found.setdefault(
            iri,
            {
                "iri": iri,
                "name": local(iri),
                "kind": kind,
                "labels": {},
                "definition": {},
                "domain": [],
                "range": [],
                "parents": [],
                "uses": 0,
            },
        )
        if "p" not in row or "o" not in row:
            continue
        pred, obj = local(row["p"].value), row["o"]
        if pred in ("label", "prefLabel") and isinstance(obj, ox.Literal):
            term["labels"].setdefault(obj.language or "", obj.value)
        elif pred in ("definition", "comment") and isinstance(obj, ox.Literal):
            term["definition"].setdefault(obj.language or "", obj.value)
        elif pred in ("domain", "range"):  # a union: its members
            term[pred].append(row["member"].value if "member" in row else obj.value)
        elif pred in ("subClassOf", "subPropertyOf", "inScheme"):
            term["parents"].append(obj.value)
    uses = {kind: _counts(store, query) for kind, query in USES.items()}
    out: dict[str, list[Json]] = {"class": [], "property": [], "concept": []}
    for iri, term in found.items():
        term["uses"] = uses[term["kind"]].get(iri, 0)
        for key in ("domain", "range", "parents"):
            term[key] = sorted({v for v in term[key] if not v.startswith("_:")})
        term["example"] = example(term["kind"], term["name"])
        out[term["kind"]].append(term)
    for items in out.values():
        items.sort(key=lambda t: t["name"].lower())
    return out
