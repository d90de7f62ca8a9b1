"""Load test: 50 concurrent clients for 60 s on a live server, with one runaway query.

    .venv/bin/python benchmarks/load_test.py                 # builds the seed store, 50 x 60 s
    .venv/bin/python benchmarks/load_test.py --clients 10 --duration 15 --store var/store

The server (uvicorn, as ``helixgraph serve`` runs it) and the clients (an asyncio httpx
client) are separate processes on loopback. Each client loops over a weighted mix of
SPARQL queries (repeated ones the result cache answers, and ones with a random LIMIT it
does not), JSON resources and metrics, map pages and map data, and the HTML pages. At a
third of the run one extra request sends a cartesian-product COUNT that runs until the
server's timeout stops it; latencies are reported before, during and after it.

With ``wrk`` installed, ``--wrk`` adds a 10 s wrk run on one cached JSON endpoint.

Prints one table (p50/p99 per class and per endpoint, throughput, errors) and writes it
to ``benchmarks/results/load_test.txt``. A benchmark, not a test: nothing here fails a
build; read the numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]
from tests.processes import free_port, wait_answering  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "load_test.txt"

HX = "PREFIX hx: <https://w3id.org/helixgraph/ontology#> "
SKOS = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
ORG = "PREFIX org: <http://www.w3.org/ns/org#> "
SPARQL = [
    SKOS + 'SELECT ?o WHERE { ?o skos:prefLabel "University of Twente"@en }',
    HX + SKOS + "SELECT ?h (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o hx:helix ?h } GROUP BY ?h",
    HX + ORG + SKOS + "SELECT DISTINCT ?p ?l WHERE { <https://w3id.org/helixgraph/id/org/umcg> "
    "(org:memberOf|^org:memberOf|hx:partnerOf|^hx:partnerOf) ?x . ?x (org:memberOf|^org:memberOf"
    "|hx:partnerOf|^hx:partnerOf) ?p . ?p skos:prefLabel ?l }",
]
UNCACHED = HX + SKOS + "SELECT ?o ?l WHERE {{ ?o a hx:Organisation ; skos:prefLabel ?l }} LIMIT {n}"
ERRORS: Counter[str] = Counter()
PENDING = 1  # the status recorded for "503 + Retry-After" (being computed): not an error
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"

# (class, name, path, params, weight)
MIX: list[tuple[str, str, str, dict[str, str], int]] = [
    ("json", "organisations", "/api/organisations", {"limit": "50"}, 8),
    ("json", "organisation", "/api/organisations/umcg", {}, 8),
    ("json", "centrality", "/api/metrics/centrality", {}, 4),
    ("json", "helix", "/api/metrics/helix", {}, 3),
    ("json", "funding", "/api/funding/flows", {}, 3),
    ("json", "sources", "/api/sources", {}, 2),
    ("sparql", "sparql-cached", "/sparql", {}, 10),
    ("sparql", "sparql-uncached", "/sparql", {}, 5),
    ("json", "centrality-twente", "/api/metrics/centrality", {"region": "twente"}, 2),
    ("json", "brokerage-filtered", "/api/metrics/brokerage", {"start": "2018"}, 1),
    ("map", "map-page", "/map", {}, 3),
    ("map", "map-data", "/map/data", {}, 3),
    ("map", "map-region", "/map/data", {"region": "noord-nederland"}, 2),
    ("map", "map-helix", "/map/data", {"helix": "industry"}, 1),
    ("map", "map-filtered", "/map/data", {"start": "2018", "kind": "firm"}, 1),
    ("page", "home", "/", {}, 2),
    ("page", "query-page", "/query", {}, 1),
]


# ---------------------------------------------------------------------------- client


async def client_loop(
    http: Any,
    until: float,
    rng: random.Random,
    samples: list[tuple[str, str, float, float, int]],
    think: float,
) -> None:
    weights = [m[4] for m in MIX]
    while time.monotonic() < until:
        klass, name, path, params, _ = rng.choices(MIX, weights)[0]
        if name == "sparql-cached":
            params = {"query": rng.choice(SPARQL)}
        elif name == "sparql-uncached":
            params = {"query": UNCACHED.format(n=rng.randint(1, 100_000))}
        started = time.monotonic()
        try:
            r = await http.get(path, params=params)
            status = r.status_code
            await r.aread()
        except Exception as exc:  # noqa: BLE001 - any transport error is an error sample
            status = 0
            ERRORS[f"{name}: {type(exc).__name__}"] += 1
        if status == 503 and "retry-after" in r.headers:
            status = PENDING  # a view being computed said so at once: not an error
        elif status >= 400:
            ERRORS[f"{name}: HTTP {status}"] += 1
        samples.append((klass, name, started, time.monotonic() - started, status))
        if think:  # a person reading the answer: exponential, mean ``think`` seconds
            await asyncio.sleep(rng.expovariate(1 / think))


async def runaway(http: Any, at: float, out: dict[str, Any]) -> None:
    await asyncio.sleep(max(0.0, at - time.monotonic()))
    started = time.monotonic()
    try:
        r = await http.get("/sparql", params={"query": RUNAWAY}, timeout=120)
        out.update(status=r.status_code, body=r.text.strip()[:120])
    except Exception as exc:  # noqa: BLE001
        out.update(status=0, body=repr(exc))
    out.update(started=started, seconds=time.monotonic() - started)


async def run_clients(
    url: str, clients: int, duration: float, seed: int, think: float
) -> dict[str, Any]:
    import httpx

    samples: list[tuple[str, str, float, float, int]] = []
    # expire idle connections before uvicorn does (5 s): else a request can race the close
    limits = httpx.Limits(
        max_connections=clients + 1, max_keepalive_connections=clients + 1, keepalive_expiry=4.0
    )
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        t0 = time.monotonic()
        until = t0 + duration
        slow: dict[str, Any] = {}
        tasks = [
            client_loop(http, until, random.Random(seed + i), samples, think)
            for i in range(clients)
        ]
        await asyncio.gather(runaway(http, t0 + duration / 3, slow), *tasks)
    return {
        "t0": t0,
        "duration": duration,
        "samples": samples,
        "runaway": slow,
        "errors": dict(ERRORS),
    }


# ---------------------------------------------------------------------------- report


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def report(result: dict[str, Any], clients: int, timeout: float, think: float) -> str:
    samples = result["samples"]
    t0, duration = result["t0"], result["duration"]
    slow = result["runaway"]
    lines = [
        f"load test: {clients} clients x {duration:g} s on loopback, {os.cpu_count()} CPUs, "
        f"query timeout {timeout:g} s, think time {think:g} s (0: closed loop), "
        f"load average at the end {os.getloadavg()[0]:.1f}",
        f"requests: {len(samples)}  throughput: {len(samples) / duration:.0f} req/s  "
        f"errors (status 0 or >= 400): {sum(1 for s in samples if s[4] == 0 or s[4] >= 400)}",
        "",
        f"{'class / endpoint':<22}{'n':>7}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}"
        f"{'pending':>9}",
    ]
    groups: dict[str, list[tuple[str, str, float, float, int]]] = defaultdict(list)
    for s in samples:
        groups[s[0]].append(s)
        groups["  " + s[1]].append(s)
    order = [c for c in ("json", "sparql", "map", "page")]
    for klass in order:
        for key in [klass] + sorted(
            k for k in groups if k.startswith("  ") and groups[k][0][0] == klass
        ):
            rows = groups[key]
            ms = [s[3] * 1000 for s in rows]
            errors = sum(1 for s in rows if s[4] == 0 or s[4] >= 400)
            pending = sum(1 for s in rows if s[4] == PENDING)
            lines.append(
                f"{key:<22}{len(rows):>7}{pct(ms, 50):>9.1f}{pct(ms, 99):>9.1f}"
                f"{max(ms):>9.1f}{errors:>8}{pending:>9}"
            )
    for kind, n in sorted(result.get("errors", {}).items()):
        lines.append(f"error: {kind} x{n}")
    lines.append("")
    if slow:
        start, end = slow["started"], slow["started"] + slow["seconds"]
        lines.append(
            f"runaway query at t={start - t0:.1f} s: HTTP {slow['status']} after "
            f"{slow['seconds']:.2f} s ({slow['body']})"
        )
        windows = [("before", t0, start), ("during", start, end), ("after", end, t0 + duration)]
        lines.append(f"{'window':<10}{'class':<8}{'n':>7}{'p50 ms':>9}{'p99 ms':>9}")
        for label, a, b in windows:
            for klass in order:
                ms = [s[3] * 1000 for s in samples if s[0] == klass and a <= s[2] < b]
                if ms:
                    lines.append(
                        f"{label:<10}{klass:<8}{len(ms):>7}{pct(ms, 50):>9.1f}{pct(ms, 99):>9.1f}"
                    )
    return "\n".join(lines)


# ---------------------------------------------------------------------------- server


def start_server(store: Path, timeout: float, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELIXGRAPH_")}
    env.update(HELIXGRAPH_STORE=str(store), HELIXGRAPH_QUERY_TIMEOUT=str(timeout))
    env.update(HELIXGRAPH_CACHE=str(log.parent / "cache"))
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src")])
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "helixgraph_api.main:app", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning", "--no-access-log"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_answering(
            proc, url + "/sparql", "the server", params={"query": "ASK {}"}, log=log, timeout=120
        )
    except RuntimeError as exc:
        raise SystemExit(str(exc)) from None
    return proc, url


def ready(url: str, timeout: float) -> float:
    """Wait until ``/readyz`` says the build's default views are computed; the seconds."""
    import httpx

    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if httpx.get(url + "/readyz", timeout=10).status_code == 200:
            return time.monotonic() - start
        time.sleep(1)
    raise SystemExit(f"the default views were not ready after {timeout:g} s")


