"""Open and replace the embedded Oxigraph store.

The store lives at a path (default ``var/store``, or ``$HELIXGRAPH_STORE``) that is a
symbolic link to one build directory under ``<path>.builds/``. A build writes a new
directory and then swaps the link with one atomic ``rename``; a build that fails or is
killed leaves the link, and so the store users see, exactly as it was. The new build's
default graph is written last, inside the new directory: the merge of its named graphs
(:mod:`helixgraph.store.merge`).

The store may instead be a remote SPARQL 1.1 server (:mod:`helixgraph.store.remote`): when the
store path is a remote store descriptor (a JSON file), or when
``HELIXGRAPH_SPARQL_QUERY_URL`` is set and the default store path is used, ``open_store``
returns a :class:`~helixgraph.store.remote.RemoteStore` and ``replacing`` stages the build
locally, then replaces the server's graphs one by one.
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

import pyoxigraph as ox

from helixgraph.shipped import installed
from helixgraph.store import remote as hremote
from helixgraph.store.errors import StoreError as StoreError
from helixgraph.store.merge import NO_MERGE, OWN_GRAPHS, has_merge, materialise
from helixgraph.store.remote.lock import server_lock

ENV_VAR = "HELIXGRAPH_STORE"


def default_path() -> Path:
    """``$HELIXGRAPH_STORE``; else ``var/store`` in a clone, or the user's data directory
    (``~/.local/share/helixgraph/store`` on Linux) for an installed wheel."""
    if ENV_VAR in os.environ:
        return Path(os.environ[ENV_VAR])
    if not installed():
        return Path("var/store")
    import platformdirs

    return Path(platformdirs.user_data_dir("helixgraph", appauthor=False)) / "store"


def builds_dir(path: Path) -> Path:
    return path.with_name(path.name + ".builds")


def remote_config(path: Path | None = None) -> hremote.RemoteConfig | None:
    """The remote server the store at ``path`` stands for, or None for an embedded store:
    a descriptor file at ``path``, or ``HELIXGRAPH_SPARQL_*`` for the default path."""
    path = path or default_path()
    try:
        if path.is_file():
            return hremote.RemoteConfig.from_file(path)
        config = hremote.RemoteConfig.from_env()
    except ValueError as exc:
        raise StoreError(str(exc)) from None
    if config is not None and path.absolute() == default_path().absolute():
        return config
    return None


def is_remote(path: Path | None = None) -> bool:
    return remote_config(path) is not None


def exists(path: Path | None = None) -> bool:
    path = path or default_path()
    if is_remote(path):
        return True
    return (
        path.is_symlink() and path.resolve().is_dir() or (path.is_dir() and not path.is_symlink())
    )


def link_target(path: Path) -> str:
    """Where the embedded store's link points now: one ``readlink`` per query, where
    ``realpath`` takes a system call per path component."""
    try:
        target = os.readlink(path)
    except OSError:  # not a link: a store directory of its own
        return os.path.realpath(path)
    return os.path.join(os.path.dirname(os.path.abspath(path)), target)


class Current:
    """The embedded store as the link at ``path`` points now, read-only: reopened when a
    build moves the link (one ``readlink`` a call), so a long-running server follows
    rebuilds. A remote store is always current."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.remote = is_remote(path)
        self.target = "" if self.remote else link_target(path)
        self.store = open_store(path, read_only=True)
        self._lock = threading.Lock()

    def get(self) -> ox.Store:
        if self.remote:
            return self.store
        try:
            target = link_target(self.path)
        except OSError:  # the link is being swapped: the store opened last
            return self.store
        if target != self.target:
            with self._lock:
                if target != self.target:
                    try:
                        self.store = ox.Store.read_only(target)
                    except (OSError, RuntimeError):  # a moment too early: next call
                        return self.store
                    self.target = target
        return self.store


def version(path: Path | None = None) -> str:
    """What changes with every build: the build directory (embedded) or a hash of the
    recorded build and import runs (remote)."""
    path = path or default_path()
    config = remote_config(path)
    if config is not None:
        return "remote-" + hremote.RemoteStore(config).version()
    return os.path.realpath(path)


