"""CORDIS Horizon 2020 participations → projects, participation and EC funding awards.

Input: ``h2020.csv.gz`` (one row per participation: ``rcn, role, pic, type, contribution,
country, start_date, end_date, …``), with ``programme_parts.csv.gz`` next to it (rcn →
programme part) and the PIC → name table ``derived/pic_name_lookup.csv.gz``. A table with
its own ``name, shortName, city, programme_part`` columns (the extract shipped in
``data/regional/``, :mod:`helixgraph.ingest.regional`) needs neither.

- organisation ``id/org/pic-{pic}`` (unless resolved to an existing node), kinds and helix
  from the activity type: HES higher education → ``hx:HigherEducationInstitution``,
  academia; REC research organisation → ``hx:ResearchInstitute``, academia; PRC private
  company → ``hx:Firm``, industry; PUB public body → ``hx:GovernmentBody``, government;
  OTH other → ``hx:OtherOrganisation``, civil society;
- project ``id/initiative/h2020-{rcn}`` (``hx:Project``, ``hx:partOf`` its programme part
  ``id/initiative/h2020-{part}``, itself ``hx:partOf`` ``id/initiative/h2020``);
- participation: ``hx:participatesIn`` the project; the coordinator also ``hx:leads`` it;
- the EC contribution: ``hx:FundingAward`` ``id/award/h2020-{rcn}-{pic}`` from
  ``id/org/european-commission`` to the organisation, ``hx:programme`` the project,
  ``hx:awardDate`` the project's start (the table has no signature date). A contribution
  of ``NA`` means the table does not state one: no award, counted.

Filters keep whole projects (every partner, wherever it is) that have at least one
participant in the country (``--country NL``) or region (``--region``, by the
participant's city in the 2017/FP7 address tables, see :data:`REGIONS`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from helixgraph.ingest.datasets import DATASETS
from helixgraph.ingest.resolve import Record, Resolution
from helixgraph.ingest.toolkit import (
    EC_KEY,
    Extract,
    Org,
    Out,
    Places,
    Problems,
    european_commission,
    programme,
    read_csv,
)
from helixgraph.vocab.namespace import HX, PROV, RDF, RDFS, SKOS, XSD, iri

ACTIVITY: dict[str, tuple[str, str]] = {
    "HES": ("HigherEducationInstitution", "academia"),
    "REC": ("ResearchInstitute", "academia"),
    "PRC": ("Firm", "industry"),
    "PUB": ("GovernmentBody", "government"),
    "OTH": ("OtherOrganisation", "civilSociety"),
}
ROLES = ("coordinator", "participant", "partner")
PARTS = {
    "ERC": "European Research Council",
    "MSCA": "Marie Skłodowska-Curie actions",
    "FET": "Future and Emerging Technologies",
    "INFRA": "Research infrastructures",
    "LEIT": "Leadership in enabling and industrial technologies",
    "SME": "Innovation in SMEs",
    "SC1": "Health, demographic change and wellbeing",
    "SC2": "Food security, bioeconomy",
    "SC3": "Secure, clean and efficient energy",
    "SC4": "Smart, green and integrated transport",
    "SC5": "Climate action and raw materials",
    "SC6": "Inclusive, innovative and reflective societies",
    "SC7": "Secure societies",
}
# Cities (upper case, as in the CORDIS address tables) of the seed regions, Dutch only.
NORTH_NL = frozenset(
    [
        "GRONINGEN",
        "HAREN",
        "LEEUWARDEN",
        "DRACHTEN",
        "HEERENVEEN",
        "SNEEK",
        "FRANEKER",
        "HARLINGEN",
        "DOKKUM",
        "ASSEN",
        "EMMEN",
        "HOOGEVEEN",
        "MEPPEL",
        "COEVORDEN",
        "VEENDAM",
        "DELFZIJL",
        "HOOGEZAND",
        "WINSCHOTEN",
        "STADSKANAAL",
        "APPINGEDAM",
        "RODEN",
        "ZUIDLAREN",
        "EELDE",
        "PATERSWOLDE",
        "LEEK",
        "ZUIDHORN",
        "WINSUM",
        "BEDUM",
        "GIETEN",
        "BEILEN",
        "WESTERBORK",
        "BURGUM",
        "WOLVEGA",
        "JOURE",
        "LEMMER",
        "BOLSWARD",
        "OOSTERWOLDE",
        "GORREDIJK",
        "UITHUIZEN",
        "GROOTEGAST",
        "MARUM",
        "EELDERWOLDE",
        "GLIMMEN",
        "ONNEN",
        "NIEUW-AMSTERDAM",
        "KLAZIENAVEEN",
    ]
)
TWENTE = frozenset(
    [
        "ENSCHEDE",
        "HENGELO",
        "ALMELO",
        "OLDENZAAL",
        "BORNE",
        "HAAKSBERGEN",
        "RIJSSEN",
        "NIJVERDAL",
        "HELLENDOORN",
        "WIERDEN",
        "VRIEZENVEEN",
        "TUBBERGEN",
        "OOTMARSUM",
        "DENEKAMP",
        "LOSSER",
        "GLANERBRUG",
        "GOOR",
        "DELDEN",
        "DIEPENHEIM",
        "MARKELO",
        "WEERSELO",
        "VROOMSHOOP",
        "ENTER",
        "HOLTEN",
    ]
)
REGIONS = {"north-nl": NORTH_NL, "twente": TWENTE, "seed-regions": NORTH_NL | TWENTE}
H2020 = str(iri("initiative", "h2020"))
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class Participation:
    rcn: str
    role: str
    pic: str
    contribution: Decimal | None
    line: int


@dataclass
class Project:
    rcn: str
    start: str
    end: str
    part: str


def repair(text: str) -> str:
    """Undo UTF-8 read as Mac Roman (``J√∂ckel`` → ``Jöckel``), as in the 2017 table."""
    if "√" in text or "‚Ä" in text:
        try:
            return text.encode("mac_roman").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return text
    return text


def city_of(row: dict[str, str]) -> str:
    """The city of a PIC: the 2017 ``city`` column, else from the FP7 ``street, city, code``."""
    if row.get("city"):
        return row["city"]
    parts = [p.strip() for p in next(csv.reader([row.get("address", "")]), [])]
    return parts[-2] if len(parts) >= 3 else ""


def load_names(path: Path | None) -> dict[str, dict[str, str]]:
    if path is None or not path.exists():
        return {}
    return {row["pic"]: row for _, row in read_csv(path)}


def _first(folder: Path, stem: str) -> Path:
    """``folder/stem.csv.gz``, else ``folder/stem.csv`` (the fixtures are plain CSV)."""
    gz = folder / f"{stem}.csv.gz"
    return gz if gz.exists() else folder / f"{stem}.csv"


def default_names(path: Path) -> Path | None:
    base = path if path.is_dir() else path.parent
    candidate = _first(base.parent / "derived", "pic_name_lookup")
    return candidate if candidate.exists() else None


def read(
    path: Path,
    problems: Problems,
    *,
    names: Path | None = None,
    countries: tuple[str, ...] = (),
    region: str | None = None,
    progress: Callable[[str, int, int], None] = lambda *_: None,
) -> Extract:
    """Read the H2020 participations (``path`` is the file or its folder)."""
    table = _first(path, "h2020") if path.is_dir() else path
    if not table.exists():
        raise FileNotFoundError(f"{table}: file not found")
    parts_file = _first(table.parent, "programme_parts")
    names = names or default_names(table)
    lookup = load_names(names)
    parts = (
        {r["rcn"]: r["programme_part"] for _, r in read_csv(parts_file)}
        if parts_file.exists()
        else {}
    )
    if region and region not in REGIONS:
        raise ValueError(f"unknown region {region!r}: one of {', '.join(REGIONS)}")
    wanted_cc = {c.upper() for c in countries}
    projects: dict[str, Project] = {}
    parts_of: dict[str, list[Participation]] = {}
    org_rows: dict[str, tuple[str, str, int]] = {}  # pic → (type, country, line)
    # A table with name columns (the shipped extract, data/regional/) names its PICs itself
    for_name = ("name", "shortName", "city")
    keep: set[str] = set()
    rows = 0
    for line, row in read_csv(table):
        rows += 1
        if rows % 20_000 == 0:
            progress("reading participations", rows, 144_726)
        p = _participation(table, line, row, problems)
        if p is None:
            continue
        start, end = row["start_date"], row["end_date"]
        proj = projects.get(p.rcn)
        if proj is None:
            part = parts.get(p.rcn, "") or row.get("programme_part", "")
            projects[p.rcn] = Project(p.rcn, start, end, part)
        if row.get("name") and p.pic not in lookup:
            lookup[p.pic] = {k: row.get(k, "") for k in for_name}
        parts_of.setdefault(p.rcn, []).append(p)
        org_rows.setdefault(p.pic, (row["type"], row["country"].upper(), line))
        cc = row["country"].upper()
        if (not wanted_cc or cc in wanted_cc) and (
            region is None
            or (cc == "NL" and _norm_city(city_of(lookup.get(p.pic, {}))) in REGIONS[region])
        ):
            keep.add(p.rcn)
    progress("reading participations", rows, rows)
    if wanted_cc or region:
        projects = {k: v for k, v in projects.items() if k in keep}
    pics = {p.pic for rcn in projects for p in parts_of[rcn]}
    orgs: dict[str, Org] = {}
    for pic in sorted(pics):
        kind, cc, line = org_rows[pic]
        info = lookup.get(pic, {})
        names_: list[tuple[str, str | None]] = [
            (repair(info["name"]) if info.get("name") else f"PIC {pic}", None)
        ]
        short = repair(info.get("shortName", ""))
        abbr = [short] if short and short.upper() != names_[0][0].upper() else []
        rec = Record(f"pic:{pic}", {"pic": pic}, names_, abbr, country=cc, origin=f"{table}:{line}")
        k, helix = ACTIVITY[kind]
        orgs[rec.key] = Org(rec, [k], [helix], city=city_of(info))
    orgs[EC_KEY] = european_commission()
    counts = {
        "projects": len(projects),
        "participations": sum(len(parts_of[r]) for r in projects),
        "organisations": len(pics),
        "contribution not stated (NA)": sum(
            1 for r in projects for p in parts_of[r] if p.contribution is None
        ),
    }
    filters = ";".join(
        [f"country={c}" for c in sorted(wanted_cc)] + ([f"region={region}"] if region else [])
    )

    def emit(out: Out, res: Resolution, places: Places) -> None:
        _emit(out, res, projects, parts_of, DATASETS["cordis-h2020"].iri)

    files = [table] + [f for f in (parts_file, names) if f is not None and f.exists()]
    return Extract(DATASETS["cordis-h2020"], files, orgs, rows, emit, problems, filters, counts)


def _norm_city(city: str) -> str:
    return re.sub(r"^\d{4}\s*[A-Z]{0,2}\s+", "", city.strip().upper())


def _participation(
    file: Path, line: int, row: dict[str, str], problems: Problems
) -> Participation | None:
    def bad(column: str, problem: str) -> None:
        problems.add(file, line, column, problem)

    if not re.fullmatch(r"\d+", row.get("rcn", "")):
        bad("rcn", f"missing or not a record number: {row.get('rcn', '')!r}")
        return None
    if not re.fullmatch(r"\d{9}", row.get("pic", "")):
        bad("pic", f"missing or not a 9-digit PIC: {row.get('pic', '')!r}")
        return None
    if row.get("role") not in ROLES:
        bad("role", f"{row.get('role', '')!r} is not one of {', '.join(ROLES)}")
        return None
    if row.get("type") not in ACTIVITY:
        bad("type", f"{row.get('type', '')!r} is not an activity type ({', '.join(ACTIVITY)})")
        return None
    if not re.fullmatch(r"[A-Za-z]{2}", row.get("country", "")):
        bad("country", f"{row.get('country', '')!r} is not a two-letter country code")
        return None
    for col in ("start_date", "end_date"):
        if row.get(col) == "NA":  # the table's "not available"
            row[col] = ""
        if row.get(col) and not DATE.fullmatch(row[col]):
            bad(col, f"{row[col]!r} is not a date (YYYY-MM-DD)")
            return None
    text = row.get("contribution", "")
    amount: Decimal | None = None
    if text not in ("", "NA"):
        try:
            amount = Decimal(text)
        except InvalidOperation:
            bad("contribution", f"{text!r} is not a number")
            return None
        if not amount.is_finite() or amount < 0:
            bad("contribution", f"{text!r} is not a non-negative amount")
            return None
    return Participation(row["rcn"], row["role"], row["pic"], amount, line)


def _emit(
    out: Out,
    res: Resolution,
    projects: dict[str, Project],
    parts_of: dict[str, list[Participation]],
    source: str,
) -> None:
    ec = out.n(res.iri[EC_KEY])
    used_parts: set[str] = set()
    # the terms, made once (a million facts for the whole table)
    n = out.n
    a_type, initiative, project, award = (
        n(RDF.type),
        n(HX.Initiative),
        n(HX.Project),
        n(HX.FundingAward),
    )
    pref, label_p, derived = n(SKOS.prefLabel), n(RDFS.label), n(PROV.wasDerivedFrom)
    start_p, end_p, part_of = n(HX.startDate), n(HX.endDate), n(HX.partOf)
    participates, leads, funder = n(HX.participatesIn), n(HX.leads), n(HX.funder)
    recipient, amount, currency = n(HX.recipient), n(HX.amount), n(HX.currency)
    programme_p, award_date = n(HX.programme), n(HX.awardDate)
    xsd_date, xsd_decimal, eur = n(XSD.date), n(XSD.decimal), out.text("EUR")
    src = n(source)
    initiatives, awards = str(iri("initiative", "h2020")), str(iri("award", "h2020"))
    for rcn, proj in projects.items():
        s = n(f"{initiatives}-{rcn}")  # iri("initiative", f"h2020-{rcn}"): rcn is digits
        out.add(s, a_type, initiative)
        out.add(s, a_type, project)
        label = out.text(f"H2020 project {rcn}" + (f" ({proj.part})" if proj.part else ""), "en")
        out.add(s, pref, label)
        out.add(s, label_p, label)
        out.add(s, derived, src)
        start = ox.Literal(proj.start, datatype=xsd_date) if proj.start else None
        if start is not None:
            out.add(s, start_p, start)
        if proj.end:
            out.add(s, end_p, ox.Literal(proj.end, datatype=xsd_date))
        part = _part_iri(proj.part) if proj.part else H2020
        used_parts.add(proj.part)
        out.add(s, part_of, part)
        for p in parts_of[rcn]:
            org = n(res.iri[f"pic:{p.pic}"])
            out.add(org, participates, s)
            if p.role == "coordinator":
                out.add(org, leads, s)
            if p.contribution is None:
                continue
            a = n(f"{awards}-{rcn}-{p.pic}")  # iri("award", …): rcn and PIC are digits
            out.add(a, a_type, award)
            out.add(a, derived, src)
            out.add(a, funder, ec)
            out.add(a, recipient, org)
            out.add(a, amount, ox.Literal(str(p.contribution), datatype=xsd_decimal))
            out.add(a, currency, eur)
            out.add(a, programme_p, s)
            if start is not None:
                out.add(a, award_date, start)
    programme(out, H2020, "Horizon 2020", "Horizon 2020", source)
    out.add(H2020, HX.startDate, out.typed("2014", XSD.gYear))
    out.add(H2020, HX.endDate, out.typed("2020", XSD.gYear))
    for part in sorted(used_parts - {""}):
        name = f"Horizon 2020: {PARTS.get(part, part)}"
        programme(out, _part_iri(part), name, None, source)
        out.add(_part_iri(part), HX.partOf, H2020)
        out.add(_part_iri(part), HX.abbreviation, out.text(part))
        out.add(_part_iri(part), SKOS.altLabel, out.text(part))


def _part_iri(part: str) -> str:
    return str(iri("initiative", "h2020-" + re.sub(r"[^a-z0-9]+", "-", part.lower()).strip("-")))
