"""Benchmark: ways to replace one large graph on ``oxigraph serve``, time and server memory.

The graph is the CORDIS Horizon 2020 import graph of the 1x dataset (1.8 M triples; see
``remote_load.py``, whose ``--nquads`` file this script reads). For each way, a fresh
server is loaded with the graph (``no_transaction`` PUT into an empty server), then the
graph is replaced ``--rounds`` times with the same triples; the table gives, per round,
the time and the server's peak resident memory (``/proc/<pid>/status`` sampled every
0.1 s). A round over ``--limit`` seconds or ``--max-gb`` of memory is stopped.

    nice -n 10 .venv/bin/python benchmarks/remote_replace.py --nquads h2020.nq
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from helixgraph.store.remote import RemoteConfig, RemoteStore  # noqa: E402
from tests.remote_store import OxigraphServer, start_oxigraph  # noqa: E402

GRAPH = "https://w3id.org/helixgraph/graph/import/cordis-h2020"
STAGING = GRAPH + "?staging"
ID = b"https://w3id.org/helixgraph/id/"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def put(server: OxigraphServer, graph: str, body: Path, bulk: bool) -> None:
    params = {"graph": graph} | ({"no_transaction": ""} if bulk else {})
    with body.open("rb") as fh:
        r = httpx.put(
            server.url + "/store",
            params=params,
            content=fh,
            timeout=None,
            headers={"Content-Type": "application/n-triples"},
        )
    r.raise_for_status()


def update(server: OxigraphServer, text: str) -> None:
    httpx.post(server.url + "/update", data={"update": text}, timeout=None).raise_for_status()


def count(server: OxigraphServer, graph: str) -> int:
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    r = httpx.post(
        server.url + "/query",
        data={"query": q},
        timeout=None,
        headers={"Accept": "application/sparql-results+json"},
    )
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def variant(body: Path, every: int) -> Path:
    """``body`` with every ``every``-th triple's entity IRIs renamed (a changed triple)."""
    target = body.with_name(f"{body.stem}-{every}.nt")
    with body.open("rb") as src, target.open("wb") as out:
        for i, line in enumerate(src):
            out.write(line.replace(ID, ID + b"r1/") if i % every == 0 else line)
    return target


def by_difference(body: Path, every: int) -> Callable[[OxigraphServer], None]:
    """The library's way (``RemoteStore.replace_with``: staging dump, digest, difference),
    alternating between ``body`` and a variant with every ``every``-th triple changed."""
    versions = [variant(body, every), body]
    turn = [0]

    def replace(s: OxigraphServer) -> None:
        staged = ox.Store()
        staged.bulk_load(
            path=str(versions[turn[0] % 2]),
            format=ox.RdfFormat.N_TRIPLES,
            to_graph=ox.NamedNode(GRAPH),
        )
        turn[0] += 1
        c = s.config
        store = RemoteStore(
            RemoteConfig(c.query_url, c.update_url, c.gsp_url, gsp_params="no_transaction")
        )
        store.replace_with(staged, keep_other_graphs=True)

    return replace


def ways(body: Path) -> dict[str, Callable[[OxigraphServer], None]]:
    def staged_move(s: OxigraphServer) -> None:
        put(s, STAGING, body, bulk=True)
        update(s, f"MOVE <{STAGING}> TO <{GRAPH}>")

    def batched_drop(s: OxigraphServer) -> None:
        delete = (
            f"DELETE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ SELECT ?s ?p ?o "
            f"WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }} LIMIT 100000 }}"
        )
        while count(s, GRAPH):
            update(s, delete)
        put(s, GRAPH, body, bulk=True)

    return {
        "PUT (transaction)": lambda s: put(s, GRAPH, body, bulk=False),
        "PUT no_transaction": lambda s: put(s, GRAPH, body, bulk=True),
        "DROP GRAPH, then PUT no_transaction": lambda s: (
            update(s, f"DROP SILENT GRAPH <{GRAPH}>"),
            put(s, GRAPH, body, bulk=True),
        ),
        "GSP DELETE, then PUT no_transaction": lambda s: (
            httpx.delete(s.url + "/store", params={"graph": GRAPH}, timeout=None),
            put(s, GRAPH, body, bulk=True),
        ),
        "DELETE batches of 100,000, then PUT no_transaction": batched_drop,
        "PUT no_transaction to staging graph, then MOVE": staged_move,
        "by difference (library), all triples changed": by_difference(body, 1),
        "by difference (library), 1% changed": by_difference(body, 100),
    }


