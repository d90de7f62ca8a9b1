"""What an entity's HTML page shows, from its record: the record of its type
(:func:`helixgraph.catalog.organisation` ...), or, for the nodes without one (posts,
figures, link evidence, import runs), its statements; plus funding by year and a
timeline. Every fact keeps the ids of the sources that state it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from helixgraph import catalog
from helixgraph.catalog.facts import all_sources, labels, outgoing, ref, select
from helixgraph.catalog.listing import UnknownId
from helixgraph.catalog.terms import SEGMENT_TYPE, SLUG, literal_value, source_of_graph
from helixgraph.vocab.iris import ID

Json = dict[str, Any]
AWARDS_SHOWN = 200  # a funder may have given thousands: the page lists this many
RECORDS: dict[str, Callable[[ox.Store, str], Json]] = {
    "organisation": lambda store, ident: catalog.organisation(store, ident, AWARDS_SHOWN),
    "initiative": catalog.initiative,
    "place": catalog.place,
    "source": catalog.source,
    "person": catalog.person,
    "award": catalog.award,
}


# ids are slugs, but builds and import runs are named by their time (``20261207T1423Z``)
IDENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def entity_iri(segment: str, ident: str) -> str:
    """The IRI the graph mints for ``/id/{segment}/{ident}``; UnknownId if malformed."""
    if not IDENT.fullmatch(ident) or not SLUG.fullmatch(segment):
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
    by_year = funding_by_year(store, iri)
    return {
        "record": record,
        "statements": statements,
        "funding_by_year": by_year,
        "timeline": timeline(record, by_year),
        "ego": ego(record),
    }


EGO_SIZE = 30  # the neighbours an ego map draws (the strongest-evidenced first)


def ego(record: Json) -> list[Json]:
    """The node's direct neighbours by stated relation (partners, collaborators, members,
    parents, units, places taken part in), placed on a circle around it for a small SVG
    map: ``[{node, relation, x, y}]`` in a 0..100 box, the node itself at (50, 50)."""
    seen: dict[str, Json] = {}
    for rel in record.get("relations", []):
        target = rel.get("target") or {}
        if target.get("iri") and target["iri"] not in seen:
            seen[target["iri"]] = {
                "node": target,
                "relation": rel["relation"],
                # organisations and quoted evidence first, then the most sources
                "weight": 2 * (target.get("type") == "organisation")
                + 2 * len(rel.get("evidence", []))
                + len(rel.get("sources", [])),
            }
    memberships = record.get("memberships") or {}
    lists = {
        "sub_organisation_of": record.get("parents"),
        "unit": record.get("units"),
        "member_of": memberships.get("member_of") or record.get("member_of"),
        "member": memberships.get("members"),
        "leads": record.get("leads"),
        "participates_in": record.get("participants"),
        "hosts": record.get("hosts"),
    }
    for relation, nodes in lists.items():
        for node in nodes or []:
            weight = 2 + len(node.get("sources", []))
            seen.setdefault(node["iri"], {"node": node, "relation": relation, "weight": weight})
    chosen = sorted(seen.values(), key=lambda n: (-n["weight"], n["node"].get("label", "")))
    chosen = chosen[:EGO_SIZE]
    for i, n in enumerate(chosen):
        angle = 2 * math.pi * i / max(1, len(chosen))
        radius = 30 if i % 2 else 40  # two rings, so neighbouring labels do not collide
        n["x"] = round(50 + radius * math.cos(angle), 2)
        n["y"] = round(50 + radius * math.sin(angle), 2)
        n["anchor"] = "start" if n["x"] > 52 else "end" if n["x"] < 48 else "middle"
    return chosen


# amounts per year, currency and side of the awards that name the node as recipient or
# programme ("received") or as funder ("given"), with the graphs that state them
FUNDING_BY_YEAR = """SELECT ?side ?year ?currency (SUM(?amount) AS ?total)
  (COUNT(DISTINCT ?award) AS ?awards) (GROUP_CONCAT(DISTINCT STR(?g); separator=" ") AS ?graphs)
WHERE {{
  VALUES (?side ?role) {{ ("received" hx:recipient) ("received" hx:programme) ("given" hx:funder) }}
  GRAPH ?g {{ ?award ?role <{iri}> }}
  OPTIONAL {{ ?award hx:awardDate ?date }}
  OPTIONAL {{ ?award hx:amount ?value }}
  OPTIONAL {{ ?award hx:currency ?c }}
  BIND(COALESCE(SUBSTR(STR(?date), 1, 4), "undated") AS ?year)
  BIND(COALESCE(STR(?c), "") AS ?currency)
  BIND(COALESCE(?value, 0) AS ?amount)
}} GROUP BY ?side ?year ?currency"""


def funding_by_year(store: ox.Store, iri: str) -> list[Json]:
    """Amounts received and given per year and currency: ``[{year, currency, received,
    given, awards_received, awards_given, sources}]``, oldest first (awards without a date
    last, as ``"undated"``). One aggregate query, however many awards there are."""
    rows: dict[tuple[str, str], Json] = {}
    for r in select(store, FUNDING_BY_YEAR.format(iri=iri)):
        year, currency, side = r["year"].value, r["currency"].value, r["side"].value
        row = rows.setdefault(
            (year, currency),
            {
                "year": year,
                "currency": currency,
                "received": 0.0,
                "given": 0.0,
                "awards_received": 0,
                "awards_given": 0,
                "sources": [],
            },
        )
        row[side] += float(r["total"].value) if "total" in r else 0.0
        row[f"awards_{side}"] += int(r["awards"].value)
        graphs = r["graphs"].value.split() if "graphs" in r else []
        row["sources"] = sorted(
            set(row["sources"]) | {s for g in graphs if (s := source_of_graph(g))}
        )
    return [rows[k] for k in sorted(rows, key=lambda k: (k[0] == "undated", k))]


def timeline(record: Json, by_year: list[Json]) -> list[Json]:
    """Dated events of the record, oldest first: founding, start and end, the awards of
    each year, figures; each with its sources."""
    events: list[Json] = []

    def add(date: object, text: str, sources: list[str]) -> None:
        if date:
            events.append({"date": str(date), "text": text, "sources": sources})

    add(record.get("founded"), "founded", record.get("sources", []))
    add(record.get("start"), "starts", record.get("sources", []))
    add(record.get("end"), "ends", record.get("sources", []))
    add(record.get("date"), "dated", record.get("sources", []))
    for row in by_year:
        if row["year"] == "undated":
            continue
        for side in ("received", "given"):
            n = row[f"awards_{side}"]
            if n:
                money = (
                    f" ({row[side]:,.0f} {row['currency']})".replace(" )", ")") if row[side] else ""
                )
                add(row["year"], f"{n} award{'s' if n > 1 else ''} {side}{money}", row["sources"])
    for fig in record.get("figures", []):
        measure = (fig.get("measure") or {}).get("id", "figure")
        add(
            fig.get("year"),
            f"{measure}: {fig.get('value')} {fig.get('unit') or ''}".strip(),
            fig.get("sources", []),
        )
    return sorted(events, key=lambda e: e["date"])
