"""Shared FastAPI dependencies as short ``Annotated`` aliases: the app's settings, query
service and store, and the one declaration of the filters the routes share.

The filters (region, helix, source, years; a map's kinds and relations too) are declared
here once: the analytics routes take them all as one :class:`helixgraph.network.Filters`
(:data:`FiltersDep`, with :data:`WeightingDep` for those on the collaboration network),
the map routes as one :class:`helixgraph.maps.MapOptions`
(:data:`MapOptionsDep`, read from the query string so a permalink is a map), and each
resource list the ones that apply to its nodes (:data:`RegionFilter`, :data:`HelixFilter`,
:data:`SourceFilter`).

Dependencies are ``async def``: FastAPI runs a plain ``def`` dependency in its thread
pool, a hop of about 0.1 ms per dependency per request for what is a dictionary lookup.

:data:`JobsDep` gives the metric and map routes the app's analytics workers
(:class:`helixgraph.analytics.jobs.Computations`) bound to the request's build: its
:meth:`StoreJobs.result` never computes in the request; it raises the problem to answer
meanwhile (503 with ``Retry-After`` while being computed, 504 or 503 when it failed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

import pyoxigraph as ox
from fastapi import Depends, Query, Request

from helixgraph import network
from helixgraph.analytics.jobs import Busy, Computations, Failed, Pending, Ready
from helixgraph.analytics.workers import Task
from helixgraph.catalog.terms import SLUG_PATTERN, VOCAB
from helixgraph.maps import MapError, MapOptions
from helixgraph.sparql import Service
from helixgraph.store.access import Current

from .etags import version_of
from .problems import ProblemDetail
from .settings import Settings

# ---------------------------------------------------------------- the app's state


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


async def get_store(request: Request) -> ox.Store:
    """The store's current build, read-only (a request keeps the build it started with)."""
    current: Current = request.app.state.store
    return current.get()


@dataclass(frozen=True)
class StoreJobs:
    """The analytics workers, bound to the build a request reads (``target``: its
    directory, or the remote store's descriptor; ``version``: its graph version)."""

    computations: Computations
    store: ox.Store
    version: str
    target: str

    def metrics(self, family: str, filters: network.Filters, **options: Any) -> Any:
        """A metric family's result (see :meth:`result`)."""
        task = self.computations.metrics_task(self.target, self.version, family, filters, **options)
        return self.result(task)

    def map(self, filters: network.Filters) -> Any:
        """The metrics a map of ``filters`` draws from (see :meth:`result`)."""
        return self.result(self.computations.map_task(self.target, self.version, filters))

    def result(self, task: Task) -> Any:
        """The result if ready; else raise the problem that says it is being computed
        (503) or why it is not there (504 stopped at the time limit, 503 failed)."""
        answer = self.computations.get(task)
        if isinstance(answer, Ready):
            return answer.result
        raise computing_problem(answer, task.name)


PENDING = "Being computed"  # the title of the problem that says so
BUSY = "Too many computations"  # the queue of computations is full
NOT_YET = (PENDING, BUSY)  # a view will be there later: draw with what is known meanwhile


def computing_problem(answer: Pending | Failed | Busy, name: str) -> ProblemDetail:
    headers = {"Retry-After": str(answer.retry_after), "Cache-Control": "no-store"}
    if isinstance(answer, Busy):
        detail = (
            f"{name} for this view cannot be queued now: too many other views are waiting "
            f"to be computed; try again in about {answer.retry_after} s"
        )
        return ProblemDetail(503, BUSY, detail, headers=headers)
    if isinstance(answer, Pending):
        detail = (
            f"{name} for this view is being computed; try again in about {answer.retry_after} s"
        )
        return ProblemDetail(503, PENDING, detail, headers=headers)
    if answer.timed_out:
        return ProblemDetail(504, "Computation stopped", answer.reason, headers=headers)
    return ProblemDetail(503, "Computation failed", answer.reason, headers=headers)


