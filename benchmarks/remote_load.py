"""Benchmark: loading and querying a remote Oxigraph server vs the embedded store.

The unit is the store after the whole CORDIS Horizon 2020 import (seed + H2020, 1.8 M
quads). ``10x`` and ``100x`` are synthetic: copy ``i`` renames every
``https://w3id.org/helixgraph/id/`` IRI to ``.../id/r<i>/`` (same graphs, ``k`` times the
organisations, projects and awards). For each scale it prints one table row per measure:

* embedded: ``replacing`` + ``bulk_load`` of the N-Quads file (RocksDB's bulk loader);
* remote, Graph Store Protocol: the same through ``replacing`` on a remote store
  descriptor (staging store + one streamed ``PUT`` per graph; transactional at 1x only,
  and with Oxigraph's ``no_transaction`` bulk loader), and the upload alone;
* remote, ``INSERT DATA`` batches of 20,000 triples (1x only) and one request per triple
  (the first 2,000 triples: the path a bulk loader avoids);
* median latency (of 5) of four queries, embedded in-process vs over HTTP, and the
  collaboration projection (1x only).

Not a test; run it by hand (needs ``pip install oxigraph``; tens of GB of disk at 100x):

    .venv/bin/python benchmarks/remote_load.py [--nquads h2020.nq] [--scales 1,10]
        [--virtuoso http://127.0.0.1:8890]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from helixgraph import network  # noqa: E402
from helixgraph import store as hstore  # noqa: E402
from helixgraph.store.remote import RemoteConfig, RemoteStore  # noqa: E402
from tests.remote_store import start_oxigraph  # noqa: E402

ID = b"https://w3id.org/helixgraph/id/"
QUERIES = {
    "name lookup": """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?o WHERE { ?o skos:altLabel "ACADEMISCH ZIEKENHUIS GRONINGEN" }""",
    "partners of UMCG (2-hop join)": """PREFIX hx: <https://w3id.org/helixgraph/ontology#>
        SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {
          <https://w3id.org/helixgraph/id/org/umcg> hx:participatesIn ?proj .
          ?p hx:participatesIn ?proj FILTER(?p != <https://w3id.org/helixgraph/id/org/umcg>) }""",
    "funding by helix (aggregate)": """PREFIX hx: <https://w3id.org/helixgraph/ontology#>
        SELECT ?h (SUM(?a) AS ?total) WHERE { ?aw hx:recipient ?o ; hx:amount ?a .
          ?o hx:helix ?h } GROUP BY ?h""",
    "organisations per kind (count)": """PREFIX hx: <https://w3id.org/helixgraph/ontology#>
        SELECT ?k (COUNT(?o) AS ?n) WHERE { ?o a hx:Organisation , ?k } GROUP BY ?k""",
}


def h2020_nquads(target: Path) -> Path:
    """Seed build + the whole CORDIS H2020 import, dumped as N-Quads (about a minute)."""
    from helixgraph.ingest.build import build
    from helixgraph.ingest.run import run_import
    from helixgraph.ingest.sources import cordis
    from helixgraph.ingest.toolkit import Problems

    shared = Path("/work/shared/data")
    store = target.with_suffix(".store")
    build(ROOT / "data", store_path=store)
    run_import(cordis.read(shared / "cordis_h2020_eunets", Problems("skip")), store_path=store)
    hstore.open_store(store).dump(str(target), format=ox.RdfFormat.N_QUADS)
    return target


def scaled(base: Path, k: int, target: Path) -> Path:
    """``k`` copies of ``base``; copy ``i > 0`` with its entity IRIs renamed."""
    with target.open("wb") as out:
        for i in range(k):
            with base.open("rb") as src:
                while chunk := src.read(1 << 24):
                    chunk += src.readline()
                    out.write(chunk if i == 0 else chunk.replace(ID, ID + f"r{i}/".encode()))
    return target


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def latency(st: ox.Store, query: str, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        list(st.query(query))  # type: ignore[arg-type]
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def rate(n: int, seconds: float) -> str:
    return f"{seconds:.1f} s ({n / seconds / 1000:.0f} k quads/s)"


def measure(k: int, data: Path, work: Path, row: Callable[[str, str], None]) -> None:
    """Load ``data`` into an embedded store and an Oxigraph server; time loads and queries."""
    n = sum(1 for _ in data.open("rb"))
    row(f"{k}x: dataset", f"{n:,} quads, {data.stat().st_size / 1e6:.0f} MB N-Quads")
    embedded = work / f"x{k}-embedded" / "store"

    def load_embedded() -> None:
        with hstore.replacing(embedded) as st:
            st.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)

    row(f"{k}x: embedded bulk load", rate(n, timed(load_embedded)))
    server = start_oxigraph(work / f"x{k}-oxigraph")
    staging = work / f"x{k}-staging"
    try:
        descriptor = server.config.write(work / f"x{k}-remote")

        def load_remote() -> None:
            with hstore.replacing(descriptor) as st:
                st.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)

        c = server.config
        bulk = RemoteConfig(c.query_url, c.update_url, c.gsp_url, gsp_params="no_transaction")
        remote = RemoteStore(bulk)
        if k == 1:  # one transaction per graph: 1.5 GB of server memory per 1.8 M triples
            row(f"{k}x: remote, stage + PUT, empty server", rate(n, timed(load_remote)))
            bulk.write(descriptor)
            row(f"{k}x: remote, stage + PUT no_transaction, replacing", rate(n, timed(load_remote)))
            staged = ox.Store(str(staging))
            staged.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
            put = timed(lambda: remote.replace_with(staged))
            row(f"{k}x: remote, PUT no_transaction alone, replacing", rate(n, put))
            staged_store = staged
        else:  # replacing millions of triples runs at ~14 k/s on Oxigraph server: too slow
            bulk.write(descriptor)
            row(
                f"{k}x: remote, stage + PUT no_transaction, empty server",
                rate(n, timed(load_remote)),
            )
        # copies share their ontology and source triples, which a store holds once; the
        # server's metadata graph also notes each graph's content digest
        held = len(hstore.open_store(embedded)) + len(remote.digests())
        assert len(remote) == held, (len(remote), held)
        if k == 1:
            updates = RemoteStore(
                RemoteConfig(server.config.query_url, server.config.update_url, None)
            )
            batches = timed(lambda: updates.replace_with(staged_store))
            row(f"{k}x: remote, INSERT DATA batches of 20,000, replacing", rate(n, batches))
            first = list(staged_store.quads_for_pattern(None, None, None))[:2000]

            def one_by_one() -> None:
                for q in first:
                    g = q.graph_name.value  # type: ignore[union-attr]
                    updates.update(f"INSERT DATA {{ GRAPH <{g}> {{ {q.triple} }} }}")

            row(
                f"{k}x: remote, one request per triple (2,000)",
                rate(len(first), timed(one_by_one)),
            )
        local = hstore.open_store(embedded)
        for name, q in QUERIES.items():
            row(
                f"{k}x: query {name}",
                f"embedded {latency(local, q) * 1000:.1f} ms, remote "
                f"{latency(remote, q) * 1000:.1f} ms (median of 5)",  # type: ignore[arg-type]
            )
        if k == 1:
            t_e = timed(lambda: network.collaboration_graph(local))
            t_r = timed(lambda: network.collaboration_graph(remote))  # type: ignore[arg-type]
            row(f"{k}x: collaboration projection", f"embedded {t_e:.1f} s, remote {t_r:.1f} s")
    finally:
        server.stop()
        for p in (embedded.parent, work / f"x{k}-oxigraph", staging):
            shutil.rmtree(p, ignore_errors=True)


