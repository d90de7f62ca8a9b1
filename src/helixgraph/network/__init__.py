"""The network wing: the only bridge from the RDF store to networkx graphs.

Four projections, each read with SPARQL queries over the named graphs (so every
fact keeps the sources that state it) and assembled in Python; the participations,
the largest part, come grouped by initiative (one row each, built by the store):

- :func:`collaboration_graph` -- organisation--organisation ties, weighted, with evidence;
- :func:`bipartite_graph` -- organisations and the initiatives (projects, programmes...)
  they take part in or lead;
- :func:`funding_graph` -- funder -> recipient, amounts summed, by year;
- :func:`people_graph` -- people and the organisations where they hold posts or are members.

Every projection takes the same :class:`Filters`: a region (a place; an organisation is
in it when it, or the organisation it is part of, is located in that place or in a place
inside it), a helix, a source (only facts stated by that source document) and a time
window in years. Nodes are IRIs (strings); each carries ``id`` (the slug), ``label``,
``kind`` and, for organisations, ``helices`` (all its spheres), ``helix`` (its primary
sphere: the first of academia, industry, government, civil_society it belongs to, or
``None``) and ``regions`` (every place it is located in, with the places those are part of).

The wing holds :mod:`.filters` (the shared :class:`Filters`), :mod:`.readers` (the SPARQL
readers) and :mod:`.projections` (the four graphs); this package re-exports their public names.
"""

from helixgraph.network.filters import (
    DEFAULT_WEIGHTING,
    HELICES,
    WEIGHTINGS,
    Filters,
    ProjectionError,
    check_weighting,
    year,
)
from helixgraph.network.projections import (
    COLLABORATES_WITH,
    EVIDENCE_KINDS,
    INITIATIVE,
    MEMBER_OF,
    MEMBERSHIP,
    PARTNER_OF,
    bipartite_graph,
    collaboration_graph,
    funding_graph,
    people_graph,
)
from helixgraph.network.readers import initiatives, organisations

__all__ = [
    "COLLABORATES_WITH",
    "DEFAULT_WEIGHTING",
    "EVIDENCE_KINDS",
    "HELICES",
    "INITIATIVE",
    "MEMBERSHIP",
    "MEMBER_OF",
    "PARTNER_OF",
    "WEIGHTINGS",
    "Filters",
    "ProjectionError",
    "bipartite_graph",
    "check_weighting",
    "collaboration_graph",
    "funding_graph",
    "initiatives",
    "organisations",
    "people_graph",
    "year",
]
