"""The default views' metrics are a product of the build (helixgraph.analytics.precompute):
computed once, stored in the build directory, read by the server without computing, gone
with the build; and the analytics service's bounds (queue cap, pruned failures)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from helixgraph import network
from helixgraph import store as hstore
from helixgraph.analytics import precompute
from helixgraph.analytics.cache import ResultCache
from helixgraph.analytics.jobs import Busy, Computations, Failed, Pending, Ready
from helixgraph.analytics.workers import JOURNAL, Task
from helixgraph.catalog.version import graph_version
from helixgraph.cli.main import app
from helixgraph.maps import MapOptions, build_view, prerender
from helixgraph.maps import base as mbase
from helixgraph.maps.webdata import payload
from helixgraph.store.remote import RemoteStore
from tests.analytics.slow_store import slow_trig
from tests.api.conftest import build_store, start_server, stop_server
from tests.processes import alive
from tests.remote_store import remote_mode, store_path


def views_of(target: str) -> tuple[str, Path]:
    """The version of the store at ``target`` as the server names it, and the folder of
    its precomputed views: in the build directory, or beside a remote store's descriptor."""
    st = hstore.open_store(Path(target))
    version = st.version() if isinstance(st, RemoteStore) else graph_version(st)
    folder = precompute.root(target, version) / version
    if remote_mode():
        assert folder.parent == Path(target).resolve().with_name(Path(target).name + ".analytics")
    else:
        assert folder.parent == Path(target) / precompute.FOLDER
    return version, folder


def test_precompute_stores_the_default_views_with_the_build(tmp_path: Path) -> None:
    store = build_store(store_path(tmp_path / "store"))
    target = hstore.link_target(store)
    version, folder = views_of(target)
    assert precompute.state(target, version) == "missing"
    runner = CliRunner()
    r = runner.invoke(app, ["analytics", "precompute", "--store", str(store)])
    assert r.exit_code == 0, r.output
    assert "ready" in r.output
    assert precompute.state(target, version) == "ready"
    done = json.loads((folder / precompute.DONE).read_text())
    views = precompute.default_views()
    # per view: its projections, map metrics (positions too), rendered map and six metric
    # families; and the facts the views share, and /reconcile's name index
    assert len(done["computed"]) == 2 + len(views) * (3 + 6)
    whole = json.loads(
        (
            folder / f"{ResultCache.key('map', precompute.map_params(network.Filters()))}.json"
        ).read_text()
    )
    assert set(whole) >= {"positions", "centrality", "communities", "brokerage"}
    assert whole["positions"] and all(len(xy) == 2 for xy in whole["positions"].values())
    # once: a second run computes nothing
    again = runner.invoke(app, ["analytics", "precompute", "--store", str(store)])
    assert again.exit_code == 0 and json.loads((folder / precompute.DONE).read_text()) == done
    # the analytics service reads them without computing (its own journal stays empty)
    jobs = Computations(workers=1, cache=ResultCache(tmp_path / "cache"))
    jobs.start()
    try:
        f = network.Filters(region="twente")
        answers = [
            jobs.get(jobs.map_task(target, version, f)),
            jobs.get(
                jobs.metrics_task(target, version, "centrality", f, betweenness_k=None, seed=0)
            ),
            jobs.get(mbase.base_task(target, version, str(jobs.cache.root), f)),
        ]
        assert all(isinstance(a, Ready) for a in answers), answers
        assert isinstance(answers[2], Ready) and isinstance(answers[2].result, bytes)
        assert not list((tmp_path / "cache").glob(f"*/{JOURNAL}"))
    finally:
        jobs.close()
    # a rebuild is a new build directory: its views are missing, the old ones went with it;
    # a remote store's version is a hash of what the server holds: the same graph sent
    # again is the same version, whose views stay ready beside the descriptor
    build_store(store)
    new_target = hstore.link_target(store)
    new_version = views_of(new_target)[0]
    if not remote_mode():
        assert new_target != target
        assert precompute.state(new_target, new_version) == "missing"
    elif new_version == version:
        assert new_target == target and precompute.state(new_target, new_version) == "ready"
    else:
        assert precompute.state(new_target, new_version) == "missing"


def test_a_superseded_build_stops_its_precompute(tmp_path: Path) -> None:
    store = build_store(store_path(tmp_path / "store"))
    target = hstore.link_target(store)
    version, folder = views_of(target)
    todo = precompute.tasks(target, version)
    result = precompute.precompute(
        hstore.open_store(store), target, version, todo, superseded=lambda: True
    )
    assert result["status"] == "superseded"
    assert precompute.state(target, version) == "missing"  # no lock held, not complete


def _wait(check: object, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.5)
    raise AssertionError("timed out")