def get_jobs(request: Request) -> StoreJobs:
    """A plain ``def``: the graph version is a query the first time a build is seen. An
    app started without its lifespan (tests) computes in the request."""
    current: Current = request.app.state.store
    store = current.get()
    target = str(current.path) if current.remote else current.target
    computations: Computations | None = getattr(request.app.state, "analytics", None)
    if computations is None:
        computations = request.app.state.analytics = Computations(workers=0)
    return StoreJobs(computations, store, version_of(store), target)


SettingsDep = Annotated[Settings, Depends(get_settings)]
ServiceDep = Annotated[Service, Depends(get_service)]
StoreDep = Annotated[ox.Store, Depends(get_store)]
JobsDep = Annotated[StoreJobs, Depends(get_jobs)]

# ---------------------------------------------------------------- the shared filters

if TYPE_CHECKING:
    Helix: TypeAlias = str
    Weighting: TypeAlias = str
else:  # enums built from the controlled values, so the schema lists them
    Helix = Literal[tuple(VOCAB["helix"])]
    Weighting = Literal[network.WEIGHTINGS]


def id_query(description: str, **extra: Any) -> Any:
    """A query parameter naming a node by its id (the last segment of its IRI)."""
    return Query(pattern=SLUG_PATTERN, max_length=200, description=description, **extra)


# in a resource list: the nodes the filter keeps
RegionFilter = Annotated[
    str | None,
    id_query("A place id: nodes located in it or in a place within it (hx:locatedIn/hx:partOf*)"),
]
HelixFilter = Annotated[Helix | None, Query(description="Helix sphere")]
SourceFilter = Annotated[str | None, id_query("A source id: nodes that source states")]


async def get_filters(
    region: Annotated[
        str | None,
        id_query(
            "A place id: organisations located in it or in a place within it (an organisation "
            "without a location takes its parent's)",
            examples=["noord-nederland"],
        ),
    ] = None,
    helix: Annotated[
        Helix | None, Query(description="Only organisations of this helix sphere")
    ] = None,
    source: Annotated[str | None, id_query("A source id: only facts it states")] = None,
    start: Annotated[
        int | None,
        Query(
            ge=1000,
            le=9999,
            description="First year of the time "
            "window (initiatives overlapping it, awards dated in it)",
        ),
    ] = None,
    end: Annotated[
        int | None, Query(ge=1000, le=9999, description="Last year of the window")
    ] = None,
    include_undated: Annotated[
        bool, Query(description="Keep undated facts under a time window")
    ] = False,
) -> network.Filters:
    """The filters of a projection (the network the analytics routes measure)."""
    try:
        return network.Filters(
            region=region,
            helix=helix,
            source=source,
            start=start,
            end=end,
            include_undated=include_undated,
        )
    except network.ProjectionError as exc:
        raise ProblemDetail(422, "Invalid parameters", str(exc)) from None


def map_error(exc: MapError) -> ProblemDetail:
    """A map parameter's error as a 422 problem naming the parameter."""
    return ProblemDetail(
        422,
        "Invalid parameters",
        str(exc),
        [{"loc": ["query", exc.param], "msg": str(exc), "type": "value_error"}],
    )


async def get_map_options(request: Request) -> MapOptions:
    """A map's filters and styling, read from the whole query string (unknown parameters
    are errors): the same parameters as the page, its data, its exports and the CLI."""
    try:
        return MapOptions.from_params(request.query_params.multi_items())
    except MapError as exc:
        raise map_error(exc) from None


FiltersDep = Annotated[network.Filters, Depends(get_filters)]
WeightingDep = Annotated[
    Weighting,
    Query(
        description="Tie weights of the collaboration network (see helixgraph.network.WEIGHTINGS): "
        "count = pieces of evidence (shared initiatives and stated ties, 1 each); newman = "
        "Newman (2001): each shared initiative of n organisations adds 1/(n-1) to each pair, "
        "each stated tie 1; stated = stated ties only (collaborates_with, partner_of, "
        "member_of, shared membership), no shared-initiative ties"
    ),
]
MapOptionsDep = Annotated[MapOptions, Depends(get_map_options)]
