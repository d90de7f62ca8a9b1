"""The official full datasets ``helixgraph fetch`` downloads, and how each is unpacked so
that its importer finds what it reads.

One row per source (the same names as ``helixgraph import``). ``url`` is the publisher's
own address; ``origin`` says where that address is documented. A source whose ``kind`` is
``zenodo`` names a Zenodo *concept record*: the API answers with the latest version and
its files, sizes and MD5 checksums, and the file whose name ends with ``pick`` is
downloaded. ``sha256``/``size`` pin an immutable file (a file at a git commit).

After the download is checked, :func:`prepare` turns it into what the importer reads:

- CORDIS zips (``project.csv``, ``organization.csv``, … at the top or in a folder) are
  extracted, flattened, into ``<source>/csv/``;
- ROR's dump (a zip holding ``…-ror-data_schema_v2.json``, one JSON array of v2
  records) is converted, streaming, into the flattened tables the ROR importer reads:
  ``ror_organizations.csv`` and ``ror_relationships.csv``;
- a plain CSV is used as it is.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Kind = Literal["file", "zenodo"]
Unpack = Literal["none", "zip-csv", "ror-dump"]


@dataclass(frozen=True)
class Download:
    source: str
    title: str
    url: str
    origin: str
    kind: Kind = "file"
    unpack: Unpack = "none"
    filename: str = ""  # saved as (a zenodo file keeps its own name)
    pick: str = ""  # zenodo: the file whose name ends with this
    sha256: str = ""
    size: int = 0
    note: str = ""


DOWNLOADS: dict[str, Download] = {
    d.source: d
    for d in (
        Download(
            "cordis-h2020",
            "CORDIS - EU research projects under Horizon 2020 (2014-2020), CSV export",
            "https://cordis.europa.eu/data/cordis-h2020projects-csv.zip",
            "the 'cordis-h2020projects-csv.zip' distribution of "
            "https://data.europa.eu/data/datasets/cordish2020projects",
            unpack="zip-csv",
            filename="cordis-h2020projects-csv.zip",
            note="projects, organizations (participations) and reference CSVs; ';'-separated",
        ),
        Download(
            "cordis-horizon-europe",
            "CORDIS - EU research projects under Horizon Europe (2021-2027), CSV export",
            "https://cordis.europa.eu/data/cordis-HORIZONprojects-csv.zip",
            "the 'cordis-HORIZONprojects-csv.zip' distribution of the CORDIS Horizon Europe "
            "dataset on data.europa.eu (republished monthly)",
            unpack="zip-csv",
            filename="cordis-HORIZONprojects-csv.zip",
        ),
        Download(
            "ror",
            "Research Organization Registry (ROR) data dump, latest release",
            "https://zenodo.org/api/records/6347574",
            "ROR's documentation (https://ror.readme.io/docs/data-dump and "
            "https://ror.readme.io/docs/zenodo): concept DOI 10.5281/zenodo.6347574 "
            "always resolves to the latest release",
            kind="zenodo",
            unpack="ror-dump",
            pick="-ror-data.zip",
        ),
        Download(
            "nl-structural-funds",
            "Lijst van begunstigden EFRO en ESF Nederland 2007-2013",
            "https://raw.githubusercontent.com/os-data/eu-structural-funds/"
            "6ffe5ddb2610077f0eb4bed0cf110618c55dcd12/data/NL.the-netherlands/"
            "old.funds-data/StructuralFundsNL2007NOW.csv",
            "Open Knowledge's republication (os-data/eu-structural-funds, pinned commit) of "
            "the list first published at europaomdehoek.nl (the source our import cites)",
            filename="StructuralFundsNL2007NOW.csv",
            sha256="0b1e4c6b526e0a5d848c30adafe6272910eb400b82bec699370a510532d1caa4",
            size=1_494_719,
        ),
    )
}


def download_for(source: str) -> Download:
    try:
        return DOWNLOADS[source]
    except KeyError:
        raise ValueError(
            f"unknown source {source!r} to fetch: one of {', '.join(DOWNLOADS)}"
        ) from None


# --- unpacking -------------------------------------------------------------------------


def prepare(d: Download, file: Path, folder: Path) -> Path:
    """Unpack ``file`` (checked) into ``folder``; return the path the importer reads.

    Writes into a sibling ``.tmp`` folder first and swaps it in, so ``folder`` is either
    the previous complete result or the new complete one, never half-written.
    """
    if d.unpack == "none":
        return file
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        convert = _extract_csvs if d.unpack == "zip-csv" else _convert_ror_dump
        name = convert(file, tmp)
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ValueError(f"{file}: cannot unpack: {exc}") from None
    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    tmp.rename(folder)
    shutil.rmtree(old, ignore_errors=True)
    return folder / name if name else folder


def _extract_csvs(file: Path, target: Path) -> str:
    """Every ``.csv`` member of the zip, by its base name, into ``target``."""
    found = 0
    with zipfile.ZipFile(file) as zf:
        for info in zf.infolist():
            base = info.filename.replace("\\", "/").rsplit("/", 1)[-1]
            if info.is_dir() or not base.lower().endswith(".csv") or base.startswith("."):
                continue
            with zf.open(info) as src, (target / base).open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            found += 1
    if not found:
        raise ValueError("the zip holds no .csv file")
    return ""


ORG_COLUMNS = [
    "ror_id",
    "name",
    "types",
    "status",
    "country",
    "established",
    "city",
    "lat",
    "lng",
    "geonames_id",
    "website",
    "acronyms",
    "aliases_labels",
    "wikidata",
    "grid",
    "isni",
    "fundref",
    "n_relationships",
    "schema",
]
REL_COLUMNS = [
    "source_ror_id",
    "source_name",
    "relationship_type",
    "target_ror_id",
    "target_label",
]


def _dump_member(zf: zipfile.ZipFile) -> str:
    names = [n for n in zf.namelist() if n.lower().endswith(".json")]
    v2 = [n for n in names if n.lower().endswith("_schema_v2.json")]
    if v2:
        return v2[0]
    if len(names) == 1:
        return names[0]
    raise ValueError(f"expected one ROR JSON file (schema v2), found {names or 'none'}")


def iter_json_array(stream: io.TextIOBase, chunk: int = 1 << 20) -> Iterator[Any]:
    """The items of one top-level JSON array, read incrementally (the dump is ~1 GB)."""
    decoder = json.JSONDecoder()
    buf = ""
    pos = 0
    started = False
    eof = False
    while True:
        # skip whitespace and separators
        while True:
            while pos < len(buf) and buf[pos] in " \t\r\n,":
                pos += 1
            if pos < len(buf) or eof:
                break
            buf, pos = stream.read(chunk), 0
            eof = not buf
        if pos >= len(buf):
            raise ValueError("the JSON array ends early")
        if not started:
            if buf[pos] != "[":
                raise ValueError("not a JSON array")
            started, pos = True, pos + 1
            continue
        if buf[pos] == "]":
            return
        while True:
            try:
                item, end = decoder.raw_decode(buf, pos)
                break
            except json.JSONDecodeError:
                more = stream.read(chunk)
                if not more:
                    raise ValueError("the JSON array ends inside a record") from None
                buf, pos = buf[pos:] + more, 0
        yield item
        pos = end
        if pos > chunk:
            buf, pos = buf[pos:], 0


def ror_row(rec: dict[str, Any]) -> dict[str, str]:
    """A ROR v2 record flattened into the columns the ROR importer reads."""
    names = rec.get("names") or []
    display = next((n["value"] for n in names if "ror_display" in n.get("types", [])), "")
    ids: dict[str, str] = {}
    for ext in rec.get("external_ids") or []:
        values = ext.get("all") or []
        ids[str(ext.get("type", "")).lower()] = ext.get("preferred") or (values or [""])[0]
    loc = (rec.get("locations") or [{}])[0]
    geo = loc.get("geonames_details") or {}
    website = next((x["value"] for x in rec.get("links") or [] if x.get("type") == "website"), "")

    def s(value: object) -> str:
        return "" if value is None else str(value)

    return {
        "ror_id": s(rec.get("id")),
        "name": display,
        "types": "|".join(rec.get("types") or []),
        "status": s(rec.get("status")),
        "country": s(geo.get("country_code")),
        "established": s(rec.get("established")),
        "city": s(geo.get("name")),
        "lat": s(geo.get("lat")),
        "lng": s(geo.get("lng")),
        "geonames_id": s(loc.get("geonames_id")),
        "website": website,
        "acronyms": "|".join(n["value"] for n in names if "acronym" in n.get("types", [])),
        "aliases_labels": "|".join(
            n["value"] for n in names if "ror_display" not in n.get("types", [])
        ),
        "wikidata": ids.get("wikidata", ""),
        "grid": ids.get("grid", ""),
        "isni": ids.get("isni", ""),
        "fundref": ids.get("fundref", ""),
        "n_relationships": str(len(rec.get("relationships") or [])),
        "schema": "v2",
    }


def _convert_ror_dump(file: Path, target: Path) -> str:
    with zipfile.ZipFile(file) as zf:
        member = _dump_member(zf)
        with (
            zf.open(member) as raw,
            io.TextIOWrapper(raw, encoding="utf-8") as text,
            (target / "ror_organizations.csv").open("w", newline="", encoding="utf-8") as o,
            (target / "ror_relationships.csv").open("w", newline="", encoding="utf-8") as r,
        ):
            orgs = csv.DictWriter(o, ORG_COLUMNS)
            rels = csv.DictWriter(r, REL_COLUMNS)
            orgs.writeheader()
            rels.writeheader()
            n = 0
            for rec in iter_json_array(text):
                if not isinstance(rec, dict) or "names" not in rec:
                    raise ValueError(f"{member}: record {n + 1} is not a ROR schema v2 record")
                row = ror_row(rec)
                orgs.writerow(row)
                n += 1
                for rel in rec.get("relationships") or []:
                    rels.writerow(
                        {
                            "source_ror_id": row["ror_id"],
                            "source_name": row["name"],
                            "relationship_type": str(rel.get("type", "")).lower(),
                            "target_ror_id": rel.get("id", ""),
                            "target_label": rel.get("label", ""),
                        }
                    )
    if not n:
        raise ValueError(f"{member}: no records")
    return "ror_organizations.csv"
