"""Run SPARQL 1.1 queries and updates on the store, safely.

From the inside out:

* :mod:`~helixgraph.store.query_text` (in the store wing, which reads query texts too) --
  :func:`analyse` tokenises a query or update
  (without evaluating it) to find its form, ``SERVICE``, ``LOAD``, dataset clauses
  (``FROM``, ``USING``, ``WITH``) and non-deterministic functions; :func:`add_using`
  applies the protocol's ``using-graph-uri``/``using-named-graph-uri`` to an update.
* :mod:`~helixgraph.sparql.formats` -- the result formats (:data:`FORMATS`) and
  :func:`negotiate`, which picks one from an HTTP ``Accept`` header with q-values, or
  raises :class:`NotAcceptable`.
* :mod:`~helixgraph.sparql.execute` -- :func:`execute` runs one :class:`Job` on an open
  store and serialises the result with pyoxigraph's own serialisers, under a size cap.
* :mod:`~helixgraph.sparql.pool` -- worker processes (``python -m helixgraph.sparql``):
  pyoxigraph's ``Store.query`` has no timeout, so a query that outlives its time is
  stopped by killing its worker, which frees everything it held, and a fresh worker
  takes its place.
* :mod:`~helixgraph.sparql.cache` and :mod:`~helixgraph.sparql.service` -- the result
  cache and :class:`Service`, which puts limits, workers, writer and cache together.

The default graph is the store's own: the merge of all its named graphs, each distinct
triple once (:mod:`helixgraph.store.merge`; queried without a union flag), unless the
request names a dataset, by the protocol's ``default-graph-uri``/``named-graph-uri`` (which win) or by
the query's ``FROM``/``FROM NAMED``.
"""

from __future__ import annotations

from helixgraph.sparql.cache import Cache
from helixgraph.sparql.execute import STATUS, Job, Outcome, execute, syntax_message
from helixgraph.sparql.formats import (
    FORMAT_ALIASES,
    FORMATS,
    Format,
    NotAcceptable,
    ResultTooLarge,
    formats_for,
    negotiate,
    parse_accept,
)
from helixgraph.sparql.pool import Pool, store_target
from helixgraph.sparql.service import Limits, Service
from helixgraph.store.query_text import (
    NONDETERMINISTIC,
    QUERY_FORMS,
    UPDATE_WORDS,
    Analysis,
    DatasetConflict,
    add_using,
    analyse,
)

__all__ = [
    "FORMATS",
    "FORMAT_ALIASES",
    "NONDETERMINISTIC",
    "QUERY_FORMS",
    "STATUS",
    "UPDATE_WORDS",
    "Analysis",
    "Cache",
    "DatasetConflict",
    "Format",
    "Job",
    "Limits",
    "NotAcceptable",
    "Outcome",
    "Pool",
    "ResultTooLarge",
    "Service",
    "add_using",
    "analyse",
    "execute",
    "formats_for",
    "negotiate",
    "parse_accept",
    "store_target",
    "syntax_message",
]
