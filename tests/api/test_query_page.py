"""The query page works offline: no CDN, no external URL fetched by the page."""

from __future__ import annotations

import re

from tests.api.conftest import Server

EXTERNAL = re.compile(
    r"""(src|href|action)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//|@import"""
)


def test_page_and_assets_fetch_nothing_external(server: Server) -> None:
    with server.client() as client:
        page = client.get("/query")
        assert page.status_code == 200
        assert not EXTERNAL.search(page.text)
        assets = re.findall(r"""(?:src|href)="([^"]+)\"""", page.text)
        assert "static/query.js" in assets and "static/query.css" in assets
        for asset in assets:
            r = client.get("/" + asset)
            assert r.status_code == 200, asset
            assert "http://" not in r.text and "https://" not in r.text, asset


def test_page_lists_examples_and_download_formats(server: Server) -> None:
    with server.client() as client:
        page = client.get("/query").text
    assert page.count('class="example"') >= 12
    for fmt in ("json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml"):
        assert f'data-format="{fmt}"' in page
    assert "Partners of an organisation" in page and "Funding by funder" in page