def virtuoso(base_url: str, data: Path, work: Path, row: Callable[[str, str], None]) -> None:
    """The seed build and the 1x load into a running Virtuoso (``virtuoso-opensource``
    with ``GRANT SPARQL_UPDATE TO "SPARQL"``), and the queries, against the embedded store."""
    from helixgraph.ingest.build import build

    config = RemoteConfig(
        base_url + "/sparql",
        base_url + "/sparql",
        base_url + "/sparql-graph-crud",
        engine="virtuoso",
    )
    descriptor = config.write(work / "virtuoso-store")
    embedded = work / "virtuoso-embedded" / "store"
    build(ROOT / "data", store_path=embedded)
    t = timed(lambda: build(ROOT / "data", store_path=descriptor))
    local, remote = hstore.open_store(embedded), hstore.open_store(descriptor)
    same = set(network.collaboration_graph(local).edges()) == set(
        network.collaboration_graph(remote).edges()
    )
    row("virtuoso: seed build", f"{t:.1f} s; {len(remote)} quads; same projection: {same}")
    n = sum(1 for _ in data.open("rb"))

    def load() -> None:
        with hstore.replacing(descriptor) as st:
            st.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)

    row("virtuoso: 1x stage + PUT", rate(n, timed(load)))
    with hstore.replacing(embedded) as st:
        st.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    local = hstore.open_store(embedded)
    for name, q in QUERIES.items():
        row(
            f"virtuoso: query {name}",
            f"embedded {latency(local, q) * 1000:.1f} ms, virtuoso "
            f"{latency(remote, q) * 1000:.1f} ms (median of 5)",
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nquads", type=Path, help="the 1x dataset (default: build it)")
    ap.add_argument("--scales", default="1,10")
    ap.add_argument("--work", type=Path, help="scratch directory (default: a temporary one)")
    ap.add_argument("--virtuoso", help="base URL of a running Virtuoso, e.g. http://127.0.0.1:8890")
    args = ap.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="helixgraph-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    base = args.nquads or h2020_nquads(work / "h2020.nq")
    rows: list[tuple[str, str]] = []

    def row(k: str, v: str) -> None:
        rows.append((k, v))
        print(f"{k} | {v}", flush=True)

    if args.virtuoso:
        virtuoso(args.virtuoso.rstrip("/"), base, work, row)
    for k in (int(s) for s in args.scales.split(",") if s):
        data = base if k == 1 else scaled(base, k, work / f"x{k}.nq")
        measure(k, data, work, row)
        if data != base:
            data.unlink()
    width = max(len(k) for k, _ in rows)
    print()
    print(f"{'measure'.ljust(width)} | value")
    print(f"{'-' * width}-|-{'-' * 60}")
    for k, v in rows:
        print(f"{k.ljust(width)} | {v}")


if __name__ == "__main__":
    main()
