"""The matcher's quality and speed on the labelled evaluation set, on a real store.

    HELIXGRAPH_STORE=/tmp/me-regional/store .venv/bin/python benchmarks/reconcile_quality.py
    (RECONCILE_URL=http://127.0.0.1:PORT/reconcile: also time 1,000 queries over HTTP)

Prints, for each part of the set (tests/fixtures/reconcile/): top-1 accuracy, precision
of ``match: true``, recall (right sure matches / answerable queries), and the time to
answer the whole part as one batch; then the time for 1,000 queries in one batch and for
building the index. Targets (issue 20): top-1 ≥ 0.95, precision ≥ 0.99, 1,000 queries ≤ 2 s.

The CORDIS pairs are run twice: against the whole store (where a CORDIS participant the
import did not merge is its own node, found by its PIC) and against the store's
organisations that did not come from CORDIS alone — what an import of CORDIS meets.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from helixgraph.catalog import graph_version
from helixgraph.catalog.names import read_index
from helixgraph.matching import THRESHOLD, Constraint, Matcher, Query
from helixgraph.matching.evaluation import Quality, evaluate, read_cases

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "reconcile"


def row(name: str, q: Quality) -> str:
    return (
        f"| {name:<34} | {q.cases:>5} | {q.answerable:>5} | {q.accuracy:.3f} | "
        f"{q.precision:.3f} ({q.sure:>4}) | {q.recall:.3f} | {q.seconds:6.3f} |"
    )


def main() -> None:
    path = os.environ.get("HELIXGRAPH_STORE") or (sys.argv[1] if len(sys.argv) > 1 else "")
    if not path:
        sys.exit("set HELIXGRAPH_STORE to a store (the regional one)")
    store = ox.Store.read_only(path)
    start = time.perf_counter()
    index = read_index(store, graph_version(store))
    built = time.perf_counter() - start
    matcher = index.matcher
    ror_side = Matcher(e for e in matcher.entities if not e.id.startswith("pic-"))
    ror = read_cases(FIXTURES / "ror_nl_queries.csv")
    pairs = read_cases(FIXTURES / "cordis_ror_pairs.csv")
    print(f"store: {path} ({len(matcher.entities)} organisations); index built in {built:.2f} s\n")
    print("| set | cases | answerable | top-1 | precision (sure) | recall | batch s |")
    print("|---|---|---|---|---|---|---|")
    results = [
        ("ROR NL names and variants", evaluate(matcher, ror)),
        ("CORDIS pairs, whole store", evaluate(matcher, pairs)),
        ("CORDIS pairs, ROR side", evaluate(ror_side, pairs)),
        ("CORDIS pairs, ROR side, + city", evaluate(ror_side, pairs, use_city=True)),
    ]
    for name, q in results:
        print(row(name, q))
    print("\nROR set by variant (top-1):")
    for variant, (n, ok) in sorted(results[0][1].by_variant.items()):
        print(f"  {variant:<8} {ok}/{n} = {ok / n:.3f}")
    batch = (ror * (1000 // len(ror) + 1))[:1000]
    times = []
    for _ in range(3):
        times.append(evaluate(matcher, batch).seconds)
    print(
        f"\n1,000 queries in one batch: best {min(times):.3f} s, worst {max(times):.3f} s (3 runs)"
    )
    merges, doubts, start = [], [], time.perf_counter()
    for e in matcher.entities:  # what the importers' resolution would gain (not applied)
        if not e.id.startswith("pic-"):
            continue
        constraints = (Constraint("country", (e.country,)),) if e.country else ()
        found = ror_side.match(Query(e.name, constraints=constraints, limit=2))
        if found and found[0].match:
            merges.append((e.name, found[0].entity.name))
        elif found and found[0].score >= THRESHOLD:
            doubts.append((e.name, found[0].entity.name))
    print(
        f"\nCORDIS-only organisations the matcher would merge into a ROR or seed one: "
        f"{len(merges)} sure, {len(doubts)} ambiguous (score ≥ {THRESHOLD:.0f}, not sure), "
        f"of {sum(e.id.startswith('pic-') for e in matcher.entities)} "
        f"({time.perf_counter() - start:.2f} s)"
    )
    if "-v" in sys.argv:
        for a, b in merges:
            print("  merge:", a, "→", b)
        for a, b in doubts:
            print("  doubt:", a, "→", b)
    url = os.environ.get("RECONCILE_URL")  # a running server: the same batch over HTTP
    if url:
        import json

        import httpx

        form = {"queries": json.dumps({f"q{i}": {"query": c.query} for i, c in enumerate(batch)})}
        with httpx.Client(timeout=60) as client:
            client.post(url, data={"queries": '{"q": {"query": "warm"}}'})
            took = []
            for _ in range(3):
                start = time.perf_counter()
                answer = client.post(url, data=form)
                took.append(time.perf_counter() - start)
                assert answer.status_code == 200 and len(answer.json()) == 1000
        print(
            f"1,000 queries in one POST to {url}: best {min(took):.3f} s, worst {max(took):.3f} s"
        )
    if "-v" in sys.argv:
        for name, q in results:
            for miss in q.misses:
                print(name, "|", *miss)


if __name__ == "__main__":
    main()
