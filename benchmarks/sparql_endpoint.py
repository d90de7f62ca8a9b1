"""helixgraph's /sparql against the peer (rdflib-endpoint) and the limit (oxigraph serve).

Same synthetic ecosystem, same four queries over HTTP on loopback, in one run:

    python benchmarks/sparql_endpoint.py [--orgs 20000 --projects 15000] [--peer-timeout 120]

Needs ``rdflib-endpoint`` (the peer) and ``oxigraph`` (the ``oxigraph`` binary) installed
in the environment; prints median latency per query and server, throughput under
concurrency, and the ratios (peer / helixgraph; helixgraph / oxigraph). helixgraph runs
three times, each with the store Oxigraph serves: with its defaults but the result cache
off (the fair comparison; its query workers answer from a copy in memory of a store up to
128 MiB on disk), the same reading from disk as Oxigraph does, and with the cache on.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from helixgraph.sparql import Limits  # noqa: E402
from helixgraph.sparql.pool import disk_size  # noqa: E402
from helixgraph.store.access import link_target, replacing  # noqa: E402
from tests.processes import children, cpu_seconds, free_port, stop, wait_answering  # noqa: E402

HX = "https://w3id.org/helixgraph/ontology#"
ID = "https://w3id.org/helixgraph/id/"
PREFIXES = f"""PREFIX hx: <{HX}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
HELICES = ["academia", "industry", "government", "civil_society"]
QUERIES = {
    "name lookup": PREFIXES + 'SELECT ?org WHERE { ?org skos:prefLabel "Organisation 12345"@en }',
    "partners of a hub (2-hop join)": PREFIXES
    + f"""SELECT DISTINCT ?partner WHERE {{
  <{ID}org/o0> hx:participatesIn ?project . ?partner hx:participatesIn ?project .
  FILTER(?partner != <{ID}org/o0>) }}""",
    "funding summed by helix (aggregate)": PREFIXES
    + """SELECT ?helix (SUM(?amount) AS ?total) (COUNT(?award) AS ?awards) WHERE {
  ?award hx:recipient ?org ; hx:amount ?amount . ?org hx:helix ?helix }
GROUP BY ?helix""",
    "academia-industry co-participation (count)": PREFIXES
    + """SELECT (COUNT(*) AS ?pairs) WHERE {
  ?a hx:helix hx:academia ; hx:participatesIn ?project .
  ?b hx:helix hx:industry ; hx:participatesIn ?project . }""",
}


