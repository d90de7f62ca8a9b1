"""What a map shows: :class:`MapOptions`, read from and written to URL parameters.

The same parameters drive the page (``/map``), its data (``/map/data``), the exports and
the CLI, so a permalink is just the query string of :meth:`MapOptions.to_params`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, get_args, get_type_hints

from helixgraph.maps.kinds import CATEGORIES, KIND_SLUGS
from helixgraph.metrics.brokerage import BROKERAGE_ROLES
from helixgraph.network import HELICES, Filters, ProjectionError
from helixgraph.vocab.namespace import SLUG

RELATIONS = ("collaboration", "membership", "funding", "posts")
DEFAULT_RELATIONS = ("collaboration", "membership", "funding")
SIZE_BY = ("pagerank", "degree", "strength", "betweenness", "closeness", "eigenvector")
COLOR_BY = ("helix", "community", "region")
BROKERS = ("betweenness", *BROKERAGE_ROLES, "total")
REDUCE = ("top", "communities")
KINDS = tuple(dict.fromkeys((*CATEGORIES, *KIND_SLUGS.values())))
MAX_HOPS = 4
DEFAULT_MAX_NODES = 10_000  # the WebGL page draws whole regions (the default build: ~8,500)
DEFAULT_MAX_EDGES = 30000
# the shared filters (network.Filters), one URL parameter per field, in field order
FILTER_PARAMS = tuple(f.name for f in fields(Filters))


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
        out = _changed(self.filters, Filters(), FILTER_PARAMS)
        out += [("kind", k) for k in self.kinds]
        if self.relations != DEFAULT_RELATIONS:
            out += [("relation", r) for r in self.relations] or [("relation", "")]
        return out + _changed(self, MapOptions(), FIELD_PARAMS)

    @classmethod
    def from_params(cls, params: Iterable[tuple[str, str]]) -> MapOptions:
        """Read options from URL parameters (repeated ``kind``/``relation`` add up;
        a comma also separates them). Raises :class:`MapError` naming the parameter."""
        multi: dict[str, list[str]] = {}
        for name, value in params:
            multi.setdefault(name, []).append(value)
        unknown = set(multi) - PARAMS
        if unknown:
            name = sorted(unknown)[0]
            raise MapError(name, f"unknown parameter (expected one of {', '.join(sorted(PARAMS))})")
        one = _single(multi)
        try:
            filters = Filters(**_parsed(one, _FILTER_READERS))
        except ProjectionError as exc:
            raise MapError("start" if "window" in str(exc) else "helix", str(exc)) from None
        kwargs: dict[str, Any] = {"filters": filters}
        if "kind" in multi:
            kwargs["kinds"] = _split(multi["kind"])
        if "relation" in multi:
            kwargs["relations"] = _split(multi["relation"])
        kwargs.update(_parsed(one, _FIELD_READERS))
        if filters.region is not None and not SLUG.fullmatch(filters.region):
            raise MapError("region", f"{filters.region!r} is not a place id")
        return cls(**kwargs)


# the options whose URL parameter is their field's name, in field order (``filters`` has
# one parameter per field; ``kinds`` and ``relations`` are the repeatable ``kind`` and
# ``relation``)
FIELD_PARAMS = tuple(
    f.name for f in fields(MapOptions) if f.name not in ("filters", "kinds", "relations")
)
# every URL parameter a map takes (``embed`` is the page's own)
PARAMS = frozenset({*FILTER_PARAMS, "kind", "relation", *FIELD_PARAMS, "embed"})


def _changed(options: Any, default: Any, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """The URL parameters of the fields ``names`` that differ from ``default`` (and are set)."""
    out: list[tuple[str, str]] = []
    for name in names:
        value = getattr(options, name)
        if value != getattr(default, name) and value is not None:
            out.append((name, _text(value)))
    return out


Read = Callable[[str, str | None], Any]
Readers = tuple[tuple[str, Read], ...]


def _parsed(one: Callable[[str], str | None], readers: Readers) -> dict[str, Any]:
    """The values of the parameters given, each read by its field's reader."""
    out: dict[str, Any] = {}
    for name, read in readers:
        text = one(name)
        if text is not None:
            out[name] = read(name, text)
    return out


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


def _str(name: str, value: str | None) -> str | None:
    return value


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


def _readers(cls: type, names: tuple[str, ...]) -> Readers:
    """Each field of ``names`` with the reader of its type: whole numbers, true/false or text."""
    hints = get_type_hints(cls)

    def reader(name: str) -> Read:
        types = set(get_args(hints[name])) or {hints[name]}
        return _int if int in types else _bool if bool in types else _str

    return tuple((name, reader(name)) for name in names)


def _by_type(readers: Readers) -> Readers:
    """Whole numbers first, then text, then true/false (the order errors are found in)."""
    order = (_int, _str, _bool)
    return tuple(sorted(readers, key=lambda item: order.index(item[1])))


def _check_one(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise MapError(name, f"{value!r}: expected one of {', '.join(allowed)}")


def _check_all(name: str, values: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    for v in values:
        _check_one(name, v, allowed)


def _check_range(name: str, value: int, lo: int, hi: int) -> None:
    if not lo <= value <= hi:
        raise MapError(name, f"{value} is outside {lo}..{hi}")


_FILTER_READERS = _readers(Filters, FILTER_PARAMS)
_FIELD_READERS = _by_type(_readers(MapOptions, FIELD_PARAMS))

__all__ = ["FIELD_PARAMS", "FILTER_PARAMS", "HELICES", "PARAMS", "MapError", "MapOptions"]
