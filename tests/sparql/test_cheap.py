"""Which queries count as cheap (answered in the server's process): bounded by their text."""

from __future__ import annotations

import pytest

from helixgraph.sparql.cheap import MAX_CHARS, is_cheap

P = (
    "PREFIX hx: <https://w3id.org/helixgraph/ontology#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)
UMCG = "<https://w3id.org/helixgraph/id/org/umcg>"

CHEAP = [
    P + 'SELECT ?org WHERE { ?org skos:prefLabel "UMCG"@en }',
    P + 'SELECT ?org WHERE { ?org skos:prefLabel "UMCG"@en . }',
    f"SELECT * {{ {UMCG} ?p ?o }}",
    f"SELECT ?p ?o WHERE {{ {UMCG} ?p ?o }} LIMIT 10 OFFSET 5",
    P + f"ASK {{ {UMCG} a hx:Organisation }}",
    P + "select distinct ?o where { ?o a hx:Organisation } limit 5",
    P + 'SELECT ?n WHERE { ?o a hx:Organisation ; skos:prefLabel ?n . FILTER(lang(?n) = "en") }',
    P + f"SELECT ?partner WHERE {{ {UMCG} hx:participatesIn ?p . ?partner hx:participatesIn ?p . "
    f"FILTER(?partner != {UMCG}) }}",
    P + 'SELECT ?o WHERE { ?o hx:amount "5"^^<http://www.w3.org/2001/XMLSchema#integer> }',
    P + "SELECT ?o WHERE { ?o hx:amount 5 , 6.5 }",
    P + "SELECT ?o WHERE { ?o hx:flag true ; hx:p ?x }",
    P + "SELECT ?o # a comment\nWHERE { ?o skos:prefLabel 'x' }",
    "SELECT ?o WHERE { ?o hx:p ex:b. }",  # the dot ends the pattern, not the name
]

NOT_CHEAP = [
    "SELECT ?s WHERE { ?s ?p ?o }",  # nothing anchors it
    P + "SELECT ?n WHERE { ?o hx:p ?n . ?n hx:q ?z }",
    P + "SELECT ?n WHERE { ?o a hx:Organisation . ?o hx:p ?n . ?n hx:q ?z }",  # two hops out
    P + "SELECT ?n WHERE { ?o a hx:Organisation . ?o ?p ?n }",  # variable predicate off the anchor
    P + "SELECT ?a ?b WHERE { ?a a hx:Organisation . ?b a hx:Project }",  # a product
    P + "SELECT (COUNT(*) AS ?n) WHERE { ?o a hx:Organisation }",
    P + "SELECT ?o WHERE { ?o a hx:Organisation } ORDER BY ?o",
    P + "SELECT ?h (COUNT(?o) AS ?n) WHERE { ?o hx:helix ?h } GROUP BY ?h",
    P + f"SELECT ?o WHERE {{ ?o hx:partOf/hx:partOf {UMCG} }}",
    P + f"SELECT ?o WHERE {{ ?o hx:partOf* {UMCG} }}",
    P + f"SELECT ?o WHERE {{ ?o hx:partOf+ {UMCG} }}",
    P + f"SELECT ?o WHERE {{ ?o hx:partOf|hx:memberOf {UMCG} }}",
    P + f"SELECT ?o WHERE {{ ?o ^hx:partOf {UMCG} }}",
    P + f"SELECT ?o WHERE {{ ?o hx:partOf {UMCG} OPTIONAL {{ ?o hx:q ?z }} }}",
    P + f"SELECT ?o WHERE {{ {{ ?o hx:partOf {UMCG} }} UNION {{ ?o hx:q {UMCG} }} }}",
    P + f"SELECT ?o WHERE {{ ?o hx:partOf {UMCG} FILTER NOT EXISTS {{ ?o a hx:X }} }}",
    P + f"SELECT ?o WHERE {{ GRAPH ?g {{ ?o hx:partOf {UMCG} }} }}",
    P + f"SELECT ?o FROM <http://example.org/g> WHERE {{ ?o hx:partOf {UMCG} }}",
    P + f"SELECT ?o WHERE {{ SERVICE <http://example.org/> {{ ?o hx:partOf {UMCG} }} }}",
    P + f"SELECT ?o WHERE {{ ?o hx:partOf {UMCG} . BIND(1 AS ?x) }}",
    P + f"SELECT ?o WHERE {{ VALUES ?o {{ {UMCG} }} ?o ?p ?x }}",
    P + f"SELECT (STR(?o) AS ?s) WHERE {{ ?o hx:partOf {UMCG} }}",
    P + "SELECT ?o WHERE { ?o hx:p [ hx:q 1 ] }",  # a blank node
    P + "CONSTRUCT { ?o a hx:X } WHERE { ?o hx:p 1 }",
    f"DESCRIBE {UMCG}",
    P + f"INSERT DATA {{ {UMCG} hx:p 1 }}",
    "SELECT ?o WHERE { ?o hx:p 1 ",  # unfinished
    "",
]


@pytest.mark.parametrize("query", CHEAP)
def test_bounded_queries_are_cheap(query: str) -> None:
    assert is_cheap(query)


@pytest.mark.parametrize("query", NOT_CHEAP)
def test_other_queries_go_to_a_worker(query: str) -> None:
    assert not is_cheap(query)


def test_a_long_text_is_never_cheap() -> None:
    many = " ".join(f'?o skos:prefLabel "{i}" .' for i in range(MAX_CHARS // 20))
    assert not is_cheap(P + f"SELECT ?o WHERE {{ {many} }}")
