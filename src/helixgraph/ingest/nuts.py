"""NUTS regions (Eurostat's Nomenclature of territorial units for statistics) as places.

CORDIS states each participant's NUTS-3 region (``nutsCode``, e.g. ``NL213``). An import
writes one ``hx:Region`` node per code it meets, ``id/place/nuts-{code}``, ``hx:partOf``
its parent level (``NL213`` → ``NL21`` → ``NL2`` → the country), and the organisation
``hx:locatedIn`` it. Where a NUTS region is the same area as a region of the seed
(Twente is NUTS-3 ``NL213``, Overijssel NUTS-2 ``NL21``, Noord-Nederland NUTS-1 ``NL1``),
it is also ``hx:partOf`` the seed's node, so the region filters (transitive over
``hx:partOf``) hold every organisation CORDIS places there.

Cities: a Dutch city node an import makes (from ROR's or CORDIS's city of an
organisation) is put ``hx:partOf`` its NUTS-3 region by the shipped gazetteer
``data/regional/nl_places.csv.gz`` — each city with the NUTS-3 code CORDIS's Horizon
Europe participation rows state for it (:func:`place_cities`, citing that dataset).

Names of the Dutch regions: Eurostat's NUTS 2021 classification (Regulation (EU)
2019/1755); a code not in :data:`NUTS_NL` (another country's, or a newer version's) is
labelled by its code only.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from helixgraph.ingest.datasets import DATASETS
from helixgraph.ingest.toolkit import Out, Places, read_csv, slug
from helixgraph.vocab.namespace import HX, ID, PROV, RDF, RDFS, SKOS, iri

NUTS_NL: dict[str, str] = {
    "NL1": "Noord-Nederland",
    "NL11": "Groningen",
    "NL111": "Oost-Groningen",
    "NL112": "Delfzijl en omgeving",
    "NL113": "Overig Groningen",
    "NL12": "Friesland",
    "NL124": "Noord-Friesland",
    "NL125": "Zuidwest-Friesland",
    "NL126": "Zuidoost-Friesland",
    "NL13": "Drenthe",
    "NL131": "Noord-Drenthe",
    "NL132": "Zuidoost-Drenthe",
    "NL133": "Zuidwest-Drenthe",
    "NL2": "Oost-Nederland",
    "NL21": "Overijssel",
    "NL211": "Noord-Overijssel",
    "NL212": "Zuidwest-Overijssel",
    "NL213": "Twente",
    "NL22": "Gelderland",
    "NL23": "Flevoland",
    "NL3": "West-Nederland",
    "NL31": "Utrecht",
    "NL32": "Noord-Holland",
    "NL33": "Zuid-Holland",
    "NL34": "Zeeland",
    "NL4": "Zuid-Nederland",
    "NL41": "Noord-Brabant",
    "NL42": "Limburg",
}
# NUTS code → the seed place (data/places.csv id) covering the same area
SEED_EQUIVALENT = {
    "NL": "netherlands",
    "NL1": "noord-nederland",
    "NL2": "oost-nederland",
    "NL21": "overijssel",
    "NL213": "twente",
}
# The regions of the import filters (--region) as NUTS prefixes
REGION_NUTS: dict[str, tuple[str, ...]] = {
    "north-nl": ("NL11", "NL12", "NL13"),
    "twente": ("NL213",),
    "seed-regions": ("NL11", "NL12", "NL13", "NL213"),
}
GAZETTEER_DATASET = "cordis-horizon-europe"  # what the gazetteer's rows come from
CODE = re.compile(r"[A-Z]{2}[A-Z0-9]{1,3}")  # NUTS 1-3; a bare country code is no region


def valid(code: str) -> bool:
    return bool(CODE.fullmatch(code)) and code[:2] != "NA"


def nuts_iri(code: str) -> str:
    return str(iri("place", f"nuts-{code.lower()}"))


def in_region(code: str, region: str) -> bool:
    return code.upper().startswith(REGION_NUTS[region])


def emit_regions(out: Out, codes: set[str], places: Places, source: str) -> None:
    """The nodes of ``codes`` and of their parents, with their links to the seed's places."""
    todo = {c[:n] for c in codes if valid(c) for n in range(3, len(c) + 1)}
    for code in sorted(todo):
        s = nuts_iri(code)
        name = NUTS_NL.get(code)
        label = f"{name} (NUTS {code})" if name else f"NUTS {code}"
        if s not in places.known:
            out.add(s, RDF.type, HX.Place)
            out.add(s, RDF.type, HX.Region)
            out.add(s, SKOS.prefLabel, out.text(label, "en"))
            out.add(s, RDFS.label, out.text(label, "en"))
            out.add(s, SKOS.altLabel, out.text(code))
            out.add(s, PROV.wasDerivedFrom, source)
        if len(code) > 3:
            out.add(s, HX.partOf, nuts_iri(code[:-1]))
        seed = SEED_EQUIVALENT.get(code)
        if len(code) == 3 and code[:2] == "NL":
            seed = seed or "netherlands"
        if seed and str(iri("place", seed)) in places.known:
            out.add(s, HX.partOf, str(iri("place", seed)))


def load_gazetteer(path: Path) -> dict[str, str]:
    """Dutch city (as :func:`~helixgraph.ingest.toolkit.slug`) → NUTS-3 code, from the
    shipped gazetteer (:func:`helixgraph.ingest.regional.gazetteer`); empty without it."""
    if not path.exists():
        return {}
    st = path.stat()
    return _gazetteer(path, st.st_mtime_ns, st.st_size)


@cache
def _gazetteer(path: Path, mtime: int, size: int) -> dict[str, str]:
    return {slug(row["city"]): row["nuts3"] for _, row in read_csv(path) if valid(row["nuts3"])}


def place_cities(out: Out, places: Places, gazetteer: dict[str, str]) -> bool:
    """Put each Dutch city node this import made into the NUTS-3 region that CORDIS
    states for it (so region filters over ``hx:partOf`` reach it), citing CORDIS's
    Horizon Europe dataset; True if it placed any."""
    source = DATASETS[GAZETTEER_DATASET].iri
    prefix = f"{ID}place/city-nl-"
    codes: set[str] = set()
    for node in places.made:
        code = gazetteer.get(node[len(prefix) :]) if node.startswith(prefix) else None
        if code:
            out.add(node, HX.partOf, nuts_iri(code))
            out.add(node, PROV.wasDerivedFrom, source)
            codes.add(code)
    if codes:
        emit_regions(out, codes, places, source)
    return bool(codes)
