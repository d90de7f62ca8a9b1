"""Real OpenLink Virtuoso servers (Debian's ``virtuoso-opensource``, 7.2) for the tests.

:func:`start_virtuoso` starts ``virtuoso-t`` in the foreground with a generated
``virtuoso.ini`` in a folder of its own: free HTTP and ISQL ports on loopback, the
database files in that folder (copied from a template database made once per session:
a new database takes half a minute to create, a copy seconds to open), bulk loading
allowed from that folder only (``DirsAllowed``), result sets not cut at Virtuoso's
default 10,000 rows, and SPARQL update rights granted to the anonymous ``SPARQL`` user
on ``/sparql`` and ``/sparql-graph-crud``. :func:`shared_virtuoso` gives one server per
session emptied of every non-system graph for each test (the remote-store tests).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx

from helixgraph.store.remote import RemoteConfig, close_clients
from helixgraph.store.remote.virtuoso import SYSTEM_GRAPHS
from tests.processes import free_port, stop, wait_answering

DB = "virtuoso.db"
GRANTS = (
    'GRANT SPARQL_UPDATE TO "SPARQL"; '
    'GRANT EXECUTE ON DB.DBA.SPARQL_INSERT_DICT_CONTENT TO "SPARQL"; '
    'GRANT EXECUTE ON DB.DBA.SPARQL_DELETE_DICT_CONTENT TO "SPARQL"; '
    "checkpoint;"
)
# Virtuoso's own limit on one query (seconds): past it, it answers what it has found
# (see helixgraph.store.remote.virtuoso.partial)
QUERY_SECONDS = 120


def binary(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(
            f"{name} is not installed: apt-get install virtuoso-opensource (Debian, 7.2)"
        )
    return found


def ini(folder: Path, http: int, isql: int, query_seconds: int = QUERY_SECONDS) -> str:
    d = folder
    return f"""[Database]
DatabaseFile = {d}/{DB}
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{isql}
DisableUnixSocket = 1
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {d}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
MaxQueryMem = 500M
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 10
MaxClientConnections = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 100000000
MaxSortedTopRows = 100000000
MaxQueryExecutionTime = {query_seconds}
MaxQueryCostEstimationTime = 0
"""


@dataclass
class VirtuosoServer:
    url: str
    proc: subprocess.Popen[bytes]
    location: Path
    isql_port: int

    @property
    def config(self) -> RemoteConfig:
        return RemoteConfig(
            self.url + "/sparql",
            self.url + "/sparql",
            self.url + "/sparql-graph-crud",
            engine="virtuoso",
        )

    def isql(self, statements: str) -> str:
        done = subprocess.run(
            [binary("isql-vt"), str(self.isql_port), "dba", "dba", f"exec={statements}"],
            capture_output=True, timeout=120, check=False,
        )  # fmt: skip
        out = done.stdout.decode(errors="replace")
        if done.returncode != 0 or "Error" in out:
            raise RuntimeError(f"isql {statements!r}: {out} {done.stderr.decode()}")
        return out

    def empty(self) -> None:
        """Drop every graph but Virtuoso's own (system) graphs."""
        rows = httpx.post(
            self.url + "/sparql",
            data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        ).json()["results"]["bindings"]
        graphs = [r["g"]["value"] for r in rows if r["g"]["value"] not in SYSTEM_GRAPHS]
        if graphs:
            update = " ; ".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)
            response = httpx.post(self.url + "/sparql", data={"update": update}, timeout=120)
            response.raise_for_status()

    def stop(self) -> None:
        stop(self.proc, grace=15)


def _launch(folder: Path, query_seconds: int = QUERY_SECONDS) -> VirtuosoServer:
    http, isql = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(ini(folder, http, isql, query_seconds))
    log = folder / "console.log"
    with log.open("wb") as handle:
        proc = subprocess.Popen(
            [binary("virtuoso-t"), "+foreground", "+configfile", str(folder / "virtuoso.ini")],
            stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=folder,
        )  # fmt: skip
    url = f"http://127.0.0.1:{http}"
    wait_answering(
        proc, url + "/sparql", "virtuoso-t", params={"query": "ASK {}"}, log=log,
        timeout=120, interval=0.1,
    )  # fmt: skip
    return VirtuosoServer(url, proc, folder, isql)


_template: Path | None = None


def template() -> Path:
    """A new database with the grants, made once per session (half a minute)."""
    global _template
    if _template is None:
        folder = Path(tempfile.mkdtemp(prefix="helixgraph-virtuoso-template-"))
        server = _launch(folder)
        try:
            server.isql(GRANTS)
            server.isql("shutdown;")
            server.proc.wait(60)
        finally:
            server.stop()
        _template = folder / DB
    return _template


def start_virtuoso(location: Path, query_seconds: int = QUERY_SECONDS) -> VirtuosoServer:
    """``virtuoso-t`` on free loopback ports with its database in the folder ``location``."""
    location.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template(), location / DB)
    return _launch(location, query_seconds)


_shared: VirtuosoServer | None = None


def shared_virtuoso() -> VirtuosoServer:
    """One server for the session, emptied of every non-system graph on each call."""
    global _shared
    if _shared is None or _shared.proc.poll() is not None:
        _shared = start_virtuoso(Path(tempfile.mkdtemp(prefix="helixgraph-virtuoso-")))
    close_clients()
    _shared.empty()
    return _shared


def stop_shared_virtuoso() -> None:
    global _shared, _template
    if _shared is not None:
        _shared.stop()
        shutil.rmtree(_shared.location, ignore_errors=True)
        _shared = None
    if _template is not None:
        shutil.rmtree(_template.parent, ignore_errors=True)
        _template = None
