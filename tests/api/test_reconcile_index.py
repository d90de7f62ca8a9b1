"""``/reconcile``'s name index is a product of the build (issue 18): computed by the build's
precompute or an analytics worker, in a process of its own, and only loaded by the web
process; until it is there the routes that need it answer 503 with ``Retry-After`` at
once, and the manifest does not wait for it."""

from __future__ import annotations

import fcntl
import json
import os
import pickle
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from helixgraph import store as hstore
from helixgraph.analytics import precompute
from helixgraph.analytics.workers import JOURNAL, Task
from helixgraph.catalog import names
from helixgraph.catalog.version import graph_version
from helixgraph.store.remote import RemoteStore
from tests.api.conftest import Server, build_store, start_server, stop_server
from tests.remote_store import store_path

QUERY = {"queries": json.dumps({"q0": {"query": "University Medical Center Groningen"}})}


def version_of(target: str) -> str:
    st = hstore.open_store(Path(target))
    return st.version() if isinstance(st, RemoteStore) else graph_version(st)


def index_task(target: str, version: str) -> Task:
    return precompute.name_index_task(target, version, str(precompute.root(target, version)))


def journal_lines(folder: Path) -> list[str]:
    path = folder / JOURNAL
    if not path.is_file():
        return []
    return [line for line in path.read_text().splitlines() if f" {precompute.NAME_INDEX}-" in line]


def wait_for(http: httpx.Client, timeout: float = 300.0) -> httpx.Response:
    """Ask until the index is there; every answer meanwhile is a prompt 503 with Retry-After."""
    deadline = time.monotonic() + timeout
    while True:
        started = time.monotonic()
        answer = http.get("/reconcile", params=QUERY)
        if answer.status_code != 503:
            return answer
        assert time.monotonic() - started < 5, "a 503 must come at once"
        assert int(answer.headers["retry-after"]) >= 1
        assert time.monotonic() < deadline, "the name index was never computed"
        time.sleep(0.5)


def test_the_index_is_the_builds_product_and_waits_are_a_prompt_503(tmp_path: Path) -> None:
    store = build_store(store_path(tmp_path / "store"))
    target = hstore.link_target(store)
    version = version_of(target)
    task = index_task(target, version)
    folder = precompute.root(target, version) / version
    folder.mkdir(parents=True)
    # the build's precompute at work: its lock held and the index in its plan
    (folder / precompute.PLAN).write_text(json.dumps([task.key[2]]))
    lock = os.open(folder / precompute.LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(lock, fcntl.LOCK_EX)
    server = start_server(store, tmp_path / "server.log", HELIXGRAPH_CACHE=str(tmp_path / "cache"))
    try:
        with server.client() as http:
            manifest = http.get("/reconcile")  # needs no index
            assert manifest.status_code == 200 and manifest.json()["versions"] == ["0.2"]
            for path, params in (
                ("/reconcile", QUERY),
                ("/reconcile/suggest/entity", {"prefix": "uni"}),
                ("/reconcile/preview", {"id": "umcg"}),
            ):
                started = time.monotonic()
                answer = http.get(path, params=params)
                assert answer.status_code == 503, (path, answer.text)
                assert time.monotonic() - started < 2
                assert int(answer.headers["retry-after"]) >= 1
                assert "name index" in answer.json()["detail"]
            bad = http.get("/reconcile", params={"queries": "{"})  # bad input stays a 400
            assert bad.status_code == 400
            product = folder / f"{task.key[2]}.bin"
            product.write_bytes(b"not a pickle")  # an unreadable product: a 503, not a 500
            broken = http.get("/reconcile", params=QUERY)
            assert broken.status_code == 503 and "could not be read" in broken.json()["detail"]
            product.unlink()
            # the precompute computes it (in this process, not the server's) and ends
            os.close(lock)
            result = precompute.precompute(hstore.open_store(store), target, version, [task])
            assert result["status"] == "ready"
            answer = http.get("/reconcile", params=QUERY)
            assert answer.status_code == 200, answer.text
            assert answer.json()["q0"]["result"][0]["id"] == "umcg"
        lines = journal_lines(folder)
        assert len(lines) == 1 and f"pid={os.getpid()}" in lines[0]
        assert not list((tmp_path / "cache").glob(f"metrics/*/{JOURNAL}"))  # none by the server
    finally:
        stop_server(server)


@pytest.fixture
def server_without_precompute(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    store = build_store(store_path(tmp_path / "store"))
    cache = tmp_path / "cache"
    server = start_server(store, tmp_path / "server.log", HELIXGRAPH_CACHE=str(cache))
    yield server, cache
    stop_server(server)


def test_a_build_without_it_has_a_worker_compute_it_at_startup(
    server_without_precompute: tuple[Server, Path],
) -> None:
    server, cache = server_without_precompute
    with server.client() as http:
        first = wait_for(http)
        assert first.status_code == 200, first.text
        assert first.json()["q0"]["result"][0]["id"] == "umcg"
        suggest = http.get("/reconcile/suggest/entity", params={"prefix": "univ"})
        assert [r["id"] for r in suggest.json()["result"]][:1] == ["umcg"]
    (journal,) = cache.glob(f"metrics/*/{JOURNAL}")
    lines = journal_lines(journal.parent)
    assert len(lines) == 1  # once, by an analytics worker, not the web process
    assert f"pid={server.proc.pid}" not in lines[0]


def test_loading_the_product_is_the_index_read_from_the_store(tmp_path: Path) -> None:
    store = build_store(store_path(tmp_path / "store"))
    target = hstore.link_target(store)
    version = version_of(target)
    st = hstore.open_store(store)
    data = names.index_bytes(st, index_task(target, version))
    loaded, read = names.loads(data), names.read_index(st, version)
    assert loaded.version == read.version == version
    assert [e.id for e in loaded.matcher.entities] == [e.id for e in read.matcher.entities]
    assert loaded.helices == read.helices and loaded.kinds == read.kinds
    before = dict(names.made)
    kept = names.name_index(st, version + "-t", lambda: loaded)
    assert kept is loaded and names.name_index(st, version + "-t") is loaded
    assert names.made == {**before, "loaded": before["loaded"] + 1}  # nothing read
    with pytest.raises(TypeError, match="not a name index"):
        names.loads(pickle.dumps({"not": "an index"}))
