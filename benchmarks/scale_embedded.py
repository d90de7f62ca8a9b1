"""Benchmark: the embedded store at 10x and 100x the Horizon 2020 import, streamed.

``benchmarks/remote_load.py`` writes each scaled dataset to an N-Quads file and loads it
into the embedded store and an Oxigraph server; at 100x that file alone is 39 GB. This
script streams the copies straight into RocksDB's bulk loader instead (copy ``i > 0``
renames every ``https://w3id.org/helixgraph/id/`` IRI to ``.../id/r<i>/``, as there),
then prints load time, rate, size on disk, peak memory and the latency of the same four
queries, in-process:

    .venv/bin/python benchmarks/scale_embedded.py [--nquads h2020.nq] [--scales 10,100]

Not a test; run it by hand (about 30 GB of disk and half an hour at 100x).
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "benchmarks")]

from remote_load import ID, QUERIES, h2020_nquads  # noqa: E402

from helixgraph import store as hstore  # noqa: E402


def copies(base: Path, k: int) -> Iterator[bytes]:
    """``k`` copies of ``base`` in line-aligned chunks, copy ``i > 0`` renamed."""
    for i in range(k):
        with base.open("rb") as src:
            while chunk := src.read(1 << 24):
                chunk += src.readline()
                yield chunk if i == 0 else chunk.replace(ID, ID + f"r{i}/".encode())


class Stream(io.RawIOBase):
    """A read-only binary stream over an iterator of chunks (what ``bulk_load`` reads)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks
        self.left = memoryview(b"")  # a view: no copy of the rest of a chunk per read
        self.total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self.left:
            self.left = memoryview(next(self.chunks, b""))
            if not self.left:
                return 0
        n = min(len(buffer), len(self.left))
        buffer[:n] = self.left[:n]
        self.left = self.left[n:]
        self.total += n
        return n


def peak_rss_gb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1e6
    return float("nan")


def disk_gb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e9


def latency(st: ox.Store, query: str) -> str:
    """Median of 5 runs, or of 1 when the first run takes over 20 s."""
    times: list[float] = []
    while len(times) < (1 if times and times[0] > 20 else 5):
        t = time.perf_counter()
        list(st.query(query))  # type: ignore[arg-type]
        times.append(time.perf_counter() - t)
    m = statistics.median(times)
    runs = f"median of {len(times)}" if len(times) > 1 else "one run"
    shown = f"{m * 1000:.2f} ms" if m < 0.01 else f"{m * 1000:.1f} ms" if m < 1 else f"{m:.2f} s"
    return f"{shown} ({runs})"


def measure(base: Path, k: int, work: Path) -> None:
    path = work / f"x{k}" / "store"
    stream = Stream(copies(base, k))
    started = time.perf_counter()
    with hstore.replacing(path) as st:
        st.bulk_load(io.BufferedReader(stream, 1 << 20), format=ox.RdfFormat.N_QUADS)
    seconds = time.perf_counter() - started
    st = hstore.open_store(path)
    n = len(st)
    print(f"| {k}x | N-Quads streamed | {stream.total / 1e9:.2f} GB |", flush=True)
    print(f"| {k}x | quads in the store | {n:,} |")
    print(f"| {k}x | bulk load | {seconds:.0f} s ({n / seconds / 1000:.0f} k quads/s) |")
    print(f"| {k}x | store on disk | {disk_gb(path.resolve()):.2f} GB |")
    print(f"| {k}x | peak memory of this process so far | {peak_rss_gb():.1f} GB |", flush=True)
    for name, q in QUERIES.items():
        print(f"| {k}x | query: {name} | {latency(st, q)} |", flush=True)
    del st
    shutil.rmtree(path.parent, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nquads", type=Path, help="the 1x dataset (default: build it)")
    ap.add_argument("--scales", default="10,100")
    ap.add_argument("--work", type=Path, help="scratch directory (default: a temporary one)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="helixgraph-scale-"))
    base = args.nquads or h2020_nquads(work / "h2020.nq")
    print("| scale | measure | value |\n|---|---|---|")
    for k in (int(s) for s in args.scales.split(",")):
        measure(base, k, work)


if __name__ == "__main__":
    main()