def synthetic_trig(orgs: int, projects: int, sources: int = 10, seed: int = 7) -> str:
    """A synthetic ecosystem in the data model's shape: organisations with helices and
    names, projects with participants (a few hubs take part in many), funding awards,
    partnerships; every fact in the named graph of one of ``sources`` sources."""
    rnd = random.Random(seed)
    graphs: list[list[str]] = [[] for _ in range(sources)]

    def say(line: str) -> None:
        graphs[rnd.randrange(sources)].append(line)

    for i in range(orgs):
        helix = HELICES[rnd.choices(range(4), weights=[3, 5, 1, 1])[0]]
        say(
            f'<{ID}org/o{i}> a hx:Organisation ; skos:prefLabel "Organisation {i}"@en ; '
            f"hx:helix hx:{helix} ; hx:locatedIn <{ID}place/p{i % 40}> ."
        )
    hubs = max(1, orgs // 200)
    for j in range(projects):
        say(
            f'<{ID}initiative/i{j}> a hx:Initiative, hx:Project ; skos:prefLabel "Project {j}"@en .'
        )
        members = {rnd.randrange(hubs)} | {rnd.randrange(orgs) for _ in range(rnd.randint(1, 5))}
        for m in members:
            say(f"<{ID}org/o{m}> hx:participatesIn <{ID}initiative/i{j}> .")
        award = f"<{ID}award/a{j}>"
        say(
            f"{award} a hx:FundingAward ; hx:funder <{ID}org/o{rnd.randrange(hubs)}> ; "
            f"hx:recipient <{ID}org/o{rnd.choice(sorted(members))}> ; "
            f"hx:amount {rnd.randint(1, 500) * 1000}.0 ."
        )
    for _ in range(orgs // 2):
        say(f"<{ID}org/o{rnd.randrange(orgs)}> hx:partnerOf <{ID}org/o{rnd.randrange(orgs)}> .")
    head = f"@prefix hx: <{HX}> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
    body = "".join(
        f"<https://w3id.org/helixgraph/graph/source/s{k}> {{\n" + "\n".join(lines) + "\n}\n"
        for k, lines in enumerate(graphs)
    )
    return head + body


@dataclass
class Server:
    name: str
    url: str
    proc: subprocess.Popen[bytes]

    def stop(self) -> None:
        stop(self.proc, grace=15)

    def cpu(self) -> float:
        """CPU seconds used so far by the server and its query workers: unlike latency,
        not inflated by other programs on a busy machine."""
        return cpu_seconds([self.proc.pid, *children(self.proc.pid, b"helixgraph.sparql")])


def wait_ready(name: str, url: str, proc: subprocess.Popen[bytes], timeout: float = 600) -> Server:
    wait_answering(proc, url, name, params={"query": "ASK {}"}, timeout=timeout, interval=0.2)
    return Server(name, url, proc)


def start_helixgraph(store: Path, cache: bool, workers: int, memory: bool = True) -> Server:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELIXGRAPH_")}
    env.update(
        HELIXGRAPH_STORE=str(store),
        HELIXGRAPH_QUERY_TIMEOUT="600",
        # the build's analytics (metrics of a synthetic store) would compete for the CPU
        HELIXGRAPH_NO_PRECOMPUTE="1",
        HELIXGRAPH_QUERY_WORKERS=str(workers),
        HELIXGRAPH_CACHE_BYTES="67108864" if cache else "0",
        **({} if memory else {"HELIXGRAPH_MEMORY_COPY_BYTES": "0"}),
        HELIXGRAPH_MAX_RESULT_BYTES="500000000",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "helixgraph_api.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=ROOT,
        env=env,
    )
    name = "helixgraph (cache on)" if cache else "helixgraph" if memory else "helixgraph (disk)"
    return wait_ready(name, f"http://127.0.0.1:{port}/sparql", proc)


def start_oxigraph(store: Path) -> Server:
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    port = free_port()
    proc = subprocess.Popen(
        [
            binary,
            "serve-read-only",
            "--location",
            str(store.resolve()),
            "--bind",
            f"127.0.0.1:{port}",
        ],  # no --union-default-graph: the store's default graph holds the merge itself
        stderr=subprocess.DEVNULL,
    )
    return wait_ready("oxigraph serve", f"http://127.0.0.1:{port}/query", proc)


PEER_APP = """
import os
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint
ds = Dataset(default_union=True)
ds.parse(os.environ["PEER_TRIG"], format="trig")
app = SparqlEndpoint(graph=ds, cors_enabled=True)
"""


def start_peer(trig: Path, workdir: Path) -> Server:
    (workdir / "peer_app.py").write_text(PEER_APP)
    port = free_port()
    env = dict(os.environ, PEER_TRIG=str(trig))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "peer_app:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=workdir,
        env=env,
    )
    return wait_ready("rdflib-endpoint", f"http://127.0.0.1:{port}/", proc)


# JSON results, uncompressed: what SPARQLWrapper and rdflib's SPARQLStore ask for (urllib
# sends no Accept-Encoding), and what oxigraph serve and rdflib-endpoint answer anyway.
HEADERS = {"Accept": "application/sparql-results+json", "Accept-Encoding": "identity"}


def timed_query(client: httpx.Client, url: str, query: str, timeout: float) -> float | None:
    started = time.perf_counter()
    try:
        r = client.get(
            url,
            params={"query": query},
            timeout=timeout,
            headers=HEADERS,
        )
    except httpx.TimeoutException:
        return None
    elapsed = time.perf_counter() - started
    if r.status_code != 200:
        raise RuntimeError(f"{url}: {r.status_code} {r.text[:200]}")
    return elapsed


def latencies(
    servers: dict[str, Server],
    timeouts: dict[str, float],
    restart: Callable[[str], None],
    budget: float,
    max_rounds: int,
) -> dict[str, dict[str, float | None]]:
    """Median latency per query and server, the servers taking turns request by request
    (in alternating order), so that drift in the machine's speed hits all alike. One
    warm-up request each first; a server whose query times out is restarted at once (the
    query may still be running) and reported as over its timeout."""
    out: dict[str, dict[str, float | None]] = {name: {} for name in servers}
    for query_name, query in QUERIES.items():
        cpu_before = {name: server.cpu() for name, server in servers.items()}
        clients = {name: httpx.Client() for name in servers}
        live: list[str] = []
        cost = 0.0
        for name, server in servers.items():
            first = timed_query(clients[name], server.url, query, timeouts[name])
            if first is None:
                out[name][query_name] = None
                restart(name)
            else:
                live.append(name)
                cost += first
        rounds = 1 if cost > 30 else max(3, min(max_rounds, int(budget / max(cost, 1e-6))))
        samples: dict[str, list[float]] = {name: [] for name in live}
        for i in range(rounds):
            for name in live if i % 2 == 0 else live[::-1]:
                t = timed_query(clients[name], servers[name].url, query, timeouts[name])
                assert t is not None, f"{name} timed out on {query_name} after a warm-up"
                samples[name].append(t)
        for name in live:
            out[name][query_name] = statistics.median(samples[name])
            used = servers[name].cpu() - cpu_before[name]
            CPU.setdefault(name, {})[query_name] = used / (len(samples[name]) + 1)
        for client in clients.values():
            client.close()
    return out


# server CPU seconds per request, per server and query (filled by latencies())
CPU: dict[str, dict[str, float]] = {}


def throughput(server: Server, queries: list[str], clients: int, seconds: float) -> float:
    """Requests per second with ``clients`` concurrent clients cycling through ``queries``."""
    done = [0] * clients
    stop = time.monotonic() + seconds

    def loop(k: int) -> None:
        with httpx.Client() as client:
            i = k
            while time.monotonic() < stop:
                timed_query(client, server.url, queries[i % len(queries)], 120)
                done[k] += 1
                i += 1

    threads = [threading.Thread(target=loop, args=(k,)) for k in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.monotonic() - started)


def fmt_time(t: float | None, timeout: float) -> str:
    if t is None:
        return f">{timeout:g} s"
    return f"{t * 1000:.1f} ms" if t < 1 else f"{t:.2f} s"


def ratio(slow: float | None, fast: float | None, timeout: float) -> str:
    if fast is None:
        return "n/a"
    if slow is None:
        return f">{timeout / fast:.0f}×"
    return f"{slow / fast:.1f}×"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=20_000)
    parser.add_argument("--projects", type=int, default=15_000)
    parser.add_argument("--budget", type=float, default=20.0, help="seconds of rounds per query")
    parser.add_argument("--max-rounds", type=int, default=300)
    parser.add_argument("--peer-timeout", type=float, default=120.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--workers", type=int, default=4, help="helixgraph query workers")
    parser.add_argument("--skip-peer", action="store_true")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="helixgraph-bench-"))
    trig = work / "ecosystem.trig"
    trig.write_text(synthetic_trig(args.orgs, args.projects))
    store_path = work / "store"
    with replacing(store_path) as store:
        store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
        quads = len(store)
    on_disk = disk_size(link_target(store_path))
    copied = "copied into memory" if on_disk <= Limits().memory_copy_bytes else "read from disk"
    print(
        f"data: {quads:,} quads ({args.orgs:,} organisations, {args.projects:,} projects), "
        f"{on_disk / 1e6:.0f} MB on disk ({copied} by helixgraph's workers), "
        f"{os.cpu_count()} CPUs\n"
    )

    rates: dict[str, dict[str, float]] = {}
    mixes = {
        "lookup+join": [QUERIES["name lookup"], QUERIES["partners of a hub (2-hop join)"]],
        "aggregate": [QUERIES["funding summed by helix (aggregate)"]],
    }
    starters: list[tuple[str, Callable[[], Server]]] = [
        ("oxigraph serve", lambda: start_oxigraph(store_path)),
        ("helixgraph", lambda: start_helixgraph(store_path, False, args.workers)),
        ("helixgraph (disk)", lambda: start_helixgraph(store_path, False, args.workers, False)),
        ("helixgraph (cache on)", lambda: start_helixgraph(store_path, True, args.workers)),
    ]
    if not args.skip_peer:
        starters.append(("rdflib-endpoint", lambda: start_peer(trig, work)))
    servers: dict[str, Server] = {}
    try:
        for name, start in starters:
            started = time.monotonic()
            servers[name] = start()
            print(f"{name}: ready in {time.monotonic() - started:.1f} s", flush=True)
        timeouts = {name: 600.0 for name in servers}
        timeouts["rdflib-endpoint"] = args.peer_timeout
        starter = dict(starters)

        def restart(name: str) -> None:
            servers[name].stop()
            servers[name] = starter[name]()

        results = latencies(servers, timeouts, restart, args.budget, args.max_rounds)
        for name, server in servers.items():  # one server at a time, the others idle
            rates[name] = {}
            for mix, queries in mixes.items():
                if name == "rdflib-endpoint" and mix == "aggregate":
                    continue  # seconds per request: the run would take minutes for a few requests
                rates[name][mix] = throughput(server, queries, args.clients, args.seconds)
    finally:
        for server in servers.values():
            server.stop()

    servers = list(results)
    print("\nmedian latency per query (HTTP, loopback; the servers take turns)\n")
    print("| query | " + " | ".join(servers) + " | peer / helixgraph | helixgraph / oxigraph |")
    print("|---" * (len(servers) + 3) + "|")
    peer = results.get("rdflib-endpoint", {})
    for q in QUERIES:
        cells = [fmt_time(results[s][q], args.peer_timeout) for s in servers]
        helix, oxi = results["helixgraph"][q], results["oxigraph serve"][q]
        print(
            f"| {q} | "
            + " | ".join(cells)
            + f" | {ratio(peer.get(q), helix, args.peer_timeout) if peer else 'n/a'}"
            + f" | {ratio(helix, oxi, 600)} |"
        )
    print("\nserver CPU per request (the server and its query workers; robust to load)\n")
    print("| query | " + " | ".join(servers) + " | helixgraph / oxigraph |")
    print("|---" * (len(servers) + 2) + "|")
    for q in QUERIES:
        cells = [f"{CPU[s][q] * 1e6:.0f} µs" if q in CPU.get(s, {}) else "—" for s in servers]
        helix_cpu, oxi_cpu = CPU["helixgraph"].get(q), CPU["oxigraph serve"].get(q)
        rel = f"{helix_cpu / oxi_cpu:.1f}×" if helix_cpu and oxi_cpu else "n/a"
        print(f"| {q} | " + " | ".join(cells) + f" | {rel} |")
    print(f"\nthroughput, {args.clients} concurrent clients for {args.seconds:g} s (requests/s)\n")
    print("| mix | " + " | ".join(servers) + " | helixgraph / peer | oxigraph / helixgraph |")
    print("|---" * (len(servers) + 3) + "|")
    for mix in mixes:
        cells = [f"{rates[s][mix]:.1f}" if mix in rates[s] else "—" for s in servers]
        helix_rate, oxi_rate = rates["helixgraph"][mix], rates["oxigraph serve"][mix]
        peer_rate = rates.get("rdflib-endpoint", {}).get(mix)
        versus_peer = f"{helix_rate / peer_rate:.1f}×" if peer_rate else "n/a"
        print(
            f"| {mix} | " + " | ".join(cells) + f" | {versus_peer} | {oxi_rate / helix_rate:.1f}× |"
        )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
