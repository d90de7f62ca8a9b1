"""CORDIS's official CSV export (Horizon Europe, Horizon 2020) → projects, participations,
EC contributions.

Input: a folder with ``project.csv`` and ``organization.csv`` (or ``.csv.gz``), as inside
CORDIS's ``cordis-HORIZONprojects-csv.zip`` / ``cordis-h2020projects-csv.zip``: ``;``
(or ``,``) separated, quoted, a header row. The programme is read from the projects'
``frameworkProgramme`` column (``HORIZON`` → Horizon Europe, ``H2020`` → Horizon 2020),
see :data:`FRAMEWORKS`. Used columns:

- project: ``id, acronym, title, startDate, endDate, ecSignatureDate, legalBasis,
  frameworkProgramme, fundingScheme, rcn``;
- organization: ``projectID, organisationID`` (the PIC), ``name, shortName,
  activityType, city, country, nutsCode, organizationURL, role, ecContribution,
  netEcContribution``.

Mapping (as :mod:`~helixgraph.ingest.sources.cordis` for the H2020 table):

- organisation ``id/org/pic-{pic}`` (unless resolved to an existing node, PIC first),
  kinds and helix from ``activityType``; placed in its city and in its NUTS region
  (:mod:`~helixgraph.ingest.nuts`);
- project ``id/initiative/horizon-europe-{id}`` (H2020: ``h2020-{rcn}``, the IRI the
  H2020 table gives the same project), ``hx:Project`` named by its title, the acronym as
  abbreviation, its dates, ``hx:partOf`` its programme part (``legalBasis``), itself part
  of the programme;
- each participation: ``hx:participatesIn`` (every role: coordinator, participant,
  associated partner, third party); the coordinator also ``hx:leads``;
- the EC contribution (``ecContribution``, else ``netEcContribution``; amounts with a
  decimal point or comma) as a ``hx:FundingAward`` from the European Commission,
  ``hx:awardDate`` the grant's signature date (else the project's start). No amount,
  or 0: no award, counted.

Filters (``--country``, ``--region``) keep whole projects, every partner wherever it is,
that have a participant in the country, or in the region by NUTS code (by city when a
row states no NUTS code).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from helixgraph.ingest import nuts
from helixgraph.ingest.datasets import DATASETS
from helixgraph.ingest.resolve import Record, Resolution
from helixgraph.ingest.sources.cordis import ACTIVITY, REGIONS, _norm_city, repair
from helixgraph.ingest.toolkit import (
    EC_KEY,
    Extract,
    Org,
    Out,
    Places,
    Problems,
    european_commission,
    open_text,
    programme,
    read_csv,
)
from helixgraph.vocab.namespace import HX, PROV, RDF, RDFS, SKOS, XSD, iri


@dataclass(frozen=True)
class Framework:
    dataset: str
    prefix: str  # of the project IRIs
    key: str  # project column naming the project in its IRI
    name: str
    start: str
    end: str
    parts: dict[str, str] = field(default_factory=dict)


FRAMEWORKS = {
    "HORIZON": Framework(
        "cordis-horizon-europe",
        "horizon-europe",
        "id",
        "Horizon Europe",
        "2021",
        "2027",
        {
            "HORIZON.1.1": "European Research Council",
            "HORIZON.1.2": "Marie Skłodowska-Curie Actions",
            "HORIZON.1.3": "Research infrastructures",
            "HORIZON.2.1": "Health",
            "HORIZON.2.2": "Culture, creativity and inclusive society",
            "HORIZON.2.3": "Civil security for society",
            "HORIZON.2.4": "Digital, industry and space",
            "HORIZON.2.5": "Climate, energy and mobility",
            "HORIZON.2.6": "Food, bioeconomy, natural resources, agriculture and environment",
            "HORIZON.3.1": "European Innovation Council",
            "HORIZON.3.2": "European innovation ecosystems",
            "HORIZON.3.3": "European Institute of Innovation and Technology",
            "HORIZON.4.1": "Widening participation and spreading excellence",
            "HORIZON.4.2": "Reforming and enhancing the European R&I system",
        },
    ),
    "H2020": Framework("cordis-h2020-projects", "h2020", "rcn", "Horizon 2020", "2014", "2020"),
}
ROLES = ("coordinator", "participant", "partner", "associatedPartner", "thirdParty")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
AMOUNT = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass
class Project:
    pid: str
    key: str
    title: str
    acronym: str
    start: str
    end: str
    signed: str
    part: str


@dataclass
class Participation:
    project: str
    pic: str
    role: str
    amount: Decimal | None
    nuts: str


def table(folder: Path, stem: str) -> Path:
    for name in (f"{stem}.csv.gz", f"{stem}.csv"):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(f"{folder / stem}.csv(.gz): file not found")


def delimiter(path: Path) -> str:
    """``;`` (CORDIS's export) or ``,``, whichever the header row uses outside quotes."""
    with open_text(path) as fh:
        head = re.sub(r'"[^"]*"', "", fh.readline())
    return ";" if head.count(";") >= head.count(",") else ","


def amount_of(text: str) -> Decimal:
    t = text.strip()
    if not AMOUNT.fullmatch(t):
        raise ValueError(f"{text!r} is not an amount")
    return Decimal(t.replace(",", "."))


def read(
    path: Path,
    problems: Problems,
    *,
    countries: tuple[str, ...] = (),
    region: str | None = None,
    progress: Callable[[str, int, int], None] = lambda *_: None,
) -> Extract:
    """Read ``project`` and ``organization`` tables from the folder ``path``."""
    folder = path if path.is_dir() else path.parent
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: folder not found")
    if region and region not in REGIONS:
        raise ValueError(f"unknown region {region!r}: one of {', '.join(REGIONS)}")
    p_file, o_file = table(folder, "project"), table(folder, "organization")
    framework, projects = _projects(p_file, problems)
    wanted_cc = {c.upper() for c in countries}
    parts_of: dict[str, list[Participation]] = {}
    orgs: dict[str, Org] = {}
    keep: set[str] = set()
    rows = 0
    sep = delimiter(o_file)
    for line, row in read_csv(o_file, sep):
        rows += 1
        if rows % 20_000 == 0:
            progress("reading participations", rows, 0)
        p = _participation(o_file, line, row, projects, problems)
        if p is None:
            continue
        parts_of.setdefault(p.project, []).append(p)
        cc = row["country"].upper()
        key = f"pic:{p.pic}"
        if key not in orgs:
            orgs[key] = _org(o_file, line, row, cc)
        if (not wanted_cc or cc in wanted_cc) and (region is None or _in_region(row, region)):
            keep.add(p.project)
    progress("reading participations", rows, rows)
    if wanted_cc or region:
        projects = {k: v for k, v in projects.items() if k in keep}
    projects = {k: v for k, v in projects.items() if k in parts_of}
    pics = {f"pic:{p.pic}" for pid in projects for p in parts_of[pid]}
    orgs = {k: orgs[k] for k in sorted(pics)}
    orgs[EC_KEY] = european_commission()
    n_parts = sum(len(parts_of[p]) for p in projects)
    counts = {
        "projects": len(projects),
        "participations": n_parts,
        "organisations": len(pics),
        "EC contributions (awards)": sum(
            1 for p in projects for x in parts_of[p] if x.amount is not None
        ),
        "no EC contribution stated (or 0)": sum(
            1 for p in projects for x in parts_of[p] if x.amount is None
        ),
    }
    filters = ";".join(
        [f"country={c}" for c in sorted(wanted_cc)] + ([f"region={region}"] if region else [])
    )
    dataset = DATASETS[framework.dataset]
    nuts_of = {f"pic:{x.pic}": x.nuts for p in projects for x in parts_of[p] if valid_nuts(x.nuts)}

    def emit(out: Out, res: Resolution, places: Places) -> None:
        for key, code in sorted(nuts_of.items()):
            if res.is_new(key):
                out.add(res.iri[key], HX.locatedIn, nuts.nuts_iri(code))
        nuts.emit_regions(out, set(nuts_of.values()), places, dataset.iri)
        _emit(out, res, framework, projects, parts_of, dataset.iri)

    return Extract(dataset, [p_file, o_file], orgs, rows, emit, problems, filters, counts)


def valid_nuts(code: str) -> bool:
    return nuts.valid(code)


def _in_region(row: dict[str, str], region: str) -> bool:
    if row["country"].upper() != "NL":
        return False
    code = row.get("nutsCode", "").upper()
    if nuts.valid(code) and len(code) >= 4:
        return nuts.in_region(code, region)
    return _norm_city(row.get("city", "")) in REGIONS[region]


def _projects(path: Path, problems: Problems) -> tuple[Framework, dict[str, Project]]:
    projects: dict[str, Project] = {}
    frameworks: set[str] = set()
    for line, row in read_csv(path, delimiter(path)):

        def bad(column: str, problem: str, line: int = line) -> None:
            problems.add(path, line, column, problem)

        fp = row.get("frameworkProgramme", "")
        if fp not in FRAMEWORKS:
            bad("frameworkProgramme", f"{fp!r} is not one of {', '.join(FRAMEWORKS)}")
            continue
        frameworks.add(fp)
        pid = row.get("id", "")
        if not re.fullmatch(r"\d+", pid):
            bad("id", f"missing or not a project number: {pid!r}")
            continue
        key = row.get(FRAMEWORKS[fp].key, "")
        if not re.fullmatch(r"\d+", key):
            bad(FRAMEWORKS[fp].key, f"missing or not a number: {key!r}")
            continue
        dates = {}
        for col in ("startDate", "endDate", "ecSignatureDate"):
            value = row.get(col, "")[:10]
            if value and not DATE.fullmatch(value):
                bad(col, f"{value!r} is not a date (YYYY-MM-DD)")
                value = ""
            dates[col] = value
        projects[pid] = Project(
            pid,
            key,
            " ".join(row.get("title", "").split()),
            row.get("acronym", ""),
            dates["startDate"],
            dates["endDate"],
            dates["ecSignatureDate"],
            row.get("legalBasis", ""),
        )
    if len(frameworks) > 1:
        raise ValueError(
            f"{path}: projects of several programmes ({', '.join(sorted(frameworks))}); "
            "import one programme's files at a time"
        )
    if not frameworks:
        raise ValueError(f"{path}: no project of a known programme ({', '.join(FRAMEWORKS)})")
    return FRAMEWORKS[frameworks.pop()], projects


def _participation(
    file: Path, line: int, row: dict[str, str], projects: dict[str, Project], problems: Problems
) -> Participation | None:
    def bad(column: str, problem: str) -> None:
        problems.add(file, line, column, problem)

    if row.get("projectID", "") not in projects:
        bad("projectID", f"{row.get('projectID', '')!r} is not a project of the project table")
        return None
    if not re.fullmatch(r"\d{9}", row.get("organisationID", "")):
        bad("organisationID", f"missing or not a 9-digit PIC: {row.get('organisationID', '')!r}")
        return None
    if row.get("role") not in ROLES:
        bad("role", f"{row.get('role', '')!r} is not one of {', '.join(ROLES)}")
        return None
    if row.get("activityType") not in ACTIVITY and row.get("activityType"):
        bad(
            "activityType",
            f"{row.get('activityType', '')!r} is not an activity type ({', '.join(ACTIVITY)})",
        )
        return None
    if not re.fullmatch(r"[A-Za-z]{2}|", row.get("country", "")):
        bad("country", f"{row.get('country', '')!r} is not a two-letter country code")
        return None
    amount: Decimal | None = None
    for col in ("ecContribution", "netEcContribution"):
        text = row.get(col, "")
        if not text:
            continue
        try:
            amount = amount_of(text)
        except ValueError:
            bad(col, f"{text!r} is not a non-negative amount")
            return None
        break
    if amount is not None and amount == 0:
        amount = None
    code = row.get("nutsCode", "").upper()
    return Participation(
        row["projectID"],
        row["organisationID"],
        row["role"],
        amount,
        code if nuts.valid(code) else "",
    )


def _org(file: Path, line: int, row: dict[str, str], cc: str) -> Org:
    pic = row["organisationID"]
    name = repair(" ".join(row.get("name", "").split())) or f"PIC {pic}"
    short = " ".join(row.get("shortName", "").split())
    abbr = [short] if short and short.upper() != name.upper() else []
    rec = Record(
        f"pic:{pic}", {"pic": pic}, [(name, None)], abbr, country=cc, origin=f"{file}:{line}"
    )
    # an empty activityType (the table does not state one): no kind or helix is guessed
    kind, helix = ACTIVITY.get(row["activityType"], ("", ""))
    url = row.get("organizationURL", "")
    website = url if re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", url) else ""
    return Org(
        rec,
        [kind] if kind else [],
        [helix] if helix else [],
        city=row.get("city", ""),
        website=website,
    )


def _emit(
    out: Out,
    res: Resolution,
    fw: Framework,
    projects: dict[str, Project],
    parts_of: dict[str, list[Participation]],
    source: str,
) -> None:
    ec = res.iri[EC_KEY]
    top = str(iri("initiative", fw.prefix))
    used_parts: set[str] = set()
    for pid, proj in projects.items():
        s = str(iri("initiative", f"{fw.prefix}-{proj.key}"))
        out.add(s, RDF.type, HX.Initiative)
        out.add(s, RDF.type, HX.Project)
        label = proj.title or proj.acronym or f"{fw.name} project {pid}"
        out.add(s, SKOS.prefLabel, out.text(label, "en"))
        out.add(s, RDFS.label, out.text(label, "en"))
        if proj.acronym:
            out.add(s, HX.abbreviation, out.text(proj.acronym))
            out.add(s, SKOS.altLabel, out.text(proj.acronym))
        out.add(s, PROV.wasDerivedFrom, source)
        if proj.start:
            out.add(s, HX.startDate, out.typed(proj.start, XSD.date))
        if proj.end:
            out.add(s, HX.endDate, out.typed(proj.end, XSD.date))
        out.add(s, HX.partOf, _part_iri(fw, proj.part) if proj.part else top)
        used_parts.add(proj.part)
        date = proj.signed or proj.start
        for p in parts_of[pid]:
            org = res.iri[f"pic:{p.pic}"]
            out.add(org, HX.participatesIn, s)
            if p.role == "coordinator":
                out.add(org, HX.leads, s)
            if p.amount is None:
                continue
            a = str(iri("award", f"{fw.prefix}-{proj.key}-{p.pic}"))
            out.add(a, RDF.type, HX.FundingAward)
            out.add(a, PROV.wasDerivedFrom, source)
            out.add(a, HX.funder, ec)
            out.add(a, HX.recipient, org)
            out.add(a, HX.amount, out.typed(p.amount, XSD.decimal))
            out.add(a, HX.currency, out.text("EUR"))
            out.add(a, HX.programme, s)
            if date:
                out.add(a, HX.awardDate, out.typed(date, XSD.date))
    programme(out, top, fw.name, fw.name, source)
    out.add(top, HX.startDate, out.typed(fw.start, XSD.gYear))
    out.add(top, HX.endDate, out.typed(fw.end, XSD.gYear))
    for part in sorted(used_parts - {""}):
        name = f"{fw.name}: {fw.parts.get(part, part)}"
        programme(out, _part_iri(fw, part), name, None, source)
        out.add(_part_iri(fw, part), HX.partOf, top)
        out.add(_part_iri(fw, part), HX.abbreviation, out.text(part))
        out.add(_part_iri(fw, part), SKOS.altLabel, out.text(part))


def _part_iri(fw: Framework, part: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", part.lower()).strip("-")
    return str(iri("initiative", f"{fw.prefix}-part-{slug}"))
