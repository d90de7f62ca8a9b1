"""CORDIS H2020 on a fixture cut from the real files (tests/fixtures/imports/ATTRIBUTION.md)."""

from __future__ import annotations

import csv
import gzip
import shutil
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from helixgraph import store as hstore
from helixgraph.ingest.run import run_import
from helixgraph.ingest.sources import cordis
from helixgraph.ingest.toolkit import ImportFailed, Problems, read_csv

ID = "https://w3id.org/helixgraph/id/"
P = """PREFIX hx: <https://w3id.org/helixgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX void: <http://rdfs.org/ns/void#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
GRAPH = "https://w3id.org/helixgraph/graph/import/cordis-h2020"


def rows(path: Path, q: str) -> list[tuple[str, ...]]:
    st = hstore.open_store(path)
    res = st.query(P + q)
    names = [v.value for v in res.variables]  # type: ignore[union-attr]
    return [tuple(s[n].value if s[n] is not None else "" for n in names) for s in res]  # type: ignore[union-attr]


def quads(path: Path, graph: str) -> set[str]:
    st = hstore.open_store(path)
    return {str(q) for q in st.quads_for_pattern(None, None, None, ox.NamedNode(graph))}


def do_import(fixtures: Path, store: Path, **kw: object) -> object:
    extract = cordis.read(
        fixtures / "cordis_h2020_eunets", Problems(str(kw.pop("on_error", "stop"))), **kw
    )  # type: ignore[arg-type]
    return run_import(extract, store_path=store)


def test_umcg_pic_resolves_to_the_seed_node(fixtures: Path, store: Path) -> None:
    report = do_import(fixtures, store)
    merged = {m.key: m for m in report.resolution.merges}  # type: ignore[attr-defined]
    assert merged["pic:999914801"].target == ID + "org/umcg"
    assert merged["pic:999914801"].rule == "pic"
    # the CORDIS name is an alternative label of the one node; the curated labels stay
    assert ("ACADEMISCH ZIEKENHUIS GRONINGEN",) in rows(
        store, f"SELECT ?l WHERE {{ <{ID}org/umcg> skos:altLabel ?l }}"
    )
    assert rows(
        store, f"SELECT DISTINCT ?l WHERE {{ <{ID}org/umcg> skos:prefLabel ?l }} ORDER BY ?l"
    ) == [("Universitair Medisch Centrum Groningen",), ("University Medical Center Groningen",)]
    assert rows(store, f"SELECT ?p WHERE {{ <{ID}org/pic-999914801> ?p ?o }}") == []


def test_participation_awards_and_coordinator(fixtures: Path, store: Path) -> None:
    do_import(fixtures, store)
    projects = rows(
        store,
        f"SELECT ?p WHERE {{ ?p a hx:Project ; prov:wasDerivedFrom <{ID}source/cordis-h2020> }}",
    )
    assert len(projects) == 6
    # project 213387: UMCG and the University of Groningen
    partners = rows(
        store,
        f"SELECT DISTINCT ?o WHERE {{ ?o hx:participatesIn <{ID}initiative/h2020-213387> }}"
        " ORDER BY ?o",
    )
    assert partners == [(ID + "org/umcg",), (ID + "org/university-of-groningen",)]
    leads = rows(store, f"SELECT ?o WHERE {{ ?o hx:leads <{ID}initiative/h2020-213387> }}")
    assert len(leads) == 1
    # the award amount is the CORDIS contribution, from the European Commission
    got = rows(
        store,
        f"""SELECT ?amount ?funder WHERE {{ ?a hx:recipient <{ID}org/umcg> ;
        hx:programme <{ID}initiative/h2020-213387> ; hx:amount ?amount ; hx:funder ?funder }}""",
    )
    expected = [
        r
        for r in read_csv(fixtures / "cordis_h2020_eunets" / "h2020.csv")
        if r[1]["rcn"] == "213387" and r[1]["pic"] == "999914801"
    ][0][1]["contribution"]
    assert [(Decimal(a), f) for a, f in got] == [
        (Decimal(expected), ID + "org/european-commission")
    ]


def test_contribution_na_gives_participation_but_no_award(fixtures: Path, store: Path) -> None:
    report = do_import(fixtures, store)
    na = [
        r
        for _, r in read_csv(fixtures / "cordis_h2020_eunets" / "h2020.csv")
        if r["contribution"] == "NA"
    ]
    assert na and report.counts["contribution not stated (NA)"] == len(na)  # type: ignore[attr-defined]
    r = na[0]
    award = f"{ID}award/h2020-{r['rcn']}-{r['pic']}"
    assert rows(store, f"SELECT ?p WHERE {{ <{award}> ?p ?o }}") == []
    assert rows(
        store, f"SELECT ?o WHERE {{ ?o hx:participatesIn <{ID}initiative/h2020-{r['rcn']}> }}"
    )


def test_activity_type_maps_to_kind_and_helix(fixtures: Path, store: Path) -> None:
    do_import(fixtures, store)
    got = rows(
        store,
        """SELECT DISTINCT ?kind ?helix WHERE { GRAPH ?g { ?o a ?kind ; hx:helix ?helix }
        FILTER(STRSTARTS(STR(?o), "https://w3id.org/helixgraph/id/org/pic-"))
        FILTER(?kind != hx:Organisation) }""",
    )
    allowed = {
        ("HigherEducationInstitution", "academia"),
        ("ResearchInstitute", "academia"),
        ("Firm", "industry"),
        ("GovernmentBody", "government"),
        ("OtherOrganisation", "civilSociety"),
    }
    got_local = {(k.rsplit("#", 1)[1], h.rsplit("#", 1)[1]) for k, h in got}
    assert got_local and got_local <= allowed


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"region": "twente"}, {"207066", "220149"}),
        ({"region": "north-nl"}, {"213387", "224216", "227047", "220149"}),
        ({"countries": ("BE",)}, {"221856"}),
    ],
)
def test_filters_keep_whole_projects(
    fixtures: Path, store: Path, kw: dict[str, object], expected: set[str]
) -> None:
    do_import(fixtures, store, **kw)
    got = {
        p.rsplit("-", 1)[1]
        for (p,) in rows(
            store,
            "SELECT ?p WHERE { ?p a hx:Project ; "
            f"prov:wasDerivedFrom <{ID}source/cordis-h2020> }}",
        )
    }
    assert got == expected


def test_reimport_is_idempotent_and_metadata_is_written(fixtures: Path, store: Path) -> None:
    do_import(fixtures, store)
    first = quads(store, GRAPH)
    do_import(fixtures, store)
    assert quads(store, GRAPH) == first
    meta = rows(
        store,
        f"""SELECT ?n ?read ?file ?lic WHERE {{ <{GRAPH}> a hx:ImportGraph ;
        void:triples ?n ; hx:rowsRead ?read ; hx:sourceFile ?file ; dcterms:license ?lic ;
        prov:wasGeneratedBy ?run . ?run prov:startedAtTime ?t }}""",
    )
    assert {m[2] for m in meta} == {"h2020.csv", "programme_parts.csv", "pic_name_lookup.csv"}
    assert {(int(m[0]), int(m[1])) for m in meta} == {(len(first), 35)}
    assert len(rows(store, f"SELECT ?run WHERE {{ <{GRAPH}> prov:wasGeneratedBy ?run }}")) == 1


def broken_copy(fixtures: Path, tmp_path: Path, line: int, column: str, value: str) -> Path:
    target = tmp_path / "cordis"
    shutil.copytree(fixtures / "cordis_h2020_eunets", target)
    table = target / "h2020.csv"
    with table.open(newline="") as fh:
        lines = list(csv.reader(fh))
    lines[line - 1][lines[0].index(column)] = value
    with table.open("w", newline="") as fh:
        csv.writer(fh).writerows(lines)
    return target


def test_bad_row_stops_and_leaves_the_store_unchanged(
    fixtures: Path, store: Path, tmp_path: Path
) -> None:
    before = {str(q) for q in hstore.open_store(store)}
    target = broken_copy(fixtures, tmp_path, 3, "contribution", "12,5")
    with pytest.raises(ImportFailed) as exc:
        run_import(
            cordis.read(
                target, Problems("stop"), names=fixtures / "derived" / "pic_name_lookup.csv"
            ),
            store_path=store,
        )
    assert exc.value.problems == [f"{target / 'h2020.csv'}:3: contribution: '12,5' is not a number"]
    assert {str(q) for q in hstore.open_store(store)} == before


def test_bad_row_skipped_and_counted(fixtures: Path, store: Path, tmp_path: Path) -> None:
    target = broken_copy(fixtures, tmp_path, 4, "pic", "")
    problems = Problems("skip")
    report = run_import(
        cordis.read(target, problems, names=fixtures / "derived" / "pic_name_lookup.csv"),
        store_path=store,
    )
    assert report.rows_skipped == 1 and report.rows_read == 35
    assert problems.lines == [f"{target / 'h2020.csv'}:4: pic: missing or not a 9-digit PIC: ''"]
    assert rows(store, f"SELECT ?k WHERE {{ <{GRAPH}> hx:rowsSkipped ?k }}") == [("1",)]


def test_a_failed_validation_leaves_the_store_unchanged(
    fixtures: Path, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {str(q) for q in hstore.open_store(store)}
    monkeypatch.setitem(cordis.ACTIVITY, "PRC", ("Firm", "Firm"))  # a class as helix sphere
    with pytest.raises(ImportFailed) as exc:
        do_import(fixtures, store)
    assert "hxsh:OrganisationHelix" in exc.value.problems[0]
    assert {str(q) for q in hstore.open_store(store)} == before


def test_gzip_input_and_mojibake_repair(fixtures: Path, tmp_path: Path) -> None:
    target = tmp_path / "gz"
    target.mkdir()
    data = (fixtures / "cordis_h2020_eunets" / "h2020.csv").read_bytes()
    (target / "h2020.csv.gz").write_bytes(gzip.compress(data))
    extract = cordis.read(
        target, Problems("stop"), names=fixtures / "derived" / "pic_name_lookup.csv"
    )
    assert extract.rows_read == 35
    assert cordis.repair("Bernhard J√∂ckel") == "Bernhard Jöckel"
    assert cordis.repair("Plain") == "Plain"
