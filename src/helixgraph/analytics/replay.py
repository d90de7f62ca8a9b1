"""A store that answers each SELECT once: the precompute's reads of one build.

The projections of :mod:`helixgraph.network` read the same things for every view (every
organisation with its helices and places, every initiative, every participation, every
award) and filter them in Python; the precompute projects eight views, several ways each,
so the same SPARQL SELECTs ran dozens of times on one unchanging build (half of its time,
measured with py-spy). :class:`ReplayStore` runs a SELECT it sees for the second time once
more and keeps its solutions serialised (a query asked once is not worth serialising),
as SPARQL results in JSON (parsed back fast, every term intact), and answers it again by parsing them: the same
``pyoxigraph.QuerySolutions``, in the same order, a few times faster than evaluating.

:meth:`ReplayStore.kept_rows` keeps a SELECT's solutions as rows of values (what
:func:`helixgraph.network.readers.rows` makes of them) from the first time it is asked: the
projections of every view read the same few SELECTs through it, and turning solutions into
Python values was a fifth of the precompute's CPU (py-spy) when each view did it again.

Only for a store that does not change while it is read (a build directory, read-only; a
remote store at one version): the replay never sees a write.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import pyoxigraph as ox

FORMAT = ox.QueryResultsFormat.JSON
T = TypeVar("T")


class ReplayStore:
    """``store`` with its SELECT results kept (up to ``limit`` bytes in all, and up to
    ``row_limit`` values as rows, :meth:`kept_rows`); everything else (ASK, CONSTRUCT,
    queries with options, other methods) goes to ``store``."""

    def __init__(
        self, store: Any, *, limit: int = 512 * 1024 * 1024, row_limit: int = 4_000_000
    ) -> None:
        self.store = store
        self.limit = limit
        self.kept = 0
        self._answers: dict[str, bytes] = {}
        self._lock = threading.Lock()
        self._seen: set[str] = set()
        self._rows: dict[str, list[dict[str, str | None]]] = {}
        self._memo: dict[str, Any] = {}
        self.row_cells = 0
        self.row_limit = row_limit
        self.hits = 0
        self.misses = 0

    def memo(self, name: str, make: Callable[[], T]) -> T:
        """``make()`` once under ``name`` (a reader's result that is a pure function of the
        build, e.g. :func:`helixgraph.network.readers.all_organisations`, which copies it
        for each caller)."""
        with self._lock:
            if name in self._memo:
                found: T = self._memo[name]
                return found
        value = make()
        with self._lock:
            self._memo.setdefault(name, value)
        return value

    def kept_rows(self, query: str) -> list[dict[str, str | None]]:
        """The solutions of the SELECT ``query`` as variable -> value (``None`` unbound), in
        order; kept (up to ``row_limit`` values in all) and shared: a caller copies a row
        before changing it (:func:`helixgraph.network.readers.rows` does)."""
        with self._lock:
            found = self._rows.get(query)
        if found is not None:
            self.hits += 1
            return found
        result = self.query(query)
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError("kept_rows: not a SELECT query")
        names = [v.value for v in result.variables]
        found = [{n: (None if s[n] is None else s[n].value) for n in names} for s in result]
        with self._lock:
            cells = len(found) * len(names)
            if self.row_cells + cells <= self.row_limit:
                self._rows[query] = found
                self.row_cells += cells
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def query(self, query: str, **options: Any) -> Any:
        if options:
            return self.store.query(query, **options)
        with self._lock:
            kept = self._answers.get(query)
        if kept is not None:
            self.hits += 1
            return ox.parse_query_results(kept, format=FORMAT)
        result = self.store.query(query)
        if not isinstance(result, ox.QuerySolutions):
            return result
        self.misses += 1
        with self._lock:
            first = query not in self._seen
            self._seen.add(query)
        if first:
            return result
        data = result.serialize(format=FORMAT)
        assert data is not None
        with self._lock:
            if self.kept + len(data) <= self.limit:
                self._answers[query] = data
                self.kept += len(data)
        return ox.parse_query_results(data, format=FORMAT)
