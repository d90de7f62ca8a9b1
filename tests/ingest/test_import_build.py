"""A rebuild from data/ keeps the import graphs (build.py carry-over), and re-resolves them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox

from helixgraph import store as hstore
from helixgraph.ingest.build import build
from helixgraph.ingest.run import run_import
from helixgraph.ingest.sources import cordis
from helixgraph.ingest.toolkit import Problems

DATA = Path(__file__).resolve().parents[2] / "data"
GRAPH = "https://w3id.org/helixgraph/graph/import/cordis-h2020"
ID = "https://w3id.org/helixgraph/id/"


def graph_quads(store: Path, graph: str) -> set[str]:
    st = hstore.open_store(store)
    return {str(q) for q in st.quads_for_pattern(None, None, None, ox.NamedNode(graph))}


def test_rebuild_keeps_import_graphs_and_their_metadata(fixtures: Path, store: Path) -> None:
    run_import(cordis.read(fixtures / "cordis_h2020_eunets", Problems()), store_path=store)
    before = graph_quads(store, GRAPH)
    build(DATA, store_path=store)
    assert graph_quads(store, GRAPH) == before
    st = hstore.open_store(store)
    assert st.query(
        f"ASK {{ GRAPH ?m {{ <{GRAPH}> a <https://w3id.org/helixgraph/ontology#ImportGraph> }} }}"
    )


def test_rebuild_re_resolves_to_a_newly_identified_seed_node(
    fixtures: Path, store: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    ids = data / "identifiers.csv"
    kept = [line for line in ids.read_text().splitlines(keepends=True) if "999914801" not in line]
    ids.write_text("".join(kept))
    build(data, store_path=store)
    run_import(cordis.read(fixtures / "cordis_h2020_eunets", Problems()), store_path=store)
    assert any(f"<{ID}org/pic-999914801>" in q for q in graph_quads(store, GRAPH))
    shutil.copy(DATA / "identifiers.csv", ids)  # the curator links UMCG's PIC
    build(data, store_path=store)
    after = graph_quads(store, GRAPH)
    assert not any(f"<{ID}org/pic-999914801>" in q for q in after)
    assert any(
        f"<{ID}org/umcg> <https://w3id.org/helixgraph/ontology#participatesIn>" in q for q in after
    )
    st = hstore.open_store(store)
    labels = st.query(
        f"SELECT DISTINCT ?l WHERE {{ <{ID}org/umcg> "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }",
    )
    assert len(list(labels)) == 2  # the seed's en + nl, the CORDIS name became an altLabel
