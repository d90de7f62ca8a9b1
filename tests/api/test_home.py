"""The landing page on a live server over the seed data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.resource_server import ApiServer, start


@pytest.fixture(scope="module")
def seed_server(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    proc, url = start(seed_store, tmp_path_factory.mktemp("home") / "server.log")
    try:
        yield ApiServer(url, seed_store)
    finally:
        proc.kill()
        proc.wait(timeout=30)


def test_home_links_and_headline_figures(seed_server: ApiServer) -> None:
    r = httpx.get(seed_server.url + "/", timeout=30)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    for href in ("/map", "/query", "/sparql", "/docs", "/api/organisations"):
        assert f'href="{href}"' in html
    assert "http://" not in html.replace(seed_server.url, "") and "https://" not in html
    orgs = httpx.get(
        seed_server.url + "/api/organisations", params={"limit": 1}, timeout=30
    ).json()["total"]
    assert re.search(rf'id="organisations"><b>{orgs:,}</b>', html)
    sources = httpx.get(seed_server.url + "/api/sources", params={"limit": 1}, timeout=30).json()[
        "total"
    ]
    assert re.search(rf'id="sources"><b>{sources:,}</b>', html)
    # the Open Diagnostics Ecosysteem's €2.1 million is the only award with a stated amount
    assert 'title="2,100,000 EUR">€2.1M</b>' in html
    assert re.search(r"<td>academia</td><td>\d+</td>", html)


def test_large_responses_are_gzipped_for_clients_that_accept_it(seed_server: ApiServer) -> None:
    url = seed_server.url + "/api/organisations"
    gz = httpx.get(url, params={"limit": 50}, headers={"Accept-Encoding": "gzip"}, timeout=30)
    plain = httpx.get(
        url, params={"limit": 50}, headers={"Accept-Encoding": "identity"}, timeout=30
    )
    assert gz.headers.get("content-encoding") == "gzip"
    assert "content-encoding" not in plain.headers
    assert gz.json() == plain.json()
    assert int(gz.headers["content-length"]) < len(plain.content) / 2


def test_big_figures_are_short_and_grouped() -> None:
    """The regional store's EUR 6,559,519,000 fits its card (it ran past it unshortened)."""
    from helixgraph_api.templating import money, templates

    assert money("6559519000.0", "EUR") == "€6.56bn"
    assert money(1234.0, "CHF") == "1,234 CHF"
    assert templates.env.filters["count"](8535) == "8,535"
