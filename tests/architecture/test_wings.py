"""The wings' rules (docs/architecture.md): import contracts, one place for IRIs, small modules."""

from __future__ import annotations

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


def test_only_vocab_spells_iris_and_prefix_blocks() -> None:
    namespaces = sorted(set(PREFIXES.values()) | {"https://w3id.org/helixgraph/"}, key=len)
    prefix_line = re.compile(r"PREFIX\s+\w*:\s*<")
    found = []
    for path in CODE:
        if LIBRARY / "vocab" in path.parents:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if prefix_line.search(line) or any(ns in line for ns in namespaces):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:90]}")
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
