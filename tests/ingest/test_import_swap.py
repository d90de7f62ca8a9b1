"""An import updates a checkpoint of the store (no whole-store copy) and stores exactly
the quads the whole-store copy wrote: the store minus the old import graph and its
metadata records, plus the new graph and metadata, with the default graph their merge."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from helixgraph import store as hstore
from helixgraph.ingest.provenance import import_graph
from helixgraph.ingest.run import Staged, carried_quads, run_import, stage, swap_in
from helixgraph.ingest.sources import cordis, ror, structural_funds
from helixgraph.ingest.toolkit import Extract, Problems
from helixgraph.ingest.validate import ontology_dir
from helixgraph.store.merge import merged
from tests.remote_store import remote_mode

pytestmark = pytest.mark.skipif(remote_mode(), reason="the embedded store's checkpoints")


def whole_copy(old: ox.Store, staged: Staged) -> set[ox.Quad]:
    """What the import wrote before the checkpoint: a new store holding every quad of
    the old one but the old import graph and its metadata records, plus the new graph
    and metadata, and the merge of all named graphs as the default graph."""
    named = set(carried_quads(old, staged.graph)) | set(staged.quads) | set(staged.meta)
    written = ox.Store()  # in memory: a store writes xsd:dateTime in its canonical form
    written.extend(named | set(merged(named)))
    return set(written)


def everything(path: Path) -> set[ox.Quad]:
    return set(hstore.open_store(path).quads_for_pattern(None, None, None, None))


def import_and_compare(path: Path, extract: Extract) -> None:
    old = hstore.open_store(path)
    staged = stage(extract, old, import_graph(extract.dataset.id), ontology=ontology_dir())
    expected = whole_copy(old, staged)
    del old
    swap_in(path, staged)
    assert everything(path) == expected


def test_imports_store_what_the_whole_store_copy_stored(fixtures: Path, store: Path) -> None:
    h2020 = fixtures / "cordis_h2020_eunets"
    reads: list[Callable[[], Extract]] = [
        lambda: ror.read(fixtures / "ror", Problems("skip")),
        lambda: cordis.read(h2020, Problems("stop")),
        # a smaller re-import of the same graph: facts go, some of them still stated
        # by the seed or by ROR, whose copies in the default graph must stay
        lambda: cordis.read(h2020, Problems("stop"), region="twente"),
        lambda: cordis.read(h2020, Problems("stop")),
        lambda: structural_funds.read(
            fixtures / "nl_structural_funds" / "structural_funds.csv", Problems("skip")
        ),
        lambda: ror.read(fixtures / "ror", Problems("skip")),  # the same again: idempotent
    ]
    for read in reads:
        import_and_compare(store, read())


def test_a_smaller_reimport_drops_from_the_default_graph_only_what_no_graph_states(
    fixtures: Path, store: Path
) -> None:
    h2020 = fixtures / "cordis_h2020_eunets"
    run_import(cordis.read(h2020, Problems("stop")), store_path=store)
    graph = ox.NamedNode(import_graph("cordis-h2020"))
    before = {
        (q.subject, q.predicate, q.object)
        for q in hstore.open_store(store).quads_for_pattern(None, None, None, graph)
    }
    run_import(cordis.read(h2020, Problems("stop"), region="twente"), store_path=store)
    st = hstore.open_store(store)
    after = {
        (q.subject, q.predicate, q.object) for q in st.quads_for_pattern(None, None, None, graph)
    }
    gone = before - after
    assert gone
    default = ox.DefaultGraph()
    for s, p, o in gone:
        in_default = any(True for _ in st.quads_for_pattern(s, p, o, default))
        named = any(
            not isinstance(q.graph_name, ox.DefaultGraph)
            for q in st.quads_for_pattern(s, p, o, None)
        )
        assert in_default == named  # kept exactly when another graph still states it
    assert any(
        not isinstance(q.graph_name, ox.DefaultGraph)
        for s, p, o in gone
        for q in st.quads_for_pattern(s, p, o, None)
    ), "the fixture has a dropped fact that the seed also states"


def test_an_import_shares_the_stores_files_instead_of_copying_them(
    fixtures: Path, store: Path
) -> None:
    previous = store.resolve()
    run_import(ror.read(fixtures / "ror", Problems("skip")), store_path=store)
    current = store.resolve()
    assert current != previous and previous.is_dir()  # the old build is still there
    old_files = {f.stat().st_ino for f in previous.glob("*.sst")}
    shared = [f for f in current.glob("*.sst") if f.stat().st_ino in old_files]
    assert shared, "the new build hard-links the immutable files of the one it replaces"


def test_a_failure_while_loading_leaves_the_store_and_no_files_behind(
    fixtures: Path, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import fails after part of the new graph is in the checkpoint: the store is as
    it was, and neither the checkpoint nor the staged triples' file stays on disk."""
    from helixgraph.store import merge as hmerge

    monkeypatch.setattr(hmerge, "CHUNK_TRIPLES", 50)  # several loader runs
    old = hstore.open_store(store)
    staged = stage(
        cordis.read(fixtures / "cordis_h2020_eunets", Problems("stop")),
        old,
        import_graph("cordis-h2020"),
        ontology=ontology_dir(),
    )
    del old
    assert len(staged.quads) > 100
    before, target = everything(store), store.resolve()

    def left() -> set[str]:  # the builds directory's entries but its lock file
        return {p.name for p in hstore.builds_dir(store).iterdir()} - {".lock"}

    builds = left()
    loaded: list[int] = []

    def fail_midway(task: str, done: int, total: int) -> None:
        loaded.append(done)
        if len(loaded) == 3:  # after the second run of the loader
            raise RuntimeError("disk gone")

    with pytest.raises(RuntimeError, match="disk gone"):
        swap_in(store, staged, fail_midway)
    assert loaded[1:] == [50, 100]
    assert store.resolve() == target and everything(store) == before
    assert left() == builds
