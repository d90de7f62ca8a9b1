"""The kinds of organisation a map knows, and the shape category it draws each kind as.

Both tables come from the one controlled list, :data:`helixgraph.vocab.values.ORG_KINDS`
(kind slug -> ``hx`` class local name): :data:`KIND_SLUGS` is its inverse, and
:data:`CATEGORY_OF_KIND` gives every kind of that list its category (a kind missing
from :data:`KIND_GROUPS` stops the import).
"""

from __future__ import annotations

import re

from helixgraph.vocab.values import ORG_KINDS

# the label the CORDIS imports give a participant their tables name nowhere
# (ingest/sources/cordis.py, cordis_csv.py: "PIC {pic}"); no name is made up for it, and
# the maps spend no first-sight label on it
UNNAMED_LABEL = re.compile(r"PIC \d{9}")

# hx class local name -> the kind slug of the data files (data-model.md)
KIND_SLUGS = {cls: slug for slug, cls in ORG_KINDS.items()}

# the coarse categories a map draws as one shape each, and the kinds in them
KIND_GROUPS: dict[str, tuple[str, ...]] = {
    "knowledge": (
        "university",
        "university_of_applied_sciences",
        "vocational_college",
        "research_institute",
        "research_infrastructure",
        "biobank",
        "research_centre",
        "faculty",
    ),
    "hospital": ("hospital", "academic_hospital"),
    "government": (
        "government_body",
        "ministry",
        "provincial_government",
        "municipal_government",
        "regional_funding_body",
    ),
    "firm": ("firm", "startup", "sme", "large_firm", "investment_company"),
    "intermediary": (
        "intermediary",
        "development_agency",
        "business_association",
        "cluster",
        "cooperative",
        "network",
        "regional_ecosystem",
        "campus",
        "consortium",
    ),
}
CATEGORIES = (*KIND_GROUPS, "other")
# a hospital is drawn as a hospital even when it is also a knowledge institution
_CATEGORY_ORDER = ("hospital", "knowledge", "government", "firm", "intermediary")


def _category_of_kind() -> dict[str, str]:
    """kind slug -> category, for every kind of ``ORG_KINDS`` and no other."""
    table = {kind: group for group, kinds in KIND_GROUPS.items() for kind in kinds}
    if table.keys() != ORG_KINDS.keys():
        odd = sorted(table.keys() ^ ORG_KINDS.keys())
        raise RuntimeError(f"maps.kinds.KIND_GROUPS and vocab ORG_KINDS differ on {odd}")
    return table


# kind slug -> the coarse category a map draws as one shape
CATEGORY_OF_KIND = _category_of_kind()


def category(kinds: list[str]) -> str:
    """The shape category of an organisation with these kinds (``other`` if none fits)."""
    found = {CATEGORY_OF_KIND.get(k) for k in kinds}
    return next((c for c in _CATEGORY_ORDER if c in found), "other")
