"""The query page works offline: no CDN, no external URL in the page; the YASGUI bundle
is served from here (that it fetches nothing from another site when used is checked in a
real browser: tests/api/test_pages_browser.py)."""

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
        assets = re.findall(r"""(?:src|href)="([^"#]+)\"""", page.text)
        assert "/static/bundles/query.js" in assets and "/static/bundles/query.css" in assets
        assert "/static/query.css" in assets
        for asset in assets:
            r = client.get("/" + asset.lstrip("/"))
            assert r.status_code == 200, asset
        # the page's own stylesheet names no other site (YASGUI's bundle holds URLs in
        # strings -- its bundled prefix list, the LOV and prefix.cc code this page disables)
        css = client.get("/static/query.css").text
        assert "http://" not in css and "https://" not in css
        bundle_css = client.get("/static/bundles/query.css").text
        assert not re.search(r"url\(\s*[\"']?(https?:)?//", bundle_css)


def test_page_lists_examples_and_download_formats(server: Server) -> None:
    with server.client() as client:
        page = client.get("/query").text
    assert page.count('class="example"') >= 12
    for fmt in ("json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml"):
        assert f'data-format="{fmt}"' in page
    assert "Partners of an organisation" in page and "Funding by funder" in page
