"""The Jinja2 templates of the HTML pages (``api/templates``), the static files' folder, and
the path the app is served under.

Behind a proxy that serves the app under a path (``https://example.org/observatory/``,
``helixgraph serve --root-path /observatory``; docs/deployment.md), every link a page, a
JSON answer or a script makes starts with :func:`root_path`: the templates get it as
``root`` (``href="{{ root }}/map"``) and the scripts read it from ``<html data-root>``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.requests import Request

from helixgraph.maps.kinds import UNNAMED_LABEL
from helixgraph.maps.style import euros

API_DIR = Path(__file__).parent
STATIC_DIR = API_DIR / "static"


def root_path(request: Request) -> str:
    """The path the app is served under: ``""`` at a host's root, ``"/observatory"``
    under a prefix (ASGI's ``root_path``: uvicorn's ``--root-path``)."""
    return str(request.scope.get("root_path") or "").rstrip("/")


def _root(request: Request) -> dict[str, Any]:
    return {"root": root_path(request)}


templates = Jinja2Templates(directory=API_DIR / "templates", context_processors=[_root])


def money(amount: object, currency: str) -> str:
    """A card's amount, short: ``6559519000, "EUR"`` → ``€6.56bn``."""
    value = float(str(amount))
    return euros(value) if currency == "EUR" else f"{value:,.0f} {currency}"


templates.env.filters["money"] = money
templates.env.filters["count"] = lambda n: f"{int(n):,}"
# a participant the sources name nowhere (the importers label it "PIC 123456789")
templates.env.tests["unnamed"] = lambda label: bool(UNNAMED_LABEL.fullmatch(str(label or "")))
