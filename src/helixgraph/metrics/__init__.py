"""Network metrics of triple-helix ecosystems: pure functions, networkx graph in, plain data out.

One module per family:

- :mod:`.centrality` -- degree, strength, betweenness, closeness, eigenvector, PageRank;
- :mod:`.structural_holes` -- Burt's constraint, effective size and efficiency;
- :mod:`.brokerage` -- Gould--Fernandez brokerage roles with expected values and z-scores;
- :mod:`.helix` -- E-I index, cross-helix link matrix, closed university-industry-government triads;
- :mod:`.synergy` -- Leydesdorff's triple-helix mutual information T(UIG) and its generalisation;
- :mod:`.communities` -- seeded Louvain and Leiden communities and their helix composition;
- :mod:`.funding` -- funding totals by funder, recipient helix, region and year.

Every function takes the graph first, never mutates it, and returns dicts, lists and
numbers that serialise to JSON as they are (undefined values are ``None``, never NaN).

The engine. Betweenness (exact and sampled), closeness (exact and sampled), eigenvector
centrality, PageRank and the Louvain and Leiden communities are computed by **igraph**
(its C core; :mod:`.engine` converts the networkx graph once per call, and
:mod:`.igraph_engine` makes igraph's definitions give networkx's numbers). One setting
switches them back to **networkx**, the reference the tests compare igraph against: the
environment variable ``HELIXGRAPH_METRICS_ENGINE=networkx`` (or ``igraph``, the default),
or ``engine="networkx"`` on a call; a networkx ``backend=`` implies networkx too. Where
igraph cannot give networkx's quantity (a length that is not positive, a negative weight,
a directed Louvain partition, the eigenvector of a digraph that is not strongly
connected) networkx runs. Leiden exists only on igraph.
"""

from helixgraph.metrics.brokerage import BROKERAGE_ROLES, brokerage
from helixgraph.metrics.centrality import (
    betweenness,
    closeness,
    degree,
    eigenvector,
    pagerank,
    strength,
)
from helixgraph.metrics.communities import (
    community_helix_composition,
    leiden_communities,
    louvain_communities,
)
from helixgraph.metrics.funding import funding_flows, funding_totals
from helixgraph.metrics.helix import cross_helix_matrix, ei_index, triple_helix_triads
from helixgraph.metrics.structural_holes import constraint, effective_size, efficiency
from helixgraph.metrics.synergy import helix_synergy, mutual_information

__all__ = [
    "BROKERAGE_ROLES",
    "betweenness",
    "brokerage",
    "closeness",
    "community_helix_composition",
    "constraint",
    "cross_helix_matrix",
    "degree",
    "effective_size",
    "efficiency",
    "ei_index",
    "eigenvector",
    "funding_flows",
    "funding_totals",
    "helix_synergy",
    "leiden_communities",
    "louvain_communities",
    "mutual_information",
    "pagerank",
    "strength",
    "triple_helix_triads",
]
