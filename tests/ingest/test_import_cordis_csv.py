"""CORDIS's official CSV layout (Horizon Europe; the H2020 export) on a fixture cut from the
real Horizon Europe files (tests/fixtures/imports/ATTRIBUTION.md)."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helixgraph import store as hstore
from helixgraph.cli.main import app
from helixgraph.ingest.run import run_import
from helixgraph.ingest.sources import cordis_csv
from helixgraph.ingest.toolkit import ImportFailed, Problems
from tests.ingest.test_import_cordis import ID, P, rows
from tests.shared_data import SHARED

HE = "https://w3id.org/helixgraph/graph/import/cordis-horizon-europe"
DELTA = ID + "initiative/horizon-europe-101118756"


def he(fixtures: Path) -> Path:
    return fixtures / "cordis_horizon_europe"


def copy(fixtures: Path, tmp_path: Path) -> Path:
    target = tmp_path / "he"
    shutil.copytree(he(fixtures), target)
    return target


def edit(path: Path, change: dict[tuple[str, str], dict[str, str]], key: str) -> None:
    """Change cells of the rows whose (key column, organisationID or '') match."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=";")
        fields, table = reader.fieldnames or [], list(reader)
    for row in table:
        row.update(change.get((row[key], row.get("organisationID", "")), {}))
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fields, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writeheader()
        w.writerows(table)


def test_umcg_project_with_title_dates_roles_and_contributions(fixtures: Path, store: Path) -> None:
    report = run_import(cordis_csv.read(he(fixtures), Problems()), store_path=store)
    assert report.graph == HE
    merged = {m.key: m for m in report.resolution.merges}
    assert (
        merged["pic:999914801"].target == ID + "org/umcg" and merged["pic:999914801"].rule == "pic"
    )
    assert merged["pic:999900833"].target == ID + "org/university-of-twente"
    assert report.counts["projects"] == 3 and report.counts["participations"] == 14
    umcg = f"<{ID}org/umcg>"
    assert rows(
        store,
        f"SELECT ?t ?a ?s ?e WHERE {{ <{DELTA}> skos:prefLabel ?t ; "
        "hx:abbreviation ?a ; hx:startDate ?s ; hx:endDate ?e }",
    ) == [("The Delta of Language", "DELTA-LANG", "2024-06-01", "2030-05-31")]
    ask = f"ASK {{ {umcg} hx:leads <{DELTA}> ; hx:participatesIn <{DELTA}> }}"
    assert bool(hstore.open_store(store).query(P + ask))
    # the coordinator's EC contribution, dated by the grant's signature
    award = rows(
        store,
        f"SELECT ?amount ?date ?funder WHERE {{ ?a hx:recipient {umcg} ; "
        f"hx:programme <{DELTA}> ; hx:amount ?amount ; hx:awardDate ?date ; "
        "hx:funder ?funder }",
    )
    assert [(Decimal(a), d, f) for a, d, f in award] == [
        (Decimal("2916956"), "2024-05-03", ID + "org/european-commission")
    ]
    # the third party UMCG Research BV (ecContribution 0) takes part, with no award
    assert rows(store, f"SELECT ?a WHERE {{ ?a hx:recipient <{ID}org/pic-902794618> }}") == []
    assert rows(store, f"SELECT ?p WHERE {{ <{ID}org/pic-902794618> hx:participatesIn ?p }}") == [
        (DELTA,)
    ]
    # the programme part and the programme, 2021-2027
    assert rows(
        store,
        f"SELECT ?l WHERE {{ <{DELTA}> hx:partOf/hx:partOf ?top . "
        "?top skos:prefLabel ?l ; hx:startDate ?s FILTER(LANG(?l) = 'en') }",
    ) == [("Horizon Europe",)]


def test_nuts_codes_place_organisations_in_the_seed_regions(fixtures: Path, store: Path) -> None:
    run_import(cordis_csv.read(he(fixtures), Problems()), store_path=store)
    # Biothane Systems (Delft, NL362) is placed in its NUTS region, part of the Netherlands
    got = rows(
        store,
        f"SELECT ?code WHERE {{ <{ID}org/pic-962662436> hx:locatedIn ?r . "
        "?r skos:altLabel ?code }",
    )
    assert got == [("NL362",)]
    assert rows(
        store, f"SELECT ?r WHERE {{ <{ID}place/nuts-nl213> hx:partOf ?r }} ORDER BY ?r"
    ) == [
        (ID + "place/nuts-nl21",),
        (ID + "place/twente",),
    ]
    in_nl = rows(store, f"SELECT ?o WHERE {{ ?o hx:locatedIn/hx:partOf* <{ID}place/netherlands> }}")
    assert (ID + "org/pic-962662436",) in in_nl
    # a node of the seed keeps its curated place: the import adds none to it
    assert not [
        r
        for r in rows(store, f"SELECT ?p WHERE {{ <{ID}org/umcg> hx:locatedIn ?p }}")
        if "nuts-" in r[0]
    ]


