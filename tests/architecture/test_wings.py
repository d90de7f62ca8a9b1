"""The wings' rules (docs/architecture.md): import contracts, one place for IRIs, small modules."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

from helixgraph.vocab.namespace import PREFIXES

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "src" / "helixgraph"
CODE = [*LIBRARY.rglob("*.py"), *(ROOT / "api").rglob("*.py")]
MAX_LINES = 450
LONG_REASON = "# long module:"  # a module over MAX_LINES states why on a line like this


def test_import_contracts_are_kept() -> None:
    lint = shutil.which("lint-imports") or str(Path(__file__).parents[2] / ".venv/bin/lint-imports")
    run = subprocess.run(
        [lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout or "broken" not in run.stdout.split("Contracts:")[-1]


def _code_strings(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module (f-string parts included), docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_only_vocab_spells_iris_and_prefix_blocks() -> None:
    namespaces = set(PREFIXES.values()) | {"https://w3id.org/helixgraph/"}
    prefix_line = re.compile(r"PREFIX\s+\w*:\s*(<|$)")
    found = []
    for path in CODE:
        if LIBRARY / "vocab" in path.parents:
            continue
        for line, text in _code_strings(path):
            if prefix_line.search(text) or any(ns in text for ns in namespaces):
                found.append(f"{path.relative_to(ROOT)}:{line}: {text.strip()[:90]!r}")
    assert not found, "IRIs or PREFIX text outside vocab/:\n" + "\n".join(found)


def test_modules_are_small_or_say_why() -> None:
    long = [
        f"{p.relative_to(ROOT)}: {n} lines"
        for p in CODE
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        and LONG_REASON not in p.read_text(encoding="utf-8")
    ]
    assert not long, f"modules over {MAX_LINES} lines without a stated reason: {long}"


def test_few_modules_at_the_top_of_the_library() -> None:
    top = sorted(p.name for p in LIBRARY.glob("*.py"))
    assert top == ["__init__.py", "__main__.py"], top
