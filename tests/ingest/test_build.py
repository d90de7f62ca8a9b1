from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import SKOS, URIRef

from helixgraph import store as hstore
from helixgraph.ingest.build import BuildError, build, check, compile_all
from helixgraph.ingest.validate import ontology_dir
from helixgraph.vocab.namespace import HX, META_GRAPH, ONTOLOGY_GRAPH, iri, source_graph

PREFIXES = """PREFIX hx: <https://w3id.org/helixgraph/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def ask(st: ox.Store, q: str) -> bool:
    return bool(st.query(PREFIXES + q))


def rows(st: ox.Store, q: str) -> list[tuple[str, ...]]:
    res = st.query(PREFIXES + q)
    names = [v.value for v in res.variables]  # type: ignore[union-attr]
    return [tuple(s[n].value for n in names) for s in res]  # type: ignore[union-attr]


def test_build_writes_one_graph_per_source(mini_store: Path) -> None:
    st = hstore.open_store(mini_store)
    graphs = {g.value for g in st.named_graphs()}
    assert graphs == {
        str(g) for g in (source_graph("s1"), source_graph("s2"), ONTOLOGY_GRAPH, META_GRAPH)
    }
    # stated by both sources → in both graphs; stated by one → only there
    assert rows(
        st,
        f"SELECT ?g WHERE {{ GRAPH ?g {{ <{iri('org', 'uni')}> hx:participatesIn ?i }} }} ORDER BY ?g",
    ) == [(str(source_graph("s1")),), (str(source_graph("s2")),)]
    assert rows(
        st, f"SELECT ?g WHERE {{ GRAPH ?g {{ <{iri('org', 'firm')}> org:memberOf ?c }} }}"
    ) == [(str(source_graph("s1")),)]


def test_every_node_says_where_it_comes_from(mini_store: Path) -> None:
    st = hstore.open_store(mini_store)
    missing = rows(
        st,
        """SELECT DISTINCT ?x WHERE { GRAPH ?g { ?x a ?c }
        FILTER(STRSTARTS(STR(?g), "https://w3id.org/helixgraph/graph/source/"))
        FILTER NOT EXISTS { GRAPH ?g { ?x prov:wasDerivedFrom ?s } } }""",
    )
    assert missing == []
    assert ask(st, f"ASK {{ <{iri('source', 's2')}> hx:translationOf <{iri('source', 's1')}> }}")


def test_values_are_typed(mini_store: Path) -> None:
    st = hstore.open_store(mini_store)
    assert rows(
        st, """SELECT ?amount ?dt WHERE { ?a hx:amount ?amount BIND(DATATYPE(?amount) AS ?dt) }"""
    ) == [("250000.5", "http://www.w3.org/2001/XMLSchema#decimal")]
    assert rows(
        st,
        """SELECT ?d WHERE { ?a a hx:FundingAward ; hx:awardDate ?d FILTER(DATATYPE(?d) =
        <http://www.w3.org/2001/XMLSchema#gYearMonth>) }""",
    ) == [("2020-04",)]
    assert ask(
        st,
        """ASK { ?f hx:measure hx:jobs ; hx:value ?v ; hx:unit "FTE" ;
        hx:year "2020"^^<http://www.w3.org/2001/XMLSchema#gYear> FILTER(?v = 4000) }""",
    )
    assert ask(st, """ASK { ?o skos:altLabel "Universitas Testensis"@la ; hx:abbreviation "TU" }""")


def test_build_records_the_run_and_counts(mini_store: Path) -> None:
    st = hstore.open_store(mini_store)
    got = rows(
        st,
        f"""SELECT ?n WHERE {{ GRAPH <{META_GRAPH}> {{
        <{source_graph("s2")}> a hx:SourceGraph ; <http://rdfs.org/ns/void#triples> ?n ;
        prov:wasGeneratedBy ?run . ?run prov:endedAtTime ?t }} }}""",
    )
    n = sum(1 for _ in st.quads_for_pattern(None, None, None, ox.NamedNode(source_graph("s2"))))
    assert got == [(str(n),)]


BAD = [
    (
        "relations.csv",
        "firm,member_of,coop,",
        "firm,member_of,cop,",
        r"relations.csv:2: column 'object': unknown organisation id 'cop'; did you mean coop",
    ),
    (
        "funding.csv",
        "250000.50,EUR",
        "250.000,50,EUR",
        r"funding.csv:3: 12 cells but the header has 11",
    ),
    (
        "funding.csv",
        "250000.50,EUR",
        "2.5e5x,EUR",
        r"funding.csv:3: column 'amount': '2.5e5x' is not a number",
    ),
    ("funding.csv", "250000.50,EUR", "-5,EUR", r"funding.csv:3: column 'amount': '-5' is negative"),
    (
        "funding.csv",
        "250000.50,EUR",
        "5,",
        r"funding.csv:3: column 'currency': is empty but an amount",
    ),
    (
        "initiatives.csv",
        "2020-04",
        "04.2020",
        r"initiatives.csv:2: column 'start': '04.2020' is not a date",
    ),
    (
        "organisations.csv",
        "cooperative,industry",
        "co-op,industry",
        r"organisations.csv:4: column 'kinds': 'co-op' is not one of",
    ),
    (
        "organisations.csv",
        "firm;sme,industry,groningen,,,,s1,",
        "firm;sme,industry,groningen,,,,,",
        r"organisations.csv:5: column 'sources': is empty",
    ),
    (
        "people.csv",
        "ann,Ann Example,s1",
        "ann,Ann Example,s9",
        r"people.csv:2: column 'sources': unknown source id 's9'",
    ),
    (
        "places.csv",
        "groningen,Groningen",
        "north,Groningen",
        r"places.csv:3: column 'id': id 'north' is already used at places.csv:2",
    ),
    (
        "posts.csv",
        "ann,chair,coop,",
        "ann,chair,coop,call",
        r"posts.csv:2: column 'organisation': give exactly one",
    ),
    ("figures.csv", "coop,jobs,4000", "coop,jobs,", r"figures.csv:2: column 'value': is empty"),
    (
        "sources.csv",
        "id,title",
        "id,titel",
        r"sources.csv:1: missing column\(s\) title; unknown column\(s\) titel",
    ),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    BAD,
    ids=[b[3].split(":")[0] + b[3].split(":")[1] for b in BAD],
)
def test_bad_input_names_file_line_and_keeps_the_store(
    mini_data: Path, tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    path = tmp_path / "store"
    build(mini_data, store_path=path)
    before, n = path.resolve(), len(hstore.open_store(path))
    text = (mini_data / file).read_text()
    assert old in text
    (mini_data / file).write_text(text.replace(old, new, 1))
    with pytest.raises(BuildError, match=message):
        build(mini_data, store_path=path)
    assert path.resolve() == before
    assert len(hstore.open_store(path)) == n


def test_shape_violation_is_traced_to_its_row(mini_data: Path) -> None:
    sg = compile_all(mini_data, ontology_dir())
    uni = URIRef(iri("org", "uni"))
    for g in sg.dataset.graphs():
        g.remove((uni, SKOS.prefLabel, None))
    with pytest.raises(BuildError) as e:
        check(sg, ontology_dir())
    assert any(
        p.startswith(f"{mini_data / 'organisations.csv'}:2: {uni}") for p in e.value.problems
    ), e.value.problems


def test_missing_data_dir(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="data directory not found"):
        build(tmp_path / "nope", store_path=tmp_path / "store")


def test_killed_build_leaves_the_store_and_the_next_build_works(
    mini_data: Path, tmp_path: Path
) -> None:
    path = tmp_path / "store"
    build(mini_data, store_path=path)
    before, n = path.resolve(), len(hstore.open_store(path))
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        import helixgraph.store as s
        real = s.replacing
        def dying(p):
            cm = real(p)
            st = cm.__enter__()
            st.add(__import__("pyoxigraph").Quad(*[__import__("pyoxigraph").NamedNode("http://x/" + c) for c in "spo"]))
            st.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        s.replacing = dying
        from helixgraph.ingest.build import build
        build(Path({str(mini_data)!r}), store_path=Path({str(path)!r}))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert proc.returncode == -9
    assert path.resolve() == before
    assert len(hstore.open_store(path)) == n
    build(mini_data, store_path=path)
    assert path.resolve() != before
    assert len(hstore.open_store(path)) == n


def test_hx_terms_used_by_the_build_exist() -> None:
    assert str(HX.Organisation).endswith("#Organisation")
    with pytest.raises(AttributeError):
        HX.Organization  # noqa: B018  (the ORG spelling is not ours)


def test_every_term_the_seed_data_uses_is_declared(seed_store: Path) -> None:
    st = hstore.open_store(seed_store)
    declared = {
        r[0]
        for r in rows(
            st,
            f"""SELECT DISTINCT ?t WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{
        ?t a ?kind }} }}""",
        )
    }
    used = {
        r[0]
        for r in rows(
            st,
            f"""SELECT DISTINCT ?t WHERE {{ GRAPH ?g {{
        {{ ?s ?t ?o }} UNION {{ ?s a ?t }} }} FILTER(?g != <{ONTOLOGY_GRAPH}>) }}""",
        )
    }
    assert len(used) > 40
    assert used - declared == set()


def test_build_refuses_an_undeclared_term(mini_data: Path, tmp_path: Path) -> None:
    onto = tmp_path / "ontology"
    import shutil

    shutil.copytree(ontology_dir(), onto)
    text = (onto / "helix.ttl").read_text()
    (onto / "helix.ttl").write_text(text.replace("hx:spinOffOf a", "hx:spinOffOfX a", 1))
    assert "hx:spinOffOfX a" in (onto / "helix.ttl").read_text()
    # the mini data does not use spinOffOf, so add a row that does
    with (mini_data / "relations.csv").open("a") as f:
        f.write("firm,spin_off_of,uni,,s1,a spin-off\n")
    with pytest.raises(
        BuildError, match=r"helix.ttl: term used by the data but not declared: .*#spinOffOf"
    ):
        build(mini_data, onto, store_path=tmp_path / "store")