def test_region_filter_keeps_whole_projects_by_nuts_code(fixtures: Path) -> None:
    twente = cordis_csv.read(he(fixtures), Problems(), region="twente")
    assert twente.counts["projects"] == 1 and twente.counts["participations"] == 4
    assert "pic:999862809" in twente.orgs  # the Spanish coordinator comes with the project
    north = cordis_csv.read(he(fixtures), Problems(), region="north-nl")  # UMCG: NL115
    assert north.counts["projects"] == 1 and "pic:999976396" in north.orgs
    both = cordis_csv.read(he(fixtures), Problems(), region="seed-regions")
    assert both.counts["projects"] == 2 and both.filters == "region=seed-regions"
    assert cordis_csv.read(he(fixtures), Problems(), countries=("US",)).counts["projects"] == 1
    with pytest.raises(ValueError, match="unknown region 'mars'"):
        cordis_csv.read(he(fixtures), Problems(), region="mars")


def test_decimal_comma_and_associated_partner_amounts(fixtures: Path, tmp_path: Path) -> None:
    folder = copy(fixtures, tmp_path)
    edit(
        folder / "organization.csv",
        {("101118756", "999914801"): {"ecContribution": "2916956,50"}},
        "projectID",
    )
    extract = cordis_csv.read(folder, Problems())
    assert cordis_csv.amount_of("2916956,50") == cordis_csv.amount_of("2916956.50")
    # associated partners state no ecContribution and a netEcContribution of 0: no award
    assert extract.counts["EC contributions (awards)"] == 8
    assert extract.counts["no EC contribution stated (or 0)"] == 6


def test_bad_rows_name_file_row_and_column(fixtures: Path, tmp_path: Path) -> None:
    folder = copy(fixtures, tmp_path)
    edit(
        folder / "organization.csv", {("101063150", "999900833"): {"role": "sponsor"}}, "projectID"
    )
    with pytest.raises(ImportFailed) as exc:
        cordis_csv.read(folder, Problems())
    assert exc.value.problems == [
        f"{folder / 'organization.csv'}:8: role: 'sponsor' is not one of coordinator, "
        "participant, partner, associatedPartner, thirdParty"
    ]
    skipped = Problems("skip")
    assert cordis_csv.read(folder, skipped).counts["participations"] == 13 and len(skipped) == 1
    edit(
        folder / "organization.csv",
        {("101063150", "999900833"): {"role": "participant", "ecContribution": "lots"}},
        "projectID",
    )
    with pytest.raises(ImportFailed, match=r"organization.csv:8: ecContribution: 'lots' is not"):
        cordis_csv.read(folder, Problems())
    (folder / "organization.csv").unlink()
    with pytest.raises(FileNotFoundError, match=r"organization.csv\(.gz\): file not found"):
        cordis_csv.read(folder, Problems())


def test_the_same_reader_reads_the_h2020_export(
    fixtures: Path, tmp_path: Path, store: Path
) -> None:
    """CORDIS's H2020 CSV export has the same columns: projects get the IRIs the H2020
    participation table gives them (``h2020-{rcn}``), under the H2020 dataset."""
    folder = copy(fixtures, tmp_path)
    edit(
        folder / "project.csv",
        {
            (p, ""): {"frameworkProgramme": "H2020", "legalBasis": "H2020-EU.3.1."}
            for p in ("101118756", "101063150", "101040474")
        },
        "id",
    )
    extract = cordis_csv.read(folder, Problems())
    assert extract.dataset.id == "cordis-h2020-projects"
    report = run_import(extract, store_path=store)
    assert report.graph.endswith("/cordis-h2020-projects")
    assert (ID + "initiative/h2020-263246",) in rows(store, "SELECT ?p WHERE { ?p a hx:Project }")
    result = CliRunner().invoke(
        app, ["import", "cordis-horizon-europe", str(folder), "--store", str(store)]
    )
    assert result.exit_code == 1 and "not Horizon Europe" in result.output
    assert "use 'cordis-csv'" in result.output


def test_cli_imports_horizon_europe_with_a_region(fixtures: Path, store: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "import",
            "cordis-horizon-europe",
            str(he(fixtures)),
            "--region",
            "twente",
            "--store",
            str(store),
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"imported {HE}" in result.output
    assert rows(
        store, "SELECT ?p WHERE { ?p a hx:Project FILTER(CONTAINS(STR(?p), 'horizon')) }"
    ) == [(ID + "initiative/horizon-europe-101063150",)]


@pytest.mark.skipif(
    not (SHARED / "data" / "cordis_horizon_europe").is_dir(), reason="no shared data"
)
def test_the_real_horizon_europe_table_for_the_seed_regions() -> None:
    extract = cordis_csv.read(
        SHARED / "data" / "cordis_horizon_europe", Problems(), region="seed-regions"
    )
    assert extract.rows_read == 119_242
    assert extract.counts["projects"] == 630
    assert {"pic:999914801", "pic:999989782", "pic:999900833"} <= set(extract.orgs)