def open_store(
    path: Path | None = None, *, read_only: bool = True, check_merge: bool = True
) -> ox.Store:
    """Open the built store at ``path`` (read-only unless asked otherwise).

    A remote store is returned as a :class:`~helixgraph.store.remote.RemoteStore`, which offers
    the part of the ``pyoxigraph.Store`` API that helixgraph uses (typed as a Store here).
    A store whose default graph lacks the merge of its named graphs (built by an older
    helixgraph, see :mod:`helixgraph.store.merge`) is refused unless ``check_merge`` is
    false (a rebuild reads the imports it carries over that way).
    """
    path = path or default_path()
    config = remote_config(path)
    if config is not None:
        remote = hremote.RemoteStore(config)
        if check_merge:
            _check_merge(remote, config.query_url, remote.graph_filter())
        return cast(ox.Store, remote)
    if not exists(path):
        raise StoreError(f"no store at {path}: run 'helixgraph build' first")
    target = str(path.resolve())
    try:
        store = ox.Store.read_only(target) if read_only else ox.Store(target)
    except OSError as exc:
        raise StoreError(f"cannot open the store at {path}: {exc}") from exc
    except RuntimeError as exc:  # RocksDB reports a truncated or damaged store this way
        raise StoreError(
            f"the store at {path} is damaged ({exc}); rebuild it with 'helixgraph build'"
        ) from exc
    if check_merge:
        _check_merge(store, str(path))
    return store


def _check_merge(store: object, where: str, graph_filter: str = OWN_GRAPHS) -> None:
    try:
        ok = has_merge(store, graph_filter)
    except (OSError, RuntimeError) as exc:  # includes a remote server that does not answer
        raise StoreError(f"cannot read the store at {where}: {exc}") from exc
    if not ok:
        raise StoreError(NO_MERGE.format(where=where))


class _Writer:
    """Forwards to the new store until the build ends, then lets it close.

    RocksDB finishes its background compactions when the store is dropped; a caller
    still holding the store after the swap would keep it open while readers open
    the same directory, which Oxigraph calls undefined behaviour.
    """

    def __init__(self, store: ox.Store | None, *, fresh: bool = True):
        self._store: ox.Store | None = store
        self.fresh = fresh  # a new build (write its merge, compact) or an updated copy

    def __getattr__(self, name: str) -> object:
        if self._store is None:
            raise StoreError("the store being built is closed: use it inside the 'with' block")
        return getattr(self._store, name)

    def __len__(self) -> int:
        return 0 if self._store is None else len(self._store)

    def close(self) -> None:
        if self._store is not None:
            if self.fresh:
                materialise(self._store)  # the default graph: the merge of the named graphs
            self._store.flush()
            if self.fresh:  # an updated copy is not compacted: that would rewrite every file
                self._store.optimize()
        self._store = None
        gc.collect()


@contextmanager
def replacing(path: Path | None = None, *, keep_other_graphs: bool = False) -> Iterator[ox.Store]:
    """Yield a fresh empty store; on normal exit make it the store at ``path``.

    If the body raises (or the process dies), the new directory is abandoned and the
    store at ``path`` is untouched. The yielded store is closed when the block ends.
    ``keep_other_graphs`` (remote stores only) replaces just the graphs the new store
    holds and leaves the server's other graphs as they are.
    """
    path = path or default_path()
    config = remote_config(path)
    if config is not None:
        yield from _replace_remote(config, keep_other_graphs)
        return
    if keep_other_graphs:
        raise StoreError("only a remote store can be replaced graph by graph")
    if path.exists() and not path.is_symlink():
        raise StoreError(f"{path} is a plain directory, not a helixgraph store link; move it away")
    root = builds_dir(path)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(_unwritable(root, exc)) from exc
    with _build_lock(root / ".lock", str(path)):
        yield from _replace(path, root)


