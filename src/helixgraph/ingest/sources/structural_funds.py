"""EU structural funds in the Netherlands, 2007-2013 (ERDF/EFRO and ESF operations).

Input: ``StructuralFundsNL2007NOW.csv.gz`` (or a CSV with the same Dutch header): one
row per operation with its beneficiary (``Begunstigde``), titles, fund (``Fonds``),
managing authority or operational programme (``Autoriteit``, mostly empty), summary,
EU subsidy in Dutch notation (``7.488.600``) and dates ``dd.mm.yyyy``.

- beneficiary → organisation, resolved by name (the list has no identifiers); a new
  one is ``id/org/name-{slug}``, its kind read from the legal form in its name
  (:data:`LEGAL_KINDS`), else ``hx:OtherOrganisation`` without a helix;
- operation → ``hx:Project`` ``id/initiative/sf-{hash}`` led by the beneficiary,
  ``hx:partOf`` its operational programme ``id/initiative/sf-{fund}-2007-2013[-{authority}]``;
- EU subsidy → ``hx:FundingAward`` from the European Commission, ``hx:programme`` the
  operational programme, ``hx:awardDate`` the approval date (``Begindatum``);
- an authority that is an organisation in the store (e.g. "Samenwerkingsverband
  Noord-Nederland" → ``snn``) ``hx:leads`` the programme.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from helixgraph.ingest.datasets import DATASETS
from helixgraph.ingest.resolve import Record, Resolution
from helixgraph.ingest.toolkit import (
    EC_KEY,
    Extract,
    Org,
    Out,
    Places,
    Problems,
    dutch_amount,
    dutch_date,
    european_commission,
    programme,
    read_csv,
)
from helixgraph.matching import plain
from helixgraph.vocab.namespace import DCTERMS, HX, PROV, RDF, RDFS, SKOS, XSD, iri

COLUMNS = {
    "beneficiary": "Begunstigde",
    "title_nl": "Titel van het project (naam van de concrete actie)",
    "title_en": "Titel van het project in het Engels",
    "fund": "Fonds",
    "authority": "Autoriteit",
    "summary": "Samenvatting",
    "amount": "EU-subsidie in Euro's",
    "start": "Begindatum",
    "end": "Einddatum",
}
FUNDS = {"EFRO": ("EFRO", "ERDF"), "ESF": ("ESF", "ESF")}
# Words of a beneficiary's name that state its legal form or kind (checked in order).
LEGAL_KINDS: tuple[tuple[str, str, str], ...] = (
    (
        r"\buniversiteit\b|\buniversity\b|\bhogeschool\b|\bhanzehogeschool\b",
        "HigherEducationInstitution",
        "academia",
    ),
    (r"\bgemeente\b|\bprovincie\b|\bwaterschap\b|\bministerie\b", "GovernmentBody", "government"),
    (r"\bb\.? ?v\.?$|\bn\.? ?v\.?$|\bb\.v\.|\bbv\b|\bholding\b", "Firm", "industry"),
    (r"\bstichting\b|\bvereniging\b|\bfoundation\b", "NonProfitOrganisation", "civilSociety"),
)


def kind_of(name: str) -> tuple[list[str], list[str]]:
    low = name.lower()
    for pattern, kind, helix in LEGAL_KINDS:
        if re.search(pattern, low):
            return [kind], [helix]
    return ["OtherOrganisation"], []


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", plain(text)).strip("-")[:80] or "x"


def read(path: Path, problems: Problems) -> Extract:
    table = path / "StructuralFundsNL2007NOW.csv.gz" if path.is_dir() else path
    if not table.exists():
        raise FileNotFoundError(f"{table}: file not found")
    ops: list[dict[str, str]] = []
    orgs: dict[str, Org] = {}
    counts = {"operations": 0, "subsidy not stated": 0, "approval date not stated": 0}
    rows = 0
    for line, row in read_csv(table):
        rows += 1
        if rows == 1:
            missing = [c for c in COLUMNS.values() if c not in row]
            if missing:
                raise ValueError(f"{table}:1: missing column(s) {', '.join(missing)}")
        op = {k: row.get(v, "").strip() for k, v in COLUMNS.items()}
        op["line"] = str(line)

        def bad(key: str, problem: str, line: int = line) -> None:
            problems.add(table, line, COLUMNS[key], problem)

        if not op["beneficiary"]:
            bad("beneficiary", "is empty: every operation needs its beneficiary")
            continue
        if not op["title_nl"]:
            bad("title_nl", "is empty")
            continue
        if op["fund"] not in FUNDS:
            bad("fund", f"{op['fund']!r} is not EFRO or ESF")
            continue
        try:
            column = "amount"
            op["amount"] = str(dutch_amount(op["amount"])) if op["amount"] else ""
            for column in ("start", "end"):
                op[column] = dutch_date(op[column]) if op[column] else ""
        except ValueError as exc:
            bad(column, str(exc))
            continue
        counts["subsidy not stated"] += not op["amount"]
        counts["approval date not stated"] += not op["start"]
        key = "name:" + _slug(op["beneficiary"])
        if key not in orgs:
            kinds, helices = kind_of(op["beneficiary"])
            rec = Record(
                key,
                {},
                [(re.sub(r"\s+", " ", op["beneficiary"]), None)],
                country="NL",
                origin=f"{table}:{line}",
                default_iri=str(iri("org", "name-" + key[5:])),
            )
            orgs[key] = Org(rec, kinds, helices)
        op["org"] = key
        ops.append(op)
    counts["operations"] = len(ops)
    counts["beneficiaries"] = len(orgs)
    orgs[EC_KEY] = european_commission()
    source = DATASETS["nl-structural-funds"].iri

    def emit(out: Out, res: Resolution, places: Places) -> None:
        _emit(out, res, ops, source)

    return Extract(DATASETS["nl-structural-funds"], [table], orgs, rows, emit, problems, "", counts)


def _authority_key(text: str) -> str:
    return _slug(text)


def _emit(out: Out, res: Resolution, ops: list[dict[str, str]], source: str) -> None:
    ec = res.iri[EC_KEY]
    made: set[str] = set()
    spelling: dict[str, str] = {}  # authority slug → its first spelling ("Kansen voor WEst")
    for op in ops:
        nl, en = FUNDS[op["fund"]]
        auth = re.sub(r"\s+", " ", op["authority"]).strip()
        auth = spelling.setdefault(_authority_key(auth), auth) if auth else ""
        prog_id = f"sf-{nl.lower()}-2007-2013" + (f"-{_authority_key(auth)}" if auth else "")
        prog = str(iri("initiative", prog_id))
        if prog not in made:
            made.add(prog)
            suffix = f": {auth}" if auth else ""
            programme(
                out,
                prog,
                f"{en} 2007-2013 (Netherlands){suffix}",
                f"{nl} 2007-2013 (Nederland){suffix}",
                source,
            )
            out.add(prog, HX.startDate, out.typed("2007", XSD.gYear))
            out.add(prog, HX.endDate, out.typed("2013", XSD.gYear))
            if auth:
                out.add(prog, HX.partOf, str(iri("initiative", f"sf-{nl.lower()}-2007-2013")))
                lead = res.lookup_name(auth, "NL")
                if lead:
                    out.add(lead, HX.leads, prog)
                    out.add(lead, HX.participatesIn, prog)
                parent = str(iri("initiative", f"sf-{nl.lower()}-2007-2013"))
                if parent not in made:
                    made.add(parent)
                    programme(
                        out,
                        parent,
                        f"{en} 2007-2013 (Netherlands)",
                        f"{nl} 2007-2013 (Nederland)",
                        source,
                    )
        digest = hashlib.sha1(
            "\x1f".join(
                (op["fund"], op["beneficiary"], op["title_nl"], op["start"], op["amount"])
            ).encode()
        ).hexdigest()[:16]
        s = str(iri("initiative", f"sf-{digest}"))
        org = res.iri[op["org"]]
        out.add(s, RDF.type, HX.Initiative)
        out.add(s, RDF.type, HX.Project)
        out.add(s, PROV.wasDerivedFrom, source)
        out.add(s, SKOS.prefLabel, out.text(op["title_nl"], "nl"))
        out.add(s, RDFS.label, out.text(op["title_nl"], "nl"))
        if op["title_en"]:
            out.add(s, SKOS.prefLabel, out.text(op["title_en"], "en"))
            out.add(s, RDFS.label, out.text(op["title_en"], "en"))
        if op["summary"]:
            out.add(s, DCTERMS.description, out.text(op["summary"], "nl"))
        for key, prop in (("start", HX.startDate), ("end", HX.endDate)):
            if op[key]:
                out.add(s, prop, out.typed(op[key], XSD.date))
        out.add(s, HX.partOf, prog)
        out.add(org, HX.participatesIn, s)
        out.add(org, HX.leads, s)
        a = str(iri("award", f"sf-{digest}"))
        out.add(a, RDF.type, HX.FundingAward)
        out.add(a, PROV.wasDerivedFrom, source)
        out.add(a, HX.funder, ec)
        out.add(a, HX.recipient, org)
        out.add(a, HX.programme, prog)
        out.add(a, HX.purpose, out.text(op["title_nl"], "nl"))
        if op["amount"]:
            out.add(a, HX.amount, out.typed(op["amount"], XSD.decimal))
            out.add(a, HX.currency, out.text("EUR"))
        if op["start"]:
            out.add(a, HX.awardDate, out.typed(op["start"], XSD.date))
