"""The load test's report (:mod:`load_test`): latencies per class and endpoint, before,
during and after the runaway query, and the issue 18 targets with what was measured."""

from __future__ import annotations

import math
import os
from collections import Counter, defaultdict
from typing import Any

PENDING = 1  # the status recorded for "503 + Retry-After" (being computed): not an error


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
