"""The filters every projection shares: :class:`Filters` (region, helix, source, years),
the helices they accept, :class:`ProjectionError` and :func:`year` (the year of a date);
and the tie weightings of the collaboration projection (:data:`WEIGHTINGS`,
:func:`check_weighting`)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from helixgraph.vocab import iris
from helixgraph.vocab.values import HELICES as HELIX_TERMS

HELICES = tuple(HELIX_TERMS)
"""The helix slugs, in the order that picks an organisation's primary helix."""

_YEAR = re.compile(r"-?(\d{4})")


class ProjectionError(ValueError):
    """A filter names something the projection cannot use."""


@dataclass(frozen=True)
class Filters:
    """Restrictions shared by every projection (all optional).

    ``region``: a place id (``groningen``) or IRI. ``helix``: one of :data:`HELICES`.
    ``source``: a source id (``s000``) or the IRI of its named graph. ``start``/``end``:
    years, inclusive; an initiative counts when its start--end span overlaps them, an
    award when its date falls in them. Facts without a date (undated initiatives,
    direct relations, undated awards) are left out under a time window unless
    ``include_undated``.
    """

    region: str | None = None
    helix: str | None = None
    source: str | None = None
    start: int | None = None
    end: int | None = None
    include_undated: bool = False

    def __post_init__(self) -> None:
        if self.helix is not None and self.helix not in HELICES:
            raise ProjectionError(f"helix {self.helix!r}: expected one of {', '.join(HELICES)}")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ProjectionError(f"time window {self.start}-{self.end} ends before it starts")

    @property
    def windowed(self) -> bool:
        return self.start is not None or self.end is not None

    def source_iri(self) -> str | None:
        if self.source is None:
            return None
        return self.source if ":" in self.source else iris.SOURCE_GRAPH + self.source

    def region_id(self) -> str | None:
        if self.region is None:
            return None
        return self.region.rsplit("/", 1)[-1]

    def in_window(self, first: int | None, last: int | None) -> bool:
        """Whether a span of years (either end may be unknown) overlaps the window."""
        if not self.windowed:
            return True
        if first is None and last is None:
            return self.include_undated
        lo = first if first is not None else last
        hi = last if last is not None else first
        assert lo is not None and hi is not None
        return (self.start is None or hi >= self.start) and (self.end is None or lo <= self.end)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, False)}


WEIGHTINGS = ("count", "newman", "stated")
"""How :func:`~helixgraph.network.collaboration_graph` weighs a tie between two organisations:

- ``count`` (the default): the number of pieces of evidence -- each shared initiative
  and each stated tie adds 1 (a project with 30 partners makes a 30-clique of weight-1 ties);
- ``newman``: Newman's collaboration weighting -- each shared initiative with ``n``
  participating organisations adds ``1 / (n - 1)`` to each pair, so every initiative adds
  1 to each participant's strength; each stated tie (membership, ``member_of``,
  ``collaborates_with``, ``partner_of``) adds 1. M. E. J. Newman, "Scientific
  collaboration networks. II", *Phys. Rev. E* 64, 016132 (2001);
- ``stated``: stated ties only, 1 each -- no co-participation (shared initiative) ties.
"""
DEFAULT_WEIGHTING = "count"


def check_weighting(weighting: str) -> str:
    """Return ``weighting`` if it is one of :data:`WEIGHTINGS`, else raise
    :class:`ProjectionError` naming it."""
    if weighting not in WEIGHTINGS:
        raise ProjectionError(f"weighting {weighting!r}: expected one of {', '.join(WEIGHTINGS)}")
    return weighting


NO_FILTERS = Filters()
"""The default of every projection: nothing left out."""


def year(value: str | None) -> int | None:
    """The year of an ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` lexical value."""
    if not value:
        return None
    m = _YEAR.match(value.strip())
    return int(m.group(1)) if m else None
