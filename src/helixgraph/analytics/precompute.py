"""The metrics of the default views, a product of the build.

After a ``build`` or an ``import`` (and when ``serve`` finds a build without them) one
process (``helixgraph analytics precompute``, :func:`spawn`) computes, once, what the
default views draw and list -- the whole graph, each region (:data:`REGIONS`) and each
helix -- : a map's metrics and node positions (:func:`~.suite.map_metrics`), every family
of the metric suite with the routes' default parameters (:func:`tasks`), and what the
caller adds (the CLI adds the maps' projections). They are stored with that
build, in ``<build directory>/analytics/<graph version>/`` (for a remote store, in
``<descriptor>.analytics/<the server's version>/``), so a restart does not recompute and a rebuild
-- a new build directory behind the store's link -- replaces them atomically with the graph.

:func:`state` says whether a build's default views are ``ready``, being ``computing`` (a
lock held by the computing process; a dead process releases it) or ``missing``. The
analytics service (:class:`~.jobs.Computations`) reads this folder before its own cache
and does not compute a default view twice while this process is at it.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from helixgraph import network
from helixgraph import store as hstore
from helixgraph.analytics.cache import ResultCache, cache_dir
from helixgraph.analytics.replay import ReplayStore
from helixgraph.analytics.suite import MAP_SAMPLE_ABOVE, MAP_SAMPLES, STORE_FAMILIES
from helixgraph.analytics.views import Projections
from helixgraph.analytics.workers import Task, run_task

log = logging.getLogger("helixgraph.analytics")

NO_PRECOMPUTE_ENV = "HELIXGRAPH_NO_PRECOMPUTE"  # set: no process computes them on its own
FOLDER = "analytics"  # in a build directory
DONE = "complete.json"  # written last: the default views are all there
PLAN = "plan.json"  # the keys being computed, written first
LOCK = ".lock"  # held while computing
REMOTE_SUFFIX = ".analytics"  # beside a remote store's descriptor: <descriptor>.analytics/
# the regions with a view of their own: the seed's places of type hx:Region that hold
# organisations (the map's presets among them)
REGIONS = ("noord-nederland", "oost-nederland", "twente")
NAME_INDEX = "name-index"  # /reconcile's index of names (helixgraph.catalog.names)
NAME_INDEX_CALL = "helixgraph.catalog.names:index_bytes"
# the options each metric route asks for when it is given none (api/routes/metrics.py)
ROUTE_DEFAULTS: dict[str, dict[str, Any]] = {
    "centrality": {"betweenness_k": None, "seed": 0},
    "structural_holes": {},
    "brokerage": {},
    "helix": {"triad_limit": 100},
    "communities": {"seed": 0},
    "funding": {},
}


def default_views() -> list[network.Filters]:
    """The whole graph, each region of :data:`REGIONS`, each helix."""
    return [
        network.Filters(),
        *(network.Filters(region=r) for r in REGIONS),
        *(network.Filters(helix=h) for h in network.HELICES),
    ]


def root(target: str, version: str) -> Path:
    """Where the precomputed results of ``version`` live: in the build directory
    ``target`` (embedded); for a remote store (``target`` its descriptor), in the folder
    :data:`REMOTE_SUFFIX` beside the descriptor, which every process that opens the store
    there (the server, the CLI) finds; else in the result cache."""
    path = Path(target) if target else None
    if path is not None and hstore.is_remote(path):
        resolved = path.resolve()
        return resolved.with_name(resolved.name + REMOTE_SUFFIX)
    if path is not None and path.is_dir():
        return path / FOLDER
    return cache_dir()


def map_params(filters: network.Filters) -> dict[str, Any]:
    return {"filters": filters.as_dict(), "samples": [MAP_SAMPLE_ABOVE, MAP_SAMPLES]}


def metrics_params(filters: network.Filters, family: str) -> dict[str, Any]:
    return {"filters": filters.as_dict(), **ROUTE_DEFAULTS[family]}


def name_index_task(target: str, version: str, cache: str) -> Task:
    """The name index of ``/reconcile`` (:func:`helixgraph.catalog.names.index_bytes`),
    pickled: a ``call`` the precompute runs after the whole graph's map, or a worker."""
    return Task.call(target, version, cache, NAME_INDEX, NAME_INDEX_CALL, network.Filters())


