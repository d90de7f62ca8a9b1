"""Generic CSV import through a mapping file (tests/fixtures/imports/generic/)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from helixgraph import store as hstore
from helixgraph.ingest.run import run_import
from helixgraph.ingest.sources import generic
from helixgraph.ingest.sources.generic import MappingError
from helixgraph.ingest.toolkit import ImportFailed, Problems

ID = "https://w3id.org/helixgraph/id/"
P = """PREFIX hx: <https://w3id.org/helixgraph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def rows(path: Path, q: str) -> list[tuple[str, ...]]:
    res = hstore.open_store(path).query(P + q)
    names = [v.value for v in res.variables]  # type: ignore[union-attr]
    return [tuple(s[n].value for n in names) for s in res]  # type: ignore[union-attr]


def copy(fixtures: Path, tmp_path: Path) -> Path:
    target = tmp_path / "generic"
    shutil.copytree(fixtures / "generic", target)
    return target


def test_spreadsheet_members_links_and_awards(fixtures: Path, store: Path) -> None:
    folder = fixtures / "generic"
    report = run_import(generic.read(folder, folder / "mapping.toml", Problems()), store_path=store)
    assert report.graph.endswith("/graph/import/twente-medtech-members")
    merged = {m.name: (m.target, m.rule) for m in report.resolution.merges}
    assert merged["DEMCON ADVANCED MECHATRONICS BV"] == (ID + "org/demcon", "pic")
    assert merged["Reperio Medtech"] == (ID + "org/reperio-medtech", "name")
    new = ID + "org/twente-medtech-members-m3"
    assert rows(store, f"SELECT ?c WHERE {{ <{new}> org:memberOf ?c }}") == [
        (ID + "org/twente-medtech-cluster",)
    ]
    assert rows(store, f"SELECT ?u WHERE {{ <{new}> hx:spinOffOf ?u }}") == [
        (ID + "org/university-of-twente",)
    ]
    got = rows(
        store,
        f"""SELECT ?f ?amount ?date WHERE {{ ?a hx:recipient <{ID}org/reperio-medtech> ;
        hx:funder ?f ; hx:amount ?amount ; hx:awardDate ?date ;
        prov:wasDerivedFrom <{ID}source/twente-medtech-members> }}""",
    )
    assert [(f, Decimal(a), d) for f, a, d in got] == [
        (ID + "org/provincie-overijssel", Decimal("12500.50"), "2020")
    ]


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("awards.csv", '"50.000"', "fifty", "awards.csv:2: amount: 'fifty' is not an amount"),
        ("awards.csv", "2021-03", "2021-13-01", "awards.csv:2: date: '2021-13-01' is not a date"),
        ("links.csv", "member_of", "friend_of", "links.csv:2: relation: 'friend_of' is not one of"),
        (
            "links.csv",
            "org:twente-medtech-cluster",
            "org:nowhere",
            "links.csv:2: to: 'org:nowhere' is not an organisation",
        ),
        ("members.csv", ",firm,", ",company,", "members.csv:2: kind: 'company' is not one of"),
        ("members.csv", "998281709", "99828170", "members.csv:2: pic: '99828170' is not a pic"),
    ],
)
def test_bad_cells_name_file_row_and_column(
    fixtures: Path, store: Path, tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    folder = copy(fixtures, tmp_path)
    path = folder / file
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(ImportFailed) as exc:
        run_import(
            generic.read(folder, folder / "mapping.toml", Problems("stop")), store_path=store
        )
    assert message in exc.value.problems[0]
    assert exc.value.problems[0].startswith(str(path))


def test_mapping_errors(fixtures: Path, tmp_path: Path) -> None:
    folder = copy(fixtures, tmp_path)
    mapping = folder / "mapping.toml"
    mapping.write_text(
        mapping.read_text().replace('id = "twente-medtech-members"', 'id = "Bad Id"')
    )
    with pytest.raises(MappingError, match="must be a lower-case slug"):
        generic.read(folder, mapping, Problems())
    mapping.write_text("[dataset]\nid = 'x'\ntitle = 'x'\n")
    with pytest.raises(MappingError, match="map at least one of"):
        generic.read(folder, mapping, Problems())
    with pytest.raises(MappingError, match="not found"):
        generic.read(folder, folder / "missing.toml", Problems())
