"""Benchmark: entity resolution of the imports, on real data — organisations, merges by
kind, ambiguities.

Two runs, each on a fresh store (HELIXGRAPH_STORE in a temporary folder,
HELIXGRAPH_NO_PRECOMPUTE=1):

* **default build**: ``helixgraph build -q`` (the seed and the regional extracts shipped
  in ``data/regional/``: ROR NL, CORDIS H2020, CORDIS Horizon Europe, each staged as an
  import against the seed and the extracts before it); the resolution of each extract is
  read by staging them again in this process (:func:`helixgraph.ingest.build.stage_regional`,
  what the build does, nothing written);
* **README recipe**: ``helixgraph build -q --seed-only``, ``helixgraph import ror <ror>``,
  ``helixgraph import cordis-h2020 <h2020.csv.gz> --region seed-regions``, each import with
  ``--report``, whose rows are counted.

For each import: merges by identifier scheme and by name, ambiguous cases by reason, and
the organisations in the store after it. ``--save FILE`` writes the figures as JSON,
``--before FILE`` prints them beside a saved run, ``--sample N`` prints N name merges of
each run (a fixed random sample) to check by hand. Not a test; it needs the shared data.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

from helixgraph import store as hstore
from helixgraph.vocab.namespace import HX

HELIXGRAPH = Path(sys.executable).with_name("helixgraph")
ORGS = f"SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{ ?o a <{HX.Organisation}> }}"
Figures = dict[str, object]


def _kind(rule: str) -> str:
    """A merge's kind: its identifier scheme, or ``name`` (the score dropped)."""
    return rule.split(" ", 1)[0]


def _reason(text: str) -> str:
    """An ambiguity's reason without its figures: "name close to N organisation(s) but…"."""
    text = re.sub(r"\s*\([^()]*\d[^()]*\)", "", text.split(";")[0])
    return re.sub(r"\d+", "N", text)


def tally(rows: list[dict[str, str]], orgs: int) -> Figures:
    merges = Counter(_kind(r["rule"]) for r in rows if r["outcome"] == "merged")
    ambiguous = Counter(_reason(r["rule"]) for r in rows if r["outcome"] == "ambiguous")
    names = [
        f"{r['name']} → {r['node_label']} ({r['node'].rsplit('/', 1)[-1]}; {r['rule']})"
        for r in rows
        if r["outcome"] == "merged" and _kind(r["rule"]) == "name"
    ]
    return {
        "organisations after": orgs,
        "merges": dict(sorted(merges.items())),
        "ambiguous": dict(sorted(ambiguous.items())),
        "name merges": names,
        "ambiguous cases": [
            f"{r['name']} ? {r['candidates'] or r['node']} — {r['rule']}"
            for r in rows
            if r["outcome"] == "ambiguous"
        ],
    }


def _org_count(store: object) -> int:
    return int(next(iter(store.query(ORGS)))["n"].value)  # type: ignore[attr-defined]


def default_build(env: dict[str, str]) -> dict[str, Figures]:
    from helixgraph.ingest.build import compile_all, stage_regional, to_oxigraph
    from helixgraph.ingest.paths import data_dir
    from helixgraph.ingest.resolve import report_rows
    from helixgraph.ingest.validate import ontology_dir
    from helixgraph.store.merge import merged

    subprocess.run([str(HELIXGRAPH), "build", "-q"], env=env, check=True)
    total = _org_count(hstore.open_store(Path(env["HELIXGRAPH_STORE"])))
    data, ontology = data_dir(), ontology_dir()
    seed = to_oxigraph(compile_all(data, ontology).dataset)
    staged = stage_regional(data, seed, ontology, "bench", lambda _: None)
    mem = ox.Store()
    mem.bulk_extend(seed)
    mem.bulk_extend(merged(seed))
    out: dict[str, Figures] = {"seed": {"organisations after": _org_count(mem)}}
    for s in staged:
        mem.bulk_extend(s.quads)
        mem.bulk_extend(merged(s.quads))
        out[s.graph.rsplit("/", 1)[-1]] = tally(report_rows(s.resolution), _org_count(mem))
    out["store built"] = {"organisations after": total}
    return out


