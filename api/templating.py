"""The Jinja2 templates of the HTML pages (``api/templates``) and the static files' folder."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from helixgraph.maps.style import euros

API_DIR = Path(__file__).parent
STATIC_DIR = API_DIR / "static"
templates = Jinja2Templates(directory=API_DIR / "templates")


def money(amount: object, currency: str) -> str:
    """A card's amount, short: ``6559519000, "EUR"`` → ``€6.56bn``."""
    value = float(str(amount))
    return euros(value) if currency == "EUR" else f"{value:,.0f} {currency}"


templates.env.filters["money"] = money
templates.env.filters["count"] = lambda n: f"{int(n):,}"
