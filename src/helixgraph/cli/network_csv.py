"""A network given as CSV files (an edge list and an optional node table), read into
networkx for ``helixgraph analyze``."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path
from typing import Any

import networkx as nx


class InputError(ValueError):
    """A CSV file cannot be read as a network: the message names the file and line."""


def read_network(
    edges: Path,
    nodes: Path | None = None,
    *,
    group: str | None = None,
    directed: bool = False,
    weight: str | None = None,
    source_column: str | None = None,
    target_column: str | None = None,
    id_column: str | None = None,
) -> Any:
    """Read an edge list (and optional node table) into a networkx graph.

    Files may be gzip-compressed (``.gz``).
    Edge columns: ``source_column``/``target_column``, by default ``source``/``target`` if
    present, else the first two. Repeated edges add up their ``weight`` (without a weight
    column they are one tie). Node table: ``id_column`` (``id`` if present, else the first
    column); every other column becomes a node attribute, ``group`` is copied to ``helix``.
    """
    G: Any = nx.DiGraph() if directed else nx.Graph()
    if group is not None and nodes is None:
        raise InputError("--group needs --nodes: a node table with that column")
    if nodes is not None:
        with _open(nodes) as fh:
            reader = csv.DictReader(fh)
            cols = reader.fieldnames or []
            id_col = id_column or ("id" if "id" in cols else (cols[0] if cols else ""))
            if id_col not in cols:
                raise InputError(f"{nodes}:1: no column {id_col!r} (columns: {', '.join(cols)})")
            if group is not None and group not in cols:
                raise InputError(f"{nodes}:1: no column {group!r} (columns: {', '.join(cols)})")
            for line, row in enumerate(reader, start=2):
                node = (row.get(id_col) or "").strip()
                if not node:
                    raise InputError(f"{nodes}:{line}: column {id_col!r} is empty")
                attrs = {k: v for k, v in row.items() if k and k != id_col and v not in (None, "")}
                if group is not None:
                    attrs["helix"] = row[group] if row[group] != "" else None
                G.add_node(node, **attrs)
    with _open(edges) as fh:
        reader = csv.DictReader(fh)
        cols = reader.fieldnames or []
        if len(cols) < 2:
            raise InputError(f"{edges}:1: an edge list needs at least two columns")
        src = source_column or ("source" if "source" in cols else cols[0])
        dst = target_column or ("target" if "target" in cols else cols[1])
        for col in (src, dst, *([weight] if weight else [])):
            if col not in cols:
                raise InputError(f"{edges}:1: no column {col!r} (columns: {', '.join(cols)})")
        for line, row in enumerate(reader, start=2):
            u, v = (row.get(src) or "").strip(), (row.get(dst) or "").strip()
            if not u or not v:
                raise InputError(f"{edges}:{line}: empty {src if not u else dst!r}")
            if nodes is not None and group is not None:
                for x in (u, v):
                    if x not in G:
                        raise InputError(f"{edges}:{line}: node {x!r} is not in {nodes}")
            if weight:
                try:
                    w = float(row[weight])
                except (TypeError, ValueError):
                    raise InputError(
                        f"{edges}:{line}: column {weight!r}: {row[weight]!r} is not a number"
                    ) from None
                old = G[u][v]["weight"] if G.has_edge(u, v) else 0.0
                G.add_edge(u, v, weight=old + w)
            else:
                G.add_edge(u, v)
    return G


def _open(path: Path) -> Any:
    try:
        if path.suffix == ".gz":
            return gzip.open(path, "rt", newline="", encoding="utf-8-sig")
        return path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None
