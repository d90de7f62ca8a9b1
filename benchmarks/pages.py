"""How long the pages of issue 19 take to put together on a store (default: $HELIXGRAPH_STORE):
each entity page's model (the catalog's record, funding by year, timeline), the ontology
page's terms (with usage counts), the landing page's figures, and every example query of the
query page as the endpoint runs it (predeclared prefixes). Prints a table of the median of
``--rounds`` runs, in the library (no HTTP, no template).

    HELIXGRAPH_STORE=/tmp/x/store .venv/bin/python benchmarks/pages.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from helixgraph.catalog.entity_page import page
from helixgraph.catalog.ontology import terms
from helixgraph.catalog.summary import headline
from helixgraph.sparql import Job, execute
from helixgraph.sparql.prefixes import PREDECLARED
from helixgraph.store.access import default_path, open_store

ROOT = Path(__file__).resolve().parents[1]
ENTITIES = [
    ("org", "umcg"),
    ("org", "university-of-groningen"),
    ("org", "european-commission"),
    ("initiative", "medtech-twente-2030"),
    ("place", "groningen"),
    ("source", "s000"),
]


def median_seconds(run: object, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    store = open_store(args.store or default_path())
    rows: list[tuple[str, float, str]] = []
    for segment, ident in ENTITIES:
        try:
            model = page(store, segment, ident)
        except LookupError:
            continue
        seconds = median_seconds(lambda s=segment, i=ident: page(store, s, i), args.rounds)
        rows.append(
            (f"page /id/{segment}/{ident}", seconds, f"{len(model['statements'])} statements")
        )
    found = terms(store)
    seconds = median_seconds(lambda: terms(store), args.rounds)
    rows.append(("ontology terms + usage", seconds, f"{sum(map(len, found.values()))} terms"))
    rows.append(("landing figures", median_seconds(lambda: headline(store), args.rounds), ""))
    examples = json.loads((ROOT / "api" / "static" / "examples.json").read_text("utf-8"))
    for ex in examples:
        job = Job(ex["query"], format="csv", prefixes=PREDECLARED)
        outcome = execute(store, job)
        n = len(outcome.body.decode().splitlines()) - 1 if outcome.status == "ok" else -1
        seconds = median_seconds(lambda j=job: execute(store, j), args.rounds)
        rows.append((f"example: {ex['title']}", seconds, f"{n} rows"))
    width = max(len(r[0]) for r in rows)
    print(f"{'what':<{width}}  {'median s':>9}  size")
    for what, seconds, size in rows:
        print(f"{what:<{width}}  {seconds:>9.3f}  {size}")


if __name__ == "__main__":
    main()
