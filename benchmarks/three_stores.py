"""Benchmark: the same store embedded, in ``oxigraph serve`` and in Virtuoso 7.2.

The workload is the default store (``helixgraph build``: seed + the regional extracts of
data/regional/). It is built once into an embedded store and dumped; the dump is then
loaded the way a build loads a remote store (``replacing``: staged locally, one Graph
Store ``PUT`` per graph, then the merged default graph refreshed by one update) into a
fresh ``oxigraph serve`` and a fresh Virtuoso (both started here, as the tests start
them). It prints one row per measure: load time, the median latency (of 7, after one
warm-up) of four queries through the store API, and each server's resident memory after
the load and after the queries.

Not a test; run it by hand (needs ``oxigraph`` from the test extra and Debian's
``virtuoso-opensource``):

    .venv/bin/python benchmarks/three_stores.py
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from helixgraph import store as hstore  # noqa: E402
from helixgraph.store.remote import close_clients  # noqa: E402
from tests.remote_store import start_oxigraph  # noqa: E402
from tests.virtuoso_server import start_virtuoso, stop_shared_virtuoso  # noqa: E402

QUERIES = {
    "name lookup": """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?o WHERE { ?o skos:prefLabel "University of Groningen"@en }""",
    "partners of the University of Groningen (2-hop join)": """PREFIX hx: <https://w3id.org/helixgraph/ontology#>
        SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {
          ?rug hx:participatesIn ?i . ?p hx:participatesIn ?i
          FILTER(?rug = <https://w3id.org/helixgraph/id/org/university-of-groningen> && ?p != ?rug) }""",
    "organisations per helix (aggregate)": """PREFIX hx: <https://w3id.org/helixgraph/ontology#>
        SELECT ?h (COUNT(?o) AS ?n) WHERE { ?o a hx:Organisation ; hx:helix ?h } GROUP BY ?h""",
    "all triples (count)": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def latency(store: Any, query: str) -> tuple[float, str]:
    first = list(store.query(query))  # warm-up, and the answer
    times = []
    for _ in range(7):
        t = time.perf_counter()
        list(store.query(query))
        times.append(time.perf_counter() - t)
    answer = str(first[0][0]) if first and len(first) == 1 else f"{len(first)} rows"
    return statistics.median(times), answer


def main() -> None:
    from helixgraph.ingest.build import build

    work = Path(tempfile.mkdtemp(prefix="helixgraph-three-"))
    rows: list[tuple[str, str, str, str]] = []
    try:
        embedded = work / "embedded" / "store"
        t = time.perf_counter()
        build(ROOT / "data", store_path=embedded, regional=True)
        build_s = time.perf_counter() - t
        local = hstore.open_store(embedded)
        dump = work / "store.nq"
        local.dump(str(dump), ox.RdfFormat.N_QUADS)
        named = [
            q for q in ox.parse(path=str(dump), format=ox.RdfFormat.N_QUADS)
            if not isinstance(q.graph_name, ox.DefaultGraph)
        ]  # fmt: skip
        rows.append(("quads (named graphs)", f"{len(named):,}", "same", "same"))
        t = time.perf_counter()
        with hstore.replacing(work / "embedded-again" / "store") as st:
            st.bulk_extend(named)
        rows.append(
            ("load (replacing)", f"{time.perf_counter() - t:.1f} s", "", "")
        )  # fmt: skip
        servers = {
            "oxigraph": start_oxigraph(work / "oxigraph"),
            "virtuoso": start_virtuoso(work / "virtuoso"),
        }
        try:
            memory_idle = {k: rss_mb(s.proc.pid) for k, s in servers.items()}
            stores: dict[str, Any] = {"embedded": local}
            loads: dict[str, float] = {}
            for name, server in servers.items():
                path = server.config.write(work / f"{name}-store")
                t = time.perf_counter()
                with hstore.replacing(path) as st:
                    st.bulk_extend(named)
                loads[name] = time.perf_counter() - t
                stores[name] = hstore.open_store(path)
            rows[-1] = (
                "load (replacing: staged, PUT per graph, merge)",
                rows[-1][1],
                f"{loads['oxigraph']:.1f} s",
                f"{loads['virtuoso']:.1f} s",
            )
            memory_loaded = {k: rss_mb(s.proc.pid) for k, s in servers.items()}
            for label, q in QUERIES.items():
                got = {k: latency(st, q) for k, st in stores.items()}
                answers = {a for _, a in got.values()}
                rows.append(
                    (
                        f"{label}" + ("" if len(answers) == 1 else f" (answers differ: {got})"),
                        *(f"{got[k][0] * 1000:.2f} ms" for k in ("embedded", "oxigraph", "virtuoso")),
                    )
                )  # fmt: skip
            memory_after = {k: rss_mb(s.proc.pid) for k, s in servers.items()}
            rows.append(
                ("server RSS: started, empty", "–",
                 f"{memory_idle['oxigraph']:.0f} MB", f"{memory_idle['virtuoso']:.0f} MB")
            )  # fmt: skip
            rows.append(
                ("server RSS: loaded", "–",
                 f"{memory_loaded['oxigraph']:.0f} MB", f"{memory_loaded['virtuoso']:.0f} MB")
            )  # fmt: skip
            rows.append(
                ("server RSS: after the queries", "–",
                 f"{memory_after['oxigraph']:.0f} MB", f"{memory_after['virtuoso']:.0f} MB")
            )  # fmt: skip
        finally:
            close_clients()
            for server in servers.values():
                server.stop()
        print(f"build of the default store (embedded, with SHACL): {build_s:.1f} s")
        print("| measure | embedded | oxigraph serve | Virtuoso 7.2 |")
        print("|---|---:|---:|---:|")
        for r in rows:
            print("| " + " | ".join(r) + " |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        stop_shared_virtuoso()  # and the template database


if __name__ == "__main__":
    main()
