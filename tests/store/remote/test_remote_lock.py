"""The build lock held on the server: two writers on two machines do not interleave.

A second machine is simulated by a second process with its own temporary directory, so
the per-machine lock file (store._build_lock) does not keep the two apart.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from helixgraph import store as hstore
from helixgraph.store import remote
from helixgraph.store.merge import named_quads
from helixgraph.store.remote.lock import EXPIRES, HOLDER, LOCKS, XSD_DATETIME
from tests.remote_store import OxigraphServer

HOLD = """
import sys
from pathlib import Path
from helixgraph import store as hstore
try:
    with hstore.replacing(Path(sys.argv[1]), keep_other_graphs=True):
        print("held", flush=True)
        sys.stdin.readline()
except hstore.StoreError as exc:
    print("refused:", exc, flush=True)
"""

EX = "http://example.org/"
QUAD = ox.Quad(*(ox.NamedNode(EX + n) for n in ("a", "p", "b", "g")))


@pytest.fixture
def path(server: OxigraphServer, tmp_path: Path) -> Path:
    return server.config.write(tmp_path / "store")


def other_machine(path: Path, tmp: Path) -> subprocess.Popen[str]:
    tmp.mkdir(exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp)},
    )


def claims(path: Path) -> list[str]:
    st = hstore.open_store(path)
    rows = st.query(
        f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
        f'FILTER(STRSTARTS(STR(?g), "{LOCKS}")) }}'
    )
    return [row["g"].value for row in rows]  # type: ignore[union-attr]


def test_a_second_writer_is_refused_naming_the_holder(path: Path, tmp_path: Path) -> None:
    holder = other_machine(path, tmp_path / "machine-a")
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(hstore.StoreError) as refused, hstore.replacing(path) as st:
            st.add(QUAD)
        message = str(refused.value)
        assert "another build or import is writing" in message
        assert f"an import by {os.environ.get('USER', 'someone')}@" in message
        assert f"pid {holder.pid}," in message
        assert list(hstore.open_store(path).named_graphs()) == []  # nothing was sent
    finally:
        holder.communicate("\n", timeout=30)
    assert claims(path) == []  # released
    with hstore.replacing(path) as st:  # and free again
        st.add(QUAD)
    assert named_quads(hstore.open_store(path)) == 1 and claims(path) == []


def test_two_writers_at_once_never_both_hold(path: Path, tmp_path: Path) -> None:
    for round_ in range(3):
        both = [other_machine(path, tmp_path / f"m{round_}-{i}") for i in range(2)]
        answers = []
        for proc in both:
            assert proc.stdout is not None
            answers.append(proc.stdout.readline().strip())
        for proc in both:
            proc.communicate("\n", timeout=30)
        assert answers.count("held") <= 1, answers
        assert all(a == "held" or "another build or import" in a for a in answers), answers
    assert claims(path) == []


def test_a_stale_lock_is_taken_over(path: Path) -> None:
    stale = ox.NamedNode(LOCKS + "stale")
    st = hstore.open_store(path)
    assert isinstance(st, remote.RemoteStore)
    long_ago = ox.Literal("2000-01-01T00:00:00+00:00", datatype=XSD_DATETIME)
    st.write_small_graph(
        stale,
        [
            ox.Triple(stale, HOLDER, ox.Literal("a build by someone@elsewhere pid 1")),
            ox.Triple(stale, EXPIRES, long_ago),
        ],
    )
    with hstore.replacing(path, keep_other_graphs=True):
        assert len(claims(path)) == 1 and stale.value not in claims(path)
    assert claims(path) == []


def test_a_failed_build_releases_the_lock(path: Path) -> None:
    with pytest.raises(RuntimeError, match="boom"), hstore.replacing(path):
        assert len(claims(path)) == 1
        raise RuntimeError("boom")
    assert claims(path) == []


def test_a_build_reads_the_imports_it_keeps_under_the_lock(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from helixgraph.ingest import build as imports
    from helixgraph.ingest.build import build
    from tests.conftest import MINI

    build(MINI, store_path=path)
    held_while_reading: list[int] = []
    carry_over = imports.carry_over

    def reading(store_path: Path, seed_ids: dict[tuple[str, str], str]) -> list[ox.Quad]:
        held_while_reading.append(len(claims(path)))
        return carry_over(store_path, seed_ids)

    monkeypatch.setattr(imports, "carry_over", reading)
    build(MINI, store_path=path)
    assert held_while_reading == [1]  # else an import finishing meanwhile would be dropped
