"""Imports and builds on a remote store: the same graphs as on the embedded store, with
only the import's graph and the metadata graph sent by an import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from helixgraph import store as hstore
from helixgraph.ingest.build import build
from helixgraph.ingest.run import run_import
from helixgraph.ingest.sources import cordis
from helixgraph.ingest.toolkit import Problems
from helixgraph.store import remote
from helixgraph.store.merge import named_quads
from helixgraph.store.remote import writes
from helixgraph.vocab.namespace import META_GRAPH
from tests.conftest import MINI
from tests.remote_store import OxigraphServer

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"
IMPORT = "https://w3id.org/helixgraph/graph/import/cordis-h2020"


def sizes(path: Path) -> dict[str, int]:
    st = hstore.open_store(path)
    return {
        g.value: len(list(st.quads_for_pattern(None, None, None, g)))
        for g in st.named_graphs()
        if g.value != str(META_GRAPH)  # run ids and times differ between the two
    }


def do_import(store: Path) -> object:
    extract = cordis.read(FIXTURES / "cordis_h2020_eunets", Problems("stop"))
    return run_import(extract, store_path=store)


def test_build_and_import_give_the_same_graphs_as_embedded(
    server: OxigraphServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded, remote_path = tmp_path / "embedded", server.config.write(tmp_path / "store")
    build(MINI, store_path=embedded)
    build(MINI, store_path=remote_path)
    assert sizes(remote_path) == sizes(embedded)
    sent: list[str] = []
    send = writes.RemoteStore._send

    def recording(
        self: remote.RemoteStore, staged: ox.Store, graph: ox.NamedNode, body: Any, held: int = 0
    ) -> None:
        sent.append(graph.value)
        send(self, staged, graph, body, held)

    monkeypatch.setattr(writes.RemoteStore, "_send", recording)
    report_e, report_r = do_import(embedded), do_import(remote_path)
    assert sorted(sent) == sorted([IMPORT, str(META_GRAPH)])  # the seed stayed put
    assert sizes(remote_path) == sizes(embedded)
    # the remote metadata graph also records each graph's content digest (one triple each)
    remote_store = hstore.open_store(remote_path)
    assert isinstance(remote_store, remote.RemoteStore)
    notes = len(remote_store.digests())
    assert notes == len(sizes(remote_path))  # every graph but the metadata graph
    assert report_r.store_quads == report_e.store_quads + notes  # type: ignore[attr-defined]
    assert named_quads(remote_store) == named_quads(hstore.open_store(embedded)) + notes
    # a rebuild of the seed carries the import over on both stores
    build(MINI, store_path=embedded)
    build(MINI, store_path=remote_path)
    assert IMPORT in sizes(remote_path) and sizes(remote_path) == sizes(embedded)


def test_partial_replace_is_for_remote_stores_only(tmp_path: Path) -> None:
    with (
        pytest.raises(hstore.StoreError, match="only a remote store"),
        hstore.replacing(tmp_path / "store", keep_other_graphs=True),
    ):
        pass
