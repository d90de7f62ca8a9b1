"""``helixgraph metrics`` and ``helixgraph analyze``: the network science from the command line.

The network, metrics and maps wings (networkx, SciPy, igraph) are imported inside the
commands that use them, so ``helixgraph --help``, ``build`` and ``import`` never load them.

``metrics`` computes a family of metrics on the knowledge graph's projections (with the
same filters as the API) and prints tables; ``analyze`` runs the same suite on any
network a researcher brings as CSV and prints JSON.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from helixgraph import store as hstore
from helixgraph.cli import filters
from helixgraph.cli.app import StoreOpt, commands, err, fail, open_or_fail, out

app = commands()
# helixgraph.analytics.suite.STORE_FAMILIES and helixgraph.network.DEFAULT_WEIGHTING,
# spelled here so that declaring the commands imports neither (tests/cli check they agree)
STORE_FAMILIES = ("centrality", "structural_holes", "brokerage", "helix", "communities", "funding")
DEFAULT_WEIGHTING = "count"
# the environment variable that turns the background precompute off
# (helixgraph.analytics.precompute.NO_PRECOMPUTE_ENV)
NO_PRECOMPUTE_ENV = "HELIXGRAPH_NO_PRECOMPUTE"


def _fmt(x: Any) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


def _print_metrics(result: dict[str, Any], top: int) -> None:
    family, labels = result["family"], result.get("labels", {})
    out.print(
        f"[bold]{family}[/bold]  graph: {result['graph']}  filters: {result['filters'] or 'none'}"
    )
    body: Any = result.get("result")
    if family in ("centrality", "structural_holes"):
        rows = list(body.items())
        first = "pagerank" if family == "centrality" else "constraint"
        rows.sort(
            key=lambda kv: (
                (-(kv[1].get(first) or 0.0))
                if family == "centrality"
                else (kv[1].get(first) is None, kv[1].get(first) or 0.0)
            )
        )
        columns = list(rows[0][1]) if rows else []
        table = Table("organisation", *columns)
        for v, vals in rows[:top]:
            table.add_row(labels.get(v) or v, *(_fmt(vals.get(c)) for c in columns))
        out.print(table)
    elif family == "brokerage" and body.get("note"):
        out.print(body["note"])
    elif family == "brokerage":
        roles = body["roles"]
        table = Table("", *roles)
        for what in ("raw", "expected", "z"):
            table.add_row(f"graph {what}", *(_fmt(body["graph"][what][r]) for r in roles))
        out.print(table)
        nodes = sorted(body["nodes"].items(), key=lambda kv: -kv[1]["raw"]["total"])
        table = Table("organisation", "group", "total", "z", *roles[:-1])
        for v, x in nodes[:top]:
            table.add_row(
                labels.get(v) or v,
                _fmt(x["group"]),
                str(x["raw"]["total"]),
                _fmt(x["z"]["total"]),
                *(str(x["raw"][r]) for r in roles[:-1]),
            )
        out.print(table)
    elif family == "helix":
        ei = body["ei_index"]
        out.print(
            f"E-I index overall: {_fmt(ei['overall'])} (external {ei['external']:g}, "
            f"internal {ei['internal']:g})"
        )
        table = Table("helix", "E-I", *body["matrix"].keys())
        for g, row in body["matrix"].items():
            table.add_row(g, _fmt(ei["groups"].get(g)), *(_fmt(x) for x in row.values()))
        out.print(table)
        tri = body["triads"]
        out.print(f"closed academia-industry-government triads: {tri['count']}")
        for name, s in body["synergy"].items():
            if not isinstance(s, dict):
                continue
            out.print(f"synergy {name}: T = {_fmt(s['T'])} bits over {s['n']} initiatives")
    elif family == "communities":
        out.print(
            f"modularity {body['modularity']:.4f} (seed {body['seed']}), "
            f"{len(body['communities'])} communities"
        )
        table = Table("community", "size", "helices", "members")
        for c in body["communities"][:top]:
            names = ", ".join(labels.get(v) or v for v in c["members"][:5])
            more = "…" if c["size"] > 5 else ""
            table.add_row(str(c["id"]), str(c["size"]), json.dumps(c["helices"]), names + more)
        out.print(table)
    elif family == "funding":
        totals = result["totals"]
        out.print(f"total {totals['total']:,.2f} over {totals['awards']} awards")
        for key in ("by_funder", "by_recipient_helix", "by_region", "by_year"):
            table = Table(key, "amount")
            for k, x in list(totals[key].items())[:top]:
                table.add_row(str(labels.get(k) or k), f"{x:,.2f}")
            out.print(table)


Seed = Annotated[int, typer.Option(help="Seed for sampling and Louvain.")]


@app.command("metrics")
def metrics_cmd(
    family: Annotated[
        str, typer.Argument(help=f"One of: {', '.join(STORE_FAMILIES)}.")
    ] = "centrality",
    store: Annotated[
        Path | None, typer.Option(help="Store path (default $HELIXGRAPH_STORE).")
    ] = None,
    region: filters.Region = None,
    helix: filters.Helix = None,
    source: filters.Source = None,
    start: filters.Start = None,
    end: filters.End = None,
    include_undated: filters.IncludeUndated = False,
    weighting: filters.Weighting = DEFAULT_WEIGHTING,
    top: Annotated[int, typer.Option(help="Rows per table.")] = 20,
    betweenness_k: Annotated[
        int | None,
        typer.Option(min=2, help="Sample size for betweenness (default: exact up to 5,000 nodes)."),
    ] = None,
    seed: Seed = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Network metrics of the knowledge graph, printed as tables (cached per build)."""
    from helixgraph import network
    from helixgraph.analytics import suite

    try:
        where = network.Filters(
            region=region,
            helix=helix,
            source=source,
            start=start,
            end=end,
            include_undated=include_undated,
        )
        network.check_weighting(weighting)
        st = hstore.open_store(store)
        params: dict[str, Any] = {
            "filters": where.as_dict(),
            "betweenness_k": betweenness_k,
            "seed": seed,
        }
        if weighting != network.DEFAULT_WEIGHTING:  # the default keeps the cache keys it had
            params["weighting"] = weighting
        result = suite.ResultCache().get_or_compute(
            suite.graph_version(store),
            family,
            params,
            lambda: suite.store_metrics(
                st, family, where, betweenness_k=betweenness_k, seed=seed, weighting=weighting
            ),
        )
    except (hstore.StoreError, ValueError) as exc:
        raise fail(str(exc)) from None
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2, allow_nan=False) + "\n")
    else:
        _print_metrics(result, top)