def tree_rss(pid: int) -> int:
    """The resident memory (bytes) of ``pid`` and every process below it."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    tree, grew = {pid}, True
    while grew:
        more = {p for p, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    total = 0
    for p in tree:
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * os.sysconf(
                "SC_PAGE_SIZE"
            )
        except (OSError, ValueError):
            continue
    return total


def warm(url: str) -> None:
    """One request per endpoint, so the first measured ones do not pay for rendering."""
    import httpx

    with httpx.Client(base_url=url, timeout=120) as http:
        for _, name, path, params, _ in MIX:
            if name.startswith("sparql"):
                continue
            r = http.get(path, params=params)
            if r.status_code != 503:
                r.raise_for_status()
        for q in SPARQL:
            http.get("/sparql", params={"query": q}).raise_for_status()


def run_wrk(url: str) -> str:
    proc = subprocess.run(
        ["wrk", "-t2", "-c50", "-d10s", "--latency", url + "/api/organisations/umcg"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return "wrk -t2 -c50 -d10s /api/organisations/umcg\n" + proc.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--timeout", type=float, default=10.0, help="the server's query timeout")
    ap.add_argument("--store", type=Path, help="an existing store (default: build the seed)")
    ap.add_argument("--wrk", action="store_true", help="also run wrk when it is installed")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--think", type=float, default=0.0, help="mean pause between a client's requests (s)"
    )
    ap.add_argument("--out", type=Path, default=RESULTS, help="where to write the table")
    ap.add_argument("--ready-timeout", type=float, default=900, help="seconds to wait for /readyz")
    ap.add_argument("--client", help=argparse.SUPPRESS)  # internal: run the clients at URL
    args = ap.parse_args()

    if args.client:  # the second process
        result = asyncio.run(
            run_clients(args.client, args.clients, args.duration, args.seed, args.think)
        )
        json.dump(result, sys.stdout)
        return

    tmp = Path(tempfile.mkdtemp(prefix="helixgraph-load-"))
    try:
        store = args.store
        if store is None:
            store = tmp / "store"
            subprocess.run(
                [sys.executable, "-m", "helixgraph", "build", "--store", str(store), "-q"],
                check=True, cwd=ROOT,
            )  # fmt: skip
        proc, url = start_server(store, args.timeout, tmp / "server.log")
        try:
            waited = ready(url, args.ready_timeout)
            warm(url)
            clients = subprocess.Popen(
                [sys.executable, __file__, "--client", url, "--clients", str(args.clients),
                 "--duration", str(args.duration), "--seed", str(args.seed),
                 "--think", str(args.think)],
                stdout=(tmp / "clients.json").open("w"), text=True,
            )  # fmt: skip
            peak = 0
            while clients.poll() is None:  # (a file, not a pipe: it would fill and block)
                peak = max(peak, tree_rss(proc.pid))
                time.sleep(1)
            out = (tmp / "clients.json").read_text()
            text = report(json.loads(out), args.clients, args.timeout, args.think)
            text += (
                f"\ndefault views ready {waited:.1f} s after the server answered"
                f"\nserver + workers peak RSS during the run: {peak / 2**20:.0f} MiB"
            )
            if args.wrk and shutil.which("wrk"):
                text += "\n\n" + run_wrk(url)
        finally:
            stopped = time.monotonic()
            proc.terminate()
            try:
                proc.wait(30)
                text_exit = f"\nSIGTERM -> exit in {time.monotonic() - stopped:.2f} s"
            except subprocess.TimeoutExpired:  # report it with the figures measured
                proc.kill()
                proc.wait()
                text_exit = "\nSIGTERM -> NO exit within 30 s (killed)"
        text += text_exit
        errors = [
            line for line in (tmp / "server.log").read_text().splitlines() if "Traceback" in line
        ]
        text += f"\nserver log: {len(errors)} traceback(s)\n"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
