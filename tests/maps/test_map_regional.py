"""The WebGL map on the regional store (seed + ROR NL + CORDIS H2020: ~4,800
organisations) in a real headless Chromium: everything drawn without reduction, no
console errors, the year range, funding links, brokers, the ego view, the PNG export and
the regions compared. Screenshots at 1400x900 and 390x844 go to ``test-artifacts/``.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api.resource_server import ApiServer
from tests.computing import when_ready
from tests.maps.conftest import Page

DRAWN = "[window.helixMap.drawn(), window.helixMap.drawnEdges()]"
ISOLATE, UNNAMED = 32, 64  # the payload's node flags (helixgraph.maps.webdata)


def linked(want: dict[str, Any]) -> int:
    """The nodes drawn at first: all but the isolates (no link in the view)."""
    count: int = want["counts"]["nodes"] - want["counts"]["isolates"]
    return count


def data(server: ApiServer, **params: str) -> dict[str, Any]:
    url = server.url + "/map/data"
    body: dict[str, Any] = when_ready(
        lambda: httpx.get(url, params=params, timeout=120), timeout=600
    ).json()
    return body


@pytest.mark.parametrize("size", [(1400, 900), (390, 844)])
def test_whole_region_is_drawn_without_errors(
    page: Page, regional_server: ApiServer, size: tuple[int, int]
) -> None:
    want = data(regional_server)
    assert want["counts"]["nodes"] > 4000 and want["reduction"].get("mode") is None
    page.page.set_viewport_size({"width": size[0], "height": size[1]})
    p = page.open(regional_server.url + "/map")
    page.screenshot(f"map-regional-{size[0]}")
    assert p.evaluate(DRAWN) == [linked(want), want["counts"]["edges"]]
    assert p.evaluate("window.helixMap.graph.order") == len(want["nodes"]["id"])
    assert page.errors == []


def test_year_range_changes_what_is_drawn(page: Page, regional_server: ApiServer) -> None:
    want = data(regional_server)
    first, last = want["years"]
    assert last > first
    p = page.open(regional_server.url + "/map")
    before = p.evaluate(DRAWN)
    p.fill("#year-to", str(first))  # a range input: fill sets it and fires input
    p.wait_for_function(f"() => window.helixMap.drawnEdges() < {before[1]}")
    after = p.evaluate(DRAWN)
    page.screenshot("map-regional-first-year")
    # a node is drawn from its first year on (or always, when no tie of it is dated); a
    # link when it is of the range (or undated) and both its ends are drawn
    seen = [
        (y is None or y <= first) and not f & ISOLATE
        for y, f in zip(want["nodes"]["year"], want["nodes"]["flag"], strict=True)
    ]
    edges = want["edges"]
    links = zip(edges["s"], edges["t"], edges["year"], strict=True)
    assert after[0] == sum(seen) < before[0]
    assert after[1] == sum(
        1 for s, t, y in links if (y is None or y == first) and seen[s] and seen[t]
    )
    assert f"years={first}-{first}" in p.evaluate("location.hash")
    p.click("#play")  # grows year by year back to the whole network
    p.wait_for_function(f"() => window.helixMap.drawnEdges() === {before[1]}", timeout=20_000)
    assert page.errors == []


def test_funding_view_draws_its_links_and_summary(page: Page, regional_server: ApiServer) -> None:
    want = data(regional_server, relation="funding", size="strength")
    assert want["counts"]["edges"] > 3000
    p = page.open(regional_server.url + "/map?relation=funding&size=strength")
    page.screenshot("map-regional-funding")
    assert p.evaluate(DRAWN) == [linked(want), want["counts"]["edges"]]
    summary = p.inner_text("#flows")
    assert "European Commission" in summary and "By recipient helix" in summary
    assert page.errors == []


def test_brokers_panel_highlights_them(page: Page, regional_server: ApiServer) -> None:
    p = page.open(regional_server.url + "/map")
    items = p.locator("#brokers li")
    assert items.count() >= 10
    assert "University of Groningen" in p.inner_text("#brokers")
    p.click("#brokers-toggle")
    highlighted = p.evaluate(
        """() => { const m = window.helixMap;
          return m.graph.filterNodes((n) => m.renderer.getNodeDisplayData(n).highlighted).length; }"""
    )
    page.screenshot("map-regional-brokers")
    assert highlighted == items.count()
    assert page.errors == []


def test_ego_view_of_a_hub_is_ranked_around_it(page: Page, regional_server: ApiServer) -> None:
    want = data(regional_server, ego="umcg")
    p = page.open(regional_server.url + "/map?ego=umcg")
    page.screenshot("map-regional-ego-umcg")
    assert p.evaluate(DRAWN)[0] == want["counts"]["nodes"] > 500
    assert want["counts"]["isolates"] == 0  # an ego's partners are all tied to it
    first = p.inner_text("#neighbours-list li:first-child")
    top = want["neighbours"][0]
    assert want["nodes"]["label"][top["i"]] in first
    assert "University Medical Center Groningen" in p.inner_text("#panel")
    assert page.errors == []


def test_png_of_the_current_view(page: Page, regional_server: ApiServer) -> None:
    data(regional_server)  # the view is computed (alone, this test would wait on it)
    p = page.open(regional_server.url + "/map")
    size = p.evaluate("window.helixMap.png()")
    assert size > 20_000
    # labelled as on screen (its own labels layer)
    shown = sorted(b["label"] for b in p.evaluate("window.helixMap.labels()"))
    exported = sorted(b["label"] for b in p.evaluate("window.helixMap.exportedLabels()"))
    assert len(exported) >= 3 and exported == shown
    with p.expect_download() as download:
        p.click("#png")
    assert download.value.suggested_filename == "helixgraph-map.png"
    assert page.errors == []


def _overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_compare_shows_both_regions_with_figures(page: Page, regional_server: ApiServer) -> None:
    url = regional_server.url + "/map/compare"
    when_ready(lambda: httpx.get(url, timeout=120), timeout=600)
    p = page.page
    p.goto(url)
    for frame in p.frames[1:]:
        frame.wait_for_selector("html[data-map-ready=true]", timeout=60_000)
    page.screenshot("map-regional-compare")
    names = p.locator(".hx-region h2").all_inner_texts()
    assert names == ["Northern Netherlands", "Twente"]
    figures = p.locator(".hx-figures").all_inner_texts()
    assert len(figures) == 2 and all("T(UIG) synergy" in f and "density" in f for f in figures)
    assert p.locator(".hx-region .hx-list li").count() >= 2  # top brokers of each
    for frame in p.frames[1:]:
        legend = frame.locator("#legend").bounding_box()
        # no node is drawn under the legend: it lies outside the drawing
        assert not _overlaps(legend, frame.locator("#map").bounding_box())
    assert page.errors == []
