"""helixgraph: a knowledge graph of triple-helix innovation ecosystems."""

__version__ = "0.1.0"
