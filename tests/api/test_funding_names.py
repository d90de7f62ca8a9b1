"""Funding flows carry the ids and names of funders and recipients."""

from __future__ import annotations

from tests.api.conftest import Server
from tests.computing import when_ready


def test_flows_carry_names_and_ids(seed_server: Server) -> None:
    with seed_server.client() as client:
        r = when_ready(lambda: client.get("/api/funding/flows"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["flows"]
    stated = [f for f in body["flows"] if f["funder"] != "funder-not-stated"]
    assert stated
    for flow in stated:
        assert flow["funder"].endswith("/" + flow["funder_id"])
        assert flow["funder_type"] == "organisation"
        assert flow["recipient"].endswith("/" + flow["recipient_id"])
        assert flow["funder_label"] and flow["recipient_label"]
    snn = "https://w3id.org/helixgraph/id/org/snn"
    assert body["names"][snn] == "Samenwerkingsverband Noord-Nederland"
    assert set(body["totals"]["by_funder"]) <= set(body["names"])
