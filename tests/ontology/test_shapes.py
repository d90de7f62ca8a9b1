"""ontology/shapes.ttl: valid examples conform, each invalid one fails for its stated reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, SH

from helixgraph.ingest.validate import Report, short, validate
from helixgraph.vocab.namespace import HXSH

EXAMPLES = Path(__file__).resolve().parents[2] / "ontology" / "examples"
SHAPES = EXAMPLES.parent / "shapes.ttl"
VALID = sorted((EXAMPLES / "valid").glob("*.ttl"))
INVALID = sorted((EXAMPLES / "invalid").glob("*.ttl"))


def expectation(path: Path) -> str:
    match = re.match(r"# expect: (.+)", path.read_text(encoding="utf-8"))
    assert match, f"{path.name} must start with '# expect: <shape or message fragment>'"
    return match.group(1).strip()


def matches(report: Report, expected: str) -> list[bool]:
    """For each violation: is it the expected one (a shape like hxsh:X, or a message fragment)?"""
    if expected.startswith("hxsh:"):
        return [short(v.shape) == expected for v in report.violations]
    return [expected in v.message for v in report.violations]


def test_there_are_examples_both_ways() -> None:
    assert len(VALID) >= 3
    assert len(INVALID) >= 40


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_example_conforms(path: Path) -> None:
    report = validate(Graph().parse(path))
    assert report.conforms, report.text()
    assert report.violations == []


def test_valid_examples_conform_together() -> None:
    g = Graph()
    for path in VALID:
        g.parse(path)
    report = validate(g)
    assert report.conforms, report.text()


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_example_fails_for_its_stated_reason(path: Path) -> None:
    expected = expectation(path)
    report = validate(Graph().parse(path))
    assert not report.conforms
    assert report.violations, "no violation reported"
    assert all(matches(report, expected)), f"expected only {expected}, got:\n{report.text()}"


def named_shapes(shapes: Graph) -> set[URIRef]:
    kinds = (SH.NodeShape, SH.PropertyShape)
    return {s for k in kinds for s in shapes.subjects(RDF.type, k) if isinstance(s, URIRef)}


def test_every_named_shape_has_a_message_and_an_invalid_example() -> None:
    shapes = Graph().parse(SHAPES)
    helpers = {
        HXSH.DateLike,
        HXSH.HelixSphere,
        HXSH.RoleConcept,
        HXSH.MeasureConcept,
        HXSH.Anything,
    }
    checked = named_shapes(shapes) - helpers
    # A node shape that only groups property shapes has nothing of its own to violate.
    groups = {
        s
        for s in checked
        if set(shapes.predicates(s)) <= {RDF.type, SH.targetClass, SH.targetSubjectsOf, SH.property}
    }
    assert [s for s in checked - groups if shapes.value(s, SH.message) is None] == []
    expected = {expectation(p) for p in INVALID}
    assert {short(s) for s in checked - groups} - expected == set()


def test_every_targeted_shape_has_an_iri() -> None:
    shapes = Graph().parse(SHAPES)
    targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
    assert [s for t in targets for s in shapes.subjects(t, None) if isinstance(s, BNode)] == []


def test_the_expectation_check_can_fail() -> None:
    report = validate(Graph().parse(EXAMPLES / "invalid" / "organisation-kind-missing.ttl"))
    assert matches(report, "hxsh:OrganisationKind") == [True]
    assert matches(report, "hxsh:OrganisationPrefLabel") == [False]
    assert matches(report, "specific kind") == [True]
    assert matches(report, "prefLabel") == [False]


def test_the_closed_shape_allows_exactly_the_declared_properties() -> None:
    shapes = Graph().parse(SHAPES)
    helix = Graph().parse(EXAMPLES.parent / "helix.ttl")
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
    declared = {p for k in kinds for p in helix.subjects(RDF.type, k)}
    listed = shapes.value(HXSH.DeclaredPredicate, SH.ignoredProperties)
    assert listed is not None
    assert set(Collection(shapes, listed)) == declared
