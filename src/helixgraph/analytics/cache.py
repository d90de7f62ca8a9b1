"""Metric results per graph version: :class:`ResultCache` keeps them in memory and as
JSON files under ``<cache>/<graph version>/``, where the graph version
(:func:`graph_version`) is the store's build, so a rebuilt store never serves old numbers.
:func:`jsonable` makes a result JSON-ready (keys as strings, sets and tuples as lists).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from collections.abc import Callable, Hashable, Mapping
from pathlib import Path
from typing import Any

from helixgraph import store as hstore
from helixgraph.shipped import installed

CACHE_ENV = "HELIXGRAPH_CACHE"


def graph_version(store_path: Path | None = None) -> str:
    """The build id of the store at ``store_path``: the name of its build directory (for a
    remote store, a hash of the build and import runs it records)."""
    path = store_path or hstore.default_path()
    if hstore.is_remote(path):
        return hstore.version(path)
    return path.resolve().name


def json_key(v: Hashable) -> str:
    """A node or group as a JSON object key (``None`` as ``"null"``)."""
    return v if isinstance(v, str) else json.dumps(v) if v is None else str(v)


def jsonable(value: Any) -> Any:
    """``value`` with string keys and lists for tuples and sets, ready for JSON."""
    if isinstance(value, Mapping):
        return {json_key(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    return value


def cache_dir() -> Path:
    """``$HELIXGRAPH_CACHE/metrics``; else ``var/cache/metrics`` in a clone, or the user's
    cache directory (``~/.cache/helixgraph/metrics`` on Linux) for an installed wheel,
    which never writes into the directory it is started from."""
    if CACHE_ENV in os.environ:
        return Path(os.environ[CACHE_ENV]) / "metrics"
    if not installed():
        return Path("var/cache/metrics")
    import platformdirs

    return Path(platformdirs.user_cache_dir("helixgraph", appauthor=False)) / "metrics"


class ResultCache:
    """Results by (graph version, name, parameters), in memory and as JSON files on disk.

    A result is computed once per graph version; a new build has a new version and so a
    fresh cache (old versions' folders are left for :meth:`prune`).
    """

    def __init__(self, root: Path | None = None, *, memory_items: int = 64):
        self.root = root or cache_dir()
        self.memory_items = memory_items
        self._memory: dict[str, Any] = {}
        self._lock = threading.Lock()

    @staticmethod
    def key(name: str, params: Mapping[str, Any]) -> str:
        blob = json.dumps({"name": name, "params": params}, sort_keys=True, default=str)
        return f"{name}-{hashlib.sha256(blob.encode()).hexdigest()[:20]}"

    def get_or_compute(
        self, version: str, name: str, params: Mapping[str, Any], compute: Callable[[], Any]
    ) -> Any:
        result = self.lookup(version, name, params)
        if result is None:
            result = self.store(version, name, params, compute())
        return result

    def lookup(self, version: str, name: str, params: Mapping[str, Any]) -> Any:
        """The result kept in memory or on disk, else ``None`` (computes nothing)."""
        key = f"{version}/{self.key(name, params)}"
        with self._lock:
            if key in self._memory:
                return self._memory[key]
        path = self.root / f"{key}.json"
        if not path.is_file():
            return None
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if result is not None:
            self._remember(key, result)
        return result

    def has(self, version: str, name: str, params: Mapping[str, Any]) -> bool:
        """Whether a result is kept (in memory, as JSON or as bytes), reading none."""
        key = f"{version}/{self.key(name, params)}"
        with self._lock:
            if key in self._memory:
                return True
        return (self.root / f"{key}.json").is_file() or (self.root / f"{key}.bin").is_file()

    def lookup_bytes(self, version: str, name: str, params: Mapping[str, Any]) -> bytes | None:
        """A result kept as bytes (:meth:`store_bytes`), read from disk each time."""
        try:
            return (self.root / f"{version}/{self.key(name, params)}.bin").read_bytes()
        except OSError:
            return None

    def store_bytes(self, version: str, name: str, params: Mapping[str, Any], data: bytes) -> None:
        """Keep ``data`` on disk only (large results, e.g. a map's pickled projections)."""
        path = self.root / f"{version}/{self.key(name, params)}.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp-{os.getpid()}-{threading.get_ident()}")
        tmp.write_bytes(data)
        os.replace(tmp, path)

    def store(self, version: str, name: str, params: Mapping[str, Any], value: Any) -> Any:
        """Keep ``value`` (made JSON-ready) in memory and on disk; return it as read back."""
        key = f"{version}/{self.key(name, params)}"
        text = self.write(version, name, params, value)
        result = json.loads(text)
        self._remember(key, result)
        return result

    def write(self, version: str, name: str, params: Mapping[str, Any], value: Any) -> str:
        """Keep ``value`` (made JSON-ready) on disk only, reading nothing back (a worker's
        or the precompute's result, read by another process); returns its JSON text."""
        key = f"{version}/{self.key(name, params)}"
        text = json.dumps(jsonable(value), allow_nan=False, default=str)
        path = self.root / f"{key}.json"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp-{os.getpid()}-{threading.get_ident()}")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only disk only costs the disk cache
        return text

    def _remember(self, key: str, value: Any) -> None:
        with self._lock:
            self._memory[key] = value
            while len(self._memory) > self.memory_items:
                self._memory.pop(next(iter(self._memory)))

    def prune(self, keep: str) -> None:
        """Delete the cached results of every graph version but ``keep``."""
        if not self.root.is_dir():
            return
        for d in self.root.iterdir():
            if d.is_dir() and d.name != keep:
                shutil.rmtree(d, ignore_errors=True)
