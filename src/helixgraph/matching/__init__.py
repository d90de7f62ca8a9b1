"""Organisation matching: names in, scored candidates out.

A pure wing (no store, no RDF): :class:`Matcher` is built from :class:`Entity` records
(the catalog reads them from the store, :mod:`helixgraph.catalog.names`) and answers
:class:`Query` objects with :class:`Candidate` lists. The reconciliation API
(``/reconcile``) and the importers' entity resolution (:mod:`helixgraph.ingest.resolve`)
use it.
"""

from helixgraph.matching.entities import (
    ACRONYM,
    ALIAS,
    ID_SCHEMES,
    LABEL,
    Candidate,
    Constraint,
    Entity,
    Query,
    canonical_id,
    identifiers_in,
)
from helixgraph.matching.matcher import MARGIN, PROPERTIES, THRESHOLD, Matcher, MatchError
from helixgraph.matching.normalise import fold, key, plain, words
from helixgraph.matching.places import country_code

__all__ = [
    "ACRONYM",
    "ALIAS",
    "ID_SCHEMES",
    "LABEL",
    "MARGIN",
    "PROPERTIES",
    "THRESHOLD",
    "Candidate",
    "Constraint",
    "Entity",
    "MatchError",
    "Matcher",
    "Query",
    "canonical_id",
    "country_code",
    "fold",
    "identifiers_in",
    "key",
    "plain",
    "words",
]
