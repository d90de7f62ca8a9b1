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

``--profile FILE`` records the web process with py-spy during the window and reports the
share of its samples spent compressing (gzip/zlib).

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
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]
from load_report import PENDING, report, targets  # noqa: E402
from process_tree import terminate, tree_pss, tree_rss  # noqa: E402

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


# ---------------------------------------------------------------------------- server


def start_server(
    store: Path, timeout: float, log: Path, code: Path | None = None, settings: tuple[str, ...] = ()
) -> tuple[subprocess.Popen[bytes], str]:
    """The server, from this checkout or from ``code`` (another checkout's ``api/`` and
    ``src/``, found before the installed packages: ``helixgraph_api`` links to its api/)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELIXGRAPH_")}
    env.update(HELIXGRAPH_STORE=str(store), HELIXGRAPH_QUERY_TIMEOUT=str(timeout))
    env.update(HELIXGRAPH_CACHE=str(log.parent / "cache"))
    env.update(item.split("=", 1) for item in settings)  # --set NAME=VALUE
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src")])
    if code is not None:
        shim = log.parent / "code"
        shim.mkdir(exist_ok=True)
        (shim / "helixgraph_api").symlink_to(code.resolve() / "api")
        env["PYTHONPATH"] = os.pathsep.join([str(shim), str(code.resolve() / "src"), str(ROOT)])
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


def profile(pid: int, out: Path, duration: float) -> subprocess.Popen[bytes] | None:
    """py-spy recording the web process ``pid`` (not its workers) for ``duration`` s."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        print("--profile: py-spy is not installed (pip install py-spy)", file=sys.stderr)
        return None
    argv = [spy, "record", "--pid", str(pid), "--rate", "50", "--format", "raw"]
    argv += ["--duration", str(max(1, int(duration))), "--output", str(out)]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def gzip_share(path: Path) -> str:
    """The share of the recorded samples (py-spy's raw format: a stack and a count per
    line) spent in gzip or zlib, and the heaviest frames."""
    total = compressing = busy = 0
    leaves: Counter[str] = Counter()
    if not path.exists():
        return f"profile: py-spy wrote no {path}"
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        leaf = frames[-1].split(" (")[0]
        if leaf not in WAITING:
            busy += n
            leaves[leaf] += n
        if any(f.startswith(COMPRESSING) or "zlib" in f for f in frames):
            compressing += n
    top = ", ".join(f"{name} {100 * n / max(busy, 1):.0f} %" for name, n in leaves.most_common(6))
    return (
        f"web process profile ({path.name}, {total} samples, {busy} not waiting): gzip/zlib "
        f"{compressing} samples = {100 * compressing / max(busy, 1):.1f} % of the busy ones; "
        f"heaviest busy frames: {top}"
    )


# a thread's frame at the top of its stack while it waits (py-spy counts them unless --idle)
WAITING = {"Condition.wait", "Runner.run", "_PollLikeSelector.select", "select", "sleep", "wait"}
COMPRESSING = ("GZipResponder._compress_body", "compress (", "Compressed.get")


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
    ap.add_argument(
        "--profile",
        type=Path,
        help="record the web process with py-spy during the window (raw, to this file) and "
        "report the share of its samples in gzip/zlib",
    )
    ap.add_argument(
        "--code",
        type=Path,
        help="serve another checkout's code (git archive REV api src data ontology | tar -x -C "
        "DIR), e.g. to profile the code before a change",
    )
    ap.add_argument(
        "--only", help="only the requests of one class of the mix (json, sparql, map, page)"
    )
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="HELIXGRAPH_X=VALUE",
        help="a server setting for this run (e.g. HELIXGRAPH_MEMORY_COPY_BYTES=0); repeatable",
    )
    ap.add_argument("--client", help=argparse.SUPPRESS)  # internal: run the clients at URL
    ap.add_argument("--t0-file", type=Path, help=argparse.SUPPRESS)  # internal
    args = ap.parse_args()
    if args.only:
        MIX[:] = [m for m in MIX if m[0] == args.only]
        if not MIX:
            raise SystemExit(f"--only: no request of class {args.only!r} in the mix")

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
        proc, url = start_server(
            store, args.timeout, tmp / "server.log", args.code, tuple(args.set)
        )
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
                 "--think", str(args.think), "--tail", str(tail), "--t0-file", str(t0_file),
                 *(["--only", args.only] if args.only else [])],
                stdout=(tmp / "clients.json").open("w"), text=True,
            )  # fmt: skip
            spy = profile(proc.pid, args.profile, args.duration) if args.profile else None
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
            profiled = ""
            if spy is not None and args.profile:
                spy.wait(timeout=60)
                profiled = gzip_share(args.profile)
                print(profiled, file=sys.stderr, flush=True)
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
            if profiled:
                text += "\n" + profiled
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
