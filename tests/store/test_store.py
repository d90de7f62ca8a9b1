from pathlib import Path

import pyoxigraph as ox
import pytest

from helixgraph import store

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
    assert len(store.open_store(path)) == 3
    fill(path, 5)
    assert len(store.open_store(path)) == 5


def test_failed_build_leaves_the_previous_store(tmp_path: Path) -> None:
    path = tmp_path / "store"
    fill(path, 2)
    before = path.resolve()
    with pytest.raises(RuntimeError, match="boom"), store.replacing(path) as st:
        st.add(Q)
        raise RuntimeError("boom")
    assert path.resolve() == before
    assert len(store.open_store(path)) == 2
    assert [d for d in store.builds_dir(path).iterdir() if d.is_dir()] == [before]


def test_old_builds_are_pruned(tmp_path: Path) -> None:
    path = tmp_path / "store"
    for n in range(4):
        fill(path, n + 1)
    dirs = [d for d in store.builds_dir(path).iterdir() if d.is_dir()]
    assert len(dirs) == 2  # the current build and the one it replaced
    assert len(store.open_store(path)) == 4


def test_abandoned_builds_are_pruned_but_the_previous_store_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "store"
    fill(path, 1)
    previous = path.resolve()
    abandoned = store.builds_dir(path) / "20000101T000000-killed"
    abandoned.mkdir()  # what a SIGKILLed build leaves behind
    fill(path, 2)
    dirs = {d for d in store.builds_dir(path).iterdir() if d.is_dir()}
    assert dirs == {path.resolve(), previous}
    assert len(ox.Store.read_only(str(previous))) == 1


def test_one_build_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "store"
    fill(path, 1)
    with store.replacing(path) as st:
        st.add(Q)
        with pytest.raises(store.StoreError, match="another build or import is writing"), \
                store.replacing(path):
            pass
    assert len(store.open_store(path)) == 1


def test_plain_directory_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "store"
    path.mkdir()
    (path / "precious").write_text("x")
    with pytest.raises(store.StoreError, match="plain directory"), store.replacing(path):
        pass
    assert (path / "precious").read_text() == "x"
