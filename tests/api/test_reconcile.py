"""``/reconcile`` over HTTP, against a live server on the seed + ROR's Dutch organisations:
the Reconciliation Service API v0.2 (manifest, batched reconcile with types and properties,
suggest, preview, extend), every answer validated against the published JSON schemas."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.api.conftest import Server, start_server, stop_server
from tests.api.reconcile_store import ror_store, validate
from tests.api.test_reconcile_index import wait_for

__all__ = ["ror_store"]


@pytest.fixture(scope="module")
def live(ror_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    cache = tmp_path_factory.mktemp("cache")
    server = start_server(
        ror_store, tmp_path_factory.mktemp("log") / "reconcile.log", HELIXGRAPH_CACHE=str(cache)
    )
    with server.client() as http:  # a worker computes the name index: 503 until it is there
        wait_for(http)
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def http(live: Server) -> Iterator[httpx.Client]:
    with live.client() as client:
        yield client


def reconcile(http: httpx.Client, batch: dict[str, Any], method: str = "POST") -> Any:
    if method == "POST":
        answer = http.post("/reconcile", data={"queries": json.dumps(batch)})
    else:
        answer = http.get("/reconcile", params={"queries": json.dumps(batch)})
    assert answer.status_code == 200, answer.text
    validate(batch, "reconciliation-query-batch")
    body = answer.json()
    validate(body, "reconciliation-result-batch")
    return body


def test_manifest_follows_the_schema_and_names_every_service(http: httpx.Client) -> None:
    answer = http.get("/reconcile")
    assert answer.status_code == 200
    m = answer.json()
    validate(m, "manifest")
    assert "0.2" in m["versions"]
    assert m["identifierSpace"].endswith("/id/org/")
    assert {t["id"] for t in m["defaultTypes"]} == {"organisation"}
    base = str(http.base_url).rstrip("/")
    assert m["view"]["url"] == base + "/api/organisations/{{id}}"
    assert m["preview"]["url"] == base + "/reconcile/preview?id={{id}}"
    assert set(m["suggest"]) == {"entity", "type", "property"}
    assert m["extend"]["propose_properties"]["service_path"] == "/reconcile/properties"
    assert m["batchSize"] == 1000


def test_a_batch_finds_the_same_university_by_any_of_its_names(http: httpx.Client) -> None:
    names = [
        "RUG",
        "Rijksuniversiteit Groningen",
        "University of Groningen",
        "Groningen University",
    ]
    batch = {f"q{i}": {"query": n} for i, n in enumerate(names)}
    for method in ("POST", "GET"):
        body = reconcile(http, batch, method)
        assert set(body) == set(batch)
        for qid in batch:
            first = body[qid]["result"][0]
            assert first["id"] == "university-of-groningen", (qid, first)
            assert first["match"] is True and first["score"] == 100


def test_types_and_properties_narrow_the_candidates(http: httpx.Client) -> None:
    body = reconcile(
        http,
        {
            "any": {"query": "Groningen", "limit": 10},
            "universities": {"query": "Groningen", "type": "university", "limit": 10},
            "by_ror": {"properties": [{"pid": "ror", "v": "https://ror.org/03cv38k47"}]},
            "hanze_city": {
                "query": "Hanze University of Applied Sciences",
                "type": ["university_of_applied_sciences"],
                "properties": [{"pid": "city", "v": "Groningen"}, {"pid": "country", "v": "NL"}],
            },
            "wrong_country": {
                "query": "Hanze University of Applied Sciences",
                "properties": [{"pid": "country", "v": "Germany"}],
            },
        },
    )
    assert len(body["any"]["result"]) > len(body["universities"]["result"]) >= 1
    for c in body["universities"]["result"]:
        assert "university" in {t["id"] for t in c["type"]}, c
    assert body["by_ror"]["result"][0]["id"] == "umcg"
    assert body["by_ror"]["result"][0]["match"] is True
    hanze = body["hanze_city"]["result"][0]
    assert hanze["id"] == "hanzehogeschool-groningen" and hanze["match"] is True
    assert {"id": "city", "value": True} in hanze["features"]
    elsewhere = body["wrong_country"]["result"][0]
    assert elsewhere["id"] == "hanzehogeschool-groningen"
    assert elsewhere["match"] is False and elsewhere["score"] < 90
    assert {"id": "country", "value": False} in elsewhere["features"]


def test_limit_and_uncertain_matches(http: httpx.Client) -> None:
    body = reconcile(
        http,
        {
            "two": {"query": "University", "limit": 2},
            "vague": {"query": "Medical Center"},
            "typo": {"query": "Univrsity of Twente"},
        },
    )
    assert len(body["two"]["result"]) == 2
    assert not any(c["match"] for c in body["vague"]["result"])
    scores = [c["score"] for c in body["vague"]["result"]]
    assert scores == sorted(scores, reverse=True)
    assert body["typo"]["result"][0]["id"] == "university-of-twente"


def test_identifiers_as_the_query_are_exact_matches(http: httpx.Client) -> None:
    body = reconcile(
        http,
        {
            "ror": {"query": "03cv38k47"},
            "ror_url": {"query": "https://ror.org/012p63287"},
            "wikidata": {"query": "Q2057113"},
        },
    )
    assert body["ror"]["result"][0]["id"] == "umcg"
    assert body["ror_url"]["result"][0]["id"] == "university-of-groningen"
    assert body["wikidata"]["result"][0]["id"] == "umcg"
    assert all(body[q]["result"][0]["match"] for q in body)


def test_suggest_services(http: httpx.Client) -> None:
    entities = http.get("/reconcile/suggest/entity", params={"prefix": "hanze"}).json()
    validate(entities, "suggest-entities-response")
    assert entities["result"][0]["id"] == "hanzehogeschool-groningen"
    by_id = http.get("/reconcile/suggest/entity", params={"prefix": "03cv38k47"}).json()
    assert by_id["result"][0]["id"] == "umcg"
    more = http.get("/reconcile/suggest/entity", params={"prefix": "st", "cursor": 10}).json()
    first = http.get("/reconcile/suggest/entity", params={"prefix": "st"}).json()
    assert {e["id"] for e in more["result"]}.isdisjoint(e["id"] for e in first["result"])
    types = http.get("/reconcile/suggest/type", params={"prefix": "univ"}).json()
    validate(types, "suggest-types-response")
    assert {t["id"] for t in types["result"]} == {"university", "university_of_applied_sciences"}
    props = http.get("/reconcile/suggest/property", params={"prefix": "ro"}).json()
    validate(props, "suggest-properties-response")
    assert [p["id"] for p in props["result"]] == ["ror"]


def test_preview_is_a_small_html_card(http: httpx.Client) -> None:
    answer = http.get("/reconcile/preview", params={"id": "umcg"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert "University Medical Center Groningen" in answer.text
    assert "03cv38k47" in answer.text
    missing = http.get("/reconcile/preview", params={"id": "no-such-org"})
    assert missing.status_code == 404


def test_data_extension_and_property_proposals(http: httpx.Client) -> None:
    proposal = http.get("/reconcile/properties", params={"type": "university", "limit": 3}).json()
    validate(proposal, "data-extension-property-proposal")
    assert len(proposal["properties"]) == 3 and proposal["type"] == "university"
    query = {
        "ids": ["umcg", "university-of-groningen", "no-such-org"],
        "properties": [{"id": p} for p in ("ror", "pic", "kind", "helix", "place", "partners")],
    }
    validate(query, "data-extension-query")
    answer = http.post("/reconcile", data={"extend": json.dumps(query)})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    validate(body, "data-extension-response")
    assert [m["id"] for m in body["meta"]] == [p["id"] for p in query["properties"]]
    umcg = body["rows"]["umcg"]
    assert umcg["ror"] == [{"str": "03cv38k47"}]
    assert {"str": "academic_hospital"} in umcg["kind"]
    assert {"str": "academia"} in umcg["helix"]
    assert umcg["place"] == [{"str": "Groningen"}]
    assert umcg["partners"][0]["int"] >= 1
    assert body["rows"]["no-such-org"]["ror"] == []
    again = http.get("/reconcile", params={"extend": json.dumps(query)}).json()
    assert again == body


def test_cross_origin_access(http: httpx.Client) -> None:
    answer = http.get("/reconcile", headers={"Origin": "http://127.0.0.1:3333"})
    assert answer.headers.get("access-control-allow-origin") in ("*", "http://127.0.0.1:3333")


def props(pid: str, v: str | None) -> str:
    return json.dumps({"q0": {"query": "x", "properties": [{"pid": pid, "v": v}]}})


BAD: list[tuple[str, dict[str, str], str]] = [
    ("malformed JSON", {"queries": '{"q0": {"query": "x"'}, "queries: not JSON"),
    ("not an object", {"queries": '["RUG"]'}, "JSON object"),
    ("unknown type", {"queries": '{"q0": {"query": "x", "type": "castle"}}'}, "q0.type"),
    (
        "unknown property",
        {"queries": props("mayor", "y")},
        "q0.properties[0].pid",
    ),
    (
        "bad country",
        {"queries": props("country", "Atlantis")},
        "Atlantis",
    ),
    (
        "bad ror",
        {"queries": '{"q0": {"properties": [{"pid": "ror", "v": "not-a-ror"}]}}'},
        "not a ror",
    ),
    ("limit zero", {"queries": '{"q0": {"query": "x", "limit": 0}}'}, "q0.limit"),
    ("limit infinite", {"queries": '{"q0": {"query": "x", "limit": 1e400}}'}, "q0.limit"),
    ("limit NaN", {"queries": '{"q0": {"query": "x", "limit": NaN}}'}, "q0.limit"),
    ("limit fraction", {"queries": '{"q0": {"query": "x", "limit": 2.5}}'}, "q0.limit"),
    ("type a number", {"queries": '{"q0": {"query": "x", "type": 3}}'}, "q0.type"),
    ("property value null", {"queries": props("city", None)}, "q0.properties[0].v"),
    ("query is a list", {"queries": '{"q0": ["RUG"]}'}, "queries.q0"),
    ("unknown field", {"queries": '{"q0": {"query": "x", "colour": "red"}}'}, "colour"),
    ("empty query", {"queries": '{"q0": {"query": "  "}}'}, "q0"),
    ("query not a string", {"queries": '{"q0": {"query": 5}}'}, "q0.query"),
    ("extend not JSON", {"extend": "{ids"}, "extend: not JSON"),
    (
        "extend unknown property",
        {"extend": '{"ids": ["umcg"], "properties": [{"id": "mayor"}]}'},
        "mayor",
    ),
    (
        "extend id not a string",
        {"extend": '{"ids": ["umcg"], "properties": [{"id": []}]}'},
        "extend.properties",
    ),
    ("extend ids missing", {"extend": '{"properties": [{"id": "ror"}]}'}, "extend.ids"),
    ("both", {"queries": "{}", "extend": "{}"}, "not both"),
]


@pytest.mark.parametrize(("what", "form", "named"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_a_clear_400(
    http: httpx.Client, what: str, form: dict[str, str], named: str
) -> None:
    for answer in (http.post("/reconcile", data=form), http.get("/reconcile", params=form)):
        assert answer.status_code == 400, (what, answer.status_code, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert named in answer.json()["detail"], answer.json()


def test_oversized_batch_and_bad_suggest_input(http: httpx.Client) -> None:
    batch = {f"q{i}": {"query": "RUG"} for i in range(1001)}
    answer = http.post("/reconcile", data={"queries": json.dumps(batch)})
    assert answer.status_code == 400
    assert "at most 1000" in answer.json()["detail"]
    assert http.post("/reconcile").status_code == 400  # neither queries nor extend
    assert http.get("/reconcile/properties", params={"type": "castle"}).status_code == 400
    assert http.get("/reconcile/suggest/entity").status_code in (400, 422)
    long = http.get("/reconcile/suggest/entity", params={"prefix": "x" * 500})
    assert long.status_code in (400, 422)


def test_a_full_batch_is_answered(http: httpx.Client) -> None:
    names = ["RUG", "UMCG", "Hanzehogeschool Groningen", "Stichting Saxion", "TNO", "Univ. Twente"]
    batch = {f"q{i}": {"query": names[i % len(names)]} for i in range(1000)}
    body = reconcile(http, batch)
    assert len(body) == 1000
    assert body["q1"]["result"][0]["id"] == "umcg"


def test_fuzzed_requests_never_get_a_server_error(live: Server) -> None:
    """Schemathesis sends valid and invalid parameters to every /reconcile operation."""
    schema = schemathesis.openapi.from_url(live.url + "/openapi.json")
    operations = [r.ok() for r in schema.include(path_regex="^/reconcile").get_all_operations()]
    assert len(operations) == 7

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call(timeout=60)
            assert response.status_code < 500, (case.path, case.query, response.text[:300])

        check()
