"""A tiny ecosystem whose tie weights are computed by hand for each weighting: a project
with three partners (a, b, c), one with two (a, b), and one stated tie (c collaborates
with d)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from helixgraph.store.access import open_store, replacing

ID = "https://w3id.org/helixgraph/id/"

TRIG = """@prefix hx: <https://w3id.org/helixgraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/helixgraph/graph/source/s1> {
  <https://w3id.org/helixgraph/id/org/a> a hx:Organisation ; skos:prefLabel "A"@en ;
      hx:helix hx:academia .
  <https://w3id.org/helixgraph/id/org/b> a hx:Organisation ; skos:prefLabel "B"@en ;
      hx:helix hx:industry .
  <https://w3id.org/helixgraph/id/org/c> a hx:Organisation ; skos:prefLabel "C"@en ;
      hx:helix hx:government .
  <https://w3id.org/helixgraph/id/org/d> a hx:Organisation ; skos:prefLabel "D"@en ;
      hx:helix hx:industry .
  <https://w3id.org/helixgraph/id/initiative/p3> a hx:Initiative ; rdfs:label "Three" .
  <https://w3id.org/helixgraph/id/initiative/p2> a hx:Initiative ; rdfs:label "Two" .
  <https://w3id.org/helixgraph/id/org/a> hx:participatesIn
      <https://w3id.org/helixgraph/id/initiative/p3>,
      <https://w3id.org/helixgraph/id/initiative/p2> .
  <https://w3id.org/helixgraph/id/org/b> hx:participatesIn
      <https://w3id.org/helixgraph/id/initiative/p3> ;
      hx:leads <https://w3id.org/helixgraph/id/initiative/p2> .
  <https://w3id.org/helixgraph/id/org/c> hx:participatesIn
      <https://w3id.org/helixgraph/id/initiative/p3> ;
      hx:collaboratesWith <https://w3id.org/helixgraph/id/org/d> .
}
"""

# hand-computed: p3 adds 1/(3-1) = 1/2 to a-b, a-c, b-c; p2 adds 1/(2-1) = 1 to a-b;
# the stated tie adds 1 to c-d
WEIGHTS = {
    "count": {("a", "b"): 2, ("a", "c"): 1, ("b", "c"): 1, ("c", "d"): 1},
    "newman": {("a", "b"): 1.5, ("a", "c"): 0.5, ("b", "c"): 0.5, ("c", "d"): 1.0},
    "stated": {("c", "d"): 1},
}


def tiny_store(path: Path) -> ox.Store:
    """The tiny ecosystem as a store at ``path``."""
    with replacing(path) as st:
        st.load(TRIG.encode(), ox.RdfFormat.TRIG)
    return open_store(path)
