"""The regional extracts shipped in ``data/regional/``: made from the full datasets, read by
the build.

:func:`make` cuts, from the full files (the layout of ``../shared/data``: CORDIS H2020
participations, CORDIS Horizon Europe in the official CSV layout, ROR's Dutch records),
every H2020 and Horizon Europe project with a participant in the seed regions
(Groningen, Friesland, Drenthe, Twente: ``--region seed-regions``) with all its partners,
and ROR's Dutch organisations with their relationships. It writes plain gzip-compressed
CSV (reproducible: fixed gzip header, sorted rows) and ``MANIFEST.csv``, the SHA-256 of
every input and output file.

:func:`extracts` reads them as import extracts; :func:`helixgraph.ingest.build.build`
stages them into the store as the graphs ``graph/import/regional-{dataset}``, each
``prov:wasDerivedFrom`` its dataset, in the same atomic step as the seed.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from collections.abc import Iterable
from pathlib import Path

from helixgraph.ingest.sources import cordis, cordis_csv, ror
from helixgraph.ingest.toolkit import Extract, Problems, open_text, read_csv, slug

REGION = "seed-regions"
PREFIX = "regional-"  # of the graph names the build writes
H2020_DIR, HE_DIR = "cordis-h2020", "cordis-horizon-europe"
ROR_FILES = ("ror_nl_organizations.csv", "ror_nl_relationships.csv")
H2020_COLUMNS = [
    "rcn",
    "role",
    "pic",
    "type",
    "contribution",
    "country",
    "start_date",
    "end_date",
    "name",
    "shortName",
    "city",
    "programme_part",
]
HE_PROJECT_COLUMNS = [
    "id",
    "acronym",
    "status",
    "title",
    "startDate",
    "endDate",
    "totalCost",
    "ecMaxContribution",
    "legalBasis",
    "topics",
    "ecSignatureDate",
    "frameworkProgramme",
    "masterCall",
    "subCall",
    "fundingScheme",
    "rcn",
    "grantDoi",
]
HE_ORG_COLUMNS = [
    "projectID",
    "projectAcronym",
    "organisationID",
    "name",
    "shortName",
    "SME",
    "activityType",
    "city",
    "postCode",
    "country",
    "nutsCode",
    "geolocation",
    "organizationURL",
    "order",
    "role",
    "ecContribution",
    "netEcContribution",
    "totalCost",
    "endOfParticipation",
]


GAZETTEER = "nl_places.csv.gz"
GAZETTEER_COLUMNS = ["city", "nuts3", "rows", "rows_city"]
AGREEMENT = 0.8  # share of a city's rows that must state its most common NUTS-3 code


def gazetteer(orgs: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    """Dutch cities → NUTS-3 region, as CORDIS's participation rows state them: a city
    (by its normalised name) is kept when at least 80 % of its rows give one code."""
    by_city: dict[str, dict[str, int]] = {}
    spelling: dict[str, str] = {}
    for r in orgs:
        code = r.get("nutsCode", "").upper()
        if r.get("country", "").upper() != "NL" or len(code) != 5 or not code.startswith("NL"):
            continue
        key = slug(r.get("city", ""))
        if not key:
            continue
        spelling.setdefault(key, " ".join(r["city"].split()))
        codes = by_city.setdefault(key, {})
        codes[code] = codes.get(code, 0) + 1
    rows = []
    for key in sorted(by_city):
        codes = by_city[key]
        code, n = max(codes.items(), key=lambda kv: (kv[1], kv[0]))
        total = sum(codes.values())
        if n >= AGREEMENT * total:
            rows.append(
                {"city": spelling[key], "nuts3": code, "rows": str(n), "rows_city": str(total)}
            )
    return rows


def folder(data: Path) -> Path:
    return data / "regional"


def present(data: Path) -> bool:
    return (folder(data) / "MANIFEST.csv").exists()


def extracts(data: Path, problems: Problems) -> list[tuple[str, Extract]]:
    """(graph name, extract) of each shipped extract, in build order (ROR first)."""
    base = folder(data)
    return [
        (PREFIX + "ror", ror.read(base / "ror_nl_organizations.csv.gz", problems)),
        (PREFIX + "cordis-h2020", cordis.read(base / H2020_DIR / "h2020.csv.gz", problems)),
        (PREFIX + "cordis-horizon-europe", cordis_csv.read(base / HE_DIR, problems)),
    ]


# --------------------------------------------------------------------------- making them


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _write(path: Path, columns: list[str], rows: Iterable[dict[str, str]], sep: str) -> int:
    """A reproducible .csv.gz (no name or time in the gzip header); returns the rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = io.StringIO()
    writer = csv.DictWriter(
        text,
        columns,
        delimiter=sep,
        quoting=csv.QUOTE_ALL if sep == ";" else csv.QUOTE_MINIMAL,
        lineterminator="\n",
        extrasaction="ignore",
    )
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    with path.open("wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as gz:
        gz.write(text.getvalue().encode("utf-8"))
    return n


def _find(path: Path) -> Path:
    """``path`` (a ``.csv``) compressed, else as it is (raises FileNotFoundError)."""
    for candidate in (path.with_name(path.name + ".gz"), path):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"{path}(.gz): file not found")


