"""Benchmark: the import commands as a user runs them, before and after the fast-import work.

Runs, each as its own ``helixgraph`` process on one fresh store (HELIXGRAPH_STORE in a
temporary folder, HELIXGRAPH_NO_PRECOMPUTE=1):

1. ``helixgraph build -q --seed-only``
2. ``helixgraph import ror <shared>/ror``                          (ROR, the Netherlands)
3. ``helixgraph import cordis-h2020 <h2020.csv.gz> --region seed-regions``
4. ``helixgraph import cordis-h2020 <h2020.csv.gz>``               (the whole table; it
   replaces step 3's graph of the same name)

and prints, per step, the wall time, the CPU time (user + system, of the process and its
children: the figure to compare on a shared machine), the peak resident memory of the
process, the load average when the step ended, the quads in the store and the step's own
breakdown (the ``seconds`` row of the import report).

``--save FILE`` writes the figures as JSON; ``--before FILE`` prints them beside a saved
run. ``benchmarks/imports_before.json`` holds the figures of main's code path (commit
b8ed203, measured with this script in the imports worktree before any change), so

    .venv/bin/python benchmarks/imports.py --before benchmarks/imports_before.json

prints before | after. ``benchmarks/imports_session_start.json`` holds the figures with CPU
time of commit 4ddd350 (before the swap let Oxigraph write the merge), without step 4;
``--skip-whole`` leaves step 4 out. Not a test; run it by hand (it needs the project's
shared data).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HELIXGRAPH = Path(sys.executable).with_name("helixgraph")


def steps(shared: Path) -> list[tuple[str, list[str]]]:
    h2020 = str(shared / "cordis_h2020_eunets" / "h2020.csv.gz")
    return [
        ("seed-only build", ["build", "-q", "--seed-only"]),
        ("import ROR NL", ["import", "ror", str(shared / "ror")]),
        (
            "import H2020 --region seed-regions",
            ["import", "cordis-h2020", h2020, "--region", "seed-regions"],
        ),
        ("import whole H2020", ["import", "cordis-h2020", h2020]),
    ]


def run(args: list[str], env: dict[str, str]) -> dict[str, object]:
    """Run one command; its wall time, CPU time and peak RSS (from wait4), the load average
    and its report figures."""
    t = time.perf_counter()
    proc = subprocess.Popen(
        [str(HELIXGRAPH), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"helixgraph {' '.join(args)} failed:\n{output}")
    quads = re.search(r"quads in the store\s*│\s*(\d+)", output)
    breakdown = re.search(r"│ seconds\s*│\s*([^│]+?)\s*│", output)
    return {
        "wall_s": round(wall, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "user_s": round(usage.ru_utime, 1),
        "sys_s": round(usage.ru_stime, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "load_1min": round(os.getloadavg()[0], 1),
        "quads": int(quads[1]) if quads else None,
        "breakdown": breakdown[1] if breakdown else "",
    }


def measure(shared: Path, *, whole: bool = True) -> dict[str, dict[str, object]]:
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(
            os.environ,
            HELIXGRAPH_STORE=str(Path(tmp) / "store"),
            HELIXGRAPH_NO_PRECOMPUTE="1",
            COLUMNS="400",  # the report table on one line per row
        )
        for label, args in steps(shared)[: None if whole else 3]:
            results[label] = run(args, env)
            print(f"{label}: {results[label]}", file=sys.stderr)
    return results


def table(after: dict[str, dict[str, object]], before: dict[str, dict[str, object]]) -> str:
    head = ("step", "before: wall", "CPU", "peak RSS", "after: wall", "CPU", "peak RSS", "load")
    head += ("quads",)
    rows = [head]

    def cpu(x: dict[str, object]) -> str:
        return f"{x['cpu_s']} s" if x.get("cpu_s") is not None else "-"

    for label, a in after.items():
        b = before.get(label, {})
        rows.append(
            (
                label,
                f"{b['wall_s']} s" if b else "-",
                cpu(b),
                f"{b['peak_rss_mb']} MB" if b else "-",
                f"{a['wall_s']} s",
                cpu(a),
                f"{a['peak_rss_mb']} MB",
                str(a.get("load_1min", "-")),
                f"{b.get('quads') or '-'} → {a['quads'] or '-'}" if b else str(a["quads"]),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "-|-".join("-" * w for w in widths))
    lines.append("")
    for label, a in after.items():
        b = before.get(label, {})
        if b.get("breakdown"):
            lines.append(f"{label}, before: {b['breakdown']}")
        if a["breakdown"]:
            lines.append(f"{label}, after:  {a['breakdown']}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path("/work/shared/data"))
    ap.add_argument("--save", type=Path, help="write the figures as JSON here")
    ap.add_argument("--before", type=Path, help="a saved run to print beside this one")
    ap.add_argument(
        "--skip-whole", action="store_true", help="leave out step 4 (the whole H2020 table)"
    )
    args = ap.parse_args()
    after = measure(args.shared, whole=not args.skip_whole)
    if args.save:
        args.save.write_text(json.dumps(after, indent=2) + "\n")
    before = json.loads(args.before.read_text()) if args.before else {}
    print(f"{os.cpu_count()} cores; each step one `helixgraph` process on one fresh store")
    print(table(after, before))


if __name__ == "__main__":
    main()
