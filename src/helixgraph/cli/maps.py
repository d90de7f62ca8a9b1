"""``helixgraph map`` and ``helixgraph export-network``: the map's views from the command line.

Both take the map's filters (the same names as the ``/map`` URL parameters) and write a
standalone HTML map, or the network as GraphML, GEXF, CSV tables or node-link JSON. The
maps wing (networkx, the metrics) is imported when one of them runs, not for every command.
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from helixgraph.cli import filters
from helixgraph.cli.app import StoreOpt, commands, err, fail, open_or_fail

if TYPE_CHECKING:
    from helixgraph.maps import MapView

app = commands()
Opt = typer.Option
Query = Annotated[
    str | None, Opt("--q", help="Highlight organisations matching a name or abbreviation.")
]

Params = list[tuple[str, str | int | None]]
Command = Callable[..., None]


def map_filters(
    region: filters.Region = None,
    helix: filters.Helix = None,
    source: filters.Source = None,
    start: filters.Start = None,
    end: filters.End = None,
    kind: filters.Kind = None,
    relation: filters.Relation = None,
    min_weight: filters.MinWeight = 1,
    ego: filters.Ego = None,
    hops: filters.Hops = 1,
) -> None:
    """The map's filters: the options both commands take (after ``--store``), named as
    the ``/map`` URL parameters. Only its parameters count: :func:`takes_map_filters`."""


MAP_FILTERS = inspect.signature(map_filters, eval_str=True).parameters


def takes_map_filters(command: Command) -> Command:
    """``command`` with the options of :func:`map_filters` after its ``store`` option; it
    receives their values as one dict, its keyword ``chosen``."""

    @functools.wraps(command)
    def run(**values: Any) -> None:
        chosen = {name: values.pop(name) for name in MAP_FILTERS}
        command(**values, chosen=chosen)

    own = list(inspect.signature(command, eval_str=True).parameters.values())
    at = [p.name for p in own].index("store") + 1
    params = [*own[:at], *MAP_FILTERS.values(), *(p for p in own[at:] if p.name != "chosen")]
    run.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    return run


def _view(store_path: Path | None, chosen: dict[str, Any], params: Params) -> MapView:
    """The view of the options (bad ones exit 2, before the store is opened)."""
    from helixgraph.maps import MapError, MapOptions, build_view

    singles = [(k, v) for k, v in chosen.items() if k not in ("kind", "relation")]
    pairs = [(k, str(v)) for k, v in singles + params if v is not None]
    pairs += [("kind", k) for k in chosen["kind"] or []]
    relations = chosen["relation"]
    if relations is not None:
        pairs += [("relation", r) for r in relations] or [("relation", "")]
    try:
        options = MapOptions.from_params(pairs)
        return build_view(open_or_fail(store_path), options)
    except MapError as exc:
        raise fail(f"--{exc.param.replace('_', '-')}: {exc}", 2) from None


@app.command("map")
@takes_map_filters
def map_cmd(
    out: Annotated[Path, Opt("--out", "-o", help="HTML file to write.")],
    store: StoreOpt = None,
    q: Query = None,
    size: Annotated[str, Opt(help="Centrality that sizes the nodes.")] = "pagerank",
    color: Annotated[str, Opt(help="helix, community or region.")] = "helix",
    brokers: Annotated[
        str | None, Opt(help="Highlight the top brokers by betweenness or a brokerage role.")
    ] = None,
    max_nodes: Annotated[int, Opt(help="Reduce larger views to this many nodes (0: never).")] = 300,
    reduce: Annotated[str, Opt(help="top or communities.")] = "top",
    title: Annotated[str, Opt(help="Title of the page.")] = "helixgraph map",
    *,
    chosen: dict[str, Any],
) -> None:
    """Write a standalone HTML map (works offline: vis-network is inlined)."""
    from helixgraph.maps.render import standalone_html

    view = _view(
        store,
        chosen,
        [
            ("q", q),
            ("size", size),
            ("color", color),
            ("brokers", brokers),
            ("max_nodes", max_nodes),
            ("reduce", reduce),
        ],
    )
    out.write_text(standalone_html(view, title=title), encoding="utf-8")
    err.print(
        f"wrote {out}: {view.graph.number_of_nodes()} nodes, {view.graph.number_of_edges()} links"
    )


@app.command("export-network")
@takes_map_filters
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
    max_nodes: Annotated[int, Opt(help="Keep only this many most central nodes (0: all).")] = 0,
    *,
    chosen: dict[str, Any],
) -> None:
    """Export the map's network for Gephi and other tools, with the map's filters."""
    from helixgraph.maps import export

    if format not in export.FORMATS:
        raise fail(f"--format: {format!r}: expected one of {', '.join(export.FORMATS)}", 2)
    G = _view(store, chosen, [("max_nodes", max_nodes), ("max_edges", 0)]).graph
    if format == "csv":
        if out is None:
            raise fail("--out: csv writes two files, FILE.nodes.csv and FILE.edges.csv", 2)
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
