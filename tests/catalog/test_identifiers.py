"""An organisation's record carries every registry identifier the graph holds."""

from __future__ import annotations

from pathlib import Path

from helixgraph import catalog
from helixgraph.store.access import open_store


def test_umcg_identifiers_with_registry_urls(seed_store: Path) -> None:
    umcg = catalog.organisation(open_store(seed_store), "umcg")
    ids = {(i["scheme"], i["value"]): i for i in umcg["identifiers"]}
    assert ids[("ror", "03cv38k47")]["url"] == "https://ror.org/03cv38k47"
    assert ids[("ror", "03cv38k47")]["sources"] == ["ror"]
    assert ids[("pic", "999914801")]["url"].endswith("/org-details/999914801")
    assert ids[("pic", "999914801")]["sources"] == ["cordis-h2020"]
    assert ids[("wikidata", "Q2057113")]["url"] == "https://www.wikidata.org/wiki/Q2057113"
    assert ids[("isni", "0000 0000 9558 4598")]["url"] == "https://isni.org/isni/0000000095584598"
    assert ids[("grid", "grid.4494.d")]["registry"] == "GRID"
    assert ids[("fundref", "501100005075")]["url"] == "https://doi.org/10.13039/501100005075"
    assert ids[("iri", "https://w3id.org/helixgraph/id/org/umcg")]["registry"] == "helixgraph"
