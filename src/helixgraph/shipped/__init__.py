"""What ships with helixgraph: the ontology and the ecosystem data.

An installed wheel carries them inside this package (``helixgraph/shipped/{ontology,data}``);
a clone (editable install) reads ``ontology/`` and ``data/`` at the repository root.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["folder", "installed"]


def installed() -> bool:
    """True when helixgraph runs from an installed wheel, False in a clone."""
    return Path(str(files(__name__) / "data")).is_dir()


def folder(name: str) -> Path:
    """The shipped folder ``name`` (``"ontology"`` or ``"data"``) as a file-system path."""
    if installed():
        return Path(str(files(__name__) / name))
    return Path(__file__).resolve().parents[3] / name  # a clone: the repository's folder
