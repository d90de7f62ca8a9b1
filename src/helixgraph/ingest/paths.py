"""Where the data files are: ``$HELIXGRAPH_DATA``, else ``data/`` at the repository root."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """``$HELIXGRAPH_DATA``, else ``data/`` at the repository root."""
    env = os.environ.get("HELIXGRAPH_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "data"


def gazetteer_file(data: Path | None = None) -> Path:
    """The shipped gazetteer of Dutch places (``data/regional/nl_places.csv.gz``)."""
    return (data or data_dir()) / "regional" / "nl_places.csv.gz"
