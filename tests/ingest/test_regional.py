"""The regional extracts (data/regional/): made reproducibly, shipped small, built by default."""

from __future__ import annotations

import csv
import gzip
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helixgraph import store as hstore
from helixgraph.catalog import summary
from helixgraph.catalog.version import graph_version
from helixgraph.cli.main import app
from helixgraph.ingest import regional
from helixgraph.ingest.build import build
from helixgraph.ingest.run import run_import
from helixgraph.ingest.sources import structural_funds
from helixgraph.ingest.toolkit import Problems
from tests.ingest.test_import_cordis import ID, P
from tests.shared_data import SHARED

DATA = Path(__file__).resolve().parents[2] / "data"
IMPORT = "https://w3id.org/helixgraph/graph/import/"
runner = CliRunner()


def manifest(folder: Path) -> list[dict[str, str]]:
    with (folder / "MANIFEST.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def ask(path: Path, query: str) -> bool:
    return bool(hstore.open_store(path).query(P + query))


def count(path: Path, query: str) -> int:
    st = hstore.open_store(path)
    return int(next(iter(st.query(P + query)))["n"].value)  # type: ignore[call-overload]


@pytest.fixture
def small_data(tmp_path: Path, fixtures: Path) -> Path:
    """A copy of data/ whose regional extracts are cut from the import fixtures (fast)."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("regional"))
    regional.make(fixtures, regional.folder(data))
    return data


def test_shipped_extracts_match_their_manifest_and_stay_small() -> None:
    folder = regional.folder(DATA)
    rows = manifest(folder)
    inputs = [r for r in rows if r["role"] == "input"]
    outputs = [r for r in rows if r["role"] == "output"]
    assert {r["file"] for r in inputs} >= {
        "cordis_h2020_eunets/h2020.csv.gz",
        "cordis_horizon_europe/organization.csv.gz",
        "ror/ror_nl_organizations.csv",
    }
    assert all(len(r["sha256"]) == 64 for r in inputs)
    total = 0
    for r in outputs:
        path = folder / r["file"]
        assert regional.sha256(path) == r["sha256"], r["file"]
        total += path.stat().st_size
        with gzip.open(path, "rt", encoding="utf-8") as fh:  # plain CSV a person can open
            assert (
                sum(1 for _ in csv.reader(fh, delimiter=";" if "europe" in r["file"] else ","))
                == int(r["rows"]) + 1
            )
    assert total < 10_000_000
    assert (DATA / "README.md").read_text(encoding="utf-8").count(
        "CORDIS, European Commission"
    ) >= 1


@pytest.mark.skipif(
    not (SHARED / "data" / "cordis_horizon_europe").is_dir(), reason="no shared data"
)
def test_the_shipped_extracts_are_remade_byte_for_byte_from_the_full_files(tmp_path: Path) -> None:
    made = regional.make(SHARED / "data", tmp_path / "regional")
    assert made == manifest(regional.folder(DATA))


def test_make_keeps_whole_projects_of_the_seed_regions(fixtures: Path, tmp_path: Path) -> None:
    first = regional.make(fixtures, tmp_path / "a")
    assert regional.make(fixtures, tmp_path / "b") == first  # reproducible
    out = {r["file"]: r for r in first if r["role"] == "output"}
    # Horizon Europe: DELTA-LANG (UMCG, NL115) and Mem4BIOCH4 (Twente, NL213), every
    # partner; not VeNiss (no Dutch partner)
    assert out["cordis-horizon-europe/project.csv.gz"]["rows"] == "2"
    assert out["cordis-horizon-europe/organization.csv.gz"]["rows"] == "9"
    with gzip.open(tmp_path / "a" / "cordis-horizon-europe" / "organization.csv.gz", "rt") as fh:
        countries = {r["country"] for r in csv.DictReader(fh, delimiter=";")}
    assert countries == {"NL", "ES", "NO", "CH"}
    inputs = {r["file"]: r["sha256"] for r in first if r["role"] == "input"}
    assert inputs["ror/ror_nl_organizations.csv"] == regional.sha256(
        fixtures / "ror" / "ror_nl_organizations.csv"
    )
    result = runner.invoke(
        app, ["make-extracts", str(tmp_path / "nowhere"), "--out", str(tmp_path / "c")]
    )
    assert result.exit_code == 1 and "h2020.csv(.gz): file not found" in result.output


def test_build_stages_the_extracts_and_a_seed_only_build_drops_them(
    small_data: Path, fixtures: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    report = build(small_data, store_path=store, regional=True)
    graphs = {g for g in report.graphs if g.startswith(IMPORT)}
    assert graphs == {
        IMPORT + "regional-ror",
        IMPORT + "regional-cordis-h2020",
        IMPORT + "regional-cordis-horizon-europe",
    }
    assert ask(store, f"ASK {{ <{ID}org/umcg> hx:ror '03cv38k47' ; hx:pic '999914801' }}")
    assert ask(
        store, f"ASK {{ <{ID}org/umcg> hx:leads <{ID}initiative/horizon-europe-101118756> }}"
    )
    version = graph_version(hstore.open_store(store))
    assert version == report.build_id  # named for the build, extracts included
    # a user's import: the version names the build and changes
    run_import(
        structural_funds.read(
            fixtures / "nl_structural_funds" / "structural_funds.csv", Problems()
        ),
        store_path=store,
    )
    after = graph_version(hstore.open_store(store))
    assert after.startswith(report.build_id + "+") and after != version
    # the seed only: the regional graphs go, the user's import stays
    seed_only = build(small_data, store_path=store, regional=False)
    assert not [g for g in seed_only.graphs if "regional-" in g]
    st = hstore.open_store(store)
    names = {g.value for g in st.named_graphs()}
    assert IMPORT + "nl-structural-funds" in names and not [n for n in names if "regional-" in n]
    assert (
        count(
            store,
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/helixgraph/graph/meta> "
            "{ ?g a hx:ImportGraph } }",
        )
        == 1
    )
    # and back: the same graphs again, rebuilt, the import still there
    again = build(small_data, store_path=store, regional=True)
    assert {g for g in again.graphs if g.startswith(IMPORT)} == graphs
    assert IMPORT + "nl-structural-funds" in {
        g.value for g in hstore.open_store(store).named_graphs()
    }


def test_a_damaged_extract_fails_the_build_and_keeps_the_store(
    small_data: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    build(small_data, store_path=store, regional=False)
    before = hstore.link_target(store)
    bad = regional.folder(small_data) / "cordis-horizon-europe" / "organization.csv.gz"
    with gzip.open(bad, "rt", encoding="utf-8") as fh:
        text = fh.read().replace('"coordinator"', '"chief"', 1)
    with gzip.open(bad, "wt", encoding="utf-8") as fh:
        fh.write(text)
    result = runner.invoke(app, ["build", "--data", str(small_data), "--store", str(store)])
    assert result.exit_code == 1
    assert "organization.csv.gz:" in result.output and "role: 'chief'" in result.output
    assert hstore.link_target(store) == before


def test_cli_build_default_seed_only_and_stats(small_data: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = runner.invoke(
        app, ["build", "--data", str(small_data), "--store", str(store), "--seed-only"]
    )
    assert result.exit_code == 0, result.output
    assert count(store, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a hx:Organisation }") == 38
    result = runner.invoke(app, ["build", "--data", str(small_data), "--store", str(store), "-q"])
    assert result.exit_code == 0, result.output
    orgs = count(store, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a hx:Organisation }")
    assert orgs > 38
    result = runner.invoke(app, ["stats", "--store", str(store)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert (
        "totals (seed and imports)" in result.output
        and "regional-cordis-horizon-europe" in result.output
    )
    h = summary.headline(hstore.open_store(store))
    assert h["organisations"] == orgs and h["imports"] == 3
    # links count the imported participations and ROR relations, not only the seed's
    # quoted evidence (60 links)
    assert h["links"] > h["evidenced_links"] == 60  # type: ignore[operator]


def test_the_default_build_holds_the_region(regional_store: Path) -> None:
    """The README's first command builds this: thousands of organisations, UMCG with its
    PIC and ROR id, H2020 and Horizon Europe projects, counts that include them."""
    orgs = count(regional_store, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a hx:Organisation }")
    assert orgs >= 4000
    assert ask(regional_store, f"ASK {{ <{ID}org/umcg> hx:ror '03cv38k47' ; hx:pic '999914801' }}")
    he = count(
        regional_store,
        "SELECT (COUNT(?p) AS ?n) WHERE { ?p hx:partOf+ "
        f"<{ID}initiative/horizon-europe> ; a hx:Project }}",
    )
    h2020 = count(
        regional_store,
        f"SELECT (COUNT(?p) AS ?n) WHERE {{ ?p hx:partOf+ <{ID}initiative/h2020> ; a hx:Project }}",
    )
    assert he == 630 and h2020 == 622
    twente = count(
        regional_store,
        "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a hx:Organisation ; "
        f"hx:locatedIn/hx:partOf* <{ID}place/twente> }}",
    )
    assert twente > 100
    # Saxion is placed by its ROR record (Enschede); no source places Novel-T or Health Valley
    assert ask(
        regional_store, f"ASK {{ <{ID}org/saxion> hx:locatedIn/hx:partOf* <{ID}place/twente> }}"
    )
    assert not ask(regional_store, f"ASK {{ <{ID}org/novel-t> hx:locatedIn ?p }}")
    # the JSON record (catalog) shows them too
    from helixgraph.catalog import organisation

    ids = {
        (i["scheme"], i["value"])
        for i in organisation(hstore.open_store(regional_store), "umcg")["identifiers"]
    }
    assert {("ror", "03cv38k47"), ("pic", "999914801")} <= ids
    h = summary.headline(hstore.open_store(regional_store))
    assert h["organisations"] == orgs and h["projects"] >= he + h2020 and h["sources"] >= 8


def test_imports_place_organisations_by_what_their_sources_state(
    fixtures: Path, store: Path
) -> None:
    from helixgraph.ingest.sources import ror

    run_import(ror.read(fixtures / "ror", Problems()), store_path=store)
    # Saxion: no seed row places it; ROR says Enschede, the seed's city in Twente
    assert ask(store, f"ASK {{ <{ID}org/saxion> hx:locatedIn <{ID}place/enschede> }}")
    assert ask(store, f"ASK {{ <{ID}org/saxion> hx:locatedIn/hx:partOf* <{ID}place/twente> }}")
    # a curated location stays the only one: the Province is placed in Overijssel by the
    # seed, and ROR's Zwolle is not added
    assert (
        count(
            store,
            f"SELECT (COUNT(?p) AS ?n) WHERE {{ <{ID}org/provincie-overijssel> hx:locatedIn ?p }}",
        )
        == 1
    )
    # 4TU (ROR: Delft): a new city node, put into its NUTS-3 region by the gazetteer,
    # which cites the CORDIS dataset its pairs come from
    delft = f"<{ID}place/city-nl-delft>"
    assert ask(
        store,
        f"ASK {{ <{ID}org/ror-03rsncr94> hx:locatedIn {delft} . {delft} hx:partOf <{ID}place/nuts-nl362> }}",
    )
    assert ask(store, f"ASK {{ {delft} prov:wasDerivedFrom <{ID}source/cordis-horizon-europe> }}")
    assert ask(
        store, f"ASK {{ <{ID}org/ror-03rsncr94> hx:locatedIn/hx:partOf* <{ID}place/netherlands> }}"
    )
    assert ask(
        store,
        f"ASK {{ <{ID}source/cordis-horizon-europe> a hx:SourceDocument ; dcterms:title ?t }}",
    )
