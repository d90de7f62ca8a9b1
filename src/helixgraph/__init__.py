"""helixgraph: a knowledge graph of triple-helix innovation ecosystems."""

# The one place the version is written: pyproject.toml reads it (``dynamic``), and
# ``helixgraph --version``, the OpenAPI document and the build record show it. Raise it
# with each release and add the release's section to CHANGELOG.md.
__version__ = "0.1.0"
