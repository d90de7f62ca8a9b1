"""The Jinja2 templates of the HTML pages (``api/templates``) and the static files' folder."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

API_DIR = Path(__file__).parent
STATIC_DIR = API_DIR / "static"
templates = Jinja2Templates(directory=API_DIR / "templates")
