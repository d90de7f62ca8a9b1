"""What a map shows: :class:`MapOptions`, read from and written to URL parameters.

The same parameters drive the page (``/map``), its data (``/map/data``), the exports and
the CLI, so a permalink is just the query string of :meth:`MapOptions.to_params`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from helixgraph.maps.facts import CATEGORIES, KIND_SLUGS
from helixgraph.metrics.brokerage import BROKERAGE_ROLES
from helixgraph.network import HELICES, Filters, ProjectionError

RELATIONS = ("collaboration", "membership", "funding", "posts")
DEFAULT_RELATIONS = ("collaboration", "membership", "funding")
SIZE_BY = ("pagerank", "degree", "strength", "betweenness", "closeness", "eigenvector")
COLOR_BY = ("helix", "community", "region")
BROKERS = ("betweenness", *BROKERAGE_ROLES, "total")
REDUCE = ("top", "communities")
KINDS = tuple(dict.fromkeys((*CATEGORIES, *KIND_SLUGS.values())))
MAX_HOPS = 4
DEFAULT_MAX_NODES = 300
DEFAULT_MAX_EDGES = 4000
# the options whose URL parameter is their field's name, in field order
FIELD_PARAMS = (
    "min_weight",
    "size",
    "color",
    "brokers",
    "broker_top",
    "ego",
    "hops",
    "q",
    "community",
    "isolates",
    "max_nodes",
    "max_edges",
    "reduce",
)


class MapError(ValueError):
    """A map parameter is malformed or names nothing; ``param`` says which."""

    def __init__(self, param: str, message: str):
        self.param = param
        super().__init__(f"{param}: {message}")


@dataclass(frozen=True)
class MapOptions:
    """Filters and styling of one map view; every field has a URL parameter of its name
    (``kinds`` is ``kind``, ``relations`` is ``relation``, both repeatable)."""

    filters: Filters = field(default_factory=Filters)
    kinds: tuple[str, ...] = ()
    relations: tuple[str, ...] = DEFAULT_RELATIONS
    min_weight: int = 1
    size: str = "pagerank"
    color: str = "helix"
    brokers: str | None = None
    broker_top: int = 10
    ego: str | None = None
    hops: int = 1
    q: str | None = None
    community: int | None = None
    isolates: bool | None = None
    max_nodes: int = DEFAULT_MAX_NODES
    max_edges: int = DEFAULT_MAX_EDGES
    reduce: str = "top"

    def __post_init__(self) -> None:
        _check_all("kind", self.kinds, KINDS)
        _check_all("relation", self.relations, RELATIONS)
        _check_one("size", self.size, SIZE_BY)
        _check_one("color", self.color, COLOR_BY)
        _check_one("reduce", self.reduce, REDUCE)
        if self.brokers is not None:
            _check_one("brokers", self.brokers, BROKERS)
        _check_range("min_weight", self.min_weight, 1, 10_000)
        _check_range("hops", self.hops, 1, MAX_HOPS)
        _check_range("broker_top", self.broker_top, 1, 1000)
        _check_range("max_nodes", self.max_nodes, 0, 100_000)
        _check_range("max_edges", self.max_edges, 0, 1_000_000)
        if self.community is not None:
            _check_range("community", self.community, 0, 1_000_000)

    @property
    def show_isolates(self) -> bool:
        """Unconnected organisations are shown with collaboration or membership ties."""
        if self.isolates is not None:
            return self.isolates
        return bool({"collaboration", "membership"} & set(self.relations))

    def with_(self, **changes: Any) -> MapOptions:
        return replace(self, **changes)

    def to_params(self) -> list[tuple[str, str]]:
        """The URL parameters that differ from the defaults, in a stable order."""
        f = self.filters
        out: list[tuple[str, str]] = []
        for name, value in (("region", f.region), ("helix", f.helix), ("source", f.source)):
            if value is not None:
                out.append((name, value))
        for name, year in (("start", f.start), ("end", f.end)):
            if year is not None:
                out.append((name, str(year)))
        if f.include_undated:
            out.append(("include_undated", "true"))
        out += [("kind", k) for k in self.kinds]
        if self.relations != DEFAULT_RELATIONS:
            out += [("relation", r) for r in self.relations] or [("relation", "")]
        default = MapOptions()
        for name in FIELD_PARAMS:
            value = getattr(self, name)
            if value != getattr(default, name) and value is not None:
                out.append((name, _text(value)))
        return out

    @classmethod
    def from_params(cls, params: Iterable[tuple[str, str]]) -> MapOptions:
        """Read options from URL parameters (repeated ``kind``/``relation`` add up;
        a comma also separates them). Raises :class:`MapError` naming the parameter."""
        multi: dict[str, list[str]] = {}
        for name, value in params:
            multi.setdefault(name, []).append(value)
        unknown = set(multi) - _PARAMS
        if unknown:
            name = sorted(unknown)[0]
            raise MapError(
                name, f"unknown parameter (expected one of {', '.join(sorted(_PARAMS))})"
            )
        one = _single(multi)
        try:
            filters = Filters(
                region=one("region"),
                helix=one("helix"),
                source=one("source"),
                start=_int("start", one("start")),
                end=_int("end", one("end")),
                include_undated=_bool("include_undated", one("include_undated")) or False,
            )
        except ProjectionError as exc:
            raise MapError("start" if "window" in str(exc) else "helix", str(exc)) from None
        kwargs: dict[str, Any] = {"filters": filters}
        if "kind" in multi:
            kwargs["kinds"] = _split(multi["kind"])
        if "relation" in multi:
            kwargs["relations"] = _split(multi["relation"])
        for name in ("min_weight", "broker_top", "hops", "community", "max_nodes", "max_edges"):
            if one(name) is not None:
                kwargs[name] = _int(name, one(name))
        for name in ("size", "color", "brokers", "ego", "q", "reduce"):
            if one(name) is not None:
                kwargs[name] = one(name)
        if one("isolates") is not None:
            kwargs["isolates"] = _bool("isolates", one("isolates"))
        if filters.region is not None and not _is_slug(filters.region):
            raise MapError("region", f"{filters.region!r} is not a place id")
        return cls(**kwargs)


_PARAMS = {
    "region",
    "helix",
    "source",
    "start",
    "end",
    "include_undated",
    "kind",
    "relation",
    *FIELD_PARAMS,
    "embed",
}


def _single(multi: Mapping[str, list[str]]) -> Any:
    def one(name: str) -> str | None:
        values = [v for v in multi.get(name, []) if v != ""]
        if len(values) > 1:
            raise MapError(name, "given more than once")
        return values[0] if values else None

    return one


def _split(values: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        out += [p.strip() for p in v.split(",") if p.strip() and p.strip() not in out]
    return tuple(out)


def _int(name: str, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise MapError(name, f"{value!r} is not a whole number") from None


def _bool(name: str, value: str | None) -> bool | None:
    if value is None:
        return None
    low = value.lower()
    if low in ("1", "true", "yes", "on"):
        return True
    if low in ("0", "false", "no", "off"):
        return False
    raise MapError(name, f"{value!r} is not true or false")


def _text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _is_slug(value: str) -> bool:
    import re

    return re.fullmatch(r"[a-z0-9][a-z0-9-]*", value) is not None


def _check_one(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise MapError(name, f"{value!r}: expected one of {', '.join(allowed)}")


def _check_all(name: str, values: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    for v in values:
        _check_one(name, v, allowed)


def _check_range(name: str, value: int, lo: int, hi: int) -> None:
    if not lo <= value <= hi:
        raise MapError(name, f"{value} is outside {lo}..{hi}")


__all__ = ["HELICES", "MapError", "MapOptions"]
