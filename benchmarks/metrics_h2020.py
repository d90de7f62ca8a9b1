"""Benchmark: the full metric suite on the Horizon 2020 collaboration network.

Reads ``../shared/data/cordis_h2020_eunets/h2020.csv.gz`` (CORDIS, CC BY 4.0), writes it as
RDF in the shape of docs/data-model.md (one organisation per PIC with a helix from its
activity type, one hx:Project per record number, hx:participatesIn / hx:leads, an
hx:FundingAward per EC contribution), loads it into a fresh Oxigraph store, projects it
with :mod:`helixgraph.network` and times every metric. Then it measures the error of
sampled betweenness and closeness against exact values on a smaller graph (the Dutch
organisations tied by Societal Challenge 1 (health) projects: as dense as the whole
network, small enough for exact values in pure Python). Prints tables; not a test.

    python benchmarks/metrics_h2020.py [--k 64] [--closeness-k 64] [--part SC1]
    python benchmarks/metrics_h2020.py --backend parallel [--jobs 2] [--k 64]

``--backend NAME`` times only sampled betweenness (the one metric here that nx-parallel
implements), networkx itself against that networkx backend, on the collaboration graph
with and without evidence lists, and checks that both give the same values.

Activity type -> helix: HES, REC -> academia; PRC -> industry; PUB -> government;
OTH -> civil_society.

Measured 2026-11-23 on the 2-core development machine (shared with other work, so
single runs vary by up to ~1.5x), Python 3.11.7, networkx 3.6.1, no SciPy:

- 1,164,315 quads loaded in 36 s; collaboration projection 23 s (35,872 organisations,
  796,670 ties), bipartite 20 s, funding 20 s;
- the metric suite on the full graph in 265 s single-threaded, of which sampled
  betweenness (k=64) 63 s, constraint 49 s, effective size 49 s, eigenvector 25 s,
  brokerage 21 s, Louvain 20 s (Q = 0.420), PageRank 17 s, sampled closeness (k=64) 15 s;
  peak RSS 1.7 GB;
- T(UIG) = -0.058 bits over 31,451 projects; 304,646 closed U-I-G triads; E-I = 0.092;
- exact betweenness is O(nm): 150 s on the SC1 giant component (3,644 nodes, 84,818
  ties), so about 36k x 797k / (3.6k x 85k) ~ 90x that, i.e. hours, on the full graph.
  Sampled against exact there (seed 0): k=64 gives Spearman 0.995 and 15/20 of the top
  20, but a mean relative error of 34 % on the top 100 values; k=256: Spearman 0.998,
  18/20, 19 %. Sampled closeness: k=64 Spearman 0.974, 1.7 % relative error on the top
  100; k=256: 0.994, 1.0 %. Sampled betweenness ranks well; its values are rough.

``--backend parallel`` (nx-parallel 0.4, measured 2026-11-23 in a Python 3.12.1 venv
with networkx 3.6.1: nx-parallel 0.4 needs Python >= 3.12 and 0.3, the last for 3.11, fails
to import with networkx 3.6.1, ``_rescale_e`` being gone), 2 jobs on the 2 shared cores
(load average 2.5-3.7 from other work): sampled betweenness k=64 took 49.4 s on networkx
and 63.8 s on nx-parallel for the graph with evidence lists (each worker gets a pickled
copy), 55.8 s and 49.9 s for the ``evidence=False`` graph; the values agree to 3e-16 of
the largest. No gain worth a dependency on this machine.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import math
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from helixgraph import metrics, network
from helixgraph.metrics.synergy import QUADRUPLE_HELIX
from helixgraph.store.access import open_store, replacing

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "cordis_h2020_eunets" / "h2020.csv.gz"
PARTS = DATA.with_name("programme_parts.csv.gz")
HX = "https://w3id.org/helixgraph/ontology#"
ID = "https://w3id.org/helixgraph/id/"
GRAPH = "<https://w3id.org/helixgraph/graph/source/cordis-h2020>"
HELIX = {
    "HES": "academia",
    "REC": "academia",
    "PRC": "industry",
    "PUB": "government",
    "OTH": "civilSociety",
}
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def nquads(path: Path) -> tuple[bytes, int, dict[str, str]]:
    """The CORDIS rows as N-Quads; also the number of rows and PIC -> country."""
    lines: list[str] = []
    seen_org: set[str] = set()
    seen_project: set[str] = set()
    places: set[str] = set()
    country: dict[str, str] = {}
    rows = 0

    def q(s: str, p: str, o: str) -> None:
        lines.append(f"{s} {p} {o} {GRAPH} .\n")

    ec = f"<{ID}org/european-commission>"
    q(ec, RDF_TYPE, f"<{HX}Organisation>")
    q(ec, f"<{HX}helix>", f"<{HX}government>")
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            rows += 1
            org = f"<{ID}org/pic-{r['pic']}>"
            proj = f"<{ID}initiative/rcn-{r['rcn']}>"
            cc = r["country"].lower() or "unknown"
            if r["pic"] not in seen_org:
                seen_org.add(r["pic"])
                country[r["pic"]] = cc
                q(org, RDF_TYPE, f"<{HX}Organisation>")
                if r["type"] in HELIX:
                    q(org, f"<{HX}helix>", f"<{HX}{HELIX[r['type']]}>")
                q(org, f"<{HX}locatedIn>", f"<{ID}place/{cc}>")
                places.add(cc)
            if r["rcn"] not in seen_project:
                seen_project.add(r["rcn"])
                q(proj, RDF_TYPE, f"<{HX}Initiative>")
                q(proj, RDF_TYPE, f"<{HX}Project>")
                if r["start_date"]:
                    q(proj, f"<{HX}startDate>", f'"{r["start_date"]}"^^<{XSD}date>')
                if r["end_date"]:
                    q(proj, f"<{HX}endDate>", f'"{r["end_date"]}"^^<{XSD}date>')
            relation = "leads" if r["role"] == "coordinator" else "participatesIn"
            q(org, f"<{HX}{relation}>", proj)
            try:
                contribution = float(r["contribution"])
            except ValueError:  # "NA" in the source
                contribution = 0.0
            if contribution > 0:
                award = f"<{ID}award/h2020-{r['rcn']}-{r['pic']}>"
                q(award, RDF_TYPE, f"<{HX}FundingAward>")
                q(award, f"<{HX}funder>", ec)
                q(award, f"<{HX}recipient>", org)
                q(award, f"<{HX}amount>", f'"{contribution:.2f}"^^<{XSD}decimal>')
                q(award, f"<{HX}currency>", '"EUR"')
                if r["start_date"]:
                    q(award, f"<{HX}awardDate>", f'"{r["start_date"]}"^^<{XSD}date>')
    for cc in places:
        q(f"<{ID}place/{cc}>", RDF_TYPE, f"<{HX}Country>")
        q(f"<{ID}place/{cc}>", f"<{HX}partOf>", f"<{ID}place/europe>")
    return "".join(lines).encode(), rows, country


class Timer:
    def __init__(self) -> None:
        self.rows: list[tuple[str, float, str]] = []

    def __call__(
        self, name: str, fn: Callable[[], Any], note: Callable[[Any], str] = lambda _: ""
    ) -> Any:
        log(f"{name} ...")
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
        self.rows.append((name, seconds, note(result)))
        log(f"{name}: {seconds:.1f} s {note(result)}")
        return result


def spearman(a: list[float], b: list[float]) -> float:
    def ranks(x: list[float]) -> list[float]:
        order = sorted(range(len(x)), key=lambda i: x[i])
        r = [0.0] * len(x)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and x[order[j + 1]] == x[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2
            i = j + 1
        return r

    ra, rb = ranks(a), ranks(b)
    ma, mb = sum(ra) / len(ra), sum(rb) / len(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    va = math.sqrt(sum((x - ma) ** 2 for x in ra))
    vb = math.sqrt(sum((y - mb) ** 2 for y in rb))
    return cov / (va * vb) if va and vb else float("nan")


def sampling_error(exact: dict[Any, float], estimate: dict[Any, float], top: int = 20) -> str:
    nodes = list(exact)
    e = [exact[v] for v in nodes]
    s = [estimate[v] for v in nodes]
    top_exact = set(sorted(nodes, key=lambda v: -exact[v])[:top])
    top_est = set(sorted(nodes, key=lambda v: -estimate[v])[:top])
    scale = max(e) or 1.0
    mae = sum(abs(x - y) for x, y in zip(e, s, strict=True)) / len(e) / scale
    worst = max(abs(x - y) for x, y in zip(e, s, strict=True)) / scale
    top100 = sorted(nodes, key=lambda v: -exact[v])[:100]
    rel = sum(abs(estimate[v] - exact[v]) / exact[v] for v in top100) / len(top100)
    return (
        f"Spearman {spearman(e, s):.4f}; top-{top} overlap {len(top_exact & top_est)}/{top}; "
        f"mean abs error {mae:.1e} (max {worst:.1e}) of the largest value; "
        f"mean relative error of the top 100: {rel:.1%}"
    )


def part_subgraph(G: Any, part: str) -> Any:
    """Organisations tied through projects of one programme part (evidence ``via`` them)."""
    with gzip.open(PARTS, "rt", encoding="utf-8", newline="") as fh:
        wanted = {
            f"{ID}initiative/rcn-{r['rcn']}"
            for r in csv.DictReader(fh)
            if r["programme_part"] == part
        }
    H = nx.Graph()
    for u, v, d in G.edges(data=True):
        n = sum(1 for e in d["evidence"] if e["via"] in wanted)
        if n:
            H.add_edge(u, v, weight=n)
    return H


def compare_backend(t: Timer, graphs: dict[str, Any], args: argparse.Namespace) -> None:
    """Sampled betweenness with networkx and with ``args.backend``: time and difference."""
    if args.backend == "parallel":
        nx.config.backends.parallel.n_jobs = args.jobs
    rows = []
    for name, G in graphs.items():
        runs = {}
        for backend in ("networkx", args.backend):
            runs[backend] = t(
                f"betweenness k={args.k}, {backend}, {name}",
                lambda b=backend, G=G: metrics.betweenness(G, k=args.k, seed=args.seed, backend=b),
            )
        base, other = runs["networkx"], runs[args.backend]
        diff = max(abs(base[v] - other[v]) for v in G) / (max(base.values()) or 1.0)
        rows.append((name, diff))
    print(f"\nnetworkx {nx.__version__}, Python {platform.python_version()}, {args.jobs} jobs\n")
    print("| step | seconds |\n|---|---:|")
    for step, seconds, _ in t.rows:
        print(f"| {step} | {seconds:.1f} |")
    for name, diff in rows:
        print(f"\n{name}: largest difference {diff:.1e} of the largest value")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--k", type=int, default=64, help="betweenness sample size (sources)")
    ap.add_argument("--closeness-k", type=int, default=64, help="closeness sample size (pivots)")
    ap.add_argument("--part", default="SC1", help="programme part of the smaller exact graph")
    ap.add_argument("--region", default="nl", help="region filter to time a filtered projection")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--backend", help="compare sampled betweenness with this networkx backend")
    ap.add_argument("--jobs", type=int, default=2, help="workers of --backend parallel")
    args = ap.parse_args()
    t = Timer()

    data, rows, country = t(
        "read CSV, write N-Quads", lambda: nquads(DATA), lambda r: f"{r[1]:,} rows"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store"

        def load() -> int:
            with replacing(path) as st:
                st.bulk_load(data, ox.RdfFormat.N_QUADS)
                return len(st)

        t("load into Oxigraph", load, lambda n: f"{n:,} quads")
        store = open_store(path)
        G = t(
            "project collaboration graph",
            lambda: network.collaboration_graph(store),
            lambda G: f"{G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges",
        )
        if args.backend:
            bare = t(
                "project collaboration graph, evidence=False",
                lambda: network.collaboration_graph(store, evidence=False),
            )
            compare_backend(t, {"with evidence": G, "evidence=False": bare}, args)
            return
        B = t(
            "project bipartite graph",
            lambda: network.bipartite_graph(store),
            lambda B: f"{B.number_of_nodes():,} nodes, {B.number_of_edges():,} edges",
        )
        F = t(
            "project funding graph",
            lambda: network.funding_graph(store),
            lambda F: f"{F.number_of_edges():,} flows",
        )
        t(
            f"project collaboration graph, region={args.region}",
            lambda: network.collaboration_graph(store, network.Filters(region=args.region)),
            lambda H: f"{H.number_of_nodes():,} nodes, {H.number_of_edges():,} edges",
        )

    t("degree", lambda: metrics.degree(G))
    t("strength", lambda: metrics.strength(G))
    t("PageRank (weighted)", lambda: metrics.pagerank(G))
    t("eigenvector (weighted)", lambda: metrics.eigenvector(G, weight="weight"))
    t(f"betweenness, sampled k={args.k}", lambda: metrics.betweenness(G, k=args.k, seed=args.seed))
    t(
        f"closeness, sampled k={args.closeness_k}",
        lambda: metrics.closeness(G, k=args.closeness_k, seed=args.seed),
    )
    t("constraint (weighted)", lambda: metrics.constraint(G, weight="weight"))
    t("effective size (weighted)", lambda: metrics.effective_size(G, weight="weight"))
    br = t(
        "brokerage (helix groups)",
        lambda: metrics.brokerage(G),
        lambda r: f"{r['graph']['raw']['total']:,} brokered two-paths",
    )
    t("E-I index", lambda: metrics.ei_index(G), lambda r: f"E-I {r['overall']:.3f}")
    t("cross-helix matrix", lambda: metrics.cross_helix_matrix(G))
    t(
        "U-I-G closed triads",
        lambda: metrics.triple_helix_triads(G, limit=10),
        lambda r: f"{r['count']:,} triads",
    )
    projects = [v for v, d in B.nodes(data=True) if d["bipartite"] == 1]
    t(
        "synergy T(UIG)",
        lambda: metrics.helix_synergy(B, projects, group="helices"),
        lambda r: f"T = {r['T']:.4f} bits over {r['n']:,} projects",
    )
    t(
        "synergy four-helix T",
        lambda: metrics.helix_synergy(B, projects, group="helices", spheres=QUADRUPLE_HELIX),
        lambda r: f"T = {r['T']:.4f} bits",
    )
    t("funding totals", lambda: metrics.funding_totals(F), lambda r: f"EUR {r['total']:,.0f}")
    t(
        "Louvain communities (seed 0)",
        lambda: metrics.louvain_communities(G, seed=args.seed),
        lambda r: f"{len(r['communities']):,} communities, Q = {r['modularity']:.4f}",
    )
    metric_total = sum(
        s for name, s, _ in t.rows if not name.startswith(("read", "load", "project"))
    )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # sampling error against exact values on the smaller graph
    sub = part_subgraph(G, args.part)
    H = sub.subgraph(max(nx.connected_components(sub), key=len)).copy()
    small = f"{args.part} giant component"
    exact_b = t(
        f"exact betweenness, {small} ({len(H):,} nodes, {H.number_of_edges():,} ties)",
        lambda: metrics.betweenness(H),
    )
    exact_c = t(f"exact closeness, {small}", lambda: metrics.closeness(H))
    errors: list[tuple[str, str]] = []
    for k in (16, args.k, 256):
        est = t(
            f"betweenness k={k}, {small}", lambda k=k: metrics.betweenness(H, k=k, seed=args.seed)
        )
        errors.append((f"betweenness k={k}", sampling_error(exact_b, est)))
        est = t(f"closeness k={k}, {small}", lambda k=k: metrics.closeness(H, k=k, seed=args.seed))
        errors.append((f"closeness k={k}", sampling_error(exact_c, est)))

    print(
        f"\nH2020 collaboration network: {G.number_of_nodes():,} organisations, "
        f"{G.number_of_edges():,} ties; {rows:,} participations in {len(projects):,} projects"
    )
    print(
        f"machine: {platform.machine()}, Python {platform.python_version()}, "
        f"networkx {nx.__version__}; "
        f"peak RSS {peak_mb:,.0f} MB\n"
    )
    width = max(len(name) for name, _, _ in t.rows)
    print(f"| {'step':<{width}} | seconds | result |")
    print(f"|{'-' * (width + 2)}|--------:|--------|")
    for name, seconds, note in t.rows:
        print(f"| {name:<{width}} | {seconds:7.1f} | {note} |")
    print(f"\nmetric suite on the full graph: {metric_total:.1f} s in total")
    print(f"brokerage z (graph, total): {br['graph']['z']['total']}")
    print(
        f"\nsampling error on the {small} ({len(H):,} nodes, "
        f"{H.number_of_edges():,} ties), seed {args.seed}:\n"
    )
    print("| estimate | error against exact |\n|---|---|")
    for name, err in errors:
        print(f"| {name} | {err} |")


if __name__ == "__main__":
    main()
