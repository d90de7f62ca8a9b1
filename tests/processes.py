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
