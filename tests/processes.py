"""Servers as child processes, for the tests and the benchmarks: a free loopback port,
waiting until a server answers, stopping it; and how the headless browser is started."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx

CHROMIUM = os.environ.get("HELIXGRAPH_CHROMIUM", "/usr/bin/chromium")  # Debian's package
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_answering(
    proc: subprocess.Popen[bytes],
    url: str,
    what: str,
    *,
    params: dict[str, str] | None = None,
    log: Path | None = None,
    timeout: float = 60.0,
    interval: float = 0.1,
    answered: Callable[[httpx.Response], bool] = lambda r: r.status_code == 200,
) -> None:
    """Poll ``url`` until it answers, or raise RuntimeError naming ``what`` (with its log).
    A server that exits meanwhile fails at once; one that never answers is killed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}: {_tail(log)}")
        try:
            if answered(httpx.get(url, params=params, timeout=5)):
                return
        except httpx.TransportError:
            pass
        time.sleep(interval)
    stop(proc, grace=0)
    raise RuntimeError(f"{what} did not answer in {timeout:g} s: {_tail(log)}")


def stop(proc: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """Terminate ``proc``, and kill it if it has not exited after ``grace`` seconds."""
    if proc.poll() is not None:
        return
    if grace > 0:
        proc.terminate()
        try:
            proc.wait(grace)
            return
        except subprocess.TimeoutExpired:
            pass
    proc.kill()
    proc.wait()


def _tail(log: Path | None) -> str:
    if log is None or not log.exists():
        return "(no log)"
    return log.read_text(errors="replace")[-4000:]


def _stat(pid: int | str) -> list[str]:
    """The fields of ``/proc/PID/stat`` after the command name (state, ppid, …)."""
    return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()


def children(pid: int, module: bytes) -> list[int]:
    """Pids of the live processes ``pid`` started as ``python -m MODULE …``."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
            stat = _stat(proc.name)
        except (OSError, IndexError):
            continue
        if module in argv and int(stat[1]) == pid and stat[0] != "Z":
            found.append(int(proc.name))
    return found


def alive(pids: list[int]) -> list[int]:
    """Those of ``pids`` still running (not gone, not zombies)."""
    out = []
    for pid in pids:
        try:
            state = _stat(pid)[0]
        except (OSError, IndexError):
            continue
        if state != "Z":
            out.append(pid)
    return out


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) used so far by ``pids``."""
    total = 0.0
    for pid in pids:
        try:
            stat = _stat(pid)
        except (OSError, IndexError):
            continue
        total += (int(stat[11]) + int(stat[12])) / 100  # utime + stime, in ticks
    return total
