"""RDF terms between pyoxigraph (the store) and rdflib (the seed compiler, SHACL)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node


def term_value(term: object) -> str:
    """The IRI or lexical form of a pyoxigraph term ("" for the default graph)."""
    return str(getattr(term, "value", ""))


def rdflib_term(term: object) -> Node:
    """A pyoxigraph IRI, blank node or literal as an rdflib term (else TypeError)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(term)


def oxigraph_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib IRI, blank node or literal as a pyoxigraph term (else TypeError)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    raise TypeError(f"cannot store {term!r}")
