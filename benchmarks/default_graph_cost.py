"""What the materialised default graph (the merge of the named graphs) costs and saves.

Builds the store twice per round from the same data: as before issue 25 (named graphs
only, queried with Oxigraph's ``use_default_graph_as_union``) and as now (named graphs
plus their merge in the default graph, queried without the flag), and prints a table:
build time, size on disk, quads, and the median time of a few queries on each.

    .venv/bin/python benchmarks/default_graph_cost.py [--data DIR] [--rounds 3] [--regional]

``--regional``: the default store (seed + the regional extracts of ``data/regional/``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from unittest import mock

import pyoxigraph as ox

from helixgraph.ingest import build as building
from helixgraph.store import access
from helixgraph.vocab.namespace import sparql_prefixes

QUERIES = {
    "count organisations": "SELECT (COUNT(*) AS ?n) WHERE { ?o a hx:Organisation }",
    "lookup (one subject)": "SELECT ?p ?o WHERE { <https://w3id.org/helixgraph/id/org/umcg> ?p ?o }",
    "join (partners' names)": (
        "SELECT ?a ?name WHERE { ?a hx:partnerOf ?b . ?b skos:prefLabel ?name }"
    ),
    "aggregate (per helix)": (
        "SELECT ?h (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o hx:helix ?h } GROUP BY ?h"
    ),
}


def disk_bytes(path: Path) -> int:
    target = path.resolve()
    return sum(f.stat().st_size for f in target.iterdir() if f.is_file())


def one_build(
    data: Path, root: Path, merged: bool, regional: bool = False
) -> tuple[float, float, int, int, Path]:
    """Build time, time of the merge step alone, bytes on disk, quads, the store's path."""
    path = root / ("merged" if merged else "union") / "store"
    path.parent.mkdir(parents=True, exist_ok=True)
    real = access.materialise
    spent = [0.0]

    def timed_merge(store: ox.Store) -> None:
        started = time.perf_counter()
        real(store)
        spent[0] += time.perf_counter() - started

    with mock.patch.object(access, "materialise", timed_merge if merged else (lambda _: None)):
        started = time.perf_counter()
        building.build(data, store_path=path, regional=regional)
        seconds = time.perf_counter() - started
    store = ox.Store.read_only(str(path.resolve()))
    return seconds, spent[0], disk_bytes(path), len(store), path


def query_ms(path: Path, merged: bool, text: str, repeat: int = 50) -> float:
    store = ox.Store.read_only(str(path.resolve()))
    query = sparql_prefixes("hx", "skos") + text
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        list(store.query(query, use_default_graph_as_union=not merged))  # type: ignore[call-overload]
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=building.data_dir())
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--regional", action="store_true", help="seed + data/regional")
    args = parser.parse_args()
    rows: dict[bool, dict[str, list[float]]] = {True: {}, False: {}}
    with tempfile.TemporaryDirectory(prefix="helixgraph-bench-") as tmp:
        for r in range(args.rounds):
            for merged in (False, True):
                seconds, merge, size, quads, path = one_build(
                    args.data, Path(tmp) / str(r), merged, args.regional
                )
                stats = rows[merged]
                stats.setdefault("build s (mostly SHACL)", []).append(seconds)
                stats.setdefault("merge step s", []).append(merge)
                stats.setdefault("disk KiB", []).append(size / 1024)
                stats.setdefault("quads", []).append(quads)
                for name, text in QUERIES.items():
                    stats.setdefault(f"{name} ms", []).append(query_ms(path, merged, text))
    what = "seed + data/regional" if args.regional else "seed"
    print(f"data: {args.data} ({what})  rounds: {args.rounds} (medians)  pid {os.getpid()}")
    print(f"{'measure':<32} {'before (union flag)':>20} {'after (merge)':>14}")
    for key in rows[False]:
        before = statistics.median(rows[False][key])
        after = statistics.median(rows[True][key])
        print(f"{key:<32} {before:>20.3f} {after:>14.3f}")


if __name__ == "__main__":
    main()
