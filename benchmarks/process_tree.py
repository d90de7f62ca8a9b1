"""The server's process tree for the benchmarks: its processes, their memory (RSS, PSS,
by role) and how long SIGTERM takes to end them all."""

from __future__ import annotations

import math
import os
import subprocess
import time
from pathlib import Path


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
