"""Benchmark: import the whole CORDIS H2020 table (and ROR, structural funds) into a seed store.

Prints a table of measured figures: wall time per step, peak memory, store size on disk,
and the median latency of a few queries on the result. Not a test; run it by hand:

    .venv/bin/python benchmarks/import_h2020.py [--shared ../shared/data] [--ror-all]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from helixgraph import store as hstore  # noqa: E402
from helixgraph.ingest.build import build  # noqa: E402
from helixgraph.ingest.run import ImportReport, run_import  # noqa: E402
from helixgraph.ingest.sources import cordis, ror, structural_funds  # noqa: E402
from helixgraph.ingest.toolkit import Problems  # noqa: E402

QUERIES = {
    "name lookup (UMCG by altLabel)": """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?o WHERE { ?o skos:altLabel "ACADEMISCH ZIEKENHUIS GRONINGEN" }""",
    "partners of UMCG in H2020 (2-hop join)": """PREFIX hx: <https://w3id.org/helixgraph/ontology#>
        SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {
          <https://w3id.org/helixgraph/id/org/umcg> hx:participatesIn ?proj .
          ?p hx:participatesIn ?proj FILTER(?p != <https://w3id.org/helixgraph/id/org/umcg>) }""",
    "EC funding summed by helix (aggregate)": """PREFIX hx: <https://w3id.org/helixgraph/ontology#>
        SELECT ?h (SUM(?a) AS ?total) WHERE { ?aw hx:recipient ?o ; hx:amount ?a .
          ?o hx:helix ?h } GROUP BY ?h""",
    "organisations per kind (count)": """PREFIX hx: <https://w3id.org/helixgraph/ontology#>
        SELECT ?k (COUNT(?o) AS ?n) WHERE { ?o a hx:Organisation , ?k } GROUP BY ?k""",
}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def timed(fn: Callable[[], object]) -> tuple[object, float]:
    t = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t


def latency(store: Path, query: str, repeat: int = 5) -> float:
    st = hstore.open_store(store)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        list(st.query(query))  # type: ignore[arg-type]
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--ror-all", action="store_true", help="also the 51,370 ROR records worldwide")
    args = ap.parse_args()
    shared: Path = args.shared if args.shared.exists() else Path("/work/shared/data")
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        _, t = timed(lambda: build(ROOT / "data", store_path=store))
        rows.append(("seed build", f"{t:.1f} s, {len(hstore.open_store(store))} quads"))

        def do(label: str, extract: Callable[[], object]) -> ImportReport:
            t0 = time.perf_counter()
            ex = extract()
            t_read = time.perf_counter() - t0
            report = run_import(ex, store_path=store)  # type: ignore[arg-type]
            total = time.perf_counter() - t0
            s = report.seconds
            rows.append(
                (
                    f"{label}: total",
                    f"{total:.1f} s (read {t_read:.1f}, resolve "
                    f"{s['resolve']:.1f}, map {s['map']:.1f}, validate {s['validate']:.1f}, "
                    f"store copy+swap {s['store']:.1f})",
                )
            )
            rows.append(
                (
                    f"{label}: graph",
                    f"{report.triples:,} triples; store {report.store_quads:,} "
                    f"quads; {len(report.resolution.merges)} merges, "
                    f"{len(report.resolution.ambiguous)} ambiguous; {report.validation}",
                )
            )
            rows.append((f"{label}: peak RSS so far", f"{rss_mb():.0f} MB"))
            return report

        do("ROR (NL)", lambda: ror.read(shared / "ror", Problems("skip")))
        if args.ror_all:
            do(
                "ROR (world)",
                lambda: ror.read(
                    shared / "ror" / "ror_records_all_latest_organizations.csv.gz", Problems("skip")
                ),
            )
        report = do(
            "CORDIS H2020 (all)",
            lambda: cordis.read(shared / "cordis_h2020_eunets", Problems("skip")),
        )
        counts = report.counts
        rows.append(("CORDIS H2020: content", ", ".join(f"{k} {v:,}" for k, v in counts.items())))
        rows.append(
            (
                "CORDIS H2020: merges by rule",
                ", ".join(
                    f"{r} {sum(1 for m in report.resolution.merges if m.rule == r)}"
                    for r in sorted({m.rule for m in report.resolution.merges})
                ),
            )
        )
        do(
            "structural funds NL",
            lambda: structural_funds.read(shared / "nl_structural_funds", Problems("skip")),
        )
        rows.append(("store size on disk", f"{du_mb(store.resolve()):.0f} MB"))
        _, t = timed(
            lambda: run_import(
                cordis.read(shared / "cordis_h2020_eunets", Problems("skip")), store_path=store
            )
        )
        rows.append(("CORDIS H2020 re-import (idempotent)", f"{t:.1f} s"))
        _, t = timed(lambda: build(ROOT / "data", store_path=store))
        rows.append(
            (
                "seed rebuild carrying the imports",
                f"{t:.1f} s, {len(hstore.open_store(store))} quads",
            )
        )
        for name, q in QUERIES.items():
            rows.append((f"query: {name}", f"{latency(store, q) * 1000:.1f} ms (median of 5)"))
        rows.append(("peak RSS (whole run)", f"{rss_mb():.0f} MB"))
    width = max(len(k) for k, _ in rows)
    print(f"{'measure'.ljust(width)} | value")
    print(f"{'-' * width}-|-{'-' * 60}")
    for k, v in rows:
        print(f"{k.ljust(width)} | {v}")


if __name__ == "__main__":
    main()
