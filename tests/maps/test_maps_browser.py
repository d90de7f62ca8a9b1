"""The map in a real headless Chromium (Debian's, through Playwright).

Each test writes a screenshot to ``test-artifacts/``. The browser is never skipped: without
``/usr/bin/chromium`` the ``browser`` fixture fails.
"""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import urlparse

import httpx
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.api.resource_server import ApiServer
from tests.computing import when_ready
from tests.maps.conftest import HOSTILE, Page

UMCG = "https://w3id.org/helixgraph/id/org/umcg"

# nodes whose centre pixel on the canvas is painted (not transparent)
DRAWN = """() => {
  const m = window.helixMap, canvas = document.querySelector('#map canvas');
  m.network.redraw();  // synchronous: a resize (e.g. a full-page screenshot) clears the canvas
  const ctx = canvas.getContext('2d'), ratio = canvas.width / canvas.clientWidth;
  const pos = m.network.getPositions();
  let drawn = 0;
  for (const id of Object.keys(pos)) {
    const p = m.network.canvasToDOM(pos[id]);
    const px = ctx.getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1).data;
    if (px[3] > 0 && p.x >= 0 && p.y >= 0 && p.x <= canvas.clientWidth && p.y <= canvas.clientHeight) drawn++;
  }
  return drawn;
}"""


def drawn(page: Any, want: int) -> int:
    """Nodes painted on the canvas, polled until ``want`` or 10 s (a resize repaints a frame later)."""
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(f"() => ({DRAWN})() === {want}", timeout=10_000)
    count: int = page.evaluate(DRAWN)
    return count


def view_state(page: Any) -> str:
    """What the map's view looks like (for a failure message): canvas size, scale, nodes."""
    state: str = page.evaluate(
        """() => { const n = window.helixMap.network, c = document.querySelector('#map canvas');
          return JSON.stringify({canvas: [c.width, c.height, c.clientWidth, c.clientHeight],
            scale: n.getScale(), view: n.getViewPosition(),
            nodes: Object.values(n.getPositions()).slice(0, 10)}); }"""
    )
    return state


def expected(server: ApiServer, **params: str) -> dict[str, Any]:
    url = server.url + "/map/data"
    data: dict[str, Any] = when_ready(lambda: httpx.get(url, params=params, timeout=60)).json()
    return data


def node_point(page: Any, node: str) -> tuple[float, float]:
    """Where a node is on the page (CSS pixels)."""
    p = page.evaluate(
        """(id) => { const n = window.helixMap.network;
          const d = n.canvasToDOM(n.getPositions([id])[id]);
          const r = document.querySelector('#map canvas').getBoundingClientRect();
          return [r.left + d.x, r.top + d.y]; }""",
        node,
    )
    return float(p[0]), float(p[1])


def same_origin(page: Page, server: ApiServer) -> list[str]:
    host = urlparse(server.url).netloc
    return [u for u in page.requests if not u.startswith("data:") and urlparse(u).netloc != host]


def test_map_loads_without_errors_and_draws_every_node(page: Page, map_server: ApiServer) -> None:
    want = expected(map_server)
    p = page.open(map_server.url + "/map")
    assert drawn(p, len(want["nodes"])) == len(want["nodes"]), view_state(p)
    page.screenshot("map-default")
    # the full-page screenshot resizes the viewport: the map is refitted, not zoomed in
    assert drawn(p, len(want["nodes"])) == len(want["nodes"]), view_state(p)
    assert page.errors == []
    assert same_origin(page, map_server) == []  # offline: nothing from a CDN
    assert p.evaluate("document.documentElement.dataset.mapNodes") == str(len(want["nodes"]))
    assert p.evaluate("document.documentElement.dataset.mapEdges") == str(len(want["edges"]))
    legend = p.inner_text("#legend")
    assert "academia" in legend and "funding" in legend


def test_region_filter_changes_what_is_shown(page: Page, map_server: ApiServer) -> None:
    p = page.open(map_server.url + "/map")
    before = int(p.evaluate("document.documentElement.dataset.mapNodes"))
    p.select_option("select[name=region]", "twente")
    with p.expect_navigation():
        p.click("#apply")
    p.wait_for_selector("html[data-map-ready=true]", timeout=60_000)
    assert "region=twente" in p.url  # the view's permalink
    shown = int(p.evaluate("document.documentElement.dataset.mapNodes"))
    assert shown == len(expected(map_server, region="twente")["nodes"]) < before
    assert drawn(p, shown) == shown, view_state(p)
    page.screenshot("map-region-twente")
    assert drawn(p, shown) == shown, view_state(p)  # and after the screenshot's resize
    assert page.errors == []


