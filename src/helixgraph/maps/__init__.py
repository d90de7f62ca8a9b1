"""Interactive network maps of the ecosystem (pyvis / vis-network).

:mod:`.options` -- what a view shows, read from URL parameters;
:mod:`.facts` -- kinds, names and sources of the nodes (an adapter over the store);
:mod:`.base` -- projections and metrics per graph version and filters;
:mod:`.view` -- the display graph of one view (filters, ego, search);
:mod:`.reduce` -- top-N or communities for large graphs;
:mod:`.render` -- the only pyvis importer: styled nodes and edges, page data, standalone HTML.
"""

from helixgraph.maps.options import MapError, MapOptions
from helixgraph.maps.view import MapView, build_view

__all__ = ["MapError", "MapOptions", "MapView", "build_view"]
