"""The knowledge graph as resources: lists and records as plain JSON-ready dicts.

Each module answers for one type (organisations, people, initiatives, awards, places,
sources) with SPARQL over the store's default graph (the merge of its named graphs) and, for
provenance, the named graphs themselves; every fact carries the ids of the sources that
state it. Unknown ids raise :class:`UnknownId`.
"""

from helixgraph.catalog.awards import award, list_awards
from helixgraph.catalog.initiatives import initiative, list_initiatives
from helixgraph.catalog.listing import UnknownId
from helixgraph.catalog.organisations import list_organisations, organisation
from helixgraph.catalog.page import Page
from helixgraph.catalog.people import list_people, person
from helixgraph.catalog.places import list_places, place
from helixgraph.catalog.sources import list_sources, source
from helixgraph.catalog.version import graph_version

__all__ = [
    "Page",
    "UnknownId",
    "award",
    "graph_version",
    "initiative",
    "list_awards",
    "list_initiatives",
    "list_organisations",
    "list_people",
    "list_places",
    "list_sources",
    "organisation",
    "person",
    "place",
    "source",
]