def test_double_click_opens_the_ego_view(page: Page, map_server: ApiServer) -> None:
    p = page.open(map_server.url + "/map")
    x, y = node_point(p, UMCG)
    with p.expect_navigation():
        p.mouse.dblclick(x, y)
    p.wait_for_selector("html[data-map-ready=true]", timeout=60_000)
    page.screenshot("map-ego-umcg")
    assert "ego=umcg" in p.url
    want = expected(map_server, ego="umcg", hops="1")
    assert int(p.evaluate("document.documentElement.dataset.mapNodes")) == len(want["nodes"])
    assert len(want["nodes"]) < len(expected(map_server)["nodes"])
    assert "ego network of" in p.inner_text("#status")
    assert page.errors == []


def test_tooltip_shows_the_sources(page: Page, map_server: ApiServer) -> None:
    p = page.open(map_server.url + "/map?ego=umcg")
    x, y = node_point(p, UMCG)
    p.mouse.move(x, y)
    tip = p.wait_for_selector("div.vis-tooltip >> text=Sources", timeout=10_000)
    assert tip is not None
    text = p.inner_text("div.vis-tooltip")
    page.screenshot("map-tooltip-umcg")
    assert "University Medical Center Groningen" in text
    assert "s000" in text and "pagerank" in text


def test_labels_from_the_data_stay_text(page: Page, hostile_server: ApiServer) -> None:
    p = page.open(hostile_server.url + "/map")
    x, y = node_point(p, "https://w3id.org/helixgraph/id/org/uni")
    p.mouse.move(x, y)
    p.wait_for_selector("div.vis-tooltip >> text=Sources", timeout=10_000)
    page.screenshot("map-hostile-label")
    assert HOSTILE in p.inner_text("div.vis-tooltip")
    assert p.evaluate("window.pwned === undefined")
    assert p.evaluate("document.querySelectorAll('img[src=x]').length") == 0
    assert page.errors == []


def test_embedded_map_draws_inside_an_iframe(page: Page, map_server: ApiServer) -> None:
    want = expected(map_server, region="twente")
    p = page.page
    p.goto(map_server.url + "/map/compare?left=twente&right=noord-nederland")
    frame = p.frames[1]
    frame.wait_for_selector("html[data-map-ready=true]", timeout=60_000)
    page.screenshot("map-compare")
    assert frame.evaluate("document.documentElement.dataset.mapNodes") == str(len(want["nodes"]))
    assert page.errors == []


# the view's scale, and the scale a fresh fit gives (the fit is undone: the view is kept)
FIT_GAP = """() => { const n = window.helixMap.network, scale = n.getScale(), view = n.getViewPosition();
  n.fit(); const fitted = n.getScale();
  n.moveTo({scale: scale, position: view}); return [scale, fitted]; }"""


def test_a_window_resize_refits_the_map(page: Page, map_server: ApiServer) -> None:
    """vis-network rescales the view on a resize by the change of canvas size, after the
    map's own handler ran; a change of shape (or a tiny intermediate size) then left the
    view zoomed far in or out. Until the user pans or zooms, a resize refits the map."""
    want = len(expected(map_server)["nodes"])
    p = page.open(map_server.url + "/map")
    for width, height in [(1400, 300), (500, 1000), (1400, 120), (1400, 1000), (900, 2400)]:
        p.set_viewport_size({"width": width, "height": height})
        p.wait_for_function(
            f"() => document.querySelector('#map canvas').clientWidth < {width}", timeout=10_000
        )
        p.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        scale, fitted = p.evaluate(FIT_GAP)
        assert abs(scale - fitted) <= 0.01 * fitted, (width, height, view_state(p))
        assert drawn(p, want) == want, (width, height, view_state(p))
    assert page.errors == []


def test_a_view_being_computed_says_so_and_draws_when_ready(
    page: Page, map_server: ApiServer
) -> None:
    """A view no one asked for yet: the page answers at once (202, Retry-After) that its
    metrics are being computed, reloads itself, and then draws the map."""
    url = map_server.url + "/map?helix=industry&start=2011&color=community"
    response = page.page.goto(url)
    assert response is not None and response.status == 202
    assert int(response.headers["retry-after"]) >= 1
    assert "being computed" in page.page.inner_text("#computing")
    p = page.page  # the page reloads itself until the metrics are there
    p.wait_for_selector("html[data-map-ready=true]", timeout=60_000)
    want = expected(map_server, helix="industry", start="2011", color="community")
    assert int(p.evaluate("document.documentElement.dataset.mapNodes")) == len(want["nodes"])
    assert p.query_selector("#computing") is None
    assert page.errors == []
