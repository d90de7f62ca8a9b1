"""Cheap queries are answered in the server's own process (issue 21: "cheap queries at
the limit"), on the regional store: a name lookup answers while every query worker is
busy with a runaway, gives the same bytes as a worker, and the watchdog sends an answer
larger or slower than an inline one may be to a worker instead."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from helixgraph.sparql import Job, Limits, Service
from helixgraph.sparql.cheap import is_cheap
from helixgraph.sparql.prefixes import PREDECLARED
from tests.api.conftest import Server, start_server, stop_server
from tests.remote_store import remote_mode

pytestmark = pytest.mark.skipif(remote_mode(), reason="a remote store's queries go to its server")

UMCG = "https://w3id.org/helixgraph/id/org/umcg"
LOOKUP = 'SELECT ?org WHERE { ?org skos:prefLabel "University Medical Center Groningen"@en }'
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CORPUS = [
    LOOKUP,
    'SELECT ?org WHERE { ?org hx:pic "999914801" }',
    f"SELECT ?p ?o WHERE {{ <{UMCG}> ?p ?o }}",
    f"ASK {{ <{UMCG}> a hx:AcademicHospital }}",
    f"SELECT DISTINCT ?partner WHERE {{ <{UMCG}> hx:participatesIn ?i . "
    f"?partner hx:participatesIn ?i . FILTER(?partner != <{UMCG}>) }}",
    'SELECT ?o ?n WHERE { ?o hx:abbreviation "UMCG" ; skos:prefLabel ?n . '
    'FILTER(lang(?n) = "nl") }',
    'SELECT ?o WHERE { ?o skos:prefLabel "no such name" }',
]
ACCEPTS = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]


@pytest.fixture(scope="module")
def server(regional_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One query worker and a 20 s timeout: a runaway holds every worker for 20 s."""
    log = tmp_path_factory.mktemp("inline") / "server.log"
    live = start_server(
        regional_store,
        log,
        HELIXGRAPH_QUERY_WORKERS="1",
        HELIXGRAPH_QUERY_TIMEOUT="20",
        HELIXGRAPH_CACHE_BYTES="0",
        # the budget of an inline answer, generous: a loaded test machine is slow
        HELIXGRAPH_INLINE_SECONDS="5",
    )
    yield live
    stop_server(live)


def get(server: Server, query: str) -> httpx.Response:
    with server.client() as client:
        return client.get(
            "/sparql",
            params={"query": query},
            headers={"Accept": "application/sparql-results+json"},
        )