def test_the_server_precomputes_a_build_without_them_and_is_ready_after(tmp_path: Path) -> None:
    store = build_store(store_path(tmp_path / "store"))
    target = hstore.link_target(store)
    version, folder = views_of(target)
    server = start_server(
        store,
        tmp_path / "server.log",
        HELIXGRAPH_CACHE=str(tmp_path / "cache"),
        HELIXGRAPH_NO_PRECOMPUTE="",
    )
    try:
        with server.client() as client:
            live = client.get("/healthz")
            assert live.status_code == 200 and live.json() == {"status": "ok"}
            first = client.get("/readyz")
            if first.status_code == 503:  # computing (or already done on a fast machine)
                assert first.json()["default_views"] == "computing"
                assert int(first.headers["retry-after"]) >= 1
            _wait(lambda: client.get("/readyz").status_code == 200)
            ready = client.get("/readyz").json()
            assert ready == {
                "status": "ready",
                "version": version,
                "store": "open",
                "default_views": "ready",
            }
            # the default views are answered at once, computed by no worker of the server
            for path in ("/map/data", "/map/data?region=twente", "/api/metrics/brokerage"):
                r = client.get(path)
                assert r.status_code == 200, (path, r.text[:300])
            assert not list((tmp_path / "cache").glob(f"metrics/*/{JOURNAL}"))
            assert (folder / precompute.DONE).is_file()
            # the default view's map was rendered ahead, and is what rendering it now gives
            f = network.Filters(region="twente")
            ahead = ResultCache(folder.parent).lookup_bytes(
                version, prerender.NAME, prerender.task(target, version, "", f).params
            )
            served = client.get("/map/data", params={"region": "twente"})
            assert ahead is not None and served.content == ahead
            st = hstore.open_store(store)
            # (the base names the build as the server does: a remote store by its version)
            fresh = payload(build_view(st, MapOptions(filters=f), base=mbase.Base(st, f, version)))
            assert json.loads(prerender.encode(fresh)) == served.json()
    finally:
        stop_server(server)


def test_readyz_is_503_while_the_default_views_are_missing(tmp_path: Path) -> None:
    store = build_store(store_path(tmp_path / "store"))
    server = start_server(store, tmp_path / "server.log", HELIXGRAPH_CACHE=str(tmp_path / "c"))
    try:
        r = httpx.get(server.url + "/readyz", timeout=10)  # precompute turned off: never ready
        assert r.status_code == 503 and r.json()["default_views"] == "missing"
        assert r.headers["cache-control"] == "no-store" and "retry-after" in r.headers
        assert httpx.get(server.url + "/healthz", timeout=10).status_code == 200
    finally:
        stop_server(server)


@pytest.fixture(scope="module")
def slow_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("slow")
    return build_store(store_path(tmp / "store"), slow_trig(tmp / "slow.trig"))


def test_queue_cap_refuses_new_views_and_failures_are_pruned(
    slow_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HELIXGRAPH_METRICS_ENGINE", "networkx")  # a minute per view
    target = hstore.link_target(slow_store)
    version = views_of(target)[0]
    jobs = Computations(
        workers=1,
        cache=ResultCache(tmp_path / "cache"),
        max_pending=2,
        retry_failed=0.5,
        max_failed=1,
    )
    jobs.start()
    try:
        views = [network.Filters(start=2000 + i) for i in range(3)]
        answers = [jobs.get(jobs.metrics_task(target, version, "centrality", f)) for f in views]
        assert isinstance(answers[0], Pending) and isinstance(answers[1], Pending)
        assert isinstance(answers[2], Busy) and answers[2].retry_after >= 1
        assert jobs.in_flight() == 2
        # asking again for a queued view is not a new computation
        assert isinstance(
            jobs.get(jobs.metrics_task(target, version, "centrality", views[0])), Pending
        )
    finally:
        jobs.close()
    workers = Computations(
        workers=1, cache=ResultCache(tmp_path / "c2"), retry_failed=3.0, max_failed=1
    )
    workers.start()
    try:
        bad = [
            Task.call(
                target,
                version,
                str(tmp_path / "c2"),
                f"bad{i}",
                "helixgraph.nowhere:x",
                network.Filters(),
            )
            for i in range(3)
        ]
        for task in bad:
            workers.get(task)
        deadline = time.monotonic() + 60
        while workers.in_flight() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert workers.failed_count() <= 1  # the oldest forgotten beyond max_failed
        answer = workers.get(bad[2])
        assert isinstance(answer, Failed) and "ModuleNotFoundError" in answer.reason
        time.sleep(3.1)
        workers.get(bad[0])  # the expired failures are pruned when the next one is recorded
        _wait(lambda: workers.in_flight() == 0, 60)
        assert workers.failed_count() == 1
    finally:
        workers.close()
    assert alive([w.proc.pid for w in workers._workers]) == []
