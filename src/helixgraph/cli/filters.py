"""The shared filters of ``metrics``, ``map`` and ``export-network``, declared once as Typer
options.

The first six are the fields of :class:`helixgraph.network.Filters`; ``--weighting`` is how
the collaboration projection weighs its ties (:data:`helixgraph.network.WEIGHTINGS`); ``--kind``,
``--relation``, ``--min-weight``, ``--ego`` and ``--hops`` are the map's network filters
(:class:`helixgraph.maps.MapOptions`, the same names as the ``/map`` URL parameters). Each
command lists the ones it takes, under the field's name.
"""

from __future__ import annotations

from typing import Annotated

import typer

Region = Annotated[
    str | None, typer.Option(help="A place id (organisations in it or in a place within it).")
]
Helix = Annotated[str | None, typer.Option(help="academia, industry, government or civil_society.")]
Source = Annotated[str | None, typer.Option(help="A source id: only facts it states.")]
Start = Annotated[int | None, typer.Option(help="First year of the time window.")]
End = Annotated[int | None, typer.Option(help="Last year of the time window.")]
IncludeUndated = Annotated[bool, typer.Option(help="Keep undated facts in a window.")]
Weighting = Annotated[
    str,
    typer.Option(
        help="Tie weights of the collaboration network: count (pieces of evidence), newman "
        "(each shared initiative of n organisations adds 1/(n-1); stated ties 1) or stated "
        "(stated ties only)."
    ),
]

Kind = Annotated[
    list[str] | None, typer.Option("--kind", help="Organisation kind or category (repeat).")
]
Relation = Annotated[
    list[str] | None,
    typer.Option("--relation", help="collaboration, membership, funding, posts (repeat)."),
]
MinWeight = Annotated[
    int, typer.Option(help="Least evidence for a collaboration or membership tie.")
]
Ego = Annotated[str | None, typer.Option(help="An organisation id: its neighbourhood only.")]
Hops = Annotated[int, typer.Option(help="Radius of the ego network.")]
