"""Benchmark: the projections at 1x Horizon 2020, embedded and against ``oxigraph serve``.

Builds the CORDIS H2020 store of benchmarks/metrics_h2020.py once (kept in ``--store``),
then times each projection in a fresh process (wall time, the client's CPU time and peak
RSS), ``--repeat`` times, median shown: first on the embedded store, then through
:class:`helixgraph.store.remote.RemoteStore` against an Oxigraph server on the same data.
``--before FILE`` also times an older ``network.py`` (e.g. ``git show REV:src/helixgraph/
network.py > before.py``) and checks that both give the same graph (a digest of nodes,
attributes, edges, weights and evidence, evidence items compared in sorted order).

    python benchmarks/projection_scale.py [--store DIR] [--before before.py] [--repeat 3]

Measured 2026-11-23 (2 shared cores, so wall times vary up to ~2x with other work; the
client's CPU time is steadier), median of 3, before = commit 7dc7336, same digests:
collaboration embedded 12.5 -> 8.3 s (CPU 12.3 -> 8.2 s), 6.7 s with ``evidence=False``
(552 MB peak instead of 903 MB); remote, client CPU 10.2 -> 5.4 s (3.8 s without
evidence); bipartite embedded 9.9 -> 6.3 s; the shape not taken (ties paired and grouped
by the store, one row per tie) needs 33.7 s embedded and 45.1 s remote for its rows alone.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from helixgraph import network  # noqa: E402
from helixgraph.store.remote import RemoteConfig, RemoteStore  # noqa: E402
from tests.remote_store import start_oxigraph  # noqa: E402

PAIRS = """SELECT ?a ?b (GROUP_CONCAT(CONCAT(STR(?i), " ", STR(?ga), " ", STR(?gb));
  separator=" ") AS ?e) WHERE { VALUES ?pa { hx:participatesIn hx:leads }
  VALUES ?pb { hx:participatesIn hx:leads } GRAPH ?ga { ?a ?pa ?i } GRAPH ?gb { ?b ?pb ?i }
  FILTER(STR(?a) < STR(?b)) } GROUP BY ?a ?b"""


def store_pairs(module: ModuleType, store: Any) -> int:
    """The shape not taken: one row per tie, paired and grouped by the store (rows only)."""
    result = store.query(module.PREFIXES + PAIRS, use_default_graph_as_union=True)
    return sum(1 for _ in result)


CASES = {
    "collaboration": lambda m, st: m.collaboration_graph(st),
    "collaboration evidence=False": lambda m, st: m.collaboration_graph(st, evidence=False),
    "collaboration region=nl": lambda m, st: m.collaboration_graph(st, m.Filters(region="nl")),
    "bipartite": lambda m, st: m.bipartite_graph(st),
    "funding": lambda m, st: m.funding_graph(st),
    "pairs grouped by the store (rows only)": store_pairs,
}


def digest(G: Any) -> str:
    """A hash of nodes with attributes, and of edges with attributes (evidence sorted)."""
    h = hashlib.sha256()
    for v, d in sorted(G.nodes(data=True)):
        h.update(json.dumps([v, d], sort_keys=True, default=str).encode())
    for u, v, d in sorted((min(u, v), max(u, v), d) for u, v, d in G.edges(data=True)):
        if "evidence" in d:
            d = {
                **d,
                "evidence": sorted(d["evidence"], key=lambda e: json.dumps(e, sort_keys=True)),
            }
        h.update(json.dumps([u, v, d], sort_keys=True, default=str).encode())
    return h.hexdigest()[:12]


def load_module(path: str | None) -> ModuleType:
    if path is None:
        return network
    spec = importlib.util.spec_from_file_location("network_before", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["network_before"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def child(args: argparse.Namespace) -> None:
    """Run one case in this process and print its figures as JSON."""
    module = load_module(args.module)
    if args.remote:
        store: Any = RemoteStore(RemoteConfig.from_file(Path(args.remote)))
    else:
        store = ox.Store.read_only(str(args.store))
    wall, cpu = time.perf_counter(), time.process_time()
    G = CASES[args.case](module, store)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = isinstance(G, int)
    size = (
        f"{G:,} rows" if rows else f"{G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges"
    )
    out = {"wall": wall, "cpu": cpu, "rss": rss, "size": size}
    if args.digest:
        out["digest"] = "" if rows else digest(G)
    print(json.dumps(out))


def run(
    args: argparse.Namespace, case: str, module: str | None, remote: Path | None
) -> dict[str, Any]:
    runs = []
    for i in range(args.repeat):
        cmd = [sys.executable, __file__, "--child", "--case", case, "--store", str(args.store)]
        cmd += ["--module", module] if module else []
        cmd += ["--remote", str(remote)] if remote else []
        cmd += ["--digest"] if i == 0 else []
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        runs.append(json.loads(out.splitlines()[-1]))
    return {
        "wall": statistics.median(r["wall"] for r in runs),
        "cpu": statistics.median(r["cpu"] for r in runs),
        "rss": max(r["rss"] for r in runs),
        "size": runs[0]["size"],
        "digest": runs[0]["digest"],
    }


def build(store: Path) -> None:
    import metrics_h2020

    data, rows, _ = metrics_h2020.nquads(metrics_h2020.DATA)
    st = ox.Store(str(store))
    st.bulk_load(data, ox.RdfFormat.N_QUADS)
    st.flush()
    print(f"built {store}: {len(st):,} quads from {rows:,} rows", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, default=Path("/tmp/helixgraph-h2020-store"))
    ap.add_argument("--before", help="an older network.py to compare with")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cases", default=",".join(CASES), help="comma-separated names of CASES")
    ap.add_argument("--where", choices=["both", "embedded", "remote"], default="both")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--case", help=argparse.SUPPRESS)
    ap.add_argument("--module", help=argparse.SUPPRESS)
    ap.add_argument("--remote", help=argparse.SUPPRESS)
    ap.add_argument("--digest", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return
    if not args.store.exists():
        build(args.store)
    rows: list[tuple[str, str, str, dict[str, Any]]] = []
    versions = [("before", args.before), ("after", None)] if args.before else [("after", None)]
    cases = args.cases.split(",")

    def measure(where: str, remote: Path | None) -> None:
        for case in cases:
            for version, module in versions:
                if version == "before" and ("evidence=False" in case or "pairs" in case):
                    continue
                r = run(args, case, module, remote)
                print(f"{where} {case} {version}: {r}", file=sys.stderr, flush=True)
                rows.append((where, case, version, r))

    if args.where != "remote":
        measure("embedded", None)
    if args.where == "embedded":
        print_table(rows, None)
        return
    server = start_oxigraph(args.store)
    try:
        descriptor = RemoteConfig(
            server.url + "/query", server.url + "/update", server.url + "/store", union="param"
        ).write(args.store.with_name(args.store.name + ".remote"))
        measure("remote", descriptor)
        status = Path(f"/proc/{server.proc.pid}/status").read_text()
        hwm = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
    finally:
        server.stop()
    print_table(rows, int(hwm) / 1024)


def print_table(rows: list[tuple[str, str, str, dict[str, Any]]], server_mb: float | None) -> None:
    print(
        "\n| store | projection | version | wall s | client CPU s | client peak RSS MB | size | digest |"
    )
    print("|---|---|---|---:|---:|---:|---|---|")
    for where, case, version, r in rows:
        print(
            f"| {where} | {case} | {version} | {r['wall']:.1f} | {r['cpu']:.1f} | "
            f"{r['rss']:,.0f} | {r['size']} | {r['digest']} |"
        )
    if server_mb is not None:
        print(f"\noxigraph serve peak RSS over the remote runs: {server_mb:,.0f} MB")


if __name__ == "__main__":
    main()
