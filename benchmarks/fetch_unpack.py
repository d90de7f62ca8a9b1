"""Time and peak memory of unpacking a ROR data dump the size of ROR's current release.

The dump is synthetic in count only: the schema-v2 records of the shared ROR NL records
(``../shared/data/ror/ror_nl_records_latest.jsonl.gz``; else the test fixture) repeated
with fresh ids up to ``--records`` (ROR v2.9 holds 129,046), zipped like a Zenodo release.
The conversion (streaming JSON → the two flattened CSVs) runs in a child process so that
its peak RSS is its own.

    python benchmarks/fetch_unpack.py [--records 130000]

Prints a Markdown table. A benchmark, not a test: no time limits.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def sample() -> list[dict[str, object]]:
    from tests.shared_data import SHARED

    shared = SHARED / "data" / "ror" / "ror_nl_records_latest.jsonl.gz"
    if shared.exists():
        with gzip.open(shared, "rt", encoding="utf-8") as fh:
            records = [json.loads(line) for line in fh]
        return [r for r in records if "names" in r]
    data: list[dict[str, object]] = json.loads(
        (ROOT / "tests" / "fixtures" / "fetch" / "ror-v2-sample.json").read_text()
    )
    return data


def make_dump(path: Path, n: int) -> int:
    base = sample()
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf,
        zf.open("v2.9-2026-01-01-ror-data_schema_v2.json", "w") as fh,
    ):
        fh.write(b"[\n")
        for i in range(n):
            rec = dict(base[i % len(base)])
            rec["id"] = f"https://ror.org/0{i:08x}"
            fh.write((b",\n" if i else b"") + json.dumps(rec, ensure_ascii=False).encode())
        fh.write(b"\n]\n")
    with zipfile.ZipFile(path) as zf:
        return zf.infolist()[0].file_size


CHILD = """
import resource, sys, time
from pathlib import Path
from helixgraph.ingest.downloads import DOWNLOADS, prepare
t = time.perf_counter()
out = prepare(DOWNLOADS["ror"], Path(sys.argv[1]), Path(sys.argv[2]))
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, out)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, nargs="+", default=[10_000, 130_000])
    args = parser.parse_args()
    print("| records | JSON in the zip (MB) | zip (MB) | unpack s | records/s | peak RSS (MB) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in args.records:
        with tempfile.TemporaryDirectory() as tmp:
            dump = Path(tmp) / "ror-data.zip"
            json_bytes = make_dump(dump, n)
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(dump), str(Path(tmp) / "unpacked")],
                capture_output=True,
                text=True,
                check=True,
            )
            seconds, rss_kb, _ = done.stdout.split()
            s = float(seconds)
            print(
                f"| {n:,} | {json_bytes / 1e6:.0f} | {dump.stat().st_size / 1e6:.0f} | {s:.1f} "
                f"| {n / s:,.0f} | {int(rss_kb) / 1024:.0f} |"
            )


if __name__ == "__main__":
    main()
