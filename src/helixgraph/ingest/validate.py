"""SHACL validation of helixgraph data against ``ontology/shapes.ttl``.

The data (a graph, or a dataset whose named graphs are merged into their union) is
checked with ``ontology/helix.ttl`` mixed in and no inference: pyshacl follows
``rdfs:subClassOf`` in the ontology for ``sh:targetClass`` and ``sh:class``, while the
range checks stay meaningful (RDFS inference would make every ``hx:locatedIn`` object a
``hx:Place``). Each violation keeps its focus node IRI so that callers can map it back
to a data file and row.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyshacl
from rdflib import Dataset, Graph
from rdflib.namespace import SH
from rdflib.term import BNode, Literal, Node, URIRef

from helixgraph.shipped import folder
from helixgraph.vocab.namespace import ONTOLOGY_GRAPH, PREFIXES, RDF

__all__ = [
    "Report",
    "Violation",
    "declared_terms",
    "ontology_dir",
    "short",
    "undeclared_terms",
    "union",
    "validate",
]

ENV_VAR = "HELIXGRAPH_ONTOLOGY"
SEVERITIES: dict[Node, str] = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


def ontology_dir() -> Path:
    """The ``ontology/`` folder: ``$HELIXGRAPH_ONTOLOGY``, else the shipped one."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    return folder("ontology")


@dataclass(frozen=True)
class Violation:
    """One SHACL result: what is wrong (message) about which node (focus)."""

    focus: Node
    path: Node | None
    value: Node | None
    message: str
    shape: Node
    severity: str = "Violation"

    def text(self) -> str:
        """One line: ``severity: focus path: message (value: v) [shape]``."""
        where = f"<{self.focus}>" if isinstance(self.focus, URIRef) else str(self.focus)
        if self.path is not None:
            where += " " + (str(self.path) if isinstance(self.path, Literal) else short(self.path))
        value = "" if self.value is None else f" (value: {short(self.value)})"
        return f"{self.severity}: {where}: {self.message}{value} [{short(self.shape)}]"


@dataclass
class Report:
    """The outcome of :func:`validate`: ``conforms`` and the violations, sorted."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    def text(self, limit: int | None = None) -> str:
        """A readable multi-line report, one line per violation."""
        if self.conforms and not self.violations:
            return "Conforms: no violations."
        shown = self.violations if limit is None else self.violations[:limit]
        lines = [f"Does not conform: {len(self.violations)} result(s)."]
        lines += ["- " + v.text() for v in shown]
        if len(shown) < len(self.violations):
            lines.append(f"... and {len(self.violations) - len(shown)} more")
        return "\n".join(lines)

    def focus_nodes(self) -> set[Node]:
        return {v.focus for v in self.violations}

    def shapes(self) -> set[Node]:
        return {v.shape for v in self.violations}


def validate(
    data_graph: Graph | Dataset,
    shapes_path: Path | None = None,
    ontology_path: Path | None = None,
    *,
    inplace: bool = False,
) -> Report:
    """Validate ``data_graph`` (a graph, or the union of a dataset's named graphs).

    ``inplace``: a graph (not a dataset) made for the check is validated as it is, with
    the ontology added to it, instead of a copy."""
    shapes = _load(shapes_path or ontology_dir() / "shapes.ttl")
    ontology = _load(ontology_path or ontology_dir() / "helix.ttl")
    # We mix the whole ontology in ourselves: pyshacl's ont_graph copies only the class
    # axioms it needs, not the concept schemes or the property declarations we check.
    mine = inplace and not isinstance(data_graph, Dataset)
    target = data_graph if mine else union(data_graph)
    for triple in ontology:
        target.add(triple)
    conforms, results, _ = pyshacl.validate(
        target,
        shacl_graph=shapes,
        inference="none",
        inplace=True,
        advanced=True,  # SHACL-AF, for the SPARQL target of hxsh:EvidenceAsserted
        allow_warnings=True,
    )
    assert isinstance(results, Graph)
    return Report(conforms=bool(conforms), violations=sorted(_violations(results), key=_order))


def union(data: Graph | Dataset) -> Graph:
    """A new graph with all triples of ``data``; a dataset's ontology graph is left out.

    pyshacl checks each named graph of a dataset on its own, but a node's facts are
    spread over its sources' graphs and the metadata graph, so we check their union.
    """
    merged = Graph()
    if isinstance(data, Dataset):
        for s, p, o, g in data.quads((None, None, None, None)):
            if g != ONTOLOGY_GRAPH:
                merged.add((s, p, o))
    else:
        for triple in data:
            merged.add(triple)
    return merged


def declared_terms(ontology_path: Path | None = None) -> frozenset[str]:
    """The IRIs ``helix.ttl`` declares (the subjects of its ``rdf:type`` triples)."""
    path = ontology_path or ontology_dir() / "helix.ttl"
    return _declared(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _declared(path: str, mtime_ns: int) -> frozenset[str]:
    g = _parse(path, mtime_ns)
    return frozenset(str(s) for s in g.subjects(RDF.type, None) if isinstance(s, URIRef))


def undeclared_terms(data: Graph | Dataset, ontology_path: Path | None = None) -> set[URIRef]:
    """Predicates and classes used in ``data`` but not declared in ``helix.ttl``."""
    ontology = _load(ontology_path or ontology_dir() / "helix.ttl")
    declared = set(ontology.subjects(RDF.type, None))
    used: set[URIRef] = set()
    for _, p, o in union(data):
        if isinstance(p, URIRef):
            used.add(p)
        if p == RDF.type and isinstance(o, URIRef):
            used.add(o)
    return used - declared


@lru_cache(maxsize=8)
def _parse(path: str, mtime_ns: int) -> Graph:
    return Graph().parse(path, format="turtle")


def _load(path: Path) -> Graph:
    return _parse(str(path), path.stat().st_mtime_ns)


def _violations(results: Graph) -> Iterable[Violation]:
    # Only the report's own results: nested ones (sh:detail) explain them.
    for result in results.objects(None, SH.result):
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        severity = results.value(result, SH.resultSeverity)
        yield Violation(
            focus=_required(results.value(result, SH.focusNode)),
            path=_path(results, results.value(result, SH.resultPath)),
            value=results.value(result, SH.value),
            message="; ".join(messages) or "(no message)",
            shape=_required(results.value(result, SH.sourceShape)),
            severity=SEVERITIES.get(severity, str(severity)) if severity else "Violation",
        )


def _path(results: Graph, path: Node | None) -> Node | None:
    """A readable path: an inverse path ``[sh:inversePath p]`` becomes ``^p``."""
    if isinstance(path, BNode):
        inverse = results.value(path, SH.inversePath)
        if inverse is not None:
            return Literal("^" + short(inverse))
    return path


def _required(node: Node | None) -> Node:
    if node is None:
        raise ValueError("pyshacl result without focus node or source shape")
    return node


def _order(v: Violation) -> tuple[str, str, str, str]:
    return (str(v.focus), str(v.shape), str(v.path), v.message)


def short(node: Node) -> str:
    """``hx:Organisation`` for a term of a known vocabulary, ``<iri>`` otherwise."""
    if isinstance(node, URIRef):
        for prefix, namespace in PREFIXES.items():
            local = node[len(namespace) :]
            if node.startswith(namespace) and local and not set("/#") & set(local):
                return f"{prefix}:{local}"
        return f"<{node}>"
    if isinstance(node, Literal):
        return repr(str(node)) + (f"@{node.language}" if node.language else "")
    return str(node)
