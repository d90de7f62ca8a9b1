"""ROR records → organisations with identifiers, places and parent/related links.

Input: the flattened ROR tables of ``../shared/data/ror/``: an organisations file
(``ror_id, name, types, status, [country,] established, city, …, website, acronyms,
aliases_labels, wikidata, grid, isni, fundref``; multi-valued cells separated by ``|``)
and the relationships file next to it (``source_ror_id, relationship_type,
target_ror_id``). ``PATH`` is the folder (the Dutch files) or an organisations file.

- kinds and helices from the types (docs/data-model.md): education →
  ``hx:HigherEducationInstitution``/academia, facility → ``hx:ResearchInfrastructure``/
  academia, company → ``hx:Firm``/industry, government → ``hx:GovernmentBody``/government,
  healthcare → ``hx:HealthcareOrganisation``, nonprofit → ``hx:NonProfitOrganisation``,
  other, archive or funder alone → ``hx:OtherOrganisation`` (all three civil society);
- ``parent`` → ``org:subOrganizationOf``, ``child`` the same the other way round,
  ``related`` → ``hx:collaboratesWith`` (once per pair); successor and predecessor are
  not imported, nor links to records outside the file (both counted);
- withdrawn records are left out (counted).
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib.namespace import ORG

from helixgraph.ingest.datasets import DATASETS
from helixgraph.ingest.resolve import IdentifierError, Record, Resolution, clean_id
from helixgraph.ingest.toolkit import Extract, Org, Out, Places, Problems, read_csv
from helixgraph.vocab.namespace import HX

TYPES: dict[str, tuple[str, str]] = {
    "education": ("HigherEducationInstitution", "academia"),
    "facility": ("ResearchInfrastructure", "academia"),
    "company": ("Firm", "industry"),
    "government": ("GovernmentBody", "government"),
    "healthcare": ("HealthcareOrganisation", "civilSociety"),
    "nonprofit": ("NonProfitOrganisation", "civilSociety"),
    "archive": ("OtherOrganisation", "civilSociety"),
    "other": ("OtherOrganisation", "civilSociety"),
}
ID_COLUMNS = ("wikidata", "grid", "isni", "fundref")


def files(path: Path) -> tuple[Path, Path | None]:
    orgs = path / "ror_nl_organizations.csv" if path.is_dir() else path
    rel = orgs.with_name(orgs.name.replace("organizations", "relationships"))
    return orgs, (rel if rel.exists() and rel != orgs else None)


def read(path: Path, problems: Problems, *, countries: tuple[str, ...] = ()) -> Extract:
    orgs_file, rel_file = files(path)
    if not orgs_file.exists():
        raise FileNotFoundError(f"{orgs_file}: file not found")
    wanted = {c.upper() for c in countries}
    orgs: dict[str, Org] = {}
    counts = {"organisations": 0, "withdrawn (left out)": 0, "other countries (left out)": 0}
    rows = 0
    for line, row in read_csv(orgs_file):
        rows += 1
        org = _org(orgs_file, line, row, problems)
        if org is None:
            continue
        if row.get("status") == "withdrawn":
            counts["withdrawn (left out)"] += 1
            continue
        if wanted and org.record.country not in wanted:
            counts["other countries (left out)"] += 1
            continue
        orgs[org.record.key] = org
    counts["organisations"] = len(orgs)
    links: list[tuple[str, str, str]] = []  # (relation, source key, target key)
    if rel_file is not None:
        counts.update(
            {
                "links": 0,
                "links to records outside the file": 0,
                "successor/predecessor links (not imported)": 0,
            }
        )
        for line, row in read_csv(rel_file):
            kind = row.get("relationship_type", "")
            try:
                src = "ror:" + clean_id("ror", row.get("source_ror_id", ""))
                dst = "ror:" + clean_id("ror", row.get("target_ror_id", ""))
            except IdentifierError as exc:
                problems.add(rel_file, line, "source_ror_id/target_ror_id", str(exc))
                continue
            if kind in ("successor", "predecessor"):
                counts["successor/predecessor links (not imported)"] += 1
                continue
            if kind not in ("parent", "child", "related"):
                problems.add(
                    rel_file,
                    line,
                    "relationship_type",
                    f"{kind!r} is not parent, child, related, successor or predecessor",
                )
                continue
            if src not in orgs or dst not in orgs:
                counts["links to records outside the file"] += 1
                continue
            links.append((kind, src, dst))
            counts["links"] += 1

    def emit(out: Out, res: Resolution, places: Places) -> None:
        done: set[tuple[str, str]] = set()
        for kind, src, dst in links:
            a, b = res.iri[src], res.iri[dst]
            if a == b:
                continue
            if kind == "parent":
                out.add(a, ORG.subOrganizationOf, b)
            elif kind == "child":
                out.add(b, ORG.subOrganizationOf, a)
            else:
                pair = (min(a, b), max(a, b))
                if pair not in done:
                    done.add(pair)
                    out.add(pair[0], HX.collaboratesWith, pair[1])

    filters = ";".join(f"country={c}" for c in sorted(wanted))
    used = [orgs_file] + ([rel_file] if rel_file else [])
    return Extract(DATASETS["ror"], used, orgs, rows, emit, problems, filters, counts)


def _org(file: Path, line: int, row: dict[str, str], problems: Problems) -> Org | None:
    try:
        ror = clean_id("ror", row.get("ror_id", ""))
    except IdentifierError as exc:
        problems.add(file, line, "ror_id", f"missing or malformed: {exc}")
        return None
    if not row.get("name"):
        problems.add(file, line, "name", "is empty")
        return None
    ids = {"ror": ror}
    for col in ID_COLUMNS:
        value = row.get(col, "").split("|")[0].strip()
        if not value:
            continue
        try:
            ids[col] = clean_id(col, value)
        except IdentifierError as exc:
            problems.add(file, line, col, str(exc))
            return None
    established = row.get("established", "")
    if established and not re.fullmatch(r"\d{4}", established):
        problems.add(file, line, "established", f"{established!r} is not a year")
        return None
    types = [t for t in row.get("types", "").split("|") if t]
    unknown = [t for t in types if t not in TYPES and t != "funder"]
    if unknown:
        problems.add(file, line, "types", f"unknown ROR type(s) {', '.join(unknown)}")
        return None
    kinds = list(dict.fromkeys(TYPES[t][0] for t in types if t in TYPES)) or ["OtherOrganisation"]
    helices = list(dict.fromkeys(TYPES[t][1] for t in types if t in TYPES)) or ["civilSociety"]
    names: list[tuple[str, str | None]] = [(row["name"], None)]
    names += [
        (a, None)
        for a in row.get("aliases_labels", "").split("|")
        if a.strip() and a.strip() != row["name"]
    ]
    acronyms = [a.strip() for a in row.get("acronyms", "").split("|") if a.strip()]
    names = [(t.strip(), lang) for t, lang in names if t.strip() not in acronyms]
    country = (row.get("country") or "NL").upper()
    rec = Record(f"ror:{ror}", ids, names, acronyms, country=country, origin=f"{file}:{line}")
    return Org(
        rec,
        kinds,
        helices,
        city=row.get("city", ""),
        website=row.get("website", ""),
        founded=established,
    )
