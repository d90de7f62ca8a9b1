"""Where the shared external data lives: ``$HELIXGRAPH_SHARED``, else ``../shared`` from the
project root, else ``/work/shared`` (the workplace's copy, for checkouts made elsewhere)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    env = os.environ.get("HELIXGRAPH_SHARED")
    candidates = ([Path(env)] if env else []) + [ROOT.parent / "shared", Path("/work/shared")]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate.resolve()
    return candidates[0]


SHARED = shared_dir()