def run(
    name: str,
    fn: Callable[[OxigraphServer], None],
    body: Path,
    n: int,
    work: Path,
    rounds: int,
    limit: float,
    max_gb: float,
    row: Callable[[str, str], None],
) -> None:
    location = work / "oxigraph"
    server = start_oxigraph(location)
    try:
        t = time.perf_counter()
        put(server, GRAPH, body, bulk=True)
        row(
            f"{name}: first load",
            f"{time.perf_counter() - t:.1f} s, server {rss_mb(server.proc.pid):,.0f} MB after",
        )
        for i in range(1, rounds + 1):
            peak = [rss_mb(server.proc.pid)]
            done = threading.Event()
            error: list[BaseException] = []

            def work_(done: threading.Event = done, error: list[BaseException] = error) -> None:
                try:
                    fn(server)
                except BaseException as exc:  # noqa: BLE001 - reported in the table
                    error.append(exc)
                finally:
                    done.set()

            t = time.perf_counter()
            threading.Thread(target=work_, daemon=True).start()
            stopped = ""
            while not done.wait(0.1):
                peak.append(rss_mb(server.proc.pid))
                if time.perf_counter() - t > limit:
                    stopped = f"stopped after {limit:.0f} s"
                elif peak[-1] > max_gb * 1024:
                    stopped = f"stopped at {peak[-1] / 1024:.1f} GB"
                if stopped:
                    server.stop()
                    break
            seconds = time.perf_counter() - t
            if stopped or error:
                row(f"{name}: replacement {i}", stopped or f"failed: {error[0]}")
                return
            held = count(server, GRAPH)
            assert abs(held - n) < n // 50, (held, n)  # a variant may merge a few triples
            row(
                f"{name}: replacement {i}",
                f"{seconds:.1f} s ({n / seconds / 1000:.0f} k/s), server peak "
                f"{max(peak):,.0f} MB (before {peak[0]:,.0f} MB)",
            )
    finally:
        server.stop()
        shutil.rmtree(location, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nquads", type=Path, required=True, help="the 1x dataset (N-Quads)")
    ap.add_argument("--ways", default="", help="comma-separated numbers (1-based) to run")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--limit", type=float, default=300.0)
    ap.add_argument("--max-gb", type=float, default=6.0)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="helixgraph-replace-"))
    body = work / "graph.nt"
    suffix = f" <{GRAPH}> .\n".encode()
    n = 0
    with args.nquads.open("rb") as src, body.open("wb") as out:
        for line in src:
            if line.endswith(suffix):
                out.write(line[: -len(suffix)] + b" .\n")
                n += 1
    rows: list[tuple[str, str]] = [("graph", f"{n:,} triples")]
    print(f"graph | {n:,} triples", flush=True)

    def row(k: str, v: str) -> None:
        rows.append((k, v))
        print(f"{k} | {v}", flush=True)

    chosen = {int(i) for i in args.ways.split(",") if i}
    for i, (name, fn) in enumerate(ways(body).items(), 1):
        if not chosen or i in chosen:
            run(name, fn, body, n, work, args.rounds, args.limit, args.max_gb, row)
    shutil.rmtree(work, ignore_errors=True)
    width = max(len(k) for k, _ in rows)
    print()
    for k, v in rows:
        print(f"{k.ljust(width)} | {v}")


if __name__ == "__main__":
    main()