def tasks(
    target: str, version: str, before: Callable[[network.Filters], list[Task]] = lambda _f: []
) -> list[Task]:
    """The metrics of every default view, the map first: for each view (the whole graph
    first) the caller's tasks ``before(view)`` (the maps' projections) and its map's
    metrics, the name index after the whole graph's; then each view's metric families."""
    cache = str(root(target, version))
    out: list[Task] = []
    views = default_views()
    for f in views:
        out += before(f)
        out.append(Task("map", "map", map_params(f), f, target, version, cache))
        if f == views[0]:
            out.append(name_index_task(target, version, cache))
    for f in views:
        for family in STORE_FAMILIES:
            options = ROUTE_DEFAULTS[family]
            params = metrics_params(f, family)
            out.append(Task("metrics", family, params, f, target, version, cache, dict(options)))
    return out


def state(target: str, version: str) -> str:
    """``ready``, ``computing`` or ``missing`` for the build ``target`` at ``version``."""
    folder = root(target, version) / version
    if (folder / DONE).is_file():
        return "ready"
    return "computing" if locked(folder / LOCK) else "missing"


def locked(path: Path) -> bool:
    """Whether a live process holds the lock at ``path`` (one ``flock`` probe)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def planned(target: str, version: str) -> set[str]:
    """The cache keys (``name-hash``) the precompute of this build computes."""
    try:
        text = (root(target, version) / version / PLAN).read_text(encoding="utf-8")
        return set(json.loads(text))
    except (OSError, ValueError):
        return set()


@contextlib.contextmanager
def _holding(folder: Path) -> Iterator[bool]:
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def precompute(
    store: Any,
    target: str,
    version: str,
    todo: list[Task],
    *,
    superseded: Callable[[], bool] = lambda: False,
    say: Callable[[str], None] = lambda _m: None,
) -> dict[str, Any]:
    """Compute the tasks ``todo`` (:func:`tasks`, and the callers' own, such as the maps'
    projections) of the build ``target`` at ``version`` once and store them with the build.
    Stops early when another process is at it, or when ``superseded()`` says a newer build
    replaced this one. Returns what it did (``status``, ``seconds``)."""
    folder = root(target, version) / version
    if (folder / DONE).is_file():
        return {"status": "ready", "version": version, "seconds": 0.0}
    start = time.perf_counter()
    with _holding(folder) as mine:
        if not mine:
            return {"status": "busy", "version": version, "seconds": 0.0}
        _write(folder / PLAN, [t.key[2] for t in todo])
        cache = ResultCache(root(target, version))
        reads = ReplayStore(store)  # one build: each SELECT is evaluated once
        projections = Projections(reads, views=len(default_views()))
        done: dict[str, float] = {}
        with _kept_out_of_collections():
            for i, task in enumerate(todo, 1):
                if superseded():
                    return {"status": "superseded", "version": version, "seconds": _since(start)}
                if not cache.has(version, task.name, task.params):
                    outcome = run_task(task, reads, projections)
                    done[task.key[2]] = round(outcome.seconds, 3)
                    view = task.filters.as_dict() or "whole graph"
                    say(f"{i}/{len(todo)} {task.name} of {view}: {outcome.seconds:.1f} s")
                _settle()
        seconds = _since(start)
        _write(folder / DONE, {"version": version, "seconds": seconds, "computed": done})
    return {"status": "ready", "version": version, "seconds": seconds}


@contextlib.contextmanager
def _kept_out_of_collections() -> Iterator[None]:
    """While the precompute runs, what it keeps (every view's projections, the replayed
    rows: millions of objects) is moved out of the cyclic collector's sight after each
    task (:func:`_settle`): its full passes walked all of it again and again, a fifth of
    the precompute's CPU spread over whatever line allocated (py-spy)."""
    try:
        yield
    finally:
        gc.unfreeze()


def _settle() -> None:
    """Collect the garbage of the last task (only what is not frozen yet is walked), then
    freeze what is left (:func:`gc.freeze`)."""
    gc.collect()
    gc.freeze()


def _since(start: float) -> float:
    return round(time.perf_counter() - start, 3)


def _write(path: Path, value: Any) -> None:
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(value), encoding="utf-8")
    os.replace(tmp, path)


def spawn(path: Path, *, detached: bool) -> subprocess.Popen[bytes]:
    """Start ``helixgraph analytics precompute`` of the store at ``path`` in a process of
    its own, at a low priority: ``detached`` outlives its parent (after a build and an
    import), else it ends with its parent (the server's)."""
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    argv = [sys.executable, "-m", "helixgraph", "analytics", "precompute", "--quiet"]
    argv += ["--store", str(path.absolute()), "--nice"]
    if not detached:
        argv.append("--with-parent")
    return subprocess.Popen(
        argv,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL if detached else None,
        start_new_session=True,
    )
