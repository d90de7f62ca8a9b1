"""Where the data files are: ``$HELIXGRAPH_DATA``, else the shipped ``data/``."""

from __future__ import annotations

import os
from pathlib import Path

from helixgraph.shipped import folder


def data_dir() -> Path:
    """``$HELIXGRAPH_DATA``, else the shipped ``data/`` (the repository's, in a clone)."""
    env = os.environ.get("HELIXGRAPH_DATA")
    return Path(env) if env else folder("data")


def gazetteer_file(data: Path | None = None) -> Path:
    """The shipped gazetteer of Dutch places (``data/regional/nl_places.csv.gz``)."""
    return (data or data_dir()) / "regional" / "nl_places.csv.gz"