@app.command("analyze")
def analyze_cmd(
    edges: Annotated[Path, typer.Option(help="CSV edge list with a header row.")],
    nodes: Annotated[
        Path | None, typer.Option(help="CSV node table (id column first or 'id').")
    ] = None,
    group: Annotated[
        str | None, typer.Option(help="Node-table column holding each node's group.")
    ] = None,
    directed: Annotated[
        bool, typer.Option("--directed", help="Read the edges as directed.")
    ] = False,
    weight: Annotated[str | None, typer.Option(help="Edge column holding tie weights.")] = None,
    source_column: Annotated[
        str | None, typer.Option(help="Edge column of the tie's source.")
    ] = None,
    target_column: Annotated[
        str | None, typer.Option(help="Edge column of the tie's target.")
    ] = None,
    family: Annotated[
        list[str] | None, typer.Option(help="Metric family (repeatable); default all.")
    ] = None,
    betweenness_k: Annotated[
        int | None,
        typer.Option(
            min=2,
            help="Sample size for betweenness (default: exact up to 5,000 nodes, else 256).",
        ),
    ] = None,
    closeness_k: Annotated[int | None, typer.Option(help="Sample size for closeness.")] = None,
    seed: Seed = 0,
) -> None:
    """Run the metric suite on any network given as CSV and print JSON."""
    from helixgraph.analytics import suite
    from helixgraph.cli.network_csv import InputError, read_network

    try:
        G = read_network(
            edges,
            nodes,
            group=group,
            directed=directed,
            weight=weight,
            source_column=source_column,
            target_column=target_column,
        )
        families = tuple(family) if family else suite.FAMILIES
        if group is None:
            families = tuple(f for f in families if f not in ("brokerage", "helix"))
        betweenness_k, closeness_k = suite.sample_sizes(len(G), betweenness_k, closeness_k)
        result = suite.metric_suite(
            G,
            weight="weight" if weight else None,
            families=families,
            betweenness_k=betweenness_k,
            closeness_k=closeness_k,
            seed=seed,
        )
    except (InputError, ValueError) as exc:
        raise fail(str(exc)) from None
    sys.stdout.write(json.dumps(result, indent=2, allow_nan=False, default=str) + "\n")


