"""Download the official datasets (:mod:`helixgraph.ingest.downloads`) into the user's
data directory, and find them again for ``helixgraph import SOURCE`` without a path.

- Where: ``$HELIXGRAPH_DOWNLOADS``, else the platform's user data directory
  (``platformdirs.user_data_dir("helixgraph")``, e.g. ``~/.local/share/helixgraph``)
  ``downloads/``, one folder per source — never inside the repository or site-packages.
- Never half-written: bytes go to ``<file>.part``; only a complete, checked file is
  renamed to its name, and ``fetched.json`` (what was fetched, from where, its size and
  SHA-256, and the path the importer reads) is written last, atomically.
- Resume: a ``.part`` left by an interrupted download is continued with an HTTP
  ``Range`` request (a server that ignores it sends the whole file again).
- Checks: the size the server announced (``Content-Length``/``Content-Range``), the size
  and SHA-256 pinned in the table, and the MD5 that Zenodo publishes for ROR's dump. A
  checksum mismatch deletes the ``.part`` (it cannot be resumed into a good file).
- Offline or unreachable: :class:`FetchError` saying so; nothing is written.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from helixgraph import __version__
from helixgraph.ingest.downloads import Download, download_for, prepare

ENV_DOWNLOADS = "HELIXGRAPH_DOWNLOADS"  # $HELIXGRAPH_DATA is the seed data folder
ENV_BASE = "HELIXGRAPH_FETCH_BASE"  # tests: serve every URL's path from this base instead
MANIFEST = "fetched.json"
TIMEOUT = httpx.Timeout(30.0, connect=15.0)
USER_AGENT = (
    f"helixgraph/{__version__} (helixgraph fetch: dataset download)"  # Zenodo refuses generic ones
)

Progress = Callable[[int, int | None], None]  # bytes done, total (None: unknown)


class FetchError(Exception):
    """A download that failed, with what to do about it."""


@dataclass(frozen=True)
class Fetched:
    source: str
    file: Path  # the downloaded file
    path: Path  # what the importer reads
    url: str
    size: int
    sha256: str
    skipped: bool = False  # already there and checked: nothing downloaded
    note: str = ""


def downloads_dir() -> Path:
    """``$HELIXGRAPH_DOWNLOADS``, else ``downloads/`` in the user data directory."""
    env = os.environ.get(ENV_DOWNLOADS)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("helixgraph", appauthor=False)) / "downloads"


def source_dir(source: str, root: Path | None = None) -> Path:
    return (root or downloads_dir()) / source


def _url(url: str) -> str:
    """``url``, or its path and query on ``$HELIXGRAPH_FETCH_BASE`` (a mirror, or a test)."""
    base = os.environ.get(ENV_BASE)
    if not base:
        return url
    u = httpx.URL(url)
    return base.rstrip("/") + "/" + u.host + u.raw_path.decode()


def _client() -> httpx.Client:
    return httpx.Client(timeout=TIMEOUT, follow_redirects=True, headers={"User-Agent": USER_AGENT})


def _unreachable(url: str, exc: Exception) -> FetchError:
    return FetchError(
        f"cannot reach {httpx.URL(url).host} ({type(exc).__name__}: {exc}); are you offline? "
        "Nothing new was written; run the command again when the network is back"
    )


@dataclass(frozen=True)
class Target:
    url: str  # where it is downloaded from (the official URL, or its mirror)
    official: str  # the publisher's URL: what identifies the file
    name: str
    size: int = 0
    sha256: str = ""
    md5: str = ""


def resolve(d: Download, client: httpx.Client) -> Target:
    """The file to download for ``d`` (for Zenodo: the latest record's matching file)."""
    if d.kind == "file":
        return Target(_url(d.url), d.url, d.filename, d.size, d.sha256)
    url = _url(d.url)
    try:
        answer = client.get(url, headers={"Accept": "application/json"})
    except httpx.TransportError as exc:
        raise _unreachable(url, exc) from None
    if answer.status_code != 200:
        raise FetchError(f"{url}: HTTP {answer.status_code} {answer.reason_phrase}")
    try:
        record: dict[str, Any] = answer.json()
        files: list[dict[str, Any]] = record["files"]
        chosen = [f for f in files if str(f["key"]).endswith(d.pick)]
    except (ValueError, KeyError, TypeError) as exc:
        raise FetchError(f"{url}: not a Zenodo record with files ({exc})") from None
    if not chosen:
        keys = ", ".join(str(f.get("key")) for f in files)
        raise FetchError(f"{url}: no file ending with {d.pick!r} in the record ({keys})")
    f = chosen[0]
    links = f.get("links") or {}
    link = links.get("self") or links.get("content") or links.get("download")
    if not link:
        raise FetchError(f"{url}: file {f['key']} has no download link")
    checksum = str(f.get("checksum", ""))
    md5 = checksum.split(":", 1)[1] if checksum.startswith("md5:") else ""
    return Target(_url(str(link)), str(link), str(f["key"]), int(f.get("size") or 0), "", md5)


def _digest(path: Path, algo: str) -> str:
    h = hashlib.new(algo)
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _total(response: httpx.Response, offset: int) -> int | None:
    cr = response.headers.get("Content-Range", "")
    if response.status_code == 206 and "/" in cr and not cr.endswith("/*"):
        return int(cr.rsplit("/", 1)[1])
    length = response.headers.get("Content-Length")
    if length is None:
        return None
    return int(length) + (offset if response.status_code == 206 else 0)


def download(
    client: httpx.Client, target: Target, dest: Path, progress: Progress = lambda *_: None
) -> dict[str, str]:
    """Download ``target`` to ``dest`` through ``dest.part``, resuming it; check; rename.

    Returns the response's validators (``etag``, ``last_modified``) for a later refresh."""
    validators: dict[str, str] = {}
    part = dest.with_name(dest.name + ".part")
    offset = part.stat().st_size if part.exists() else 0
    headers = {"Accept-Encoding": "identity"}  # the bytes as published, sizes as announced
    if offset:
        headers["Range"] = f"bytes={offset}-"
    try:
        with client.stream("GET", target.url, headers=headers) as response:
            if response.status_code == 416 and offset:
                total: int | None = offset  # the .part already holds everything
            elif response.status_code not in (200, 206):
                raise FetchError(
                    f"{target.url}: HTTP {response.status_code} {response.reason_phrase}; "
                    "nothing was saved"
                    + (f" (the partial download {part} is kept)" if offset else "")
                )
            else:
                validators = _validators(response)
                if response.status_code == 200:
                    offset = 0  # the server ignored the Range: start again
                total = _total(response, offset) or target.size or None
                with part.open("ab" if offset else "wb") as fh:
                    done = offset
                    progress(done, total)
                    for block in response.iter_raw():  # as received: a break keeps them
                        fh.write(block)
                        done += len(block)
                        progress(done, total)
    except httpx.TransportError as exc:
        if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
            raise _unreachable(target.url, exc) from None
        got = part.stat().st_size if part.exists() else 0
        raise FetchError(
            f"{target.url}: the download broke off after {got:,} bytes ({type(exc).__name__}); "
            f"run the command again to resume it from {part.name}"
        ) from None
    got = part.stat().st_size
    expected = target.size or total
    if expected and got < expected:
        raise FetchError(
            f"{target.url}: truncated: got {got:,} of {expected:,} bytes; "
            f"run the command again to resume it from {part.name}"
        )
    if expected and got > expected:
        part.unlink()
        raise FetchError(
            f"{target.url}: size mismatch: got {got:,} bytes, expected {expected:,}; "
            "the partial file was removed"
        )
    for algo, want in (("sha256", target.sha256), ("md5", target.md5)):
        if want and (have := _digest(part, algo)) != want.lower():
            part.unlink()
            raise FetchError(
                f"{target.url}: {algo} checksum mismatch: expected {want}, got {have}; "
                "the downloaded file was removed"
            )
    os.replace(part, dest)
    return validators


def _validators(response: httpx.Response) -> dict[str, str]:
    names = {"etag": "ETag", "last_modified": "Last-Modified"}
    return {k: response.headers[h] for k, h in names.items() if h in response.headers}


def _changed(client: httpx.Client, target: Target, old: dict[str, Any]) -> bool | None:
    """Whether the publisher's file differs from the fetched one (by ETag, Last-Modified,
    size); None when that cannot be told (offline, an error, no validators)."""
    try:
        head = client.head(target.url, headers={"Accept-Encoding": "identity"})
    except httpx.TransportError:
        return None
    if head.status_code != 200:
        return None
    now = _validators(head)
    length = head.headers.get("Content-Length")
    if length is not None and int(length) != old.get("size"):
        return True
    known = [k for k in now if old.get(k)]
    if not known:
        return None
    return any(now[k] != old[k] for k in known)


def read_manifest(source: str, root: Path | None = None) -> dict[str, Any] | None:
    path = source_dir(source, root) / MANIFEST
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data


def fetch(
    source: str,
    *,
    root: Path | None = None,
    force: bool = False,
    progress: Progress = lambda *_: None,
) -> Fetched:
    """Download ``source``'s official dataset (unless already fetched) and unpack it.

    One fetch of a source at a time: a second one fails at once instead of appending to
    the same ``.part``.
    """
    d = download_for(source)
    folder = source_dir(source, root)
    folder.mkdir(parents=True, exist_ok=True)
    with _exclusive(folder.with_name(f".{source}.lock"), source):
        return _fetch(d, folder, root, force, progress)


@contextmanager
def _exclusive(lock: Path, source: str) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    with lock.open("w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FetchError(
                f"another 'helixgraph fetch {source}' is running (it holds {lock})"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _fetch(
    d: Download, folder: Path, root: Path | None, force: bool, progress: Progress
) -> Fetched:
    source = d.source
    with _client() as client:
        target = resolve(d, client)
        dest = folder / target.name
        old = read_manifest(source, root)
        if (
            not force
            and old
            and old.get("url") == target.official
            and dest.exists()
            and Path(old.get("path", "")).exists()
            and dest.stat().st_size == old.get("size")
            and (not target.sha256 or old.get("sha256") == target.sha256)
        ):
            # a pinned file or a Zenodo release is what its name says; an unpinned file
            # (CORDIS republishes its exports) is asked whether it changed
            changed = None if target.sha256 or d.kind == "zenodo" else _changed(client, target, old)
            if not changed:
                note = (
                    "could not check for a newer file; keeping the one fetched "
                    f"{old.get('fetched', '')}"
                    if changed is None and not (target.sha256 or d.kind == "zenodo")
                    else ""
                )
                return Fetched(
                    source,
                    dest,
                    Path(old["path"]),
                    target.official,
                    old["size"],
                    old["sha256"],
                    True,
                    note,
                )
            force = True  # a newer file: start afresh
        if force:
            dest.with_name(dest.name + ".part").unlink(missing_ok=True)
        validators = download(client, target, dest, progress)
    sha = target.sha256 or _digest(dest, "sha256")
    try:
        path = prepare(d, dest, folder / "unpacked")
    except ValueError as exc:
        dest.unlink(missing_ok=True)
        raise FetchError(f"{exc}; the download was removed") from None
    for stale in folder.iterdir():  # an earlier release's file
        if stale.is_file() and stale != dest and stale.name != MANIFEST:
            stale.unlink()
    size = dest.stat().st_size
    manifest: dict[str, object] = {
        "source": source,
        "title": d.title,
        "url": target.official,
        "dataset_url": d.url,
        "file": str(dest),
        "path": str(path),
        "size": size,
        "sha256": sha,
        "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **validators,
    }
    tmp = folder / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)
    return Fetched(source, dest, path, target.official, size, sha)


def fetched_path(source: str, root: Path | None = None) -> Path:
    """What ``helixgraph fetch SOURCE`` got, for its importer (FileNotFoundError if none)."""
    m = read_manifest(source, root)
    if m and Path(m.get("path", "")).exists():
        return Path(m["path"])
    where = source_dir(source, root)
    if source in _fetchable():
        raise FileNotFoundError(
            f"no dataset given and nothing fetched for {source!r} in {where}: run "
            f"'helixgraph fetch {source}' first, or give the dataset's path"
        )
    raise FileNotFoundError(
        f"{source!r} needs the dataset's path (it is not one of the sources "
        f"'helixgraph fetch' downloads: {', '.join(_fetchable())})"
    )


def _fetchable() -> list[str]:
    from helixgraph.ingest.downloads import DOWNLOADS

    return list(DOWNLOADS)
