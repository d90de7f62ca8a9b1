"""A build lock held on the SPARQL server, so builds from two machines cannot interleave.

A writer claims the lock by writing a small graph of its own,
``…/graph/remote/lock/<token>``, naming its holder and an expiry time, and then reads
back every live claim: it holds the lock only if its claim is the only one; otherwise
it withdraws its claim and fails, naming the other holder. Whichever claim commits
second sees the first, so two writers never both proceed (both may fail, and retry).
Claims past their expiry are removed by the next writer; a holder renews its claim
while it works. This needs only Graph Store PUT/DELETE or SPARQL updates.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import pyoxigraph as ox

from helixgraph.store.errors import StoreError
from helixgraph.store.remote.reads import INTERNAL
from helixgraph.store.remote.writes import RemoteStore
from helixgraph.vocab import iris

LOCKS = INTERNAL + "lock/"
# terms the ontology declares: <claim> rdfs:label "holder" ; prov:endedAtTime expiry
HOLDER = ox.NamedNode(iris.RDFS + "label")
EXPIRES = ox.NamedNode(iris.PROV + "endedAtTime")
XSD_DATETIME = ox.NamedNode(iris.XSD + "dateTime")
TTL = dt.timedelta(minutes=10)  # a claim not renewed for this long is stale
RENEW = 60.0  # seconds between renewals


class LockHeld(StoreError):
    """Another writer holds the server's build lock."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _claims(remote: RemoteStore) -> list[tuple[str, str, dt.datetime]]:
    """Every claim on the server: (graph, holder, expiry)."""
    rows = remote.query(
        f"SELECT ?g ?h ?e WHERE {{ GRAPH ?g {{ ?c <{HOLDER.value}> ?h ; <{EXPIRES.value}> ?e }}"
        f' FILTER(STRSTARTS(STR(?g), "{LOCKS}")) }}'
    )
    return [
        (row["g"].value, row["h"].value, dt.datetime.fromisoformat(row["e"].value)) for row in rows
    ]


def _write_claim(remote: RemoteStore, graph: ox.NamedNode, holder: str) -> None:
    expires = (_now() + TTL).isoformat()
    remote.write_small_graph(
        graph,
        [
            ox.Triple(graph, HOLDER, ox.Literal(holder)),
            ox.Triple(graph, EXPIRES, ox.Literal(expires, datatype=XSD_DATETIME)),
        ],
    )


@contextmanager
def server_lock(remote: RemoteStore, what: str) -> Iterator[None]:
    """Hold the server's build lock for the block, or raise :class:`LockHeld`."""
    now = _now()
    for g, _, expires in _claims(remote):
        if expires < now:
            remote.drop_graph(ox.NamedNode(g), plain=True)
    mine = ox.NamedNode(LOCKS + uuid.uuid4().hex)
    user = os.environ.get("USER", "someone")
    holder = f"{what} by {user}@{socket.gethostname()} pid {os.getpid()}, started {now.isoformat()}"
    _write_claim(remote, mine, holder)
    others = [(h, e) for g, h, e in _claims(remote) if g != mine.value and e >= now]
    if others:
        remote.drop_graph(mine, plain=True)
        h, e = others[0]
        raise LockHeld(
            f"another build or import is writing {remote.config.query_url}: {h} "
            f"(its lock expires at {e.isoformat()} unless renewed); wait for it to finish"
        )
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(RENEW):
            with suppress(OSError):  # the build's own requests report a server gone away
                _write_claim(remote, mine, holder)

    renewer = threading.Thread(target=renew, name="helixgraph-lock", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        stop.set()
        renewer.join()
        with suppress(OSError):  # else the claim expires by itself
            remote.drop_graph(mine, plain=True)
