"""Interactive network maps of the ecosystem (pyvis / vis-network).

:mod:`.kinds` -- the organisation kinds a map knows and the shape category of each;
:mod:`.options` -- what a view shows, read from URL parameters;
:mod:`.facts` -- kinds, names and sources of the nodes (an adapter over the store);
:mod:`.base` -- projections and metrics per graph version and filters;
:mod:`.display` -- the display graph: nodes and edges of the relations asked for;
:mod:`.reduce` -- top-N or communities for large graphs;
:mod:`.view` -- one view: the display graph focused (community, ego, search) and reduced;
:mod:`.style` -- colours, shapes, edge styles, legend and vis-network options;
:mod:`.render` -- the only pyvis importer: styled nodes and edges, page data, standalone HTML;
:mod:`.export` -- GraphML, GEXF, CSV and node-link JSON for other tools.

Imports run one way: kinds <- options, facts <- base <- display <- view <- style <- render;
reduce takes plain data (a graph, the options, a membership callback).
"""

from helixgraph.maps.options import MapError, MapOptions
from helixgraph.maps.view import MapView, build_view

__all__ = ["MapError", "MapOptions", "MapView", "build_view"]
