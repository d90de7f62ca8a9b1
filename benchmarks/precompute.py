"""Benchmark: the build's precompute of the default views, code against code, in one run.

Copies the build behind ``--store`` (without its analytics) once per run into a scratch
folder and times ``helixgraph analytics precompute`` on the copy: wall time, CPU time
(user + system) and peak memory of the process, and the seconds of each kind of task the
precompute journals (``complete.json``). ``--before SRC`` also runs the code of another
``src`` folder (e.g. an exported older revision: ``git archive REV src | tar -x -C DIR``)
with the same interpreter, for a side-by-side table, and says whether the two runs stored
the same results (every metric, projection and payload file, byte for byte). Prints a
table and the load average (the machine may be shared); not a test.

    python benchmarks/precompute.py --store /tmp/default/store [--before /tmp/old/src]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

SRC = Path(__file__).resolve().parents[1] / "src"
DONE, PLAN = "complete.json", "plan.json"  # the run's journal, not its results


def copy_build(store: Path, scratch: Path) -> Path:
    """``store`` (a link to its build directory) copied without its analytics."""
    build = store.resolve()
    builds = scratch / "store.builds"
    builds.mkdir(parents=True)
    shutil.copytree(build, builds / build.name, ignore=shutil.ignore_patterns("analytics"))
    link = scratch / "store"
    link.symlink_to(builds / build.name)
    return link


def run(store: Path, src: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="hg-precompute-") as tmp:
        link = copy_build(store, Path(tmp))
        env = dict(os.environ, PYTHONPATH=str(src), HELIXGRAPH_NO_PRECOMPUTE="1")
        env["HELIXGRAPH_CACHE"] = str(Path(tmp) / "cache")
        argv = [sys.executable, "-m", "helixgraph", "analytics", "precompute", "-q"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([*argv, "--store", str(link)], env=env, check=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = next((link.resolve() / "analytics").glob(f"*/{DONE}"))
        computed: dict[str, float] = json.loads(done.read_text())["computed"]
        plan = json.loads((done.parent / PLAN).read_text())
        names = {key: key.rsplit("-", 1)[0] for key in plan}
        by_kind: dict[str, float] = defaultdict(float)
        for key, seconds in computed.items():
            by_kind[names.get(key, key)] += seconds
        results = {
            path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(done.parent.iterdir())
            if path.suffix in (".json", ".bin") and path.name not in (DONE, PLAN)
        }
        return {
            "results": results,
            "wall": wall,
            "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "rss_mib": after.ru_maxrss / 1024,
            "tasks": len(computed),
            "by_kind": dict(by_kind),
        }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--before", type=Path, help="another src folder to run first")
    args = ap.parse_args()
    runs: dict[str, dict[str, Any]] = {}
    if args.before:
        print(f"running the code of {args.before} ...", file=sys.stderr, flush=True)
        runs["before"] = run(args.store, args.before)
    print(f"running the code of {SRC} ...", file=sys.stderr, flush=True)
    runs["after"] = run(args.store, SRC)
    print(f"precompute of the default views of {args.store} ({os.cpu_count()} CPUs)")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if "before" in runs:
        a, b = runs["before"]["results"], runs["after"]["results"]
        differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        same = len(a.keys() & b.keys()) - len([k for k in differ if k in a and k in b])
        print(f"results byte for byte: {same} files the same, {len(differ)} differ {differ[:6]}")
    cols = list(runs)
    print(f"{'':28}" + "".join(f"{c:>12}" for c in cols))
    rows = [("wall time (s)", "wall"), ("CPU time (s)", "cpu"), ("peak RSS (MiB)", "rss_mib")]
    for label, key in rows:
        print(f"{label:28}" + "".join(f"{runs[c][key]:>12.1f}" for c in cols))
    print(f"{'tasks computed':28}" + "".join(f"{runs[c]['tasks']:>12d}" for c in cols))
    kinds = sorted({k for r in runs.values() for k in r["by_kind"]})
    for kind in kinds:
        values = "".join(f"{runs[c]['by_kind'].get(kind, 0.0):>12.1f}" for c in cols)
        print(f"{'  ' + kind + ' (s)':28}{values}")


if __name__ == "__main__":
    main()