analytics_app = typer.Typer(
    name="analytics",
    help="The analytics stored with a build (the metrics and maps of the default views).",
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(analytics_app)


@analytics_app.command("precompute")
def precompute_cmd(
    store: StoreOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    nice: Annotated[bool, typer.Option("--nice", hidden=True)] = False,
    with_parent: Annotated[bool, typer.Option("--with-parent", hidden=True)] = False,
) -> None:
    """Compute the metrics, map projections and positions of the default views (the whole
    graph, each region, each helix) once and store them with the current build; ``build``
    and ``import`` start this in the background, and ``serve`` when a build lacks them."""
    from helixgraph.analytics import workers

    if with_parent:
        workers.exit_with_parent()
    if nice:
        with contextlib.suppress(OSError):
            os.nice(10)  # the web server's requests and the user's shell come first
    result = precompute_store(store or hstore.default_path(), say=None if quiet else out.print)
    if not quiet:
        status = {
            "ready": "ready",
            "busy": "being computed by another process",
            "superseded": "stopped: a newer build replaced this one",
        }[result["status"]]
        out.print(f"default views of {result['version']}: {status} ({result['seconds']:.1f} s)")


def precompute_store(path: Path, say: Callable[[str], None] | None = None) -> dict[str, Any]:
    """:func:`helixgraph.analytics.precompute.precompute` of the store at ``path``'s current
    build, with the maps' projections of the default views."""
    from helixgraph.analytics import precompute
    from helixgraph.catalog.version import graph_version
    from helixgraph.maps import base, prerender
    from helixgraph.store.remote import RemoteStore

    remote = hstore.is_remote(path)
    target = str(path.absolute()) if remote else hstore.link_target(path)
    st = open_or_fail(path)
    # as the server names it (api.etags.version_of)
    version = st.version() if isinstance(st, RemoteStore) else graph_version(st)
    cache = str(precompute.root(target, version))
    todo = [base.shared_task(target, version, cache)]
    for task in precompute.tasks(
        target, version, lambda f: [base.base_task(target, version, cache, f)]
    ):
        todo.append(task)
        if task.kind == "map":  # then its payload, rendered with the default styling
            todo.append(prerender.task(target, version, cache, task.filters))

    def superseded() -> bool:
        return not remote and hstore.link_target(path) != target

    return precompute.precompute(
        st, target, version, todo, superseded=superseded, say=say or (lambda _m: None)
    )


def start_precompute(path: Path | None) -> None:
    """After a build or an import: compute the default views in a detached process."""
    if os.environ.get(NO_PRECOMPUTE_ENV):
        return
    from helixgraph.analytics import precompute

    try:
        precompute.spawn(path or hstore.default_path(), detached=True)
    except OSError as exc:  # the build is done; its analytics are computed on first use
        err.print(f"note: cannot start computing the default views: {exc}")
