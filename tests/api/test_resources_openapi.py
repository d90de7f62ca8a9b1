"""The OpenAPI description: every resource route documented with schemas and examples."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api.resource_server import ApiServer, api_server  # noqa: F401

RESOURCES = ["organisations", "people", "initiatives", "awards", "regions", "sources"]


@pytest.fixture(scope="module")
def spec(api_server: ApiServer) -> dict[str, Any]:  # noqa: F811
    data: dict[str, Any] = httpx.get(api_server.url + "/openapi.json").json()
    return data


@pytest.mark.parametrize("name", RESOURCES)
def test_list_and_record_are_documented(spec: dict[str, Any], name: str) -> None:
    assert spec["openapi"].startswith("3.")
    listing = spec["paths"][f"/api/{name}"]["get"]
    record = spec["paths"][f"/api/{name}/{{id}}"]["get"]
    for op, codes in ((listing, {"200", "422"}), (record, {"200", "404", "422"})):
        assert codes <= set(op["responses"])
        ok = op["responses"]["200"]["content"]
        assert "$ref" in ok["application/json"]["schema"] and "application/ld+json" in ok
        for code in codes - {"200"}:
            problem = op["responses"][code]["content"]["application/problem+json"]["schema"]
            assert problem["$ref"].endswith("/Problem")
    params = {p["name"] for p in listing["parameters"]}
    assert {"limit", "offset", "sort", "fields"} <= params


def test_schemas_carry_examples(spec: dict[str, Any]) -> None:
    props = spec["components"]["schemas"]["Organisation"]["properties"]
    assert props["id"]["examples"] and props["names"]["examples"]
    assert spec["components"]["schemas"]["Problem"]["properties"]["status"]["examples"] == [404]
