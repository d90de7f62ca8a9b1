"""Graph versions and ETags: every answer derived from the graph is tagged with the
version of the store it came from, so a client revalidates with ``If-None-Match``."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import pyoxigraph as ox
from fastapi import Request

from helixgraph.catalog import graph_version
from helixgraph.store.remote import RemoteStore

REVISION = "1"  # bump when a representation changes for the same graph

# the last few stores and their versions; holding a store keeps its id from being reused
# by the store a rebuild opens next
_versions: OrderedDict[int, tuple[ox.Store, str]] = OrderedDict()
_versions_lock = threading.Lock()


def version_of(store: ox.Store) -> str:
    if isinstance(store, RemoteStore):  # the server's graphs change under a running API
        return store.version()
    with _versions_lock:
        entry = _versions.get(id(store))
        if entry is None or entry[0] is not store:
            entry = _versions[id(store)] = (store, graph_version(store))
            while len(_versions) > 4:
                _versions.popitem(last=False)
        return entry[1]


def etag(version: str, variant: str) -> str:
    digest = hashlib.sha1(f"{version}|{REVISION}|{variant}".encode()).hexdigest()[:20]
    return f'"{digest}"'


def not_modified(request: Request, tag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    candidates = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in candidates or tag in candidates
