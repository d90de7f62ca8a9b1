"""The default map views rendered ahead: the payload (:func:`~.webdata.payload`) of each
default view with the default styling, computed by the build's precompute
(:mod:`helixgraph.analytics.precompute`) in its own process from the projections and
metrics it computed just before, so the first ``/map`` of a fresh build renders nothing in
the web process. Kept under the name :data:`NAME` with the code's :data:`FORMAT`, so a
payload rendered by other code is not served.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from helixgraph import network
from helixgraph.analytics import precompute
from helixgraph.analytics.cache import ResultCache
from helixgraph.analytics.views import Projections
from helixgraph.analytics.workers import Task
from helixgraph.maps.base import load
from helixgraph.maps.options import MapOptions
from helixgraph.maps.view import build_view
from helixgraph.maps.webdata import payload

FORMAT = "3"  # bump when the payload's shape changes (3: isolate and unnamed flags)
NAME = f"map-data-{FORMAT}"
FUNCTION = "helixgraph.maps.prerender:rendered"
EARLY_NAME = f"map-early-{FORMAT}"
EARLY = "helixgraph.maps.prerender:early"
PROVISIONAL = (
    "Centralities are being computed: organisations are sized by degree meanwhile, "
    "without communities or brokers; this view is complete in a few seconds."
)


def task(target: str, version: str, cache: str, filters: network.Filters) -> Task:
    return Task.call(target, version, cache, NAME, FUNCTION, filters)


def early_task(target: str, version: str, cache: str, options: MapOptions) -> Task:
    """The view drawn before its centralities (:func:`early`), in a worker, never in the
    web process: projecting and laying out a region takes seconds of CPU."""
    view = [list(p) for p in options.to_params()]
    params = {"filters": options.filters.as_dict(), "function": EARLY, "view": view}
    opts = {"function": EARLY, "view": view}
    return Task("call", EARLY_NAME, params, options.filters, target, version, cache, opts)


def known(options: MapOptions) -> MapOptions:
    """``options`` drawn with what is known before the centralities: degree sizing, helix
    colours, the top organisations by degree, no brokers."""
    return options.with_(
        size=options.size if options.size in ("degree", "strength") else "degree",
        color="helix" if options.color == "community" else options.color,
        reduce="top" if options.reduce == "communities" else options.reduce,
        brokers=None,
    )


def early(store: ox.Store, task: Task) -> bytes:
    """A worker's ``call``: the view's payload drawn with what is known without its
    centralities (degree sizing, no communities or brokers), saying so in its notices."""
    options = MapOptions.from_params([(str(k), str(v)) for k, v in task.options["view"]])
    view = build_view(store, known(options), None, load(store, task).provisional())
    view.notices.insert(0, PROVISIONAL)
    return encode(payload(view))


def encode(data: dict[str, Any]) -> bytes:
    """As Starlette's ``JSONResponse`` renders it."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.encode("utf-8")


def rendered(store: ox.Store, task: Task, projections: Projections | None = None) -> bytes:
    """A worker's ``call``: the view's payload with the default styling, from the
    projections and metrics kept in the task's cache (computed here when missing), or
    kept in the precompute's ``projections``."""
    base = load(store, task, projections)
    cache = ResultCache(Path(task.cache))
    metrics = cache.lookup(task.version, "map", precompute.map_params(task.filters))
    view = build_view(store, MapOptions(filters=task.filters), metrics, base)
    return encode(payload(view))
