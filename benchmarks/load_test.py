"""Load test: 50 concurrent clients for 60 s on a live server, with one runaway query.

    .venv/bin/python benchmarks/load_test.py                 # builds the seed store, 50 x 60 s
    .venv/bin/python benchmarks/load_test.py --clients 10 --duration 15 --store var/store

The server (uvicorn, as ``helixgraph serve`` runs it) and the clients (an asyncio httpx
client) are separate processes on loopback. Each client loops over a weighted mix of
SPARQL queries (repeated ones the result cache answers, and ones with a random LIMIT it
does not), JSON resources and metrics, map pages and map data, and the HTML pages. At a
third of the run one extra request sends a cartesian-product COUNT that runs until the
server's timeout stops it; latencies are reported before, during and after it.

The clients go on for ``--tail`` seconds after the measured window, and the server gets
SIGTERM at the window's end, under that load: the time it takes to exit is measured, and
what happened to the requests in flight then is reported apart (the window's figures are
the requests that started in it and ended before SIGTERM).

With ``wrk`` installed, ``--wrk`` adds a 10 s wrk run on one cached JSON endpoint (the
server is then stopped after it, not under the clients' load).

Prints one table (p50/p99 per class and per endpoint, throughput, errors) and the issue 18
targets (errors 0, JSON p99 < 100 ms, map p99 < 2 s, server + workers < 2 GiB RSS, exit
<= 5 s after SIGTERM under load, the runaway query stopped at the timeout) with the load
average of the machine before and after, and writes it to
``benchmarks/results/load_test.txt``. A benchmark, not a test: nothing here fails a build;
read the numbers (on a shared machine, with its load average).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
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
from helixgraph.cli.serve import uvicorn_argv  # noqa: E402
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
    window_end: float = 0.0,
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
            late = bool(window_end) and started >= window_end
            ERRORS[f"{'after the window, ' if late else ''}{name}: {type(exc).__name__}"] += 1
            if window_end and time.monotonic() > window_end:  # the server is stopping
                samples.append((klass, name, started, time.monotonic() - started, status))
                return
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
    url: str,
    clients: int,
    duration: float,
    seed: int,
    think: float,
    tail: float = 0.0,
    t0_file: Path | None = None,
) -> dict[str, Any]:
    import httpx

    samples: list[tuple[str, str, float, float, int]] = []
    # expire idle connections before uvicorn does (5 s): else a request can race the close
    limits = httpx.Limits(
        max_connections=clients + 1, max_keepalive_connections=clients + 1, keepalive_expiry=4.0
    )
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        t0 = time.monotonic()  # CLOCK_MONOTONIC: the same clock in the parent process
        if t0_file is not None:
            t0_file.write_text(repr(t0))
        until = t0 + duration + tail
        slow: dict[str, Any] = {}
        tasks = [
            client_loop(http, until, random.Random(seed + i), samples, think, t0 + duration)
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


def failed(sample: tuple[str, str, float, float, int]) -> bool:
    return sample[4] == 0 or sample[4] >= 400


def report(
    result: dict[str, Any],
    clients: int,
    timeout: float,
    think: float,
    sigterm_at: float = math.inf,
    load_before: float = math.nan,
) -> str:
    everything = result["samples"]
    t0, duration = result["t0"], result["duration"]
    # the window: started in it and answered before SIGTERM; the rest is the shutdown's
    samples = [s for s in everything if s[2] < t0 + duration and s[2] + s[3] <= sigterm_at]
    result["window"] = samples
    result["in_flight"] = [s for s in everything if s[2] < sigterm_at < s[2] + s[3]]
    slow = result["runaway"]
    lines = [
        f"load test: {clients} clients x {duration:g} s on loopback, {os.cpu_count()} CPUs, "
        f"query timeout {timeout:g} s, think time {think:g} s (0: closed loop), "
        f"load average (1 min) before {load_before:.1f}, at the end {os.getloadavg()[0]:.1f}",
        f"requests: {len(samples)}  throughput: {len(samples) / duration:.0f} req/s  "
        f"errors (status 0 or >= 400): {sum(1 for s in samples if failed(s))}",
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
            errors = sum(1 for s in rows if failed(s))
            pending = sum(1 for s in rows if s[4] == PENDING)
            lines.append(
                f"{key:<22}{len(rows):>7}{pct(ms, 50):>9.1f}{pct(ms, 99):>9.1f}"
                f"{max(ms):>9.1f}{errors:>8}{pending:>9}"
            )
    for kind, n in sorted(Counter(f"{s[1]}: status {s[4]}" for s in samples if failed(s)).items()):
        lines.append(f"error: {kind} x{n}")
    for kind, n in sorted(result.get("errors", {}).items()):
        lines.append(f"transport error: {kind} x{n}")
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


def targets(result: dict[str, Any], peak: int, exit_seconds: float, timeout: float) -> str:
    """The issue 18 targets, each with its measured figure and whether it is met."""
    window = result["window"]
    ms = {
        k: [s[3] * 1000 for s in window if s[0] == k or s[1] == k]
        for k in ("json", "map", "map-page")
    }
    errors = sum(1 for s in window if failed(s))
    slow = result["runaway"]
    runaway_ok = slow.get("status") in (503, 504) and slow.get("seconds", 99) < timeout + 5
    rows = [
        ("errors", f"{errors}", errors == 0, "0"),
        ("JSON p99", f"{pct(ms['json'], 99):.0f} ms", pct(ms["json"], 99) < 100, "< 100 ms"),
        ("map p99 (/map, /map/data)", f"{pct(ms['map'], 99):.0f} ms",
         pct(ms["map"], 99) < 2000, "< 2000 ms"),
        ("/map page p99", f"{pct(ms['map-page'], 99):.0f} ms",
         pct(ms["map-page"], 99) < 2000, "< 2000 ms"),
        ("server + workers peak RSS", f"{peak / 2**20:.0f} MiB", peak < 2 * 2**30, "< 2048 MiB"),
        ("exit after SIGTERM under load", f"{exit_seconds:.2f} s", exit_seconds <= 5, "<= 5 s"),
        ("runaway query stopped", f"HTTP {slow.get('status')} after "
         f"{slow.get('seconds', math.nan):.1f} s", runaway_ok, f"at the {timeout:g} s timeout"),
    ]  # fmt: skip
    flight = result.get("in_flight", [])
    lines = ["", f"{'issue 18 target':<32}{'measured':>22}  {'target':<22}met"]
    for name, value, ok, goal in rows:
        lines.append(f"{name:<32}{value:>22}  {goal:<22}{'yes' if ok else 'NO'}")
    lines.append(
        f"requests in flight at SIGTERM: {len(flight)}, "
        f"answered {sum(1 for s in flight if not failed(s))}"
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
        proc = subprocess.Popen(  # as ``helixgraph serve`` runs it (its shutdown bound too)
            uvicorn_argv("127.0.0.1", port, "--log-level", "warning", "--no-access-log"),
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


def tree_pss(pid: int) -> int:
    """The proportional set size (bytes) of ``pid`` and every process below it: shared
    pages (the libraries, a store's mapped files) counted once, not once per process."""
    total = 0
    for p in tree_pids(pid):
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            continue
    return total


def role(pid: int) -> str:
    """What a process of the server's tree is, from its command line."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "gone"
    text = b" ".join(argv).decode(errors="replace")
    for needle, name in (
        ("helixgraph.sparql", "SPARQL worker"),
        ("helixgraph.analytics ", "analytics worker"),
        ("analytics precompute", "precompute"),
        ("uvicorn", "web"),
    ):
        if needle in text + " ":
            return name
    return "other"


def tree_rss(pid: int) -> tuple[int, dict[str, tuple[int, int]]]:
    """The resident memory (bytes) of ``pid`` and every process below it, and by role
    (:func:`role`): bytes and number of processes."""
    total = 0
    by_role: dict[str, tuple[int, int]] = {}
    for p in tree_pids(pid):
        try:
            rss = int(Path(f"/proc/{p}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError):
            continue
        total += rss
        name = role(p)
        size, n = by_role.get(name, (0, 0))
        by_role[name] = (size + rss, n + 1)
    return total, by_role


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


def tree_pids(pid: int) -> set[int]:
    """``pid`` and every process below it."""
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
    return tree


def terminate(proc: subprocess.Popen[bytes], wait: float = 30.0) -> tuple[float, float]:
    """SIGTERM the server; the seconds until it exited and until every process of its
    tree (the SPARQL and analytics workers) was gone (``inf``: killed after ``wait``)."""
    tree = tree_pids(proc.pid)
    stopped = time.monotonic()
    proc.terminate()
    try:
        proc.wait(wait)
        server = time.monotonic() - stopped
    except subprocess.TimeoutExpired:  # report it with the figures measured
        proc.kill()
        proc.wait()
        server = math.inf
    while any(Path(f"/proc/{p}").exists() and not _zombie(p) for p in tree):
        if time.monotonic() - stopped > wait:
            return server, math.inf
        time.sleep(0.05)
    return server, time.monotonic() - stopped


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--tail", type=float, default=10.0, help="seconds of load after SIGTERM")
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
    ap.add_argument("--t0-file", type=Path, help=argparse.SUPPRESS)  # internal
    args = ap.parse_args()

    if args.client:  # the second process
        result = asyncio.run(
            run_clients(
                args.client, args.clients, args.duration, args.seed, args.think,
                args.tail, args.t0_file,
            )
        )  # fmt: skip
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
        exits = (math.nan, math.nan)
        try:
            waited = ready(url, args.ready_timeout)
            warm(url)
            load_before = os.getloadavg()[0]
            t0_file = tmp / "t0"
            tail = 0.0 if args.wrk else args.tail
            clients = subprocess.Popen(
                [sys.executable, __file__, "--client", url, "--clients", str(args.clients),
                 "--duration", str(args.duration), "--seed", str(args.seed),
                 "--think", str(args.think), "--tail", str(tail), "--t0-file", str(t0_file)],
                stdout=(tmp / "clients.json").open("w"), text=True,
            )  # fmt: skip
            peak, peak_pss, sigterm_at = 0, 0, math.inf
            peak_roles: dict[str, tuple[int, int]] = {}
            while clients.poll() is None:  # (a file, not a pipe: it would fill and block)
                if sigterm_at == math.inf:
                    rss, by_role = tree_rss(proc.pid)
                    if rss > peak:
                        peak, peak_roles = rss, by_role
                    peak_pss = max(peak_pss, tree_pss(proc.pid))
                t0 = float(t0_file.read_text()) if t0_file.exists() else math.inf
                if (
                    not args.wrk
                    and sigterm_at == math.inf
                    and time.monotonic() >= t0 + args.duration
                ):
                    sigterm_at = time.monotonic()  # under the clients' load
                    exits = terminate(proc)
                time.sleep(0.2)
            out = (tmp / "clients.json").read_text()
            result = json.loads(out)
            text = report(result, args.clients, args.timeout, args.think, sigterm_at, load_before)
            text += (
                f"\ndefault views ready {waited:.1f} s after the server answered"
                f"\nserver + workers peak RSS during the run: {peak / 2**20:.0f} MiB (summed over "
                f"the processes; PSS, shared pages once: {peak_pss / 2**20:.0f} MiB): "
                + ", ".join(
                    f"{name} {size / 2**20:.0f} MiB ({n})"
                    for name, (size, n) in sorted(peak_roles.items(), key=lambda kv: -kv[1][0])
                )
            )
            if args.wrk and shutil.which("wrk"):
                text += "\n\n" + run_wrk(url)
        finally:
            if proc.poll() is None:
                exits = terminate(proc)
        text += (
            f"\nSIGTERM{' under load' if not args.wrk else ''} -> server exit in {exits[0]:.2f} s,"
            f" every worker gone in {exits[1]:.2f} s"
        )
        text += targets(result, peak, max(exits), args.timeout)
        log_lines = (tmp / "server.log").read_text(errors="replace").splitlines()
        starts = [i for i, line in enumerate(log_lines) if "Traceback" in line]
        text += f"\nserver log: {len(starts)} traceback(s)\n"
        if starts:  # the first one's end: where it was raised and what
            first = log_lines[starts[0] : starts[0] + 200]
            end = next(
                (i for i, line in enumerate(first) if i and line and not line.startswith(" ")),
                len(first) - 1,
            )
            text += "\n".join(first[max(0, end - 8) : end + 1]) + "\n"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
