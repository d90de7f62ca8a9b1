"""What an entity's HTML page shows, from its record: the record of its type
(:func:`helixgraph.catalog.organisation` ...), or, for the nodes without one (posts,
figures, link evidence, import runs), its statements; plus funding by year and a
timeline. Every fact keeps the ids of the sources that state it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from helixgraph import catalog
from helixgraph.catalog.facts import all_sources, labels, outgoing, ref
from helixgraph.catalog.listing import UnknownId
from helixgraph.catalog.terms import SEGMENT_TYPE, SLUG, literal_value
from helixgraph.vocab.iris import ID

Json = dict[str, Any]
RECORDS: dict[str, Callable[[ox.Store, str], Json]] = {
    "organisation": catalog.organisation,
    "initiative": catalog.initiative,
    "place": catalog.place,
    "source": catalog.source,
    "person": catalog.person,
    "award": catalog.award,
}


def entity_iri(segment: str, ident: str) -> str:
    """The IRI the graph mints for ``/id/{segment}/{ident}``; UnknownId if malformed."""
    if not SLUG.fullmatch(ident) or not SLUG.fullmatch(segment):
        raise UnknownId(segment, ident)
    return f"{ID}{segment}/{ident}"


def page(store: ox.Store, segment: str, ident: str) -> Json:
    """The page model of ``/id/{segment}/{ident}``: ``{"record", "statements",
    "funding_by_year", "timeline"}``; UnknownId when the graph says nothing about it."""
    iri = entity_iri(segment, ident)
    type_ = SEGMENT_TYPE.get(segment)
    if type_ in RECORDS:
        record = RECORDS[type_](store, ident)
    else:
        record = {"type": type_ or segment, "id": ident, "iri": iri, "label": ident}
    facts = outgoing(store, [iri]).get(iri, {})
    if not facts and type_ not in RECORDS:
        raise UnknownId(type_ or segment, ident)
    names = labels(
        store,
        [f.value.value for fs in facts.values() for f in fs if isinstance(f.value, ox.NamedNode)]
        + list(facts),
    )
    statements = [
        {
            "property": ref(pred, names.get(pred)),
            "value": ref(f.value.value, names.get(f.value.value))
            if isinstance(f.value, ox.NamedNode)
            else {"text": str(literal_value(f.value)), "lang": f.lang},
            "sources": f.sources,
        }
        for pred, fs in sorted(facts.items())
        for f in fs
    ]
    record.setdefault("sources", all_sources(facts))
    return {
        "record": record,
        "statements": statements,
        "funding_by_year": funding_by_year(record),
        "timeline": timeline(record),
    }


def funding_by_year(record: Json) -> list[Json]:
    """Amounts received and given per year and currency: ``[{year, received, given,
    currency, awards}]``, oldest first (awards without a date under ``"undated"``)."""
    rows: dict[tuple[str, str], Json] = {}
    for side in ("received", "given"):
        for award in record.get(f"funding_{side}", []):
            year = str(award.get("date") or "undated")[:4]
            currency = award.get("currency") or ""
            row = rows.setdefault(
                (year, currency),
                {"year": year, "currency": currency, "received": 0.0, "given": 0.0, "awards": 0},
            )
            row[side] += float(award.get("amount") or 0)
            row["awards"] += 1
    return [rows[k] for k in sorted(rows, key=lambda k: (k[0] == "undated", k))]


def timeline(record: Json) -> list[Json]:
    """Dated events of the record, oldest first: founding, start and end, awards,
    figures, each with its sources."""
    events: list[Json] = []

    def add(date: object, text: str, sources: list[str]) -> None:
        if date:
            events.append({"date": str(date), "text": text, "sources": sources})

    add(record.get("founded"), "founded", record.get("sources", []))
    add(record.get("start"), "starts", record.get("sources", []))
    add(record.get("end"), "ends", record.get("sources", []))
    add(record.get("date"), "dated", record.get("sources", []))
    for side, verb in (("received", "received from"), ("given", "given to")):
        by_year: dict[str, list[Json]] = defaultdict(list)
        for award in record.get(f"funding_{side}", []):
            if award.get("date"):
                by_year[str(award["date"])[:4]].append(award)
        for year, awards in by_year.items():
            others = sorted(
                {
                    (a.get("funder" if side == "received" else "recipient") or {}).get("label", "?")
                    for a in awards
                }
            )
            money = _amounts(awards)
            who = ", ".join(others[:3]) + (
                f" and {len(others) - 3} more" if len(others) > 3 else ""
            )
            add(
                year,
                f"{len(awards)} award(s) {verb} {who}{money}",
                sorted({s for a in awards for s in a.get("sources", [])}),
            )
    for fig in record.get("figures", []):
        measure = (fig.get("measure") or {}).get("id", "figure")
        add(
            fig.get("year"),
            f"{measure}: {fig.get('value')} {fig.get('unit') or ''}".strip(),
            fig.get("sources", []),
        )
    return sorted(events, key=lambda e: e["date"])


def _amounts(awards: list[Json]) -> str:
    """`` (1,234 EUR)``: the summed amounts of the awards that state one, per currency."""
    sums: dict[str, float] = defaultdict(float)
    for a in awards:
        if a.get("amount"):
            sums[a.get("currency") or ""] += float(a["amount"])
    text = ", ".join(f"{v:,.0f} {c}".strip() for c, v in sorted(sums.items()))
    return f" ({text})" if text else ""
