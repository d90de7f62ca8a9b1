"""``helixgraph.ingest.fetch`` against a real HTTP server on loopback: checked downloads,
resume by Range, broken/truncated/mismatched downloads and offline, never a half file."""

from __future__ import annotations

import hashlib
import json
import socket
import zipfile
from pathlib import Path

import pytest

from helixgraph import __version__
from helixgraph.ingest import downloads, fetch
from tests.fetch_server import FetchServer

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "fetch"
SF = downloads.DOWNLOADS["nl-structural-funds"]
SF_PATH = "/raw.githubusercontent.com" + SF.url.split("raw.githubusercontent.com", 1)[1]
H2020_PATH = "/cordis.europa.eu/data/cordis-h2020projects-csv.zip"
ZENODO = "/zenodo.org/api/records/6347574"


def put(server: FetchServer, path: str, data: bytes) -> None:
    file = server.behaviour.root / path.lstrip("/")
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(data)


def cordis_zip(rows: int = 3000) -> bytes:
    """A zip laid out like CORDIS's: CSVs in a folder, plus a non-CSV member."""
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "csv/project.csv", '"id";"acronym"\n' + "".join(f'"{i}";"P{i}"\n' for i in range(rows))
        )
        zf.writestr("csv/organization.csv", '"projectID";"organisationID"\n"1";"999914801"\n')
        zf.writestr("csv/readme.txt", "not a table")
    return buf.getvalue()


def ror_zip(records: list[dict[str, object]]) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("v2.1-2026-01-01-ror-data_schema_v2.json", json.dumps(records, indent=2))
        zf.writestr("v2.1-2026-01-01-ror-data_schema_v2.csv", "id\n")
    return buf.getvalue()


def zenodo_record(server: FetchServer, key: str, data: bytes, md5: str | None = None) -> None:
    link = f"https://zenodo.org/api/records/99/files/{key}/content"
    record = {
        "id": 99,
        "files": [
            {"key": "README.md", "size": 1, "checksum": "md5:0", "links": {"self": "x"}},
            {
                "key": key,
                "size": len(data),
                "checksum": "md5:" + (md5 or hashlib.md5(data).hexdigest()),
                "links": {"self": link},
            },
        ],
    }
    put(server, ZENODO, json.dumps(record).encode())
    put(server, f"/zenodo.org/api/records/99/files/{key}/content", data)


def sf_bytes() -> bytes:
    import gzip

    from tests.shared_data import SHARED

    path = SHARED / "data" / "nl_structural_funds" / "StructuralFundsNL2007NOW.csv.gz"
    if not path.exists():
        pytest.skip(f"{path}: shared data not here")
    return gzip.decompress(path.read_bytes())


def test_a_pinned_file_is_checked_and_saved_with_a_manifest(web: FetchServer) -> None:
    data = sf_bytes()
    put(web, SF_PATH, data)
    got = fetch.fetch("nl-structural-funds")
    assert got.file.read_bytes() == data
    assert got.sha256 == SF.sha256 == hashlib.sha256(data).hexdigest()
    assert got.path == got.file and got.file.name == "StructuralFundsNL2007NOW.csv"
    manifest = fetch.read_manifest("nl-structural-funds")
    assert manifest is not None and manifest["size"] == len(data) == SF.size
    assert fetch.fetched_path("nl-structural-funds") == got.file
    assert not list(got.file.parent.glob("*.part"))
    # a second fetch checks what is there and downloads nothing
    before = len(web.behaviour.log)
    again = fetch.fetch("nl-structural-funds")
    assert again.skipped and len(web.behaviour.log) == before


def test_a_checksum_mismatch_removes_the_download(web: FetchServer) -> None:
    put(web, SF_PATH, b"x" * SF.size)  # right size, wrong bytes
    with pytest.raises(fetch.FetchError, match="sha256 checksum mismatch.*removed"):
        fetch.fetch("nl-structural-funds")
    folder = fetch.source_dir("nl-structural-funds")
    assert sorted(p.name for p in folder.iterdir()) == []
    with pytest.raises(FileNotFoundError, match="helixgraph fetch nl-structural-funds"):
        fetch.fetched_path("nl-structural-funds")


@pytest.mark.parametrize("status", [404, 500])
def test_a_broken_download_says_the_status_and_writes_nothing(
    web: FetchServer, status: int
) -> None:
    web.behaviour.status[H2020_PATH] = status
    with pytest.raises(fetch.FetchError, match=f"HTTP {status}"):
        fetch.fetch("cordis-h2020")
    assert list(fetch.source_dir("cordis-h2020").iterdir()) == []


