"""data/identifiers.csv: seed organisations' ids, verified against the shared data."""

from __future__ import annotations

import csv
import gzip
import shutil
from pathlib import Path

import pytest
from shared_data import SHARED  # type: ignore[import-not-found]

from helixgraph.ingest.build import BuildError, compile_all
from helixgraph.ingest.validate import ontology_dir
from helixgraph.vocab.namespace import HX, iri

DATA = Path(__file__).resolve().parents[2] / "data"


def test_seed_organisations_carry_their_identifiers() -> None:
    sg = compile_all(DATA, ontology_dir())
    ds = sg.dataset
    assert (iri("org", "umcg"), HX.pic, None) in ds
    values = {
        (str(s).rsplit("/", 1)[1], str(p).rsplit("#", 1)[1], str(o))
        for s, p, o, _ in ds.quads((None, None, None, None))
        if str(p).rsplit("#", 1)[-1] in ("pic", "ror")
    }
    for known in [
        ("umcg", "pic", "999914801"),
        ("umcg", "ror", "03cv38k47"),
        ("university-of-groningen", "pic", "999989782"),
        ("university-of-groningen", "ror", "012p63287"),
        ("university-of-twente", "pic", "999900833"),
        ("university-of-twente", "ror", "006hf6230"),
        ("hanzehogeschool-groningen", "pic", "996747848"),
        ("hanzehogeschool-groningen", "ror", "00xqtxw43"),
        ("saxion", "ror", "005t9n460"),
    ]:
        assert known in values


@pytest.mark.skipif(not (SHARED / "data" / "ror").exists(), reason="shared data not found")
def test_every_pic_and_ror_id_exists_in_the_shared_data() -> None:
    with gzip.open(SHARED / "data" / "derived" / "pic_name_lookup.csv.gz", "rt") as fh:
        pics = {r["pic"] for r in csv.DictReader(fh)}
    with (SHARED / "data" / "ror" / "ror_nl_organizations.csv").open() as fh:
        rors = {r["ror_id"].rsplit("/", 1)[1] for r in csv.DictReader(fh)}
    with (DATA / "identifiers.csv").open() as fh:
        for row in csv.DictReader(fh):
            assert row["note"], row
            if row["scheme"] == "pic":
                assert row["value"] in pics, row
            if row["scheme"] == "ror":
                assert row["value"] in rors, row


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            "umcg,pic,12345,cordis-h2020,x",
            "identifiers.csv:2: column 'value': '12345' is not a pic",
        ),
        ("umcgg,pic,999914801,cordis-h2020,x", "identifiers.csv:2: column 'organisation': unknown"),
        ("umcg,doi,10.1/x,ror,x", "identifiers.csv:2: column 'scheme': 'doi' is not one of"),
        ("umcg,ror,03cv38k47,,x", "identifiers.csv:2: column 'sources': is empty"),
        ("umcg,ror,03cv38k47,nowhere,x", "identifiers.csv:2: column 'sources': unknown source"),
    ],
)
def test_bad_identifier_rows_name_file_and_line(tmp_path: Path, cells: str, message: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "identifiers.csv").write_text("organisation,scheme,value,sources,note\n" + cells + "\n")
    with pytest.raises(BuildError) as exc:
        compile_all(data, ontology_dir())
    assert message in str(exc.value)


def test_the_same_id_for_two_organisations_is_an_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "identifiers.csv").write_text(
        "organisation,scheme,value,sources,note\numcg,pic,999914801,cordis-h2020,x\n"
        "lifelines,pic,999914801,cordis-h2020,x\n"
    )
    with pytest.raises(
        BuildError,
        match="identifiers.csv:3: column 'value': pic 999914801 is already given to 'umcg'",
    ):
        compile_all(data, ontology_dir())


def test_identifiers_file_is_optional(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "identifiers.csv").unlink()
    sg = compile_all(data, ontology_dir())
    assert (None, HX.pic, None) not in sg.dataset
