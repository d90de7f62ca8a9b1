"""The metrics package imports networkx and the standard library only (the design guide's layering)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import helixgraph.metrics

PACKAGE = Path(helixgraph.metrics.__file__).parent


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_metrics_import_only_networkx_and_stdlib() -> None:
    modules = sorted(PACKAGE.glob("*.py"))
    assert len(modules) >= 8
    for path in modules:
        foreign = {
            r
            for r in imported_roots(path)
            if r not in sys.stdlib_module_names
            and r not in {"networkx", "helixgraph", "__future__"}
        }
        assert not foreign, f"{path.name} imports {sorted(foreign)}"
        inner = {r for r in imported_roots(path) if r == "helixgraph"}
        if inner:
            text = path.read_text(encoding="utf-8")
            assert "helixgraph.metrics" in text and "helixgraph.network" not in text, path.name