def test_a_truncated_download_keeps_a_part_and_resumes_with_range(web: FetchServer) -> None:
    data = cordis_zip()
    put(web, H2020_PATH, data)
    half = len(data) // 2
    web.behaviour.cut[H2020_PATH] = half
    with pytest.raises(fetch.FetchError, match="run the command again to resume"):
        fetch.fetch("cordis-h2020")
    folder = fetch.source_dir("cordis-h2020")
    part = folder / "cordis-h2020projects-csv.zip.part"
    assert part.stat().st_size == half
    assert not (folder / "cordis-h2020projects-csv.zip").exists()
    assert fetch.read_manifest("cordis-h2020") is None

    seen: list[tuple[int, int | None]] = []
    got = fetch.fetch("cordis-h2020", progress=lambda done, total: seen.append((done, total)))
    assert web.behaviour.log[-1] == (H2020_PATH, f"bytes={half}-")
    assert seen[0] == (half, len(data)) and seen[-1] == (len(data), len(data))  # the bar
    assert got.file.read_bytes() == data and not part.exists()
    assert got.path == folder / "unpacked"
    assert sorted(p.name for p in got.path.iterdir()) == ["organization.csv", "project.csv"]
    assert fetch.fetched_path("cordis-h2020") == got.path


def test_a_server_that_ignores_range_sends_the_whole_file_again(web: FetchServer) -> None:
    data = cordis_zip()
    put(web, H2020_PATH, data)
    web.behaviour.cut[H2020_PATH] = 1000
    with pytest.raises(fetch.FetchError):
        fetch.fetch("cordis-h2020")
    web.behaviour.ignore_range = True
    got = fetch.fetch("cordis-h2020")
    assert got.file.read_bytes() == data


def test_offline_is_a_clear_error_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv(fetch.ENV_BASE, f"http://127.0.0.1:{port}")
    monkeypatch.setenv(fetch.ENV_DOWNLOADS, str(tmp_path / "dl"))
    for source in ("cordis-horizon-europe", "ror"):
        with pytest.raises(fetch.FetchError, match="cannot reach 127.0.0.1.*are you offline"):
            fetch.fetch(source)
        assert list(fetch.source_dir(source).iterdir()) == []


def test_ror_latest_release_from_zenodo_is_md5_checked_and_flattened(
    web: FetchServer,
) -> None:
    records = json.loads((FIX / "ror-v2-sample.json").read_text())
    data = ror_zip(records)
    zenodo_record(web, "v2.1-2026-01-01-ror-data.zip", data)
    got = fetch.fetch("ror")
    assert got.file.name == "v2.1-2026-01-01-ror-data.zip"
    # Zenodo turns away generic clients: every request names helixgraph and its version
    assert (
        web.behaviour.agents
        == [f"helixgraph/{__version__} (helixgraph fetch: dataset download)"] * 2
    )
    assert got.path.name == "ror_organizations.csv"
    import csv

    with got.path.open() as fh:
        rows = {r["ror_id"]: r for r in csv.DictReader(fh)}
    astron = rows["https://ror.org/000k1q888"]
    assert astron["name"] == "Netherlands Institute for Radio Astronomy"
    assert (astron["city"], astron["country"], astron["acronyms"]) == ("Dwingeloo", "NL", "ASTRON")
    assert astron["wikidata"] == "Q751860" and astron["isni"] == "0000 0001 1161 7020"
    with (got.path.parent / "ror_relationships.csv").open() as fh:
        rels = list(csv.DictReader(fh))
    assert {
        "source_ror_id": "https://ror.org/000k1q888",
        "source_name": "Netherlands Institute for Radio Astronomy",
        "relationship_type": "parent",
        "target_ror_id": "https://ror.org/010e01376",
        "target_label": "NWO-I",
    } in rels


def test_a_wrong_zenodo_md5_is_refused(web: FetchServer) -> None:
    data = ror_zip(json.loads((FIX / "ror-v2-sample.json").read_text()))
    zenodo_record(web, "v2.1-2026-01-01-ror-data.zip", data, md5="0" * 32)
    with pytest.raises(fetch.FetchError, match="md5 checksum mismatch"):
        fetch.fetch("ror")
    assert list(fetch.source_dir("ror").iterdir()) == []


def test_a_download_that_is_not_a_zip_is_removed(web: FetchServer) -> None:
    put(web, H2020_PATH, b"<html>maintenance</html>")
    with pytest.raises(fetch.FetchError, match="cannot unpack.*removed"):
        fetch.fetch("cordis-h2020")
    assert fetch.read_manifest("cordis-h2020") is None
    assert not (fetch.source_dir("cordis-h2020") / "unpacked").exists()