def make(shared: Path, out: Path) -> list[dict[str, str]]:
    """Cut the extracts from ``shared`` (a folder laid out as ``../shared/data``) into
    ``out``; returns the manifest rows (also written to ``out/MANIFEST.csv``)."""
    src = {
        "h2020": _find(shared / "cordis_h2020_eunets" / "h2020.csv"),
        "parts": _find(shared / "cordis_h2020_eunets" / "programme_parts.csv"),
        "names": _find(shared / "derived" / "pic_name_lookup.csv"),
        "he_projects": _find(shared / "cordis_horizon_europe" / "project.csv"),
        "he_orgs": _find(shared / "cordis_horizon_europe" / "organization.csv"),
        "ror_orgs": _find(shared / "ror" / ROR_FILES[0]),
        "ror_rels": _find(shared / "ror" / ROR_FILES[1]),
    }
    manifest: list[dict[str, str]] = [
        {"role": "input", "file": str(p.relative_to(shared)), "sha256": sha256(p), "rows": ""}
        for p in src.values()
    ]
    written: dict[str, int] = {}

    # CORDIS H2020: projects with a participant in the seed regions (city, as the importer)
    names = {r["pic"]: r for _, r in read_csv(src["names"])}
    parts = {r["rcn"]: r["programme_part"] for _, r in read_csv(src["parts"])}
    regional = cordis.REGIONS[REGION]
    rows = [r for _, r in read_csv(src["h2020"])]
    keep = {
        r["rcn"]
        for r in rows
        if r["country"].upper() == "NL"
        and cordis._norm_city(cordis.city_of(names.get(r["pic"], {}))) in regional
    }

    def h2020_rows() -> Iterable[dict[str, str]]:
        for r in sorted(rows, key=lambda r: (int(r["rcn"]), r["pic"], r["role"])):
            if r["rcn"] in keep:
                info = names.get(r["pic"], {})
                yield dict(
                    r,
                    name=info.get("name", ""),
                    shortName=info.get("shortName", ""),
                    city=cordis.city_of(info) if info else "",
                    programme_part=parts.get(r["rcn"], ""),
                )

    target = out / H2020_DIR / "h2020.csv.gz"
    written[str(target.relative_to(out))] = _write(target, H2020_COLUMNS, h2020_rows(), ",")

    # CORDIS Horizon Europe: by NUTS code (else city), as the importer's --region
    sep = cordis_csv.delimiter(src["he_orgs"])
    orgs = [r for _, r in read_csv(src["he_orgs"], sep)]
    keep = {r["projectID"] for r in orgs if cordis_csv._in_region(r, REGION)}
    projects = [
        r for _, r in read_csv(src["he_projects"], cordis_csv.delimiter(src["he_projects"]))
    ]
    target = out / HE_DIR / "project.csv.gz"
    written[str(target.relative_to(out))] = _write(
        target,
        HE_PROJECT_COLUMNS,
        sorted((r for r in projects if r["id"] in keep), key=lambda r: int(r["id"])),
        ";",
    )
    target = out / HE_DIR / "organization.csv.gz"
    written[str(target.relative_to(out))] = _write(
        target,
        HE_ORG_COLUMNS,
        sorted(
            (r for r in orgs if r["projectID"] in keep),
            key=lambda r: (int(r["projectID"]), int(r["order"] or 0), r["organisationID"]),
        ),
        ";",
    )

    # The gazetteer: each Dutch city CORDIS names with the NUTS-3 region it states for it
    target = out / GAZETTEER
    written[GAZETTEER] = _write(target, GAZETTEER_COLUMNS, gazetteer(orgs), ",")

    # ROR: the Dutch organisations and their relationships, as they are
    for key, name in (("ror_orgs", ROR_FILES[0]), ("ror_rels", ROR_FILES[1])):
        with open_text(src[key]) as fh:
            reader = csv.DictReader(fh)
            columns = list(reader.fieldnames or [])
            table = list(reader)
        target = out / f"{name}.gz"
        written[target.name] = _write(target, columns, table, ",")

    for name, n in written.items():
        manifest.append(
            {"role": "output", "file": name, "sha256": sha256(out / name), "rows": str(n)}
        )
    with (out / "MANIFEST.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, ["role", "file", "sha256", "rows"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(manifest)
    return manifest
