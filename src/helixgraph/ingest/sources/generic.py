"""Any CSV of organisations, links or funding awards, through a small TOML mapping file.

So that a cluster manager can bring their own spreadsheet::

    [dataset]                       # the source document every imported fact cites
    id = "twente-medtech-members"   # a slug; also the import graph's default name
    title = "Members of the Twente MedTech cluster, 2024"
    publisher = "Twente MedTech cluster"
    url = "https://example.org/members"
    licence = "https://creativecommons.org/publicdomain/zero/1.0/"
    language = "en"

    [organisations]                 # optional; file relative to PATH (a folder) or PATH itself
    file = "members.csv"
    key = "id"                      # column: the row's key, unique in the file
    name = "name"                   # column of the name (required)
    other_names = "other_name"      # optional column(s)
    kind = "kind"                   # column, or  kind_value = "firm"  (organisations.csv kinds)
    helix = "helix"                 # column, or  helix_value = "industry"
    city = "city"
    country_value = "NL"            # or  country = "country" (a column)
    website = "website"
    identifiers = { pic = "pic", kvk = "kvk", ror = "ror" }   # scheme → column

    [links]                         # optional
    file = "links.csv"
    subject = "from"                # a key of [organisations], "pic:…"/"ror:…"/…, or "org:{seed id}"
    relation = "relation"           # member_of, partner_of, collaborates_with,
                                    # sub_organisation_of or spin_off_of
    object = "to"

    [awards]                        # optional
    file = "awards.csv"
    funder = "funder"               # references as for links; funder optional
    recipient = "recipient"
    amount = "amount"               # digits with '.' as decimal point, or amount_format = "dutch"
    currency = "currency"           # column, or currency_value = "EUR"
    date = "date"                   # YYYY, YYYY-MM, YYYY-MM-DD, or date_format = "dd.mm.yyyy"

Every bad cell is reported as ``file:row: column: problem``.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import URIRef

from helixgraph.ingest.datasets import Dataset
from helixgraph.ingest.resolve import SCHEMES, IdentifierError, Record, Resolution, clean_id
from helixgraph.ingest.toolkit import (
    Extract,
    Org,
    Out,
    Places,
    Problems,
    dutch_amount,
    dutch_date,
    read_csv,
)
from helixgraph.vocab.namespace import HX, PROV, RDF, XSD, iri
from helixgraph.vocab.values import HELICES, ORG_KINDS, RELATIONS

ORG_RELATIONS = {k: v[0] for k, v in RELATIONS.items() if v[1] == ("org",) and v[2] == ("org",)}
ORG_RELATIONS["sub_organisation_of"] = RELATIONS["sub_organisation_of"][0]
ORG_RELATIONS["member_of"] = RELATIONS["member_of"][0]
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


class MappingError(ValueError):
    """The mapping file is wrong (names the file and the key)."""


@dataclass
class Ref:
    """A reference to an organisation in a links or awards row."""

    text: str
    file: Path
    line: int
    column: str


def _load(mapping: Path) -> dict[str, Any]:
    try:
        with mapping.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise MappingError(f"{mapping}: mapping file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{mapping}: not valid TOML: {exc}") from None


def _dataset(mapping: Path, conf: dict[str, Any]) -> Dataset:
    d = conf.get("dataset")
    if not isinstance(d, dict):
        raise MappingError(
            f"{mapping}: needs a [dataset] table (id, title, publisher, url, licence)"
        )
    for key in ("id", "title"):
        if not d.get(key):
            raise MappingError(f"{mapping}: [dataset] {key} is missing")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", d["id"]):
        raise MappingError(f"{mapping}: [dataset] id {d['id']!r} must be a lower-case slug")
    return Dataset(
        d["id"],
        d["title"],
        d.get("publisher", ""),
        d.get("url", ""),
        d.get("licence", ""),
        d.get("date", ""),
        d.get("note", ""),
        d.get("language", "en"),
    )


def _file(path: Path, section: dict[str, Any]) -> Path:
    if "file" in section:
        return (path if path.is_dir() else path.parent) / str(section["file"])
    return path


def _need(mapping: Path, section: str, conf: dict[str, Any], key: str) -> str:
    if not conf.get(key):
        raise MappingError(f"{mapping}: [{section}] {key} is missing")
    return str(conf[key])


def read(path: Path, mapping: Path, problems: Problems) -> Extract:
    conf = _load(mapping)
    dataset = _dataset(mapping, conf)
    orgs: dict[str, Org] = {}
    files: list[Path] = []
    rows = 0
    counts: dict[str, int] = {}
    if "organisations" in conf:
        section = conf["organisations"]
        f = _file(path, section)
        files.append(f)
        n = _read_orgs(f, mapping, section, dataset, orgs, problems)
        rows += n
        counts["organisations"] = len(orgs)
    links: list[tuple[Ref, URIRef, Ref]] = []
    if "links" in conf:
        section = conf["links"]
        f = _file(path, section)
        files.append(f)
        cols = [_need(mapping, "links", section, k) for k in ("subject", "relation", "object")]
        for line, row in read_csv(f):
            rows += 1
            rel = row.get(cols[1], "")
            if rel not in ORG_RELATIONS:
                problems.add(f, line, cols[1], f"{rel!r} is not one of {', '.join(ORG_RELATIONS)}")
                continue
            links.append(
                (
                    Ref(row.get(cols[0], ""), f, line, cols[0]),
                    ORG_RELATIONS[rel],
                    Ref(row.get(cols[2], ""), f, line, cols[2]),
                )
            )
        counts["links"] = len(links)
    awards: list[dict[str, Any]] = []
    if "awards" in conf:
        section = conf["awards"]
        f = _file(path, section)
        files.append(f)
        rows += _read_awards(f, mapping, section, awards, problems)
        counts["awards"] = len(awards)
    if not files:
        raise MappingError(f"{mapping}: map at least one of [organisations], [links], [awards]")
    for f in files:
        if not f.exists():
            raise FileNotFoundError(f"{f}: file not found")
    source = dataset.iri

    def emit(out: Out, res: Resolution, places: Places) -> None:
        def node(ref: Ref) -> str | None:
            found = _resolve_ref(ref.text, orgs, res)
            if found is None:
                problems.add(
                    ref.file,
                    ref.line,
                    ref.column,
                    f"{ref.text!r} is not an organisation of this file, an identifier "
                    "(pic:…, ror:…) or org:{id} of one in the store",
                )
            return found

        for s_ref, prop, o_ref in links:
            s, o = node(s_ref), node(o_ref)
            if s and o and s != o:
                out.add(s, prop, o)
        for a in awards:
            recipient = node(a["recipient"])
            funder = node(a["funder"]) if a["funder"].text else None
            if recipient is None or (a["funder"].text and funder is None):
                continue
            digest = hashlib.sha1(
                "\x1f".join(
                    (dataset.id, str(a["line"]), recipient, a["amount"], a["date"])
                ).encode()
            ).hexdigest()[:16]
            s = str(iri("award", f"{dataset.id}-{digest}"))
            out.add(s, RDF.type, HX.FundingAward)
            out.add(s, PROV.wasDerivedFrom, source)
            out.add(s, HX.recipient, recipient)
            if funder:
                out.add(s, HX.funder, funder)
            if a["amount"]:
                out.add(s, HX.amount, out.typed(a["amount"], XSD.decimal))
                out.add(s, HX.currency, out.text(a["currency"]))
            if a["date"]:
                kind = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(a["date"]), XSD.date)
                out.add(s, HX.awardDate, out.typed(a["date"], kind))

    return Extract(
        dataset, files, orgs, rows, emit, problems, "", counts, source_title=dataset.title
    )


def _read_orgs(
    f: Path,
    mapping: Path,
    sec: dict[str, Any],
    dataset: Dataset,
    orgs: dict[str, Org],
    problems: Problems,
) -> int:
    key_col = _need(mapping, "organisations", sec, "key")
    name_col = _need(mapping, "organisations", sec, "name")
    ids: dict[str, str] = sec.get("identifiers", {})
    for scheme in ids:
        if scheme not in SCHEMES:
            raise MappingError(
                f"{mapping}: [organisations] identifiers: unknown scheme "
                f"{scheme!r} (one of {', '.join(SCHEMES)})"
            )
    other = sec.get("other_names", [])
    other_cols = [other] if isinstance(other, str) else list(other)
    n = 0
    for line, row in read_csv(f):
        n += 1

        def bad(column: str, problem: str, line: int = line) -> None:
            problems.add(f, line, column, problem)

        key = row.get(key_col, "")
        if not key:
            bad(key_col, "is empty: every organisation needs its key")
            continue
        if f"{dataset.id}:{key}" in orgs:
            bad(key_col, f"key {key!r} is used twice")
            continue
        if not row.get(name_col):
            bad(name_col, "is empty")
            continue
        found: dict[str, str] = {}
        try:
            for scheme, col in ids.items():
                if row.get(col):
                    found[scheme] = clean_id(scheme, row[col])
        except IdentifierError as exc:
            bad(col, str(exc))
            continue
        kind = row.get(sec["kind"], "") if "kind" in sec else sec.get("kind_value", "")
        if kind not in ORG_KINDS:
            bad(sec.get("kind", "kind_value"), f"{kind!r} is not one of {', '.join(ORG_KINDS)}")
            continue
        helix = row.get(sec["helix"], "") if "helix" in sec else sec.get("helix_value", "")
        if helix and helix not in HELICES:
            bad(sec.get("helix", "helix_value"), f"{helix!r} is not one of {', '.join(HELICES)}")
            continue
        country = (
            row.get(sec["country"], "") if "country" in sec else sec.get("country_value", "")
        ).upper()
        names: list[tuple[str, str | None]] = [(row[name_col], None)]
        names += [(row[c], None) for c in other_cols if row.get(c)]
        rec = Record(
            f"{dataset.id}:{key}",
            found,
            names,
            country=country,
            origin=f"{f}:{line}",
            default_iri="" if found else str(iri("org", _slug(f"{dataset.id}-{key}"))),
        )
        orgs[rec.key] = Org(
            rec,
            [ORG_KINDS[kind]],
            [HELICES[helix]] if helix else [],
            city=row.get(sec.get("city", ""), ""),
            website=row.get(sec.get("website", ""), ""),
        )
    return n


def _read_awards(
    f: Path, mapping: Path, sec: dict[str, Any], awards: list[dict[str, Any]], problems: Problems
) -> int:
    rec_col = _need(mapping, "awards", sec, "recipient")
    n = 0
    for line, row in read_csv(f):
        n += 1
        if not row.get(rec_col):
            problems.add(f, line, rec_col, "is empty: an award needs its recipient")
            continue
        amount_col, date_col = sec.get("amount", ""), sec.get("date", "")
        amount, date = row.get(amount_col, ""), row.get(date_col, "")
        try:
            if amount:
                amount = str(
                    dutch_amount(amount)
                    if sec.get("amount_format") == "dutch"
                    else _decimal(amount)
                )
        except (ValueError, InvalidOperation):
            problems.add(f, line, amount_col, f"{amount!r} is not an amount")
            continue
        try:
            if date:
                date = dutch_date(date) if sec.get("date_format") == "dd.mm.yyyy" else _date(date)
        except ValueError:
            problems.add(f, line, date_col, f"{date!r} is not a date")
            continue
        currency = (
            row.get(sec["currency"], "") if "currency" in sec else sec.get("currency_value", "EUR")
        )
        if amount and not re.fullmatch(r"[A-Z]{3}", currency):
            problems.add(
                f,
                line,
                sec.get("currency", "currency_value"),
                f"{currency!r} is not an ISO 4217 code like EUR",
            )
            continue
        awards.append(
            {
                "line": line,
                "amount": amount,
                "date": date,
                "currency": currency,
                "recipient": Ref(row[rec_col], f, line, rec_col),
                "funder": Ref(row.get(sec.get("funder", ""), ""), f, line, sec.get("funder", "")),
            }
        )
    return n


def _decimal(text: str) -> Decimal:
    value = Decimal(text)
    if not value.is_finite() or value < 0:
        raise ValueError(text)
    return value


def _date(text: str) -> str:
    import datetime

    if not DATE.fullmatch(text):
        raise ValueError(text)
    if len(text) == 10:
        datetime.date.fromisoformat(text)
    return text


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _resolve_ref(text: str, orgs: dict[str, Org], res: Resolution) -> str | None:
    text = text.strip()
    for key in orgs:
        if key.split(":", 1)[1] == text:
            return res.iri[key]
    if ":" in text:
        scheme, value = text.split(":", 1)
        if scheme == "org" and res.index is not None:
            candidate = str(iri("org", value)) if re.fullmatch(r"[a-z0-9][a-z0-9-]*", value) else ""
            return candidate if candidate in res.index.nodes else None
        if scheme in SCHEMES:
            try:
                value = clean_id(scheme, value)
            except IdentifierError:
                return None
            for org in orgs.values():
                if org.record.ids.get(scheme) == value:
                    return res.iri[org.record.key]
            if res.index is not None:
                return res.index.by_id.get((scheme, value))
    return None
