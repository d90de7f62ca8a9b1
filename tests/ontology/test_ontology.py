"""ontology/helix.ttl tested like code: labels, declarations, alignments, the contract.

``python -m tests.test_ontology --write`` regenerates the term table in ontology/README.md.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    VOID,
    XSD,
    DefinedNamespace,
)
from rdflib.term import Node

from helixgraph.vocab.namespace import EURIO, HX, SCHEMA, VIVO
from tests.shared_data import SHARED

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology"
HELIX = ONTOLOGY / "helix.ttl"
CONTRACT = ROOT / "docs" / "data-model.md"
EURIO_TTL = SHARED / "data" / "eurio" / "EURIO.ttl"
ONTOLOGY_IRI = URIRef("https://w3id.org/helixgraph/ontology")
README = ONTOLOGY / "README.md"
TABLE_START, TABLE_END = "<!-- term-table:start -->", "<!-- term-table:end -->"

PROPERTY_TYPES = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property}
ALIGNMENTS = (
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    SKOS.closeMatch,
    SKOS.broadMatch,
    SKOS.relatedMatch,
    SKOS.exactMatch,
    OWL.equivalentClass,
)
# Built-in terms that need no declaration of ours.
BUILTIN_NAMESPACES = (str(OWL), str(RDFS), str(XSD))
BUILTIN_TERMS = {RDF.first, RDF.rest, RDF.nil, RDF.Property, RDF.langString}
# Terms the build writes in the metadata graph (not all named in the contract's text).
BUILD_TERMS = {
    PROV.Activity,
    PROV.startedAtTime,
    PROV.endedAtTime,
    PROV.used,
    PROV.wasGeneratedBy,
    PROV.generatedAtTime,
    VOID.triples,
}
# VIVO classes checked against the VIVO-ISF 1.6 class list (vivoweb.org/ontology/core#);
# the ontology is not at hand here, so this list stands in for it.
VIVO_TERMS = {
    "University",
    "College",
    "Institute",
    "ResearchOrganization",
    "Laboratory",
    "Center",
    "Hospital",
    "ClinicalOrganization",
    "GovernmentAgency",
    "FundingOrganization",
    "Association",
    "Company",
    "Consortium",
    "Campus",
    "Position",
    "PopulatedPlace",
    "StateOrProvince",
    "SubnationalRegion",
    "Country",
    "Project",
    "ResearchProposal",
    "Grant",
    "hasCollaborator",
}
# Vocabularies whose terms rdflib lists (a DefinedNamespace rejects unknown names).
RDFLIB_VOCABULARIES: tuple[type[DefinedNamespace], ...] = (
    ORG,
    SKOS,
    PROV,
    FOAF,
    DCTERMS,
    VOID,
    RDF,
    RDFS,
    OWL,
)


def parse_helix() -> Graph:
    # No default prefixes: rdflib would bind schema: to https://schema.org/.
    return Graph(bind_namespaces="none").parse(HELIX)


@pytest.fixture(scope="module")
def helix() -> Graph:
    return parse_helix()


def hx_terms(g: Graph) -> set[URIRef]:
    return {s for s in set(g.subjects()) if isinstance(s, URIRef) and s.startswith(str(HX))}


def iris(g: Graph) -> Iterable[URIRef]:
    for triple in g:
        yield from (t for t in triple if isinstance(t, URIRef))


def undeclared_hx(g: Graph, declared: Graph) -> set[URIRef]:
    """hx: IRIs used anywhere in ``g`` that ``declared`` does not give a type."""
    known = set(declared.subjects(RDF.type, None))
    return {t for t in iris(g) if t.startswith(str(HX)) and t not in known}


def languages(g: Graph, subject: Node, predicate: URIRef) -> list[str | None]:
    return [o.language for o in g.objects(subject, predicate) if isinstance(o, Literal)]


def is_builtin(term: URIRef) -> bool:
    # str(): URIRef.startswith does not take a tuple
    return str(term).startswith(BUILTIN_NAMESPACES) or term in BUILTIN_TERMS


# --- The file itself -----------------------------------------------------


def test_header(helix: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in helix
    assert helix.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert set(languages(helix, ONTOLOGY_IRI, DCTERMS.title)) >= {"en", "nl"}
    assert helix.value(ONTOLOGY_IRI, DCTERMS.description) is not None
    licence = URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert (ONTOLOGY_IRI, DCTERMS.license, licence) in helix


def test_every_hx_term_has_english_and_dutch_labels_and_a_definition(helix: Graph) -> None:
    problems = []
    for term in sorted(hx_terms(helix)):
        langs = languages(helix, term, RDFS.label)
        if sorted(map(str, langs)) != ["en", "nl"]:
            problems.append(f"{term}: rdfs:label languages {langs}, want one @en and one @nl")
        definitions = [d for d in helix.objects(term, SKOS.definition) if isinstance(d, Literal)]
        if len(definitions) != 1 or definitions[0].language != "en" or len(definitions[0]) < 15:
            problems.append(f"{term}: needs one English skos:definition")
        if helix.value(term, RDFS.isDefinedBy) != ONTOLOGY_IRI:
            problems.append(f"{term}: rdfs:isDefinedBy is not the ontology")
    assert problems == []


def test_every_hx_term_has_exactly_one_kind(helix: Graph) -> None:
    kinds = {OWL.Class, SKOS.ConceptScheme, SKOS.Concept} | PROPERTY_TYPES
    problems = []
    for term in hx_terms(helix):
        types = set(helix.objects(term, RDF.type)) & kinds
        if term in set(helix.subjects(RDF.type, SKOS.Concept)):
            types = {SKOS.Concept}  # roles and measures are also typed with their class
        if len(types) != 1:
            problems.append(f"{term}: {sorted(map(str, types))}")
    assert problems == []


def test_no_undeclared_hx_term_is_used(helix: Graph) -> None:
    shapes = Graph().parse(ONTOLOGY / "shapes.ttl")
    valid = Graph()
    for path in (ONTOLOGY / "examples" / "valid").glob("*.ttl"):
        valid.parse(path)
    assert undeclared_hx(helix, helix) == set()
    assert undeclared_hx(shapes, helix) == set()
    assert undeclared_hx(valid, helix) == set()


def test_the_undeclared_check_catches_a_typo(helix: Graph) -> None:
    typo = Graph()
    typo.add((HX.Organisation, RDFS.subClassOf, URIRef(str(HX) + "Organsation")))
    assert undeclared_hx(typo, helix) == {URIRef(str(HX) + "Organsation")}


def test_every_predicate_and_class_used_in_helix_ttl_is_declared(helix: Graph) -> None:
    declared = set(helix.subjects(RDF.type, None))
    used = {p for p in helix.predicates()}
    used |= {o for o in helix.objects(None, RDF.type) if isinstance(o, URIRef)}
    for prop in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range):
        used |= {o for o in helix.objects(None, prop) if isinstance(o, URIRef)}
    assert {t for t in used if not (isinstance(t, URIRef) and is_builtin(t))} - declared == set()


def test_every_term_of_the_contract_and_the_build_is_declared(helix: Graph) -> None:
    text = CONTRACT.read_text(encoding="utf-8")
    prefixes = {
        "hx": HX,
        "org": ORG,
        "skos": SKOS,
        "foaf": FOAF,
        "schema": SCHEMA,
        "dcterms": DCTERMS,
        "prov": PROV,
        "rdf": RDF,
        "rdfs": RDFS,
        "void": VOID,
    }
    pattern = r"(?<![\w/])(" + "|".join(prefixes) + r"):([A-Za-z_]\w*)"
    named = {
        URIRef(str(prefixes[p]) + name)
        for code in re.findall(r"`([^`]+)`", text)
        for p, name in re.findall(pattern, code)
    }
    assert len(named) > 100
    declared = set(helix.subjects(RDF.type, None))
    assert (named | BUILD_TERMS) - declared == set()
    for term in (named | BUILD_TERMS) - hx_terms(helix):
        assert helix.value(term, RDFS.isDefinedBy) is not None, term
        assert "en" in languages(helix, term, RDFS.label), term


# --- Alignments ----------------------------------------------------------


def eurio_terms() -> set[URIRef]:
    if not EURIO_TTL.exists():
        pytest.skip(f"{EURIO_TTL} not found")
    g = Graph().parse(EURIO_TTL)
    return {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef)}


def exists_in_vocabulary(term: URIRef, eurio: set[URIRef]) -> bool:
    if term.startswith(str(EURIO)):
        return term in eurio
    if term.startswith(str(SCHEMA)):
        return term[len(str(SCHEMA)) :] in SDO
    if term.startswith(str(VIVO)):
        return term[len(str(VIVO)) :] in VIVO_TERMS
    for vocabulary in RDFLIB_VOCABULARIES:
        if term.startswith(str(vocabulary)):
            return term in vocabulary
    raise AssertionError(f"{term}: no vocabulary at hand to check it against; add one")


def test_alignment_targets_exist_in_their_vocabularies(helix: Graph) -> None:
    eurio = eurio_terms()
    targets = {
        o
        for p in ALIGNMENTS
        for o in helix.objects(None, p)
        if isinstance(o, URIRef) and not o.startswith(str(HX))
    }
    assert len(targets) > 40
    assert {t for t in targets if not exists_in_vocabulary(t, eurio)} == set()


def test_the_vocabulary_check_catches_orgs_own_typo() -> None:
    eurio = eurio_terms()
    assert exists_in_vocabulary(URIRef(str(ORG) + "subOrganizationOf"), eurio)
    assert not exists_in_vocabulary(URIRef(str(ORG) + "subOrganzationOf"), eurio)
    assert not exists_in_vocabulary(URIRef(str(EURIO) + "Organization"), eurio)
    assert not exists_in_vocabulary(URIRef(str(SCHEMA) + "Univeristy"), eurio)


def test_eurio_alignment_follows_project_role_organisation(helix: Graph) -> None:
    close = set(helix.objects(None, SKOS.closeMatch))
    assert {EURIO.Organisation, EURIO.Project, EURIO.Grant} <= close


def test_key_alignments(helix: Graph) -> None:
    sub = RDFS.subClassOf
    assert (HX.Organisation, sub, ORG.Organization) in helix
    assert (HX.Person, sub, FOAF.Person) in helix
    assert (HX.Post, sub, ORG.Post) in helix
    assert (HX.FundingAward, sub, SCHEMA.MonetaryGrant) in helix
    assert (HX.SourceDocument, sub, PROV.Entity) in helix
    assert (HX.SourceDocument, sub, FOAF.Document) in helix
    assert (HX.Cluster, sub, ORG.OrganizationalCollaboration) in helix
    assert (HX.Cooperative, sub, ORG.OrganizationalCollaboration) in helix
    assert (HX.Place, sub, SCHEMA.Place) in helix
    for prop in (HX.partnerOf, HX.collaboratesWith):
        assert (prop, RDF.type, OWL.SymmetricProperty) in helix
        assert (prop, RDFS.subPropertyOf, ORG.linkedTo) in helix
    assert (HX.funder, RDFS.subPropertyOf, SCHEMA.funder) in helix
    assert (HX.amount, RDFS.subPropertyOf, SCHEMA.amount) in helix
    assert (HX.abbreviation, RDFS.subPropertyOf, SKOS.altLabel) in helix


# --- Classes, domains and ranges -----------------------------------------


def superclasses(g: Graph, cls: URIRef) -> set[URIRef]:
    return {c for c in g.transitive_objects(cls, RDFS.subClassOf) if isinstance(c, URIRef)}


def test_every_hx_class_reaches_a_root(helix: Graph) -> None:
    roots = {
        HX.Organisation,
        HX.Person,
        HX.Post,
        HX.Role,
        HX.Place,
        HX.Initiative,
        HX.FundingAward,
        HX.Figure,
        HX.Measure,
        HX.LinkEvidence,
        HX.SourceDocument,
        HX.SourceGraph,
    }
    for cls in hx_terms(helix) & set(helix.subjects(RDF.type, OWL.Class)):
        assert superclasses(helix, cls) & roots, cls


def class_expression_ok(g: Graph, node: object, classes: set[Node]) -> bool:
    """A declared class, or an owl:unionOf of declared classes."""
    if isinstance(node, URIRef):
        return node in classes
    if isinstance(node, BNode):
        members = g.value(node, OWL.unionOf)
        return members is not None and all(m in classes for m in Collection(g, members))
    return False


def datatype_ok(g: Graph, node: object) -> bool:
    """An XSD datatype or rdf:langString, or an rdfs:Datatype union of XSD datatypes."""
    if isinstance(node, URIRef):
        return node.startswith(str(XSD)) or node == RDF.langString
    if isinstance(node, BNode):
        members = g.value(node, OWL.unionOf)
        return members is not None and all(
            str(m).startswith(str(XSD)) for m in Collection(g, members)
        )
    return False


def test_domains_and_ranges_point_at_declared_classes(helix: Graph) -> None:
    classes = set(helix.subjects(RDF.type, OWL.Class))
    problems = []
    for prop in hx_terms(helix):
        kinds = set(helix.objects(prop, RDF.type))
        for domain in helix.objects(prop, RDFS.domain):
            if not class_expression_ok(helix, domain, classes):
                problems.append(f"{prop} domain {domain}")
        for rng in helix.objects(prop, RDFS.range):
            ok = (
                datatype_ok(helix, rng)
                if OWL.DatatypeProperty in kinds
                else class_expression_ok(helix, rng, classes)
            )
            if not ok:
                problems.append(f"{prop} range {rng}")
    assert problems == []


def test_posts_recipients_and_figures_have_union_ranges(helix: Graph) -> None:
    def union_of(prop: URIRef) -> set[object]:
        rng = helix.value(prop, RDFS.range)
        members = helix.value(rng, OWL.unionOf)
        assert members is not None, prop
        return set(Collection(helix, members))

    assert union_of(HX.postIn) == {HX.Organisation, HX.Initiative}
    assert union_of(HX.recipient) == {HX.Organisation, HX.Initiative}
    assert union_of(HX.about) == {HX.Organisation, HX.Initiative, HX.Place}


def test_no_term_is_both_a_class_and_a_property(helix: Graph) -> None:
    classes = set(helix.subjects(RDF.type, OWL.Class))
    properties = {s for t in PROPERTY_TYPES for s in helix.subjects(RDF.type, t)}
    assert classes & properties == set()


def test_subclass_and_subproperty_targets_are_of_the_same_sort(helix: Graph) -> None:
    classes = set(helix.subjects(RDF.type, OWL.Class))
    properties = {s for t in PROPERTY_TYPES for s in helix.subjects(RDF.type, t)}
    for s, o in helix.subject_objects(RDFS.subClassOf):
        assert s in classes and o in classes, (s, o)
    for s, o in helix.subject_objects(RDFS.subPropertyOf):
        assert s in properties and o in properties, (s, o)


# --- Concept schemes -----------------------------------------------------

SCHEMES = {HX.helixSpheres: None, HX.roles: HX.Role, HX.measures: HX.Measure}


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_concept_schemes(helix: Graph, scheme: URIRef) -> None:
    members = set(helix.subjects(SKOS.inScheme, scheme))
    assert members, scheme
    assert set(helix.objects(scheme, SKOS.hasTopConcept)) == members
    assert set(helix.subjects(SKOS.topConceptOf, scheme)) == members
    for concept in members:
        assert (concept, RDF.type, SKOS.Concept) in helix
        assert set(languages(helix, concept, SKOS.prefLabel)) == {"en", "nl"}
        member_class = SCHEMES[scheme]
        if member_class is not None:
            assert (concept, RDF.type, member_class) in helix


def test_helix_spheres_say_an_organisation_may_hold_several(helix: Graph) -> None:
    spheres = {HX.academia, HX.industry, HX.government, HX.civilSociety}
    assert set(helix.subjects(SKOS.inScheme, HX.helixSpheres)) == spheres
    assert "several" in str(helix.value(HX.helixSpheres, SKOS.definition))
    assert "academic hospital" in str(helix.value(HX.helix, SKOS.definition))


# --- The term table in ontology/README.md --------------------------------


def kind_of(g: Graph, term: URIRef) -> str:
    types = set(g.objects(term, RDF.type))
    if OWL.Class in types:
        return "class"
    if SKOS.ConceptScheme in types:
        return "concept scheme"
    if SKOS.Concept in types:
        scheme = g.value(term, SKOS.inScheme)
        return f"concept in {short(g, scheme)}" if scheme else "concept"
    for t, name in (
        (OWL.ObjectProperty, "object property"),
        (OWL.DatatypeProperty, "datatype property"),
        (OWL.AnnotationProperty, "annotation property"),
    ):
        if t in types:
            return name + (", symmetric" if OWL.SymmetricProperty in types else "")
    return "term"


def short(g: Graph, term: object) -> str:
    if isinstance(term, URIRef):
        return g.namespace_manager.normalizeUri(term)
    return str(term)


def label(g: Graph, term: URIRef, lang: str) -> str:
    texts = (o for o in g.objects(term, RDFS.label) if isinstance(o, Literal))
    return next((str(lit) for lit in texts if lit.language == lang), "")


def aligned(g: Graph, term: URIRef) -> str:
    marks = (
        (RDFS.subClassOf, "⊑"),
        (RDFS.subPropertyOf, "⊑"),
        (SKOS.closeMatch, "≈"),
        (SKOS.broadMatch, "broader:"),
        (SKOS.relatedMatch, "related:"),
    )
    parts = [
        f"{mark} {short(g, o)}"
        for p, mark in marks
        for o in sorted(g.objects(term, p), key=str)
        if isinstance(o, URIRef)
    ]
    return ", ".join(parts)


def term_table(g: Graph) -> str:
    order = [
        "class",
        "object property",
        "datatype property",
        "annotation property",
        "concept scheme",
        "concept",
    ]

    def key(term: URIRef) -> tuple[int, str]:
        kind = kind_of(g, term)
        rank = next(i for i, k in enumerate(order) if kind.startswith(k))
        return rank, short(g, term).lower()

    rows = [
        "| term | kind | label (en) | label (nl) | definition | aligned to |",
        "|---|---|---|---|---|---|",
    ]
    for term in sorted(hx_terms(g), key=key):
        cells = [
            f"`{short(g, term)}`",
            kind_of(g, term),
            label(g, term, "en"),
            label(g, term, "nl"),
            str(g.value(term, SKOS.definition)),
            aligned(g, term),
        ]
        rows.append(
            "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"
        )
    return "\n".join(rows)


def readme_with_table(readme: str, table: str) -> str:
    start, end = readme.index(TABLE_START), readme.index(TABLE_END)
    return readme[: start + len(TABLE_START)] + "\n" + table + "\n" + readme[end:]


def test_readme_term_table_is_up_to_date(helix: Graph) -> None:
    readme = README.read_text(encoding="utf-8")
    assert readme == readme_with_table(readme, term_table(helix)), (
        "ontology/README.md is out of date: run python -m tests.test_ontology --write"
    )


def test_term_table_has_a_row_per_term(helix: Graph) -> None:
    table = term_table(helix)
    assert len(table.splitlines()) == 2 + len(hx_terms(helix))
    assert "| `hx:Organisation` | class | organisation | organisatie |" in table


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    text = README.read_text(encoding="utf-8")
    README.write_text(readme_with_table(text, term_table(parse_helix())), encoding="utf-8")
    print(f"wrote the term table to {README}")
