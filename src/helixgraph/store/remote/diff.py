"""Comparing a graph's N-Triples: its digest, and the difference between the graph the
server holds and its new content.

Replacing a large graph on Oxigraph server by a ``PUT`` deletes every old triple in one
go: over the 1.8 M-triple H2020 graph a transactional ``PUT`` peaked at 5.8 GB of server
memory, a ``no_transaction`` one at 2.9 GB. Sending only what changed, in bounded
batches, peaked at 2.0 GB when every triple changed and did not grow the server at all
when 1% did (``benchmarks/remote_replace.py``). Lines are compared by a 128-bit hash, so
the client holds two sets of hashes, not the triples.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any, BinaryIO


def _key(line: bytes) -> bytes:
    return hashlib.blake2b(line.rstrip(b"\r\n"), digest_size=16).digest()


def _lines(f: BinaryIO) -> Iterator[bytes]:
    f.seek(0)
    for line in f:
        if line.strip():
            yield line if line.endswith(b"\n") else line + b"\n"


def has_blank_nodes(f: BinaryIO) -> bool:
    """True if a line may hold a blank node (whose label only the sender knows, so it
    cannot be matched or named in a ``DELETE DATA``); a literal that merely looks like
    one gives a false alarm, which only costs the faster path."""
    return any(line.startswith(b"_:") or b" _:" in line for line in _lines(f))


def difference(old: BinaryIO, new: BinaryIO, removed: BinaryIO, added: BinaryIO) -> tuple[int, int]:
    """Write the lines of ``old`` missing from ``new`` to ``removed`` and those of ``new``
    missing from ``old`` to ``added``; return how many of each."""
    new_keys = {_key(line) for line in _lines(new)}
    old_keys: set[bytes] = set()
    n_removed = n_added = 0
    for line in _lines(old):
        k = _key(line)
        old_keys.add(k)
        if k not in new_keys:
            removed.write(line)
            n_removed += 1
    del new_keys
    for line in _lines(new):
        if _key(line) not in old_keys:
            added.write(line)
            n_added += 1
    removed.seek(0)
    added.seek(0)
    return n_removed, n_added


def batches(f: BinaryIO, size: int) -> Iterator[bytes]:
    """``f``'s lines in chunks of ``size`` lines."""
    chunk: list[bytes] = []
    for line in f:
        chunk.append(line)
        if len(chunk) >= size:
            yield b"".join(chunk)
            chunk = []
    if chunk:
        yield b"".join(chunk)


def digest(ntriples: Any) -> tuple[str, int]:
    """A digest of a graph's N-Triples (a binary file, one triple per line) that does not
    depend on their order, and the number of triples: the sum of each line's hash."""
    total, n = 0, 0
    for line in ntriples:
        if line.strip():
            h = hashlib.blake2b(line.rstrip(b"\r\n"), digest_size=16).digest()
            total += int.from_bytes(h, "big")
            n += 1
    return f"blake2b-sum:{total % (1 << 128):032x}", n
