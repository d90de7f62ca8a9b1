"""The library side of the SPARQL endpoint: analysis, negotiation, execution, the pool."""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
import threading
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from helixgraph.sparql import (
    DatasetConflict,
    Job,
    Limits,
    NotAcceptable,
    Pool,
    Service,
    add_using,
    analyse,
    execute,
    negotiate,
)
from helixgraph.sparql.pool import Runner, disk_size
from helixgraph.store.access import link_target, replacing
from helixgraph.store.merge import materialise

EX = "http://example.org/"


def quad(s: str, o: str, g: str | None) -> ox.Quad:
    graph = ox.NamedNode(EX + g) if g else ox.DefaultGraph()
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.Literal(o), graph)


@pytest.fixture
def memory_store() -> ox.Store:
    store = ox.Store()
    store.extend([quad("a", "1", "g1"), quad("b", "2", "g2"), quad("c", "3", None)])
    materialise(store)  # as helixgraph writes a store: the default graph holds the merge
    return store


@pytest.fixture
def disk_store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    with replacing(path) as store:
        store.extend([quad("a", "1", "g1"), quad("b", "2", "g2")])
        store.extend(quad(f"n{i}", str(i), "g3") for i in range(200))
    return path


def count(store: ox.Store, job: Job) -> int:
    outcome = execute(store, job)
    assert outcome.status == "ok", outcome.message
    lines = outcome.body.decode().splitlines()
    return int(lines[1])


# ---------------------------------------------------------------- analysis


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * {}", "SELECT"),
        ("# SELECT\nPREFIX ex: <http://e/> BASE <http://b/> ask {}", "ASK"),
        ("PREFIX construct: <http://e/> CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("describe <http://x>", "DESCRIBE"),
        ("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }", "UPDATE"),
        ("CLEAR ALL", "UPDATE"),
        ("nonsense", "UNKNOWN"),
    ],
)
def test_analyse_finds_the_form_after_prologue_and_comments(text: str, form: str) -> None:
    assert analyse(text).form == form


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { SERVICE <http://e/sparql> { ?s ?p ?o } }",
        "SELECT * { service silent <http://e/sparql> { ?s ?p ?o } }",
        "SELECT * { ?s ?p ?o . SERVICE ?endpoint { ?s ?p ?o } }",
    ],
)
def test_analyse_finds_service(text: str) -> None:
    assert analyse(text).service


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?service { ?service a <http://e/Service> }",
        "PREFIX service: <http://e/> SELECT * { ?s service:x ?o }",
        "PREFIX e: <http://e/> SELECT * { ?s e:SERVICE ?o }",
        'SELECT * { ?s ?p "SERVICE <http://e/> { }" }',
        "SELECT * { ?s ?p ?o } # SERVICE <http://e/>",
        "SELECT * { <http://e/SERVICE> ?p ?o }",
        'SELECT * { ?s ?p """a\n SERVICE "quoted" \n""" }',
    ],
)
def test_analyse_ignores_service_in_names_strings_and_comments(text: str) -> None:
    assert not analyse(text).service


def test_analyse_finds_load_dataset_and_using() -> None:
    assert analyse("LOAD <http://e/data.ttl> INTO GRAPH <http://e/g>").load
    assert not analyse("PREFIX load: <http://e/> INSERT DATA { load:a load:b load:c }").load
    assert analyse("SELECT * FROM <http://e/g> { ?s ?p ?o }").dataset
    assert analyse("SELECT * FROM NAMED <http://e/g> { ?s ?p ?o }").dataset
    assert not analyse("SELECT ?from { ?from ?p ?o }").dataset
    assert analyse("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }").using
    assert analyse("DELETE { ?s ?p ?o } USING <http://e/g> WHERE { ?s ?p ?o }").using
    assert analyse("SELECT (NOW() AS ?t) {}").nondeterministic
    assert not analyse("SELECT ?now {}").nondeterministic


def test_add_using_puts_the_protocol_dataset_before_each_where() -> None:
    update = (
        "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> } ;\n"
        "INSERT { GRAPH <http://e/out> { ?s a <http://e/T> } } WHERE { ?s ?p ?o } ;\n"
        "DELETE WHERE { ?s <http://e/gone> ?o }"
    )
    result = add_using(update, ("http://e/g1",), ("http://e/g2",))
    assert result.count("USING <http://e/g1> USING NAMED <http://e/g2> WHERE") == 1
    assert "DELETE WHERE" in result  # the short form takes no USING
    ox.Store().update(result)  # still a valid update