def recipe(env: dict[str, str], shared: Path, tmp: Path) -> dict[str, Figures]:
    h2020 = str(shared / "cordis_h2020_eunets" / "h2020.csv.gz")
    steps = [
        ("import ror", ["import", "ror", str(shared / "ror")]),
        ("import cordis-h2020", ["import", "cordis-h2020", h2020, "--region", "seed-regions"]),
    ]
    subprocess.run([str(HELIXGRAPH), "build", "-q", "--seed-only"], env=env, check=True)
    out: dict[str, Figures] = {}
    for label, args in steps:
        report = tmp / f"{label.replace(' ', '-')}.csv"
        subprocess.run(
            [str(HELIXGRAPH), *args, "--report", str(report)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        with report.open(encoding="utf-8") as fh:
            rows = [r for r in csv.DictReader(fh) if r["outcome"] != "skipped"]
        out[label] = tally(rows, _org_count(hstore.open_store(Path(env["HELIXGRAPH_STORE"]))))
    return out


def measure(shared: Path) -> dict[str, dict[str, Figures]]:
    results: dict[str, dict[str, Figures]] = {}
    for run in ("default build", "README recipe"):
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(
                os.environ,
                HELIXGRAPH_STORE=str(Path(tmp) / "store"),
                HELIXGRAPH_NO_PRECOMPUTE="1",
            )
            os.environ["HELIXGRAPH_STORE"] = env["HELIXGRAPH_STORE"]
            if run == "default build":
                results[run] = default_build(env)
            else:
                results[run] = recipe(env, shared, Path(tmp))
            print(f"{run}: done", file=sys.stderr)
    return results


def _fmt(counts: object) -> str:
    if not isinstance(counts, dict) or not counts:
        return "-"
    return ", ".join(f"{k} {v}" for k, v in counts.items())


def table(after: dict[str, dict[str, Figures]], before: dict[str, dict[str, Figures]]) -> str:
    lines = []
    for run, steps in after.items():
        lines.append(f"## {run}")
        lines.append("| step | organisations after | merges by kind | ambiguous |")
        lines.append("|---|---|---|---|")
        for step, a in steps.items():
            b = before.get(run, {}).get(step, {})
            orgs = f"{b['organisations after']:,} → " if b else ""
            lines.append(
                f"| {step} | {orgs}{a['organisations after']:,} | "
                + (f"{_fmt(b.get('merges'))} → " if b else "")
                + f"{_fmt(a.get('merges'))} | "
                + (f"{_total(b.get('ambiguous'))} → " if b else "")
                + f"{_total(a.get('ambiguous'))} "
                + f"({_fmt(a.get('ambiguous'))}) |"
            )
        lines.append("")
    return "\n".join(lines)


def _total(counts: object) -> int:
    return sum(int(v) for v in counts.values()) if isinstance(counts, dict) else 0


def _pair(merge: str) -> tuple[str, str]:
    """(record name, node) of a merge as :func:`tally` writes it."""
    m = re.match(r"(.*?) → .*\(([^ ;()]+); ", merge)
    return (m[1], m[2]) if m else (merge, "")


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def sample(
    after: dict[str, dict[str, Figures]], before: dict[str, dict[str, Figures]], n: int
) -> str:
    """``n`` name merges of each run that the saved run did not make."""
    lines = []
    for run, steps in after.items():
        for step, a in steps.items():
            old = _strings(before.get(run, {}).get(step, {}).get("name merges"))
            old_pairs = {_pair(m) for m in old}
            new = [m for m in _strings(a.get("name merges")) if _pair(m) not in old_pairs]
            if new:
                lines.append(f"## {run}, {step}: {len(new)} name merges not made before")
                for m in random.Random(0).sample(new, min(n, len(new))):
                    lines.append(f"- {m}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path("/work/shared/data"))
    ap.add_argument("--save", type=Path, help="write the figures as JSON here")
    ap.add_argument("--before", type=Path, help="a saved run to print beside this one")
    ap.add_argument("--load", type=Path, help="print a saved run instead of measuring")
    ap.add_argument("--sample", type=int, default=0, help="print N new name merges per step")
    args = ap.parse_args()
    after = json.loads(args.load.read_text()) if args.load else measure(args.shared)
    if args.save:
        args.save.write_text(json.dumps(after, indent=2, ensure_ascii=False) + "\n")
    before = json.loads(args.before.read_text()) if args.before else {}
    print(table(after, before))
    if args.sample:
        print(sample(after, before, args.sample))


if __name__ == "__main__":
    main()
