"""ROR and the Dutch structural funds on fixtures cut from the real files."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from helixgraph import store as hstore
from helixgraph.ingest.run import run_import
from helixgraph.ingest.sources import cordis, ror, structural_funds
from helixgraph.ingest.toolkit import ImportFailed, Problems, dutch_amount, dutch_date

ID = "https://w3id.org/helixgraph/id/"
P = """PREFIX hx: <https://w3id.org/helixgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def rows(path: Path, q: str) -> list[tuple[str, ...]]:
    res = hstore.open_store(path).query(P + q)
    names = [v.value for v in res.variables]  # type: ignore[union-attr]
    return [tuple(s[n].value for n in names) for s in res]  # type: ignore[union-attr]


def import_ror(fixtures: Path, store: Path) -> object:
    return run_import(ror.read(fixtures / "ror", Problems()), store_path=store)


def test_ror_records_resolve_to_seed_nodes_by_ror_id(fixtures: Path, store: Path) -> None:
    report = import_ror(fixtures, store)
    merged = {m.key: (m.target, m.rule) for m in report.resolution.merges}  # type: ignore[attr-defined]
    assert merged["ror:03cv38k47"] == (ID + "org/umcg", "ror")
    assert merged["ror:012p63287"] == (ID + "org/university-of-groningen", "ror")
    assert merged["ror:005t9n460"] == (ID + "org/saxion", "ror")
    # identifiers the seed did not have arrive with the record
    assert rows(store, f"SELECT ?w WHERE {{ <{ID}org/lifelines> hx:wikidata ?w }}")[0] == (
        "Q2470032",
    )


def test_ror_relationships(fixtures: Path, store: Path) -> None:
    import_ror(fixtures, store)
    assert rows(store, f"SELECT ?x WHERE {{ <{ID}org/lifelines> org:subOrganizationOf ?x }}") == [
        (ID + "org/umcg",)
    ]
    pair = rows(
        store,
        f"""SELECT ?a ?b WHERE {{ ?a hx:collaboratesWith ?b
        FILTER(?a IN (<{ID}org/umcg>, <{ID}org/university-of-groningen>)
            && ?b IN (<{ID}org/umcg>, <{ID}org/university-of-groningen>)) }}""",
    )
    assert len(pair) == 1  # related both ways in ROR, written once


def test_new_ror_organisation_has_kind_helix_place_and_founding_year(
    fixtures: Path, store: Path
) -> None:
    import_ror(fixtures, store)
    got = rows(
        store,
        f"""SELECT ?kind ?helix ?city ?founded WHERE {{
        <{ID}org/ror-03sbcey83> a ?kind ; hx:helix ?helix ; hx:locatedIn ?city ; hx:founded ?founded
        FILTER(?kind != hx:Organisation) }}""",
    )
    assert got == [
        (
            "https://w3id.org/helixgraph/ontology#NonProfitOrganisation",
            "https://w3id.org/helixgraph/ontology#civilSociety",
            ID + "place/enschede",
            "2013",
        )
    ]


def test_malformed_ror_id_is_a_bad_row(fixtures: Path, store: Path, tmp_path: Path) -> None:
    target = tmp_path / "ror"
    shutil.copytree(fixtures / "ror", target)
    orgs = target / "ror_nl_organizations.csv"
    with orgs.open(newline="") as fh:
        table = list(csv.reader(fh))
    table[2][0] = "https://ror.org/XYZ"
    with orgs.open("w", newline="") as fh:
        csv.writer(fh).writerows(table)
    with pytest.raises(ImportFailed, match=r"ror_nl_organizations.csv:3: ror_id: missing or "):
        run_import(ror.read(target, Problems("stop")), store_path=store)
    report = run_import(ror.read(target, Problems("skip")), store_path=store)
    assert report.rows_skipped == 1


@pytest.mark.parametrize(
    ("text", "value"),
    [("7.488.600", "7488600"), ("1.234,50", "1234.50"), ("0", "0"), ("560000", "560000")],
)
def test_dutch_amounts(text: str, value: str) -> None:
    assert dutch_amount(text) == Decimal(value)


@pytest.mark.parametrize("text", ["7,488,600", "7.48.600", "abc", "-5"])
def test_bad_dutch_amounts(text: str) -> None:
    with pytest.raises(ValueError):
        dutch_amount(text)


def test_dutch_dates() -> None:
    assert dutch_date("19.02.2009") == "2009-02-19"
    for bad in ("2009-02-19", "31.02.2009", "1.2.2009"):
        with pytest.raises(ValueError):
            dutch_date(bad)


FUNDS = "nl_structural_funds/structural_funds.csv"


def test_structural_funds_after_cordis_and_ror(fixtures: Path, store: Path) -> None:
    import_ror(fixtures, store)
    run_import(cordis.read(fixtures / "cordis_h2020_eunets", Problems()), store_path=store)
    report = run_import(structural_funds.read(fixtures / FUNDS, Problems()), store_path=store)
    merged = {m.name: m.target for m in report.resolution.merges}  # type: ignore[attr-defined]
    assert merged["Hanzehogeschool Groningen"] == ID + "org/hanzehogeschool-groningen"
    assert merged["Rijksuniversiteit Groningen"] == ID + "org/university-of-groningen"
    assert merged["Stichting Saxion"] == ID + "org/saxion"
    # one funder node for CORDIS and the structural funds
    assert merged["European Commission"] == ID + "org/european-commission"
    got = rows(
        store,
        f"""SELECT ?amount ?date WHERE {{ ?a hx:recipient
        <{ID}org/university-of-groningen> ; hx:funder <{ID}org/european-commission> ;
        hx:amount ?amount ; hx:awardDate ?date ; prov:wasDerivedFrom
        <{ID}source/nl-structural-funds> }}""",
    )
    assert got == [("7488600", "2009-01-08")]
    # SNN, the managing authority, leads its programme
    assert (ID + "initiative/sf-efro-2007-2013-samenwerkingsverband-noord-nederland",) in rows(
        store, f"SELECT ?p WHERE {{ <{ID}org/snn> hx:leads ?p }}"
    )
    # "Kansen voor West" and "Kansen voor WEst" are one programme with one label per language
    labels = rows(
        store,
        f"""SELECT ?l WHERE {{
        <{ID}initiative/sf-efro-2007-2013-kansen-voor-west> skos:prefLabel ?l }}""",
    )
    assert len(labels) == 2


def test_new_beneficiary_kind_from_its_legal_form() -> None:
    assert structural_funds.kind_of("Hilbrands Laboratorium BV") == (["Firm"], ["industry"])
    assert structural_funds.kind_of("Gemeente Almere") == (["GovernmentBody"], ["government"])
    assert structural_funds.kind_of("Incas3") == (["OtherOrganisation"], [])


def test_structural_funds_bad_amount_names_file_row_and_column(
    fixtures: Path, store: Path, tmp_path: Path
) -> None:
    src = fixtures / FUNDS
    with src.open(newline="", encoding="utf-8") as fh:
        table = list(csv.reader(fh))
    col = table[0].index("EU-subsidie in Euro's")
    table[3][col] = "7,488,600"
    bad = tmp_path / "sf.csv"
    with bad.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(table)
    with pytest.raises(ImportFailed) as exc:
        run_import(structural_funds.read(bad, Problems("stop")), store_path=store)
    assert exc.value.problems == [
        f"{bad}:4: EU-subsidie in Euro's: '7,488,600' is not an amount "
        "in Dutch notation (e.g. 7.488.600)"
    ]