def test_a_name_lookup_answers_while_every_worker_runs_a_runaway(server: Server) -> None:
    assert is_cheap(LOOKUP) and not is_cheap(RUNAWAY)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        runaway = pool.submit(get, server, RUNAWAY)
        time.sleep(1.0)  # the one worker is evaluating the runaway
        # a query that is not cheap waits for the busy worker
        waiting = pool.submit(get, server, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
        latencies = []
        for _ in range(20):
            started = time.monotonic()
            r = get(server, LOOKUP)
            latencies.append(time.monotonic() - started)
            assert r.status_code == 200, r.text
            bindings = r.json()["results"]["bindings"]
            assert [b["org"]["value"] for b in bindings] == [UMCG]
        assert not runaway.done(), "the runaway should still hold the worker"
        assert not waiting.done(), "a query that is not cheap should wait for the worker"
        assert max(latencies) < 2.0, latencies
        assert runaway.result().status_code == 504  # still stopped at the timeout
        assert waiting.result().status_code in (200, 503)


def run(service: Service, job: Job) -> tuple[str, bytes, str]:
    outcome = asyncio.run(service.aquery(job))
    return outcome.status, outcome.body, outcome.media_type


def rows(body: bytes, media_type: str) -> object:
    """An answer's rows in an order of their own: without ORDER BY, a worker (answering
    from its copy of the store in memory) and the inline path (from disk) may list the
    same rows in another order."""
    if "json" in media_type:
        parsed = json.loads(body)
        if "results" in parsed:
            bindings = parsed["results"]["bindings"]
            parsed["results"]["bindings"] = sorted(json.dumps(b, sort_keys=True) for b in bindings)
        return parsed
    if "xml" in media_type:
        head, _, rest = body.partition(b"<result>")
        rest, _, tail = rest.rpartition(b"</results>")
        return head, tail, sorted(rest.split(b"<result>"))
    header, _, rest = body.partition(b"\n")
    return header, sorted(rest.splitlines())


def same(got: tuple[str, bytes, str], want: tuple[str, bytes, str]) -> bool:
    if got[0] != "ok" or want[0] != "ok":
        return got == want
    return got[2] == want[2] and rows(got[1], got[2]) == rows(want[1], want[2])


@pytest.fixture(scope="module")
def workers(regional_store: Path) -> Iterator[Service]:
    """The reference: every query in a worker process (inline answers off)."""
    service = Service(regional_store, workers=1, limits=Limits(cache_bytes=0, inline_seconds=0))
    service.start()
    yield service
    service.close()


def job(query: str, accept: str) -> Job:
    return Job(query, accept=accept, prefixes=PREDECLARED)


@pytest.mark.parametrize("accept", ACCEPTS)
def test_inline_answers_are_the_workers_answers(
    regional_store: Path, workers: Service, accept: str
) -> None:
    # never started: without its workers, only an inline answer can come back
    limits = Limits(cache_bytes=0, timeout=0.5, inline_seconds=5)
    inline = Service(regional_store, workers=1, limits=limits)
    try:
        for query in CORPUS:
            got = run(inline, job(query, accept))
            assert got[0] != "busy", f"not answered inline: {query}"
            assert same(got, run(workers, job(query, accept))), query
    finally:
        inline.close()


def test_an_answer_too_large_to_be_inline_goes_to_a_worker(
    regional_store: Path, workers: Service
) -> None:
    query = f"SELECT ?p ?o WHERE {{ <{UMCG}> ?p ?o }}"  # UMCG's triples: over 2,000 bytes
    accept = "application/sparql-results+json"
    limits = Limits(cache_bytes=0, inline_bytes=2000, inline_seconds=5)
    service = Service(regional_store, workers=1, limits=limits)
    service.start()
    try:
        reference = run(workers, job(query, accept))
        assert len(reference[1]) > 2000
        assert same(run(service, job(query, accept)), reference)
        assert service.inline is not None and service.inline.slow(query)  # at once
        # a small answer is still inline
        assert run(service, job(LOOKUP, accept))[0] == "ok"
        assert not service.inline.slow(LOOKUP)
    finally:
        service.close()


def test_a_query_over_the_budget_twice_in_a_row_goes_to_a_worker(regional_store: Path) -> None:
    limits = Limits(cache_bytes=0, inline_seconds=1e-9)
    service = Service(regional_store, workers=1, limits=limits)
    service.start()
    inline = service.inline
    assert inline is not None
    accept = "application/sparql-results+json"

    def answered() -> None:
        status, body, _ = run(service, job(LOOKUP, accept))
        assert status == "ok" and UMCG.encode() in body

    try:
        answered()  # over the budget once (a worker answers): may be a cold cache
        assert not inline.slow(LOOKUP)
        inline.budget = 5.0
        answered()  # within the budget: forgiven
        inline.budget = 1e-9
        answered()
        assert not inline.slow(LOOKUP)
        answered()  # twice in a row: a worker's from now on
        assert inline.slow(LOOKUP)
        inline.budget = 5.0
        answered()
        assert inline.slow(LOOKUP)
    finally:
        service.close()


def test_the_setting_turns_inline_answers_off(tmp_path: Path) -> None:
    from helixgraph_api.main import create_service
    from helixgraph_api.settings import Settings

    settings = Settings.from_env(
        {"HELIXGRAPH_STORE": str(tmp_path), "HELIXGRAPH_INLINE_SECONDS": "0"}
    )
    assert settings.inline_seconds == 0
    assert create_service(settings).inline is None
    assert create_service(Settings(store=tmp_path)).inline is not None
