"""helixgraph.vocab.namespace: HX matches ontology/helix.ttl, and the IRIs match the contract."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SDO

from helixgraph.vocab.namespace import (
    BASE,
    GRAPH,
    HX,
    ID,
    KINDS,
    META_GRAPH,
    ONTOLOGY_GRAPH,
    PREFIXES,
    SCHEMA,
    iri,
    source_graph,
)

ROOT = Path(__file__).resolve().parents[2]
HELIX = ROOT / "ontology" / "helix.ttl"
CONTRACT = ROOT / "docs" / "data-model.md"


def names(namespace: type) -> set[str]:
    """The terms a DefinedNamespace lists (its annotations)."""
    return {name for name in namespace.__annotations__ if not name.startswith("_")}


def declared_hx_names() -> set[str]:
    g = Graph().parse(HELIX)
    return {str(s)[len(str(HX)) :] for s in set(g.subjects()) if str(s).startswith(str(HX))}


def test_hx_lists_exactly_the_terms_declared_in_helix_ttl() -> None:
    in_code, in_ontology = names(HX), declared_hx_names()
    assert in_code - in_ontology == set(), "in namespace.py but not declared in helix.ttl"
    assert in_ontology - in_code == set(), "declared in helix.ttl but missing from namespace.py"


def test_hx_lists_exactly_the_hx_terms_of_the_contract() -> None:
    text = CONTRACT.read_text(encoding="utf-8")
    in_contract = {
        m for code in re.findall(r"`([^`]+)`", text) for m in re.findall(r"\bhx:(\w+)", code)
    }
    assert in_contract - names(HX) == set(), "named in docs/data-model.md but not in HX"
    assert names(HX) - in_contract == set(), "in HX but never named in docs/data-model.md"


def test_a_misspelt_term_raises() -> None:
    assert HX.Organisation == URIRef("https://w3id.org/helixgraph/ontology#Organisation")
    with pytest.raises(AttributeError):
        _ = HX.Organization  # the US spelling is not ours
    with pytest.raises(AttributeError):
        _ = SCHEMA.fundr


def test_schema_terms_exist_in_schema_org() -> None:
    assert str(SCHEMA) == "http://schema.org/"
    missing = {name for name in names(SCHEMA) if name not in SDO}
    assert missing == set()


@pytest.mark.parametrize("kind", KINDS)
def test_iri_of_each_kind(kind: str) -> None:
    assert iri(kind, "umcg") == URIRef(f"https://w3id.org/helixgraph/id/{kind}/umcg")


def test_iri_kinds_are_the_contracts() -> None:
    text = CONTRACT.read_text(encoding="utf-8")
    single = set(re.findall(r"helixgraph/id/(\w+)/\{id\}", text))
    grouped = re.search(r"helixgraph/id/\{([\w,]+)\}/\{hash\}", text)
    assert grouped is not None
    assert single | set(grouped.group(1).split(",")) == set(KINDS)


@pytest.mark.parametrize(
    ("kind", "ident"),
    [
        ("company", "umcg"),
        ("org", "UMCG"),
        ("org", ""),
        ("org", "-x"),
        ("org", "a/b"),
        ("org", "é"),
    ],
)
def test_iri_rejects_bad_kind_or_id(kind: str, ident: str) -> None:
    with pytest.raises(ValueError):
        iri(kind, ident)


def test_graph_iris() -> None:
    assert BASE == "https://w3id.org/helixgraph/"
    assert ID == BASE + "id/" and GRAPH == BASE + "graph/"
    assert str(ONTOLOGY_GRAPH) == "https://w3id.org/helixgraph/graph/ontology"
    assert str(META_GRAPH) == "https://w3id.org/helixgraph/graph/meta"
    assert source_graph("umcg-2022") == URIRef("https://w3id.org/helixgraph/graph/source/umcg-2022")
    with pytest.raises(ValueError):
        source_graph("UMCG 2022")


def test_prefixes_match_helix_ttl() -> None:
    g = Graph(bind_namespaces="none").parse(HELIX)
    bound = {prefix: str(ns) for prefix, ns in g.namespaces()}
    for prefix in ("hx", "org", "skos", "prov", "foaf", "schema", "dcterms", "void", "eurio"):
        assert PREFIXES[prefix] == bound[prefix], prefix


def test_sparql_prefixes_spells_each_prefix_once_and_refuses_unknown_ones() -> None:
    from helixgraph.vocab.namespace import PREFIXES, sparql_prefixes

    block = sparql_prefixes("hx", "skos")
    assert block == f"PREFIX hx: <{PREFIXES['hx']}>\nPREFIX skos: <{PREFIXES['skos']}>\n"
    assert sparql_prefixes().count("PREFIX ") == len(PREFIXES)
    with pytest.raises(KeyError, match="unknown prefix 'hxx'"):
        sparql_prefixes("hxx")
