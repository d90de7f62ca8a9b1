"""The WebGL map (sigma.js) on the seed store in a real headless Chromium (Debian's,
through Playwright). Each test writes a screenshot to ``test-artifacts/``; the browser
is never skipped: without ``/usr/bin/chromium`` the ``browser`` fixture fails.
The regional store's browser tests are in ``test_map_regional.py``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import httpx

from tests.api.resource_server import ApiServer
from tests.computing import when_ready
from tests.maps.conftest import HOSTILE, Page

# what sigma draws: nodes and links not hidden by the reducers (year range, focus)
DRAWN = "[window.helixMap.drawn(), window.helixMap.drawnEdges()]"


def expected(server: ApiServer, **params: str) -> dict[str, Any]:
    url = server.url + "/map/data"
    data: dict[str, Any] = when_ready(lambda: httpx.get(url, params=params, timeout=60)).json()
    return data


def linked(want: dict[str, Any]) -> int:
    """The nodes drawn at first: all but the isolates (no link in the view)."""
    count: int = want["counts"]["nodes"] - want["counts"]["isolates"]
    return count


def same_origin(page: Page, server: ApiServer) -> list[str]:
    host = urlparse(server.url).netloc
    return [u for u in page.requests if not u.startswith("data:") and urlparse(u).netloc != host]


def label_size(p: Any) -> float:
    """The label font size (CSS px) at the default zoom: sigma's labelSize setting, as
    labels are drawn at that size whatever the zoom."""
    size: float = p.evaluate("window.helixMap.renderer.getSetting('labelSize')")
    return size


def test_seed_map_fits_the_first_screen_with_readable_labels(
    page: Page, map_server: ApiServer
) -> None:
    want = expected(map_server)
    p = page.open(map_server.url + "/map")
    page.screenshot("map-seed-1400")
    assert p.evaluate(DRAWN) == [linked(want), want["counts"]["edges"]]
    box = p.locator("#map").bounding_box()
    assert box["y"] + box["height"] <= 900 + 100  # the drawing is on the first screen
    assert label_size(p) >= 11
    # the year range only when the view has dated ties; the PNG button always
    assert p.is_visible("#play") == (want["years"] is not None)
    assert p.is_visible("#png")
    # every node drawn inside the canvas at the default camera
    outside = p.evaluate(
        """() => { const r = window.helixMap.renderer, c = r.getContainer();
          return window.helixMap.graph.filterNodes((n) => {
            if (r.getNodeDisplayData(n).hidden) return false;
            const v = r.graphToViewport(window.helixMap.graph.getNodeAttributes(n));
            return v.x < 0 || v.y < 0 || v.x > c.clientWidth || v.y > c.clientHeight; }).length; }"""
    )
    assert outside == 0
    assert same_origin(page, map_server) == []
    assert page.errors == []


def test_phone_width_keeps_the_map_first(page: Page, map_server: ApiServer) -> None:
    page.page.set_viewport_size({"width": 390, "height": 844})
    p = page.open(map_server.url + "/map")
    page.screenshot("map-seed-390")
    box = p.locator("#map").bounding_box()
    assert box["width"] <= 390 and box["y"] < 400
    assert p.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.errors == []


def test_search_flies_to_an_organisation_and_opens_its_panel(
    page: Page, map_server: ApiServer
) -> None:
    p = page.open(map_server.url + "/map")
    p.fill("#search", "UMCG")
    p.press("#search", "Enter")
    p.wait_for_selector("#panel-body >> text=In this network", timeout=10_000)
    p.wait_for_selector("#panel-body >> text=s000", timeout=10_000)
    page.screenshot("map-seed-panel-umcg")
    text = p.inner_text("#panel")
    assert "University Medical Center Groningen" in text
    assert "pagerank" in text and "brokerage roles" in text
    assert p.get_attribute("#panel a[href^='/api/organisations/']", "href") == (
        "/api/organisations/umcg"
    )
    assert "node=umcg" in p.evaluate("location.hash")
    ratio = p.evaluate("window.helixMap.renderer.getCamera().ratio")
    assert ratio < 0.5  # zoomed in on it
    assert page.errors == []


def test_labels_from_the_data_stay_text(page: Page, hostile_server: ApiServer) -> None:
    expected(hostile_server)  # the view's centralities are there: the panel's metrics answer
    p = page.open(hostile_server.url + "/map")
    index = p.evaluate(f"window.helixMap.data.nodes.label.indexOf({HOSTILE!r})")
    assert index >= 0
    p.evaluate(f"window.helixMap.fly({index})")
    p.wait_for_selector("#panel-body h2", timeout=10_000)
    page.screenshot("map-hostile-label")
    assert HOSTILE in p.inner_text("#panel-body h2")
    assert p.evaluate("window.pwned === undefined")
    assert p.evaluate("document.querySelectorAll('img[src=x]').length") == 0
    assert page.errors == []


def test_embed_fills_its_iframe(page: Page, map_server: ApiServer) -> None:
    """The embed view inside an iframe (the compare page frames two): the map fills the
    frame, the legend is a strip below the drawing, nothing scrolls."""
    p = page.page
    url = map_server.url + "/map/compare?left=twente&right=noord-nederland"
    when_ready(lambda: httpx.get(url, timeout=60))  # the compare page's figures computed
    p.goto(url)
    frame = p.frames[1]
    frame.wait_for_selector("html[data-map-ready=true]", timeout=60_000)
    page.screenshot("map-embed-iframe")
    want = expected(map_server, region="twente")
    assert frame.evaluate(DRAWN)[0] == linked(want)
    height = p.locator("iframe").first.bounding_box()["height"]
    assert frame.evaluate("document.documentElement.scrollHeight") <= height
    map_box, legend = frame.locator("#map").bounding_box(), frame.locator("#legend").bounding_box()
    assert legend["y"] >= map_box["y"] + map_box["height"] - 1  # below the drawing
    assert page.errors == []


def test_a_view_being_computed_says_so_and_draws_when_ready(
    page: Page, map_server: ApiServer
) -> None:
    """A view no one asked for yet: the page answers at once (202, Retry-After) that it
    is being computed, reloads itself, and then draws the map."""
    url = map_server.url + "/map?helix=industry&start=2011&color=community"
    response = page.page.goto(url)
    assert response is not None and response.status == 202
    assert int(response.headers["retry-after"]) >= 1
    assert "being computed" in page.page.inner_text("#computing")
    p = page.page  # the page reloads itself until the view is there
    p.wait_for_selector("html[data-map-ready=true]", timeout=60_000)
    want = expected(map_server, helix="industry", start="2011", color="community")
    assert p.evaluate(DRAWN)[0] == linked(want)
    assert p.query_selector("#computing") is None
    assert page.errors == []