def test_add_using_refuses_a_second_dataset() -> None:
    with pytest.raises(DatasetConflict):
        add_using("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ("http://e/x",), ())
    assert add_using("CLEAR ALL", (), ()) == "CLEAR ALL"


# ---------------------------------------------------------------- negotiation


def test_negotiate_defaults_and_q_values() -> None:
    assert negotiate(None, False)[0].name == "json"
    assert negotiate("*/*", True)[0].name == "turtle"
    assert negotiate("text/csv;q=0.5, text/tab-separated-values", False)[0].name == "tsv"
    assert negotiate("text/csv, text/tab-separated-values;q=0.4", False)[0].name == "csv"
    assert negotiate("application/xml", False) == (
        negotiate("srx", False, "xml")[0],
        "application/xml",
    )
    assert negotiate("text/*", True)[0].name == "turtle"
    assert negotiate("application/ld+json;q=0.9, application/rdf+xml", True)[0].name == "rdfxml"
    assert negotiate("text/csv;q=0, */*;q=0.1", False)[0].name == "json"


def test_negotiate_refuses_rather_than_substitutes() -> None:
    with pytest.raises(NotAcceptable):
        negotiate("text/turtle", False)
    with pytest.raises(NotAcceptable):
        negotiate("application/sparql-results+json", True)
    with pytest.raises(NotAcceptable):
        negotiate("text/csv;q=0", False)
    with pytest.raises(NotAcceptable):
        negotiate(None, False, "turtle")


def test_negotiate_format_parameter_overrides_accept() -> None:
    assert negotiate("text/csv", False, "tsv")[0].name == "tsv"
    assert negotiate(None, True, "json")[0].name == "jsonld"
    assert negotiate(None, True, "xml")[0].name == "rdfxml"
    assert negotiate(None, False, "application/sparql-results+xml")[0].name == "xml"


# ---------------------------------------------------------------- execution


def test_default_graph_is_the_union(memory_store: ox.Store) -> None:
    q = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    assert count(memory_store, Job(q, format="csv")) == 3


def test_protocol_dataset_replaces_the_union(memory_store: ox.Store) -> None:
    q = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    assert count(memory_store, Job(q, format="csv", default_graphs=(EX + "g1",))) == 1
    both = Job(q, format="csv", default_graphs=(EX + "g1", EX + "g2"))
    assert count(memory_store, both) == 2
    named_only = Job(
        "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }", format="csv", named_graphs=(EX + "g2",)
    )
    assert count(memory_store, named_only) == 1


def test_from_clause_is_honoured_and_protocol_wins(memory_store: ox.Store) -> None:
    q = f"SELECT (COUNT(*) AS ?n) FROM <{EX}g2> {{ ?s ?p ?o }}"
    assert count(memory_store, Job(q, format="csv")) == 1
    q2 = f"SELECT (COUNT(*) AS ?n) FROM <{EX}g2> {{ <{EX}a> ?p ?o }}"
    assert count(memory_store, Job(q2, format="csv", default_graphs=(EX + "g1",))) == 1


def test_syntax_error_names_the_position(memory_store: ox.Store) -> None:
    outcome = execute(memory_store, Job("SELECT * WHERE {\n  ?s ?p \n}"))
    assert outcome.status == "syntax"
    assert outcome.message.startswith("query syntax error at line 3, column ")


@pytest.mark.parametrize(
    ("fmt", "parse"),
    [
        ("json", ox.QueryResultsFormat.JSON),
        ("xml", ox.QueryResultsFormat.XML),
        ("csv", ox.QueryResultsFormat.CSV),
        ("tsv", ox.QueryResultsFormat.TSV),
    ],
)
def test_select_in_every_results_format(memory_store: ox.Store, fmt: str, parse: object) -> None:
    outcome = execute(memory_store, Job("SELECT ?s ?o { ?s ?p ?o }", format=fmt))
    assert outcome.status == "ok"
    if fmt == "csv":  # lossy, so pyoxigraph has no parser for it
        import csv
        import io

        rows = list(csv.DictReader(io.StringIO(outcome.body.decode())))
        assert {r["o"] for r in rows} == {"1", "2", "3"}
        return
    rows = list(ox.parse_query_results(outcome.body, parse))  # type: ignore[call-overload]
    assert len(rows) == 3


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld", "rdfxml", "nquads", "trig"])
def test_construct_in_every_rdf_format(memory_store: ox.Store, fmt: str) -> None:
    outcome = execute(memory_store, Job("CONSTRUCT WHERE { ?s ?p ?o }", format=fmt))
    assert outcome.status == "ok"
    formats = {
        "turtle": ox.RdfFormat.TURTLE,
        "ntriples": ox.RdfFormat.N_TRIPLES,
        "jsonld": ox.RdfFormat.JSON_LD,
        "rdfxml": ox.RdfFormat.RDF_XML,
        "nquads": ox.RdfFormat.N_QUADS,
        "trig": ox.RdfFormat.TRIG,
    }
    assert len(list(ox.parse(outcome.body, formats[fmt]))) == 3


def test_result_cap(memory_store: ox.Store) -> None:
    outcome = execute(memory_store, Job("SELECT * { ?s ?p ?o }", max_bytes=50))
    assert outcome.status == "too_large"
    assert "50 bytes" in outcome.message


def test_failed_update_changes_nothing(memory_store: ox.Store) -> None:
    update = (
        f"INSERT DATA {{ <{EX}x> <{EX}p> 1 }} ; CREATE GRAPH <{EX}new> ; CREATE GRAPH <{EX}new>"
    )
    before = len(memory_store)  # 3 stated quads and the 2 merged into the default graph
    outcome = execute(memory_store, Job(update, update=True))
    assert outcome.status == "failed"
    assert len(memory_store) == before == 5


# ---------------------------------------------------------------- pool and service


def test_pool_stops_a_query_past_its_timeout(disk_store: Path) -> None:
    pool = Pool(disk_store, 1)
    pool.start()
    try:
        (worker,) = list(pool.idle.queue)
        slow = Job("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
        started = time.monotonic()
        outcome = pool.run(slow, timeout=0.5)
        assert outcome.status == "timeout"
        assert time.monotonic() - started < 2
        assert worker.proc.wait(timeout=2) is not None  # the worker process is gone
        fast = pool.run(Job("ASK { ?s ?p ?o }"), timeout=30)  # its replacement answers
        assert fast.status == "ok"
    finally:
        pool.close()


def run_async(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run ``scenario`` on a fresh event loop in a thread of its own: the browser tests'
    Playwright leaves an event loop running in the main thread of a test worker."""
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        thread.submit(lambda: asyncio.run(scenario())).result()


SLOW_JOB = Job("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")


def test_async_pool_answers_and_stops_a_query_past_its_timeout(disk_store: Path) -> None:
    pool = Pool(disk_store, 1)
    pool.start()

    async def scenario() -> None:
        fast = await pool.arun(Job("ASK { ?s ?p ?o }", format="json"), timeout=30)
        assert fast.status == "ok" and b"true" in fast.body
        (worker,) = list(pool.idle.queue)
        started = time.monotonic()
        outcome = await pool.arun(SLOW_JOB, timeout=0.5)
        assert outcome.status == "timeout"
        assert time.monotonic() - started < 2
        assert worker.proc.wait(timeout=2) is not None  # the worker process is gone
        again = await pool.arun(Job("ASK { ?s ?p ?o }"), timeout=30)  # its replacement
        assert again.status == "ok"

    try:
        run_async(scenario)
    finally:
        pool.close()


def test_async_pool_reads_results_of_every_size_whole(disk_store: Path) -> None:
    """Small outcomes arrive in the first read, larger ones (past its 64 KiB) need more
    reads: every size comes back byte for byte as the blocking path reads it."""
    pool = Pool(disk_store, 1)
    pool.start()
    jobs = [
        Job(f"SELECT ?i WHERE {{ VALUES ?i {{ {' '.join(map(str, range(n)))} }} }}", format="json")
        for n in (0, 10, 700, 703, 705, 707, 710, 1_300, 15_000)
    ]

    async def scenario() -> None:
        for job in jobs:
            outcome = await pool.arun(job, timeout=30)
            assert outcome == pool.run(job, timeout=30)
            assert outcome.status == "ok"
        sizes = [len(pool.run(job, timeout=30).body) for job in jobs]
        assert min(sizes) < 1_000 and max(sizes) > 1_000_000
        assert sum(65_536 - 600 < size < 65_536 + 600 for size in sizes) >= 4  # the boundary

    try:
        run_async(scenario)
    finally:
        pool.close()


def test_async_pool_replaces_the_worker_of_a_cancelled_request(disk_store: Path) -> None:
    """A request that goes away mid-query does not leave its worker computing, nor lose
    a worker from the pool."""
    pool = Pool(disk_store, 1)
    pool.start()

    async def scenario() -> None:
        (worker,) = list(pool.idle.queue)
        task = asyncio.create_task(pool.arun(SLOW_JOB, timeout=30))
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert worker.proc.wait(timeout=2) is not None
        outcome = await pool.arun(Job("ASK { ?s ?p ?o }"), timeout=30)
        assert outcome.status == "ok"

    try:
        run_async(scenario)
    finally:
        pool.close()


def test_async_pool_is_busy_when_no_worker_frees_in_time(disk_store: Path) -> None:
    pool = Pool(disk_store, 1)
    pool.start()

    async def scenario() -> None:
        slow = asyncio.create_task(pool.arun(SLOW_JOB, timeout=2))
        await asyncio.sleep(0.2)
        waiting = await pool.arun(Job("ASK { ?s ?p ?o }"), timeout=0.5)
        assert waiting.status == "busy"
        assert (await slow).status == "timeout"
        assert (await pool.arun(Job("ASK { ?s ?p ?o }"), timeout=30)).status == "ok"

    try:
        run_async(scenario)
    finally:
        pool.close()


def test_service_refuses_service_and_reads_only_without_token(disk_store: Path) -> None:
    service = Service(disk_store, workers=1)
    service.start()
    try:
        refused = service.query(Job("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"))
        assert refused.status == "refused"
        assert service.update(Job("CLEAR ALL"), "anything").status == "forbidden"
    finally:
        service.close()


def test_service_checks_a_long_query_off_the_event_loop(
    disk_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tokenising a query of a megabyte takes tens of milliseconds: long texts are
    analysed in a thread, so other requests on the loop are not held up."""
    from helixgraph.sparql import service as service_module

    threads: dict[int, str] = {}
    real = service_module.analyse

    def recording(text: str) -> Any:
        threads[len(text)] = threading.current_thread().name
        return real(text)

    monkeypatch.setattr(service_module, "analyse", recording)
    service = Service(disk_store, workers=1)
    service.start()
    short = Job("ASK { ?s ?p ?o }", format="json")
    long = Job("ASK { ?s ?p ?o }" + " " * service_module.LOOP_CHARS, format="json")

    async def scenario() -> None:
        loop_thread = threading.current_thread().name
        assert (await service.aquery(short)).status == "ok"
        assert (await service.aquery(long)).status == "ok"
        assert threads[len(short.text)] == loop_thread
        assert threads[len(long.text)] != loop_thread

    try:
        run_async(scenario)
    finally:
        service.close()


def test_service_writes_with_token_and_readers_see_it(disk_store: Path) -> None:
    service = Service(disk_store, workers=2, admin_token="s3cret")
    assert service.readers.memory_bytes == 0  # writable: readers read from disk, no copies
    assert Service(disk_store).readers.memory_bytes == Limits().memory_copy_bytes > 0
    service.start()
    q = Job(f"ASK {{ <{EX}new> ?p ?o }}", format="json")
    try:
        assert b"false" in service.query(q).body
        insert = f"INSERT DATA {{ GRAPH <{EX}g9> {{ <{EX}new> <{EX}p> 1 }} }}"
        assert service.update(Job(insert), "wrong").status == "forbidden"
        # the default graph is the merge of the named graphs: a write to it does not stay
        default = Job(f"INSERT DATA {{ <{EX}new> <{EX}p> 1 }}")
        assert service.update(default, "s3cret").status == "updated"
        assert b"false" in service.query(q).body
        assert service.update(Job(insert), "s3cret").status == "updated"
        assert b"true" in service.query(q).body  # cached "false" is not served again
        load = service.update(Job("LOAD <http://127.0.0.1:9/x.ttl>"), "s3cret")
        assert load.status == "refused"
    finally:
        service.close()


def test_cache_serves_repeats_and_follows_a_rebuild(disk_store: Path) -> None:
    service = Service(disk_store, workers=1, limits=Limits(cache_bytes=1_000_000))
    service.start()
    q = Job("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", format="csv")
    try:
        first = service.query(q)
        assert service.query(q) is first  # a hit: the same outcome object
        with replacing(disk_store) as store:
            store.add(quad("only", "1", "g"))
        assert service.query(q).body.splitlines()[1] == b"1"  # the new build, not the cache
    finally:
        service.close()


def test_analyse_of_a_long_text_is_not_remembered_but_still_found() -> None:
    filler = "# " + "x" * 5_000 + "\n"
    long = filler + "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    assert analyse(long).service and analyse(long).form == "SELECT"
    assert analyse("SELECT * { ?s ?p ?o }") is analyse("SELECT * { ?s ?p ?o }")  # remembered
    assert analyse(long) is not analyse(long)


# ------------------------------------------------------------------ memory copies

COPY_DATA = """
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:name "A"@en ; ex:size 3 .
ex:g1 { ex:a ex:knows ex:b , _:x . _:x ex:name "anon" . ex:b ex:size "4"^^xsd:integer . }
ex:g2 { ex:b ex:knows ex:c . ex:c ex:name "C"@nl , "C" . ex:a ex:knows ex:b . }
"""
STORED = 10 + 7  # COPY_DATA's quads, and its named graphs' 7 distinct triples merged
COPY_QUERIES = [
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "SELECT ?s (SUM(?v) AS ?t) WHERE { ?s <http://example.org/size> ?v } GROUP BY ?s ORDER BY ?s",
    "SELECT ?n WHERE { ?s <http://example.org/knows> ?o . ?o <http://example.org/name> ?n } ORDER BY ?n",
    "SELECT ?o FROM <http://example.org/g2> WHERE { ?s ?p ?o } ORDER BY ?o",
    'ASK { ?s <http://example.org/name> "anon" }',
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
]


def _without_blank_labels(body: bytes) -> list[str]:
    return sorted(re.sub(r"_:\w+", "_:b", line) for line in body.decode().splitlines())


@pytest.fixture
def small_store(tmp_path: Path) -> Path:
    path = tmp_path / "small"
    with replacing(path) as store:
        store.load(COPY_DATA.encode(), format=ox.RdfFormat.TRIG)
    return path


def test_a_read_worker_copies_a_store_no_larger_than_its_limit_into_memory(
    small_store: Path,
) -> None:
    size = disk_size(link_target(small_store))
    extra = ox.Quad(ox.NamedNode(EX + "new"), ox.NamedNode(EX + "p"), ox.Literal("1"))
    copy = Runner(small_store, writable=False, memory_bytes=size).open(0, wait=True)
    copy.add(extra)  # a store in memory takes a write (the service never sends one)...
    assert len(copy) == STORED + 1
    disk = Runner(small_store, writable=False, memory_bytes=size - 1).open(0, wait=True)
    assert len(disk) == STORED  # ...which does not reach the disk, read-only from there
    with pytest.raises(RuntimeError, match="read-write"):
        disk.add(extra)
    with pytest.raises(RuntimeError, match="read-write"):
        Runner(small_store, writable=False, memory_bytes=0).open(0, wait=True).add(extra)


def test_after_a_rebuild_a_worker_reads_from_disk_until_its_new_copy_is_made(
    small_store: Path,
) -> None:
    """The first queries after a rebuild do not wait for the copy (seconds for a large
    store, which would count against their timeout)."""
    runner = Runner(small_store, writable=False, memory_bytes=10**9)
    assert len(runner.open(0, wait=True)) == STORED
    with replacing(small_store) as store:  # a new build behind the same link
        store.load(COPY_DATA.encode(), format=ox.RdfFormat.TRIG)
        store.add(ox.Quad(ox.NamedNode(EX + "new"), ox.NamedNode(EX + "p"), ox.Literal("1")))
    first = runner.open(0)
    assert len(first) == STORED + 1
    with pytest.raises(RuntimeError, match="read-write"):  # from disk, read-only
        first.clear()
    assert runner.copying is not None
    runner.copying.join(timeout=30)
    copy = runner.open(0)
    assert copy is not first and len(copy) == STORED + 1
    copy.clear()  # the copy in memory
    assert len(runner.open(0)) == 0 and len(first) == STORED + 1


def test_read_workers_answer_the_same_from_memory_and_from_disk(small_store: Path) -> None:
    pools = [Pool(small_store, 1, memory_bytes=10**9), Pool(small_store, 1, memory_bytes=0)]
    for pool in pools:
        pool.start()
    try:
        for text in COPY_QUERIES:
            graph = text.startswith("CONSTRUCT")
            job = Job(text, format="ntriples" if graph else "csv")
            memory, disk = (pool.run(job, timeout=30) for pool in pools)
            assert memory.status == disk.status == "ok", (text, memory.message, disk.message)
            assert _without_blank_labels(memory.body) == _without_blank_labels(disk.body), text
        # the copy is in use: the reader in memory takes the write a disk reader refuses
        write = Job(f"INSERT DATA {{ <{EX}new> <{EX}p> 1 }}", update=True)
        assert [pool.run(write, timeout=30).status for pool in pools] == ["updated", "failed"]
    finally:
        for pool in pools:
            pool.close()
