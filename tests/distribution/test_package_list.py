"""pyproject.toml lists the packages by hand (api/ installs as helixgraph_api): every folder
with an ``__init__.py`` is listed, so a new wing cannot be left out of the wheel."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def folders(root: Path, name: str) -> set[str]:
    return {
        ".".join([name, *init.parent.relative_to(root).parts])
        for init in root.rglob("__init__.py")
        if "__pycache__" not in init.parts
    }


def test_every_package_folder_is_listed() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    listed = set(project["packages"])
    found = folders(ROOT / "src" / "helixgraph", "helixgraph") | folders(
        ROOT / "api", "helixgraph_api"
    )
    assert found - listed == set(), "folders missing from [tool.setuptools] packages"
    shipped = {"helixgraph.shipped.ontology", "helixgraph.shipped.data"}
    assert listed - found == shipped
    assert project["package-dir"] == {
        "": "src",
        "helixgraph_api": "api",
        "helixgraph.shipped.ontology": "ontology",
        "helixgraph.shipped.data": "data",
    }