@contextmanager
def updating(path: Path | None = None) -> Iterator[ox.Store]:
    """Yield a writable copy of the embedded store at ``path``; on normal exit make it the
    store at ``path`` (an import's path: no whole-store copy).

    The copy is a RocksDB checkpoint (``Store.backup``) in a new build directory: the
    store's files are immutable, so the checkpoint hard-links them and copies only its
    small descriptor files; writes go to new files of the copy alone. As with
    :func:`replacing`, a body that raises abandons the copy and leaves the store at
    ``path`` untouched, and readers of the current build keep reading it until the swap.
    The caller keeps the copy's default graph the merge of its named graphs (it is not
    recomputed). A remote store is not updated this way: use ``replacing``.
    """
    path = path or default_path()
    if is_remote(path):
        raise StoreError("a remote store is replaced graph by graph: use replacing()")
    if not exists(path):
        raise StoreError(f"no store at {path}: run 'helixgraph build' first")
    if not path.is_symlink():
        raise StoreError(f"{path} is a plain directory, not a helixgraph store link; move it away")
    root = builds_dir(path)
    with _build_lock(root / ".lock", str(path)):
        yield from _replace(path, root, copy_of=path.resolve())


def _replace_remote(config: hremote.RemoteConfig, keep_other_graphs: bool) -> Iterator[ox.Store]:
    """Stage the build locally, then replace the server's graphs (see remote.replacing),
    holding the machine's lock and the server's (see remote.lock)."""
    key = hashlib.sha1(config.query_url.encode()).hexdigest()[:16]
    lock = Path(tempfile.gettempdir()) / f"helixgraph-remote-{key}.lock"
    what = "an import" if keep_other_graphs else "a build"
    with _build_lock(lock, config.query_url):
        try:
            remote = hremote.RemoteStore(config)
            with (
                server_lock(remote, what),
                hremote.replacing(remote, keep_other_graphs=keep_other_graphs) as staged,
            ):
                yield staged
        except OSError as exc:  # the server refused or went away: graphs sent so far stay
            raise StoreError(f"cannot write the remote store at {config.query_url}: {exc}") from exc


@contextmanager
def _build_lock(lock: Path, name: str) -> Iterator[None]:
    """One build or import at a time per store (so pruning never removes a build in progress)."""
    with lock.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(
                f"another build or import is writing {name}; wait for it to finish"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _replace(path: Path, root: Path, copy_of: Path | None = None) -> Iterator[ox.Store]:
    """Write a new build directory (empty, or a checkpoint of ``copy_of``) and swap it in."""
    previous = path.resolve() if path.is_symlink() else None
    try:
        new_dir = Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%dT%H%M%S-"), dir=root))
    except OSError as exc:
        raise StoreError(_unwritable(root, exc)) from exc
    writer = _Writer(None, fresh=copy_of is None)
    try:
        if copy_of is not None:
            new_dir.rmdir()  # a checkpoint makes its own directory
            ox.Store.read_only(str(copy_of)).backup(str(new_dir))
        writer._store = ox.Store(str(new_dir))
        yield writer  # type: ignore[misc]
        writer.close()
    except BaseException as exc:
        writer._store = None
        gc.collect()
        shutil.rmtree(new_dir, ignore_errors=True)
        if isinstance(exc, OSError):  # a full disk, a file size limit, permissions
            raise StoreError(_unwritable(root, exc)) from exc
        raise
    link_tmp = path.with_name(path.name + f".link-{os.getpid()}")
    try:
        link_tmp.unlink(missing_ok=True)
        link_tmp.symlink_to(new_dir.resolve())
        os.replace(link_tmp, path)
    except OSError as exc:
        link_tmp.unlink(missing_ok=True)
        shutil.rmtree(new_dir, ignore_errors=True)
        raise StoreError(_unwritable(root, exc)) from exc
    _prune(root, keep={new_dir.resolve(), previous})


def _unwritable(root: Path, exc: OSError) -> str:
    return f"cannot write the new store under {root}: {exc}; the previous store is unchanged"


def _prune(root: Path, keep: set[Path | None]) -> None:
    """Remove every build directory but the new one and the one it replaced (a running
    server may still read that), including those abandoned by killed builds."""
    for d in root.iterdir():
        if d.is_dir() and d.resolve() not in keep:
            shutil.rmtree(d, ignore_errors=True)
