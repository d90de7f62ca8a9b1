"""The reconciliation protocol's documents: reading a query batch and a data extension
query (every fault a :class:`~api.problems.ProblemDetail` 400 that names the query and
the field), the types and properties the service offers, and the extension's answer."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from helixgraph.catalog.names import ORGANISATION, NameIndex
from helixgraph.catalog.terms import VOCAB
from helixgraph.matching import ID_SCHEMES, PROPERTIES, Constraint, Query, country_code

from ..problems import ProblemDetail

Json = dict[str, Any]
MAX_BATCH = 1000  # queries in one batch (the manifest's batchSize)
MAX_LIMIT = 100  # candidates per query
DEFAULT_LIMIT = 5
MAX_EXTEND_IDS = 1000
MAX_TEXT = 500  # characters of a query string

TYPE_NAMES: dict[str, str] = {
    ORGANISATION: "Organisation",
    **{slug: slug.replace("_", " ").capitalize() for slug in VOCAB["org_kind"]},
}
SCHEME_NAMES = {
    "ror": "ROR ID",
    "pic": "PIC (EU participant identification code)",
    "wikidata": "Wikidata QID",
    "grid": "GRID ID",
    "isni": "ISNI",
    "fundref": "Crossref Funder ID",
    "kvk": "KvK number",
}
PROPERTY_NAMES: dict[str, str] = {
    "country": "Country (ISO 3166 code or name)",
    "city": "City",
    **{s: SCHEME_NAMES[s] for s in ID_SCHEMES},
}
EXTEND_PROPERTIES: dict[str, str] = {
    **{s: SCHEME_NAMES[s] for s in ID_SCHEMES},
    "kind": "Kinds of organisation",
    "helix": "Helices (academia, industry, government, civil society)",
    "place": "Place",
    "country": "Country (ISO 3166 code)",
    "partners": "Number of partners",
}
QUERY_KEYS = {"query", "type", "limit", "properties", "type_strict"}


def bad(where: str, message: str) -> ProblemDetail:
    return ProblemDetail(400, "Bad reconciliation query", f"{where}: {message}")


def type_ref(slug: str) -> Json:
    ref: Json = {"id": slug, "name": TYPE_NAMES[slug]}
    if slug != ORGANISATION:
        ref["broader"] = [{"id": ORGANISATION, "name": TYPE_NAMES[ORGANISATION]}]
    return ref


def load_json(raw: str, field: str) -> Any:
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise bad(field, f"not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None


def parse_queries(raw: str) -> dict[str, Query]:
    """A reconciliation query batch (JSON object: query id → query) as matcher queries."""
    batch = load_json(raw, "queries")
    if not isinstance(batch, dict):
        raise bad("queries", 'a batch is a JSON object of queries by id, e.g. {"q0": {…}}')
    if len(batch) > MAX_BATCH:
        raise bad("queries", f"{len(batch)} queries in one batch; at most {MAX_BATCH} (batchSize)")
    return {qid: parse_query(f"queries.{qid}", q) for qid, q in batch.items()}


def parse_query(where: str, q: Any) -> Query:
    if not isinstance(q, dict):
        raise bad(where, "a query is a JSON object with query, type, limit, properties")
    unknown = set(q) - QUERY_KEYS
    if unknown:
        raise bad(
            where, f"unknown field {sorted(unknown)[0]!r} (one of {', '.join(sorted(QUERY_KEYS))})"
        )
    text = q.get("query", "")
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        raise bad(f"{where}.query", f"a string of at most {MAX_TEXT} characters")
    types = q.get("type", [])
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise bad(f"{where}.type", "a type id or a list of type ids")
    for t in types:
        if t not in TYPE_NAMES:
            raise bad(f"{where}.type", f"unknown type {t!r} (see /reconcile/suggest/type)")
    limit = q.get("limit", DEFAULT_LIMIT)
    if (
        isinstance(limit, bool)
        or not isinstance(limit, int | float)
        or not math.isfinite(limit)
        or limit != int(limit)
    ):
        raise bad(f"{where}.limit", "a positive integer")
    if not 1 <= limit <= MAX_LIMIT:
        raise bad(f"{where}.limit", f"between 1 and {MAX_LIMIT}, not {limit}")
    strict = q.get("type_strict", "any")
    if strict not in ("any", "all", "should"):
        raise bad(f"{where}.type_strict", "one of any, all, should")
    constraints = parse_properties(f"{where}.properties", q.get("properties", []))
    if not text.strip() and not constraints:
        raise bad(where, "give a query string or properties (or both)")
    wanted = frozenset(t for t in types if t != ORGANISATION)
    return Query(text, wanted, tuple(constraints), int(limit))


def parse_properties(where: str, props: Any) -> list[Constraint]:
    if not isinstance(props, list):
        raise bad(where, "a list of {pid, v} objects")
    out = []
    for n, p in enumerate(props):
        at = f"{where}[{n}]"
        if not isinstance(p, dict) or "pid" not in p or "v" not in p:
            raise bad(at, "an object with pid and v")
        pid = p["pid"]
        if pid not in PROPERTIES:
            raise bad(f"{at}.pid", f"unknown property {pid!r} (one of {', '.join(PROPERTIES)})")
        values = p["v"] if isinstance(p["v"], list) else [p["v"]]
        texts = []
        for v in values:
            if isinstance(v, dict) and isinstance(v.get("id"), str):
                texts.append(v["id"])
            elif isinstance(v, str | int | float) and not isinstance(v, bool):
                texts.append(str(v))
            else:
                raise bad(f"{at}.v", "a string, a number, an {id, name} object, or a list of them")
        if pid == "country":
            for v in texts:
                if country_code(v) is None:
                    raise bad(f"{at}.v", f"{v!r} is neither an ISO 3166 code nor a known country")
        if texts:
            out.append(Constraint(pid, tuple(texts)))
    return out


def parse_extend(raw: str) -> tuple[list[str], list[str]]:
    """A data extension query: ``{"ids": [...], "properties": [{"id": ...}, ...]}``."""
    doc = load_json(raw, "extend")
    if not isinstance(doc, dict):
        raise bad("extend", "an object with ids and properties")
    ids, props = doc.get("ids"), doc.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise bad("extend.ids", "a list of organisation ids")
    if len(ids) > MAX_EXTEND_IDS:
        raise bad("extend.ids", f"{len(ids)} ids; at most {MAX_EXTEND_IDS}")
    if not isinstance(props, list) or not all(
        isinstance(p, dict) and isinstance(p.get("id"), str) for p in props
    ):
        raise bad("extend.properties", "a list of {id} objects")
    names = [p["id"] for p in props]
    for n, pid in enumerate(names):
        if pid not in EXTEND_PROPERTIES:
            raise bad(
                f"extend.properties[{n}].id",
                f"unknown property {pid!r} (one of {', '.join(EXTEND_PROPERTIES)})",
            )
    return ids, names


def extension(
    index: NameIndex,
    ids: list[str],
    props: list[str],
    partners: Callable[[list[str]], dict[str, int]],
) -> Json:
    """The data extension response: for each id, each property's values."""
    known = [i for i in ids if i in index.matcher.by_id]
    counts = partners(known) if "partners" in props else {}
    rows: Json = {}
    for ident in ids:
        e = index.matcher.by_id.get(ident)
        row: Json = {}
        for pid in props:
            if e is None:
                row[pid] = []
            elif pid in ID_SCHEMES:
                row[pid] = [{"str": v} for v in sorted(e.ids.get(pid, ()))]
            elif pid == "kind":
                row[pid] = [{"str": k} for k in index.kinds.get(ident, [])]
            elif pid == "helix":
                row[pid] = [{"str": h} for h in index.helices.get(ident, [])]
            elif pid == "place":
                row[pid] = [{"str": p} for p in index.places.get(ident, [])]
            elif pid == "country":
                row[pid] = [{"str": e.country}] if e.country else []
            else:  # partners
                row[pid] = [{"int": counts.get(ident, 0)}]
        rows[ident] = row
    return {"meta": [{"id": p, "name": EXTEND_PROPERTIES[p]} for p in props], "rows": rows}
