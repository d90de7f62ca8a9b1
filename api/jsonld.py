"""JSON-LD views of the JSON resources: the same document with a published ``@context``.

The context (``/api/context.jsonld``, file ``api/static/context.jsonld``) maps the keys
to the ontology's terms, so that expanding a response gives the graph's own statements
about the node (names, kinds, helices, places, memberships, funding, figures, posts,
sources). Keys that are API conveniences (``href``, ``sources`` on single facts, link
evidence) have no term and drop out of the expansion. A few keys point the other way
depending on the resource (an organisation's ``posts`` are posts *in* it, a person's
are posts the person *holds*); each response's context adds those per type.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request

from .templating import root_path

MEDIA_TYPE = "application/ld+json"
CONTEXT_PATH = "/api/context.jsonld"
CONTEXT_FILE = Path(__file__).parent / "static" / "context.jsonld"

# per response model: keys whose meaning depends on the type of the node
OVERRIDES: dict[str, dict[str, Any]] = {
    "Organisation": {"posts": {"@reverse": "hx:postIn"}},
    "Initiative": {"posts": {"@reverse": "hx:postIn"}},
    "Person": {"posts": {"@id": "org:holds"}},
    "Region": {"kind": {"@id": "rdf:type", "@type": "@vocab"}},
}


@cache
def context() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    return data


def wanted(accept: str | None) -> bool:
    """True when ``Accept`` ranks ``application/ld+json`` above ``application/json``."""
    if not accept:
        return False
    ranks: dict[str, float] = {}
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            name, _, val = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(val)
                except ValueError:
                    q = 0.0
        ranks[media.lower()] = q
    ld = ranks.get(MEDIA_TYPE, 0.0)
    return ld > 0 and ld >= ranks.get("application/json", 0.0)


def strip_nulls(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: strip_nulls(v) for k, v in data.items() if v is not None}
    if isinstance(data, list):
        return [strip_nulls(v) for v in data]
    return data


def document(request: Request, data: dict[str, Any], model: str) -> dict[str, Any]:
    """``data`` with its ``@context``: the published one plus this type's overrides."""
    url = str(request.url.replace(path=root_path(request) + CONTEXT_PATH, query=""))
    local = OVERRIDES.get(model)
    ctx: Any = [url, local] if local else url
    return {"@context": ctx, **strip_nulls(data)}