def test_downloads_go_to_the_user_data_directory_not_the_repository(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(fetch.ENV_DOWNLOADS, raising=False)
    import platformdirs

    expected = Path(platformdirs.user_data_dir("helixgraph", appauthor=False)) / "downloads"
    assert fetch.downloads_dir() == expected
    repo = Path(__file__).resolve().parents[2]
    assert repo not in fetch.downloads_dir().parents


def test_every_download_names_an_official_https_url_and_where_it_is_documented() -> None:
    for d in downloads.DOWNLOADS.values():
        assert d.url.startswith("https://") and d.origin, d.source
    assert downloads.DOWNLOADS["cordis-h2020"].url.startswith("https://cordis.europa.eu/data/")


def test_the_json_array_reader_streams_records_across_chunks() -> None:
    import io

    records = [{"id": i, "names": ["x" * (i % 7)], "s": "a,]b"} for i in range(500)]
    text = io.StringIO(" [\n" + ",\n".join(json.dumps(r) for r in records) + "\n]\n")
    assert list(downloads.iter_json_array(text, chunk=64)) == records
    with pytest.raises(ValueError, match="ends inside a record"):
        list(downloads.iter_json_array(io.StringIO('[{"id": 1}, {"id"'), chunk=8))


def test_the_ror_dump_flattens_like_the_shared_ror_tables() -> None:
    """Each schema-v2 record of the shared ROR NL records, flattened by the converter, is
    the row of the independently made ``ror_nl_organizations.csv``, column for column."""
    import csv
    import gzip

    from tests.shared_data import SHARED

    folder = SHARED / "data" / "ror"
    if not (folder / "ror_nl_records_latest.jsonl.gz").exists():
        pytest.skip(f"{folder}: shared data not here")
    with (folder / "ror_nl_organizations.csv").open(encoding="utf-8") as fh:
        flat = {r["ror_id"]: r for r in csv.DictReader(fh)}
    columns = [c for c in downloads.ORG_COLUMNS if c not in ("country", "schema")]
    seen = 0
    with gzip.open(folder / "ror_nl_records_latest.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if "names" not in rec:  # a schema v1 record: the dumps now hold v2 only
                continue
            row = downloads.ror_row(rec)
            assert {c: row[c] for c in columns} == {c: flat[rec["id"]][c] for c in columns}
            seen += 1
    assert seen > 200


def test_a_new_ror_release_replaces_the_previous_one(web: FetchServer) -> None:
    records = json.loads((FIX / "ror-v2-sample.json").read_text())
    zenodo_record(web, "v2.1-2026-01-01-ror-data.zip", ror_zip(records))
    first = fetch.fetch("ror")
    zenodo_record(web, "v2.2-2026-02-01-ror-data.zip", ror_zip(records[:2]))
    second = fetch.fetch("ror")
    assert not second.skipped and second.file.name == "v2.2-2026-02-01-ror-data.zip"
    assert not first.file.exists()
    folder = fetch.source_dir("ror")
    assert sorted(p.name for p in folder.iterdir()) == [
        "fetched.json",
        "unpacked",
        "v2.2-2026-02-01-ror-data.zip",
    ]
    with second.path.open() as fh:
        assert len(fh.read().splitlines()) == 1 + 2


def test_a_second_fetch_of_the_same_source_at_once_is_refused(web: FetchServer) -> None:
    import fcntl

    put(web, H2020_PATH, cordis_zip())
    folder = fetch.source_dir("cordis-h2020")
    folder.mkdir(parents=True)
    with folder.with_name(".cordis-h2020.lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running fetch holds it
        with pytest.raises(fetch.FetchError, match="another 'helixgraph fetch cordis-h2020'"):
            fetch.fetch("cordis-h2020")
        assert list(folder.iterdir()) == []
        fcntl.flock(held, fcntl.LOCK_UN)
    assert fetch.fetch("cordis-h2020").file.exists()


def test_an_unpinned_file_is_fetched_again_only_when_the_publisher_changed_it(
    web: FetchServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = cordis_zip(100)
    put(web, H2020_PATH, old)
    assert fetch.fetch("cordis-h2020").file.read_bytes() == old
    manifest = fetch.read_manifest("cordis-h2020")
    assert manifest is not None and manifest["etag"] and manifest["last_modified"]
    same = fetch.fetch("cordis-h2020")
    assert same.skipped and not same.note
    assert web.behaviour.log[-1] == (H2020_PATH, "HEAD")  # asked, not downloaded
    newer = cordis_zip(200)
    put(web, H2020_PATH, newer)  # CORDIS republished its export
    again = fetch.fetch("cordis-h2020")
    assert not again.skipped and again.file.read_bytes() == newer != old
    with socket.socket() as s:  # now offline: keep what is there, and say so
        s.bind(("127.0.0.1", 0))
        monkeypatch.setenv(fetch.ENV_BASE, f"http://127.0.0.1:{s.getsockname()[1]}")
    kept = fetch.fetch("cordis-h2020")
    assert kept.skipped and "could not check for a newer file" in kept.note
    assert kept.file.read_bytes() == newer


def test_a_complete_part_left_by_a_crash_is_checked_and_kept(web: FetchServer) -> None:
    data = sf_bytes()
    put(web, SF_PATH, data)
    folder = fetch.source_dir("nl-structural-funds")
    folder.mkdir(parents=True)
    (folder / "StructuralFundsNL2007NOW.csv.part").write_bytes(data)  # killed before rename
    got = fetch.fetch("nl-structural-funds")
    assert web.behaviour.log == [(SF_PATH, f"bytes={len(data)}-")]  # answered 416: complete
    assert got.file.read_bytes() == data and got.sha256 == SF.sha256
