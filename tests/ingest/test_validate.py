"""helixgraph.ingest.validate: the report, datasets as the union of their graphs, paths."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, SKOS

from helixgraph.ingest.validate import Report, Violation, ontology_dir, undeclared_terms, validate
from helixgraph.vocab.namespace import HX, META_GRAPH, ONTOLOGY_GRAPH, iri, source_graph

SOURCE = iri("source", "umcg-report")
UMCG = iri("org", "umcg")


def add_source(g: Graph) -> None:
    g.add((SOURCE, RDF.type, HX.SourceDocument))
    g.add((SOURCE, DCTERMS.title, Literal("Jaarverslag", lang="nl")))
    g.add((SOURCE, DCTERMS.language, Literal("nl")))


def add_umcg(g: Graph, *, name: bool = True) -> None:
    g.add((UMCG, RDF.type, HX.Organisation))
    g.add((UMCG, RDF.type, HX.AcademicHospital))
    if name:
        g.add((UMCG, SKOS.prefLabel, Literal("UMCG", lang="nl")))
    g.add((UMCG, PROV.wasDerivedFrom, SOURCE))


def good_graph() -> Graph:
    g = Graph()
    add_source(g)
    add_umcg(g)
    return g


def test_a_good_graph_conforms() -> None:
    report = validate(good_graph())
    assert report == Report(conforms=True, violations=[])
    assert report.text() == "Conforms: no violations."


def test_a_violation_names_focus_path_value_shape_and_severity() -> None:
    g = good_graph()
    g.add((UMCG, HX.founded, Literal("1797")))  # a plain string, not xsd:gYear
    report = validate(g)
    assert not report.conforms
    assert report.violations == [
        Violation(
            focus=UMCG,
            path=HX.founded,
            value=Literal("1797"),
            message="An organisation has at most one hx:founded, typed xsd:date, "
            "xsd:gYearMonth or xsd:gYear",
            shape=URIRef("https://w3id.org/helixgraph/shapes#OrganisationFounded"),
            severity="Violation",
        )
    ]
    assert report.focus_nodes() == {UMCG}


def test_text_is_one_readable_line_per_violation() -> None:
    g = Graph()
    add_source(g)
    add_umcg(g, name=False)
    g.add((UMCG, HX.founded, Literal("1797")))
    text = validate(g).text()
    lines = text.splitlines()
    assert lines[0] == "Does not conform: 2 result(s)."
    assert len(lines) == 3
    assert all(str(UMCG) in line for line in lines[1:])
    assert "skos:prefLabel: An organisation needs at least one skos:prefLabel" in text
    assert "[hxsh:OrganisationFounded]" in text
    assert validate(g).text(limit=1).splitlines()[-1] == "... and 1 more"


def test_an_inverse_path_is_shown_with_a_caret() -> None:
    g = good_graph()
    post = iri("post", "abc123")
    g.add((post, RDF.type, HX.Post))
    g.add((post, ORG.role, HX.chair))
    g.add((post, HX.postIn, UMCG))
    g.add((post, PROV.wasDerivedFrom, SOURCE))
    [violation] = validate(g).violations
    assert violation.path == Literal("^org:holds")
    assert "^org:holds: A post must be held" in violation.text()


def split_dataset() -> Dataset:
    """The UMCG's facts in its source's graph, the source described in the metadata graph."""
    ds = Dataset()
    add_umcg(ds.graph(source_graph("umcg-report")))
    add_source(ds.graph(META_GRAPH))
    return ds


def test_a_dataset_is_validated_as_the_union_of_its_graphs() -> None:
    ds = split_dataset()
    # Each graph on its own would fail: the source document is only typed in the meta graph.
    assert not validate(ds.graph(source_graph("umcg-report"))).conforms
    report = validate(ds)
    assert report.conforms, report.text()


def test_a_datasets_violation_is_found_in_any_graph() -> None:
    ds = split_dataset()
    ds.graph(source_graph("other")).add((UMCG, HX.helix, HX.ceo))
    assert validate(ds).shapes() == {URIRef("https://w3id.org/helixgraph/shapes#OrganisationHelix")}


def test_the_ontology_graph_of_a_dataset_is_not_needed_and_data_is_not_changed() -> None:
    ds = split_dataset()
    ds.graph(ONTOLOGY_GRAPH).parse(ontology_dir() / "helix.ttl")
    before = len(list(ds.quads((None, None, None, None))))
    assert validate(ds).conforms
    assert len(list(ds.quads((None, None, None, None)))) == before
    g = good_graph()
    assert validate(g).conforms and len(g) == len(good_graph())


def test_ontology_dir_is_next_to_src_or_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HELIXGRAPH_ONTOLOGY", raising=False)
    assert (ontology_dir() / "helix.ttl").is_file()
    assert (ontology_dir() / "shapes.ttl").is_file()
    copy = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), copy)
    (copy / "shapes.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
        "@prefix hx: <https://w3id.org/helixgraph/ontology#> .\n"
        "<urn:x:s> a sh:NodeShape ; sh:targetClass hx:Organisation ;\n"
        '  sh:property [ sh:path foaf:name ; sh:minCount 1 ; sh:message "needs foaf:name" ] .\n'
    )
    monkeypatch.setenv("HELIXGRAPH_ONTOLOGY", str(copy))
    assert ontology_dir() == copy
    assert [v.message for v in validate(good_graph()).violations] == ["needs foaf:name"]
    g = good_graph()
    g.add((UMCG, FOAF.name, Literal("UMCG")))
    assert validate(g, shapes_path=copy / "shapes.ttl").conforms


def test_undeclared_terms_finds_misspelt_predicates_and_classes() -> None:
    g = good_graph()
    assert undeclared_terms(g) == set()
    typo_predicate = URIRef(str(ORG) + "subOrganzationOf")
    typo_class = URIRef(str(HX) + "Universty")
    g.add((UMCG, typo_predicate, iri("org", "rug")))
    g.add((UMCG, RDF.type, typo_class))
    assert undeclared_terms(g) == {typo_predicate, typo_class}
