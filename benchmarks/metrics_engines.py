"""Benchmark: the metrics on networkx and on igraph, side by side in one run.

For each metric, on the same graph: helixgraph's function on the networkx engine; the same
function on the igraph engine (the default) on its first call, which converts the networkx
graph to igraph, and on a later call, which finds the converted graph in networkx's cache
of converted graphs (as every metric after the first of a suite on one graph does); and
igraph called directly on a graph converted beforehand (what igraph alone costs). The
last columns are the overheads: helixgraph on igraph / igraph alone. Prints a table; not a
test.

    python benchmarks/metrics_engines.py [--nodes 10000] [--projects 3000] [--k 200]
    python benchmarks/metrics_engines.py --h2020 [--skip-networkx-slow]

(a) a synthetic collaboration network: ``--nodes`` organisations in ``--projects``
projects of 2-12 partners drawn with Zipf-like odds, tied by shared projects (weight:
their number); (b) with ``--h2020``, the Horizon 2020 collaboration network built as
``benchmarks/metrics_h2020.py`` builds it (needs ``../shared/data``). Betweenness is
sampled (``--k`` sources; exact on a graph of that size takes hours on networkx) and so is
closeness (``--closeness-k`` pivots). ``--skip-networkx-slow`` leaves out networkx's
betweenness, closeness, eigenvector and Louvain (minutes each on H2020).
"""

from __future__ import annotations

import argparse
import itertools
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import igraph as ig
import networkx as nx

from helixgraph import metrics
from helixgraph.metrics.engine import for_flows, for_paths

SLOW_ON_NETWORKX = {"betweenness", "closeness", "eigenvector", "Louvain"}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def synthetic(n: int, projects: int, seed: int) -> Any:
    rng = random.Random(seed)
    odds = [1 / (i + 1) ** 0.9 for i in range(n)]
    G = nx.Graph()
    G.add_nodes_from(range(n))
    for _ in range(projects):
        members = sorted(set(rng.choices(range(n), weights=odds, k=rng.randint(2, 12))))
        for u, v in itertools.combinations(members, 2):
            G.add_edge(u, v, weight=G[u][v]["weight"] + 1 if G.has_edge(u, v) else 1)
    return G


def h2020() -> Any:
    """The collaboration graph of benchmarks/metrics_h2020.py (CORDIS H2020, CC BY 4.0)."""
    import pyoxigraph as ox

    sys.path.insert(0, str(Path(__file__).parent))
    import metrics_h2020 as h  # the same N-Quads, store and projection

    from helixgraph import network
    from helixgraph.store.access import open_store, replacing

    found = [
        p / "shared" / "data" / "cordis_h2020_eunets" / "h2020.csv.gz"
        for p in Path(__file__).resolve().parents
    ]
    path = next((p for p in found if p.exists()), h.DATA)  # ../shared, or further up
    log(f"reading {path} ...")
    data, _, _ = h.nquads(path)
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        with replacing(store) as st:
            st.bulk_load(data, ox.RdfFormat.N_QUADS)
        log("projecting the collaboration graph ...")
        return network.collaboration_graph(open_store(store), evidence=False)


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def cases(
    G: Any, args: argparse.Namespace
) -> list[tuple[str, Callable[..., Any], Callable[[], Any]]]:
    """(metric, helixgraph call taking engine=, igraph alone on a graph converted once)."""
    with nx.config(cache_converted_graphs=False):  # leave G's cache empty
        paths = for_paths(G, None)
        flows = for_flows(G, "weight")
    assert paths is not None and flows is not None
    g, w, index = paths.graph, flows.weights, {v: i for i, v in enumerate(paths.nodes)}
    sources = [index[v] for v in random.Random(args.seed).sample(list(G.nodes()), args.k)]
    pivots = [index[v] for v in random.Random(args.seed).sample(sorted(G, key=repr), args.ck)]
    gf = flows.graph

    def seeded(algorithm: Callable[[], Any]) -> Callable[[], Any]:
        def run() -> Any:
            ig.set_random_number_generator(random.Random(args.seed))
            return algorithm()

        return run

    return [
        (
            f"betweenness, sampled k={args.k}",
            lambda e: metrics.betweenness(G, k=args.k, seed=args.seed, engine=e),
            lambda: g.betweenness(sources=sources),
        ),
        (
            f"closeness, sampled k={args.ck}",
            lambda e: metrics.closeness(G, k=args.ck, seed=args.seed, engine=e),
            lambda: g.distances(source=pivots),
        ),
        (
            "PageRank (weighted)",
            lambda e: metrics.pagerank(G, engine=e),
            lambda: gf.pagerank(weights=w),
        ),
        (
            "eigenvector (weighted)",
            lambda e: metrics.eigenvector(G, weight="weight", engine=e),
            lambda: gf.eigenvector_centrality(weights=w),  # warns: G is not connected
        ),
        (
            "Louvain (weighted, seeded)",
            lambda e: metrics.louvain_communities(G, seed=args.seed, engine=e),
            seeded(lambda: gf.community_multilevel(weights=w)),
        ),
        (
            "Leiden (weighted, seeded)",
            lambda e: metrics.leiden_communities(G, seed=args.seed),
            seeded(
                lambda: gf.community_leiden(
                    objective_function="modularity", weights=w, n_iterations=-1
                )
            ),
        ),
    ]


