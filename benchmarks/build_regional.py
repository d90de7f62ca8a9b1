"""Benchmark: the default build (seed + data/regional extracts) and the Horizon Europe import.

Prints a table of measured figures: wall and CPU seconds of a seed-only build, of the
default build (what ``helixgraph serve`` does on first start) and of a second start that
reuses it, the organisations and links it holds, the size of the shipped extracts, and
(with the shared data) the import of the whole Horizon Europe table for the seed regions
into a seed store. Not a test; run it by hand, on an otherwise idle machine:

    .venv/bin/python benchmarks/build_regional.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from helixgraph import store as hstore  # noqa: E402
from helixgraph.catalog.summary import headline  # noqa: E402
from helixgraph.ingest import regional  # noqa: E402
from helixgraph.ingest.build import build, data_dir  # noqa: E402
from helixgraph.ingest.run import run_import  # noqa: E402
from helixgraph.ingest.sources import cordis_csv  # noqa: E402
from helixgraph.ingest.toolkit import Problems  # noqa: E402


def timed(fn: Callable[[], object]) -> tuple[object, float, float]:
    """(result, wall seconds, CPU seconds of this process and its children)."""
    t, c = time.perf_counter(), os.times()
    result = fn()
    c2 = os.times()
    cpu = (c2.user + c2.system + c2.children_user + c2.children_system) - (
        c.user + c.system + c.children_user + c.children_system
    )
    return result, time.perf_counter() - t, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    data = data_dir()
    size = sum(f.stat().st_size for f in regional.folder(data).rglob("*") if f.is_file())
    rows.append(("shipped extracts (data/regional/), bytes", f"{size:,}"))
    with tempfile.TemporaryDirectory(prefix="hx-bench-") as tmp:
        seed = Path(tmp) / "seed"
        _, wall, cpu = timed(lambda: build(data, store_path=seed, regional=False))
        rows.append(("seed-only build, s (wall / CPU)", f"{wall:.1f} / {cpu:.1f}"))
        default = Path(tmp) / "default"
        _, wall, cpu = timed(lambda: build(data, store_path=default, regional=True))
        rows.append(("default build (seed + extracts), s (wall / CPU)", f"{wall:.1f} / {cpu:.1f}"))
        _, wall, _ = timed(lambda: hstore.exists(default) and hstore.open_store(default))
        rows.append(("later start: open the existing build, s", f"{wall:.2f}"))
        h = headline(hstore.open_store(default))
        for key in ("organisations", "links", "projects", "awards", "sources", "imports"):
            rows.append((f"default build: {key}", f"{h[key]:,}"))
        folder = args.shared / "cordis_horizon_europe"
        if folder.is_dir():
            extract, wall1, cpu1 = timed(
                lambda: cordis_csv.read(folder, Problems(), region="seed-regions")
            )
            report, wall2, cpu2 = timed(lambda: run_import(extract, store_path=seed))  # type: ignore[arg-type]
            rows.append(
                (
                    "import cordis-horizon-europe --region seed-regions, s (read + import, wall / CPU)",
                    f"{wall1:.1f} + {wall2:.1f} / {cpu1 + cpu2:.1f}",
                )
            )
            rows.append(
                ("  its steps, s", ", ".join(f"{k} {v:.1f}" for k, v in report.seconds.items()))
            )  # type: ignore[attr-defined]
    load = os.getloadavg()[0]
    rows.append(("load average (1 min) at the end", f"{load:.1f} on {os.cpu_count()} CPUs"))
    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}}  value")
    for k, v in rows:
        print(f"{k:<{width}}  {v}")


if __name__ == "__main__":
    main()
