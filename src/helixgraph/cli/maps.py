"""``helixgraph map`` and ``helixgraph export-network``: the map's views from the command line.

Both take the map's filters (the same names as the ``/map`` URL parameters) and write a
standalone HTML map, or the network as GraphML, GEXF, CSV tables or node-link JSON.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from helixgraph import store as hstore
from helixgraph.maps import MapError, MapOptions, build_view, export

err = Console(stderr=True)

Opt = typer.Option
StoreOpt = Annotated[
    Path | None,
    Opt(
        "--store", help="Store path (default: $HELIXGRAPH_STORE or var/store).", show_default=False
    ),
]
Region = Annotated[
    str | None, Opt(help="A place id (organisations in it or in a place within it).")
]
Helix = Annotated[str | None, Opt(help="academia, industry, government or civil_society.")]
Source = Annotated[str | None, Opt(help="A source id: only facts it states.")]
Start = Annotated[int | None, Opt(help="First year of the time window.")]
End = Annotated[int | None, Opt(help="Last year of the time window.")]
Kind = Annotated[list[str] | None, Opt("--kind", help="Organisation kind or category (repeat).")]
Relation = Annotated[
    list[str] | None, Opt("--relation", help="collaboration, membership, funding, posts (repeat).")
]
MinWeight = Annotated[int, Opt(help="Least evidence for a collaboration or membership tie.")]
Ego = Annotated[str | None, Opt(help="An organisation id: its neighbourhood only.")]
Hops = Annotated[int, Opt(help="Radius of the ego network.")]
Query = Annotated[
    str | None, Opt("--q", help="Highlight organisations matching a name or abbreviation.")
]

# the filters both commands take, as URL parameters
FILTERS = ("region", "helix", "source", "start", "end", "min_weight", "ego", "hops")
Params = list[tuple[str, str | int | None]]


def _filters(*values: str | int | None) -> Params:
    """The values of FILTERS, in its order, as URL parameters."""
    return list(zip(FILTERS, values, strict=True))


def _open(path: Path | None):  # type: ignore[no-untyped-def]
    try:
        return hstore.open_store(path, read_only=True)
    except hstore.StoreError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None


def _view(  # type: ignore[no-untyped-def]
    store_path: Path | None, params: Params, kinds: list[str] | None, relations: list[str] | None
):
    """The view of the options (bad ones exit 2, before the store is opened)."""
    pairs = [(k, str(v)) for k, v in params if v is not None]
    pairs += [("kind", k) for k in kinds or []]
    if relations is not None:
        pairs += [("relation", r) for r in relations] or [("relation", "")]
    try:
        options = MapOptions.from_params(pairs)
        return build_view(_open(store_path), options)
    except MapError as exc:
        err.print(f"[red]error:[/red] --{exc.param.replace('_', '-')}: {exc}")
        raise typer.Exit(2) from None


def map_cmd(
    out: Annotated[Path, Opt("--out", "-o", help="HTML file to write.")],
    store: StoreOpt = None,
    region: Region = None,
    helix: Helix = None,
    source: Source = None,
    start: Start = None,
    end: End = None,
    kind: Kind = None,
    relation: Relation = None,
    min_weight: MinWeight = 1,
    ego: Ego = None,
    hops: Hops = 1,
    q: Query = None,
    size: Annotated[str, Opt(help="Centrality that sizes the nodes.")] = "pagerank",
    color: Annotated[str, Opt(help="helix, community or region.")] = "helix",
    brokers: Annotated[
        str | None, Opt(help="Highlight the top brokers by betweenness or a brokerage role.")
    ] = None,
    max_nodes: Annotated[int, Opt(help="Reduce larger views to this many nodes (0: never).")] = 300,
    reduce: Annotated[str, Opt(help="top or communities.")] = "top",
    title: Annotated[str, Opt(help="Title of the page.")] = "helixgraph map",
) -> None:
    """Write a standalone HTML map (works offline: vis-network is inlined)."""
    from helixgraph.maps.render import standalone_html

    view = _view(
        store,
        _filters(region, helix, source, start, end, min_weight, ego, hops)
        + [
            ("q", q),
            ("size", size),
            ("color", color),
            ("brokers", brokers),
            ("max_nodes", max_nodes),
            ("reduce", reduce),
        ],
        kind,
        relation,
    )
    out.write_text(standalone_html(view, title=title), encoding="utf-8")
    err.print(
        f"wrote {out}: {view.graph.number_of_nodes()} nodes, {view.graph.number_of_edges()} links"
    )


def export_cmd(
    format: Annotated[str, Opt("--format", "-f", help="graphml, gexf, csv or json.")] = "graphml",
    out: Annotated[
        Path | None,
        Opt(
            "--out",
            "-o",
            help="File to write (csv: FILE.nodes.csv and FILE.edges.csv); stdout if absent.",
        ),
    ] = None,
    store: StoreOpt = None,
    region: Region = None,
    helix: Helix = None,
    source: Source = None,
    start: Start = None,
    end: End = None,
    kind: Kind = None,
    relation: Relation = None,
    min_weight: MinWeight = 1,
    ego: Ego = None,
    hops: Hops = 1,
    max_nodes: Annotated[int, Opt(help="Keep only this many most central nodes (0: all).")] = 0,
) -> None:
    """Export the map's network for Gephi and other tools, with the map's filters."""
    if format not in export.FORMATS:
        err.print(
            f"[red]error:[/red] --format: {format!r}: expected one of {', '.join(export.FORMATS)}"
        )
        raise typer.Exit(2)
    G = _view(
        store,
        _filters(region, helix, source, start, end, min_weight, ego, hops)
        + [("max_nodes", max_nodes), ("max_edges", 0)],
        kind,
        relation,
    ).graph
    if format == "csv":
        if out is None:
            err.print(
                "[red]error:[/red] --out: csv writes two files, FILE.nodes.csv and FILE.edges.csv"
            )
            raise typer.Exit(2)
        stem = str(out).removesuffix(".csv")
        Path(stem + ".nodes.csv").write_text(export.nodes_csv(G), encoding="utf-8")
        Path(stem + ".edges.csv").write_text(export.edges_csv(G), encoding="utf-8")
        written = f"{stem}.nodes.csv and {stem}.edges.csv"
    else:
        writer = {
            "graphml": export.graphml,
            "gexf": export.gexf,
            "json": export.node_link,
        }[format]
        text = writer(G)
        if out is None:
            sys.stdout.write(text)
            return
        out.write_text(text, encoding="utf-8")
        written = str(out)
    err.print(f"wrote {written}: {G.number_of_nodes()} nodes, {G.number_of_edges()} links")


def register(app: typer.Typer) -> None:
    app.command("map")(map_cmd)
    app.command("export-network")(export_cmd)
