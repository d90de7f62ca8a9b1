"""helixgraph's own IRIs as plain strings, for modules that must not load rdflib (the
SPARQL worker processes, the remote store). :mod:`helixgraph.vocab.namespace` builds its
terms from these."""

BASE = "https://w3id.org/helixgraph/"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
ONTOLOGY = BASE + "ontology"
HX = ONTOLOGY + "#"
ONTOLOGY_GRAPH = GRAPH + "ontology"
META_GRAPH = GRAPH + "meta"
SOURCE_GRAPH = GRAPH + "source/"

# W3C vocabularies, for the same modules (the remote store's own records)
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
