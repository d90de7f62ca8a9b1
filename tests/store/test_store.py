from pathlib import Path

import pyoxigraph as ox
import pytest

from helixgraph import store
from helixgraph.store.merge import named_quads

Q = ox.Quad(
    ox.NamedNode("http://example.org/s"),
    ox.NamedNode("http://example.org/p"),
    ox.Literal("v"),
    ox.NamedNode("http://example.org/g"),
)


def fill(path: Path, n: int) -> None:
    with store.replacing(path) as st:
        for i in range(n):
            st.add(ox.Quad(Q.subject, Q.predicate, ox.Literal(str(i)), Q.graph_name))


def test_missing_store_says_to_build(tmp_path: Path) -> None:
    with pytest.raises(store.StoreError, match="run 'helixgraph build' first"):
        store.open_store(tmp_path / "store")


def test_replacing_swaps_in_a_new_store(tmp_path: Path) -> None:
    path = tmp_path / "store"
    fill(path, 3)
    assert path.is_symlink()
    assert named_quads(store.open_store(path)) == 3
    fill(path, 5)
    assert named_quads(store.open_store(path)) == 5


def test_failed_build_leaves_the_previous_store(tmp_path: Path) -> None:
    path = tmp_path / "store"
    fill(path, 2)
    before = path.resolve()
    with pytest.raises(RuntimeError, match="boom"), store.replacing(path) as st:
        st.add(Q)
        raise RuntimeError("boom")
    assert path.resolve() == before
    assert named_quads(store.open_store(path)) == 2
    assert [d for d in store.builds_dir(path).iterdir() if d.is_dir()] == [before]


def test_old_builds_are_pruned(tmp_path: Path) -> None:
    path = tmp_path / "store"
    for n in range(4):
        fill(path, n + 1)
    dirs = [d for d in store.builds_dir(path).iterdir() if d.is_dir()]
    assert len(dirs) == 2  # the current build and the one it replaced
    assert named_quads(store.open_store(path)) == 4


def test_abandoned_builds_are_pruned_but_the_previous_store_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "store"
    fill(path, 1)
    previous = path.resolve()
    abandoned = store.builds_dir(path) / "20000101T000000-killed"
    abandoned.mkdir()  # what a SIGKILLed build leaves behind
    fill(path, 2)
    dirs = {d for d in store.builds_dir(path).iterdir() if d.is_dir()}
    assert dirs == {path.resolve(), previous}
    assert named_quads(ox.Store.read_only(str(previous))) == 1


def test_one_build_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "store"
    fill(path, 1)
    with store.replacing(path) as st:
        st.add(Q)
        with (
            pytest.raises(store.StoreError, match="another build or import is writing"),
            store.replacing(path),
        ):
            pass
    assert named_quads(store.open_store(path)) == 1


def test_plain_directory_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "store"
    path.mkdir()
    (path / "precious").write_text("x")
    with pytest.raises(store.StoreError, match="plain directory"), store.replacing(path):
        pass
    assert (path / "precious").read_text() == "x"


def test_a_build_writes_the_merge_of_its_graphs_as_the_default_graph(tmp_path: Path) -> None:
    path = tmp_path / "store"
    other = ox.NamedNode("http://example.org/h")
    with store.replacing(path) as st:
        st.add(Q)
        st.add(ox.Quad(Q.subject, Q.predicate, Q.object, other))  # the same triple, twice
        st.add(ox.Quad(Q.subject, Q.predicate, ox.Literal("w"), other))
    st = store.open_store(path)
    default = list(st.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert sorted(str(q.object) for q in default) == ['"v"', '"w"']
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(next(iter(st.query(count)))["n"].value) == 2  # type: ignore[index]
    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    counts = {row["g"].value: int(row["n"].value) for row in st.query(per_graph)}  # type: ignore[union-attr,index]
    assert counts == {Q.graph_name.value: 1, other.value: 2}  # GRAPH ?g: not the default graph


def test_a_store_without_the_merge_is_refused_and_rebuilds(tmp_path: Path, mini_data: Path) -> None:
    """A store built before the default graph held the merge answers nothing without the
    union flag: it is refused, naming the fix; a build over it works."""
    from helixgraph.ingest.build import build

    path = tmp_path / "store"
    old_build = store.builds_dir(path) / "old"
    old_build.parent.mkdir(parents=True)
    old = ox.Store(str(old_build))
    old.add(Q)  # named graphs only, as the previous helixgraph wrote them
    del old
    path.symlink_to(old_build)
    with pytest.raises(store.StoreError, match="built by an older helixgraph.*helixgraph build"):
        store.open_store(path)
    build(mini_data, store_path=path)
    assert store.open_store(path).query("ASK { ?s ?p ?o }")


def test_updating_a_checkpoint_swaps_it_in_and_old_readers_keep_the_old_build(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store"
    fill(path, 3)
    before = path.resolve()
    reader = store.open_store(path)  # a running server's view of the current build
    with store.updating(path) as st:
        assert named_quads(st) == 3  # the copy holds the store as it is
        st.add(ox.Quad(Q.subject, Q.predicate, ox.Literal("new"), Q.graph_name))
        assert path.resolve() == before  # nothing is swapped before the block ends
    assert path.resolve() != before and before.is_dir()  # the replaced build is kept
    assert named_quads(store.open_store(path)) == 4
    assert named_quads(reader) == 3
    # the checkpoint hard-links the immutable files instead of copying them
    old_files = {f.stat().st_ino for f in before.glob("*.sst")}
    assert any(f.stat().st_ino in old_files for f in path.resolve().glob("*.sst"))


def test_a_failed_update_leaves_the_store_and_no_copy_behind(tmp_path: Path) -> None:
    path = tmp_path / "store"
    fill(path, 2)
    before = path.resolve()
    with pytest.raises(RuntimeError, match="boom"), store.updating(path) as st:
        st.remove_graph(Q.graph_name)
        raise RuntimeError("boom")
    assert path.resolve() == before
    assert named_quads(store.open_store(path)) == 2
    assert [d for d in store.builds_dir(path).iterdir() if d.is_dir()] == [before]


def test_updating_needs_a_built_store(tmp_path: Path) -> None:
    with (
        pytest.raises(store.StoreError, match="run 'helixgraph build' first"),
        store.updating(tmp_path / "store"),
    ):
        pass
