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
import math
import os
import pickle
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx

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


def run(store: Path, src: Path, keep: Path | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="hg-precompute-") as tmp:
        link = copy_build(store, Path(tmp))
        env = dict(os.environ, PYTHONPATH=str(src), HELIXGRAPH_NO_PRECOMPUTE="1")
        # one string hash order for both runs: some results list sets of IRIs (triads), and
        # their order would differ between any two runs, of the same code too
        env["PYTHONHASHSEED"] = "0"
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
        if keep is not None:  # the results, to compare the runs' values (:func:`compare`)
            shutil.copytree(done.parent, keep, dirs_exist_ok=True)
        return {
            "results": results,
            "wall": wall,
            "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "rss_mib": after.ru_maxrss / 1024,
            "tasks": len(computed),
            "by_kind": dict(by_kind),
        }


def close(a: Any, b: Any, tolerance: float = 1e-9) -> bool:
    """Whether two JSON values are equal, floats to a relative ``tolerance`` (ARPACK's
    eigenvector differs in its last digits from one call to the next)."""
    if isinstance(a, float) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k], tolerance) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(close(x, y, tolerance) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def plain(value: Any) -> Any:
    """An unpickled value as plain data: a graph as its attributes, nodes and edges in
    order, an object as its attributes."""
    if isinstance(value, type(threading.Lock())):
        return "a lock"
    if isinstance(value, nx.Graph):
        edges = (
            value.edges(keys=True, data=True) if value.is_multigraph() else value.edges(data=True)
        )
        return ["graph", dict(value.graph), list(value.nodes(data=True)), list(edges)]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "__dict__"):
        return [type(value).__name__, plain(vars(value))]
    return value


def compare(before: Path, after: Path, names: list[str]) -> list[str]:
    """The result files among ``names`` whose values differ (JSON, floats within 1e-9; the
    pickled map networks byte for byte)."""
    differ = []
    for name in names:
        x, y = (before / name).read_bytes(), (after / name).read_bytes()
        if x == y:
            continue
        try:
            same = close(json.loads(x), json.loads(y))
        except ValueError:  # a pickle (a map's networks): the same objects, shared alike or not
            same = plain(pickle.loads(x)) == plain(pickle.loads(y))
        if not same:
            differ.append(name)
    return differ


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--before", type=Path, help="another src folder to run first")
    args = ap.parse_args()
    runs: dict[str, dict[str, Any]] = {}
    kept = Path(tempfile.mkdtemp(prefix="hg-precompute-results-"))
    if args.before:
        print(f"running the code of {args.before} ...", file=sys.stderr, flush=True)
        runs["before"] = run(args.store, args.before, kept / "before")
    print(f"running the code of {SRC} ...", file=sys.stderr, flush=True)
    runs["after"] = run(args.store, SRC, kept / "after")
    print(f"precompute of the default views of {args.store} ({os.cpu_count()} CPUs)")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if "before" in runs:
        a, b = runs["before"]["results"], runs["after"]["results"]
        missing = sorted(a.keys() ^ b.keys())
        both = sorted(a.keys() & b.keys())
        identical = [k for k in both if a[k] == b[k]]
        differ = compare(kept / "before", kept / "after", [k for k in both if a[k] != b[k]])
        print(
            f"results: {len(identical)} of {len(both)} files byte for byte the same, "
            f"{len(both) - len(identical) - len(differ)} equal to 1e-9, "
            f"{len(differ)} differ {differ[:8]}, {len(missing)} in one run only {missing[:4]}"
        )
    shutil.rmtree(kept, ignore_errors=True)
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