def run(name: str, G: Any, args: argparse.Namespace, skip_slow: bool) -> None:
    log(f"{name}: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges")
    start = time.perf_counter()
    with nx.config(cache_converted_graphs=False):
        for_flows(G, "weight")
    convert = time.perf_counter() - start
    rows = []

    def first(fn: Callable[[str], Any]) -> Callable[[], Any]:
        def call() -> Any:
            G.__networkx_cache__.clear()  # convert again, as a first call does
            return fn("igraph")

        return call

    for metric, ours, alone in cases(G, args):
        log(f"{metric} ...")
        if metric.startswith("Leiden") or (
            skip_slow and metric.split()[0].rstrip(",") in SLOW_ON_NETWORKX
        ):
            t_nx = None  # networkx has no Leiden of its own
        else:
            t_nx = best(lambda f=ours: f("networkx"), 1)
        t_first = best(first(ours), args.repeat)
        t_ours = best(lambda f=ours: f("igraph"), args.repeat)
        t_alone = best(alone, args.repeat)
        rows.append((metric, t_nx, t_first, t_ours, t_alone))
        log(
            f"{metric}: networkx {t_nx}, igraph engine {t_first:.3f} / {t_ours:.3f}, alone {t_alone:.3f}"
        )
    print(
        f"\n{name}: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges; "
        f"one conversion networkx -> igraph {convert:.2f} s"
    )
    print(
        "| metric | networkx s | igraph engine, 1st call s | igraph engine s | igraph alone s "
        "| networkx / igraph engine 1st | 1st call / alone | igraph engine / alone |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for metric, t_nx, t_first, t_ours, t_alone in rows:
        nx_cell = "—" if t_nx is None else f"{t_nx:.2f}"
        speedup = "—" if t_nx is None else f"{t_nx / t_first:.1f}×"
        print(
            f"| {metric} | {nx_cell} | {t_first:.2f} | {t_ours:.2f} | {t_alone:.2f} | {speedup} "
            f"| {t_first / t_alone:.2f}× | {t_ours / t_alone:.2f}× |"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--nodes", type=int, default=10_000, help="synthetic organisations")
    ap.add_argument("--projects", type=int, default=3_000, help="synthetic projects")
    ap.add_argument("--k", type=int, default=200, help="sampled betweenness sources")
    ap.add_argument("--closeness-k", dest="ck", type=int, default=64, help="closeness pivots")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="best of N for the igraph timings")
    ap.add_argument("--h2020", action="store_true", help="also the H2020 network")
    ap.add_argument("--skip-networkx-slow", action="store_true")
    ap.add_argument("--skip-synthetic", action="store_true")
    args = ap.parse_args()
    print(
        f"machine: {platform.machine()}, Python {platform.python_version()}, "
        f"networkx {nx.__version__}, igraph {ig.__version__}"
    )
    if not args.skip_synthetic:
        G = synthetic(args.nodes, args.projects, args.seed)
        run("(a) synthetic collaboration network", G, args, skip_slow=False)
    if args.h2020:
        run("(b) H2020 collaboration network", h2020(), args, args.skip_networkx_slow)


if __name__ == "__main__":
    main()
