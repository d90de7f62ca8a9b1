"""The WebGL map reads well on the default (regional) store, in a real headless Chromium:
the isolates are left out of the first drawing (counted, drawn when asked, found by
search) so the linked network fills the canvas; labels never overlap, on the compare
page or the whole map; nodes their sources name only by an identifier (CORDIS
participants known by their PIC alone) get no label at the first paint and a panel that
says what the sources do state. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import re
from itertools import combinations
from typing import Any

import httpx
import pytest

from tests.api.resource_server import ApiServer
from tests.computing import when_ready
from tests.maps.conftest import Page
from tests.maps.test_map_regional import DRAWN, ISOLATE, UNNAMED, data, linked

# The labels on screen, each checked against sigma's own geometry: its node's position
# and drawn size, the text measured in the label font; a label sits right of its node,
# else left of it, else (a forced one) pushed inside the canvas.
LABEL_BOXES = """() => {
  const m = window.helixMap, r = m.renderer, size = r.getSetting("labelSize");
  const ctx = document.createElement("canvas").getContext("2d");
  ctx.font = `${r.getSetting("labelWeight")} ${size}px ${r.getSetting("labelFont")}`;
  const { width, height } = r.getDimensions();
  return m.labels().map((b) => {
    const d = r.getNodeDisplayData(b.key), v = r.framedGraphToViewport(d), s = r.scaleSize(d.size);
    const w = ctx.measureText(d.label).width, right = v.x + s + 3;
    return { key: +b.key, text: b.label, label: d.label, x: b.x, y: v.y - size * 0.8, w,
             h: size * 1.2, width, height, forced: d.forceLabel,
             sides: [right, v.x - s - 3 - w, Math.min(Math.max(0, right), Math.max(0, width - w))] };
  });
}"""

# how much of the canvas the drawn nodes span, across and down (0..1)
SPAN = """() => {
  const m = window.helixMap, r = m.renderer, { width, height } = r.getDimensions();
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  m.graph.forEachNode((n, a) => {
    if (r.getNodeDisplayData(n).hidden) return;
    const v = r.graphToViewport(a);
    x0 = Math.min(x0, v.x); x1 = Math.max(x1, v.x); y0 = Math.min(y0, v.y); y1 = Math.max(y1, v.y);
  });
  return [(x1 - x0) / width, (y1 - y0) / height];
}"""


def check_labels(frame: Any, minimum: int = 3) -> list[dict[str, Any]]:
    """The labels drawn are where sigma puts their nodes, inside the canvas, none over
    another; returns them."""
    boxes: list[dict[str, Any]] = frame.evaluate(LABEL_BOXES)
    assert len(boxes) >= minimum
    for b in boxes:
        assert b["text"] == b["label"]
        assert any(abs(b["x"] - x) < 0.5 for x in b["sides"]), b
        assert b["x"] >= -0.5 and b["x"] + b["w"] <= b["width"] + 0.5, b
        assert b["y"] >= -0.5 and b["y"] + b["h"] <= b["height"] + 0.5, b
    for a, b in combinations(boxes, 2):
        apart = (
            a["x"] + a["w"] <= b["x"]
            or b["x"] + b["w"] <= a["x"]
            or a["y"] + a["h"] <= b["y"]
            or b["y"] + b["h"] <= a["y"]
        )
        assert apart, (a["label"], b["label"])
    return boxes


def test_isolates_are_left_out_until_asked_and_search_finds_them(
    page: Page, regional_server: ApiServer
) -> None:
    want = data(regional_server)
    flags, labels = want["nodes"]["flag"], want["nodes"]["label"]
    isolates = [i for i, f in enumerate(flags) if f & ISOLATE]
    assert len(isolates) == want["counts"]["isolates"] > 100
    edges = want["edges"]
    assert not set(isolates) & (set(edges["s"]) | set(edges["t"]))  # no link of theirs
    # on a thin ring just outside the unit disc the linked nodes are spread over
    radius = [
        (x * x + y * y) ** 0.5 for x, y in zip(want["nodes"]["x"], want["nodes"]["y"], strict=True)
    ]
    assert all(1000 < radius[i] < 1200 for i in isolates)

    p = page.open(regional_server.url + "/map")
    page.screenshot("map-regional-isolates-hidden")
    assert p.evaluate(DRAWN)[0] == linked(want)
    assert f"{len(isolates):,} isolates" in p.inner_text("#isolates-note")
    across, down = p.evaluate(SPAN)
    assert min(across, down) > 0.8  # the linked network fills the canvas (the grid took a third)

    # search finds an isolate and draws it, alone of them
    target = next(i for i in isolates if labels.count(labels[i]) == 1 and len(labels[i]) > 6)
    p.fill("#search", labels[target])
    p.press("#search", "Enter")
    p.wait_for_selector("#panel-body >> text=none in this view", timeout=10_000)
    assert labels[target] in p.inner_text("#panel-body h2")
    assert not p.evaluate(f"window.helixMap.renderer.getNodeDisplayData('{target}').hidden")
    assert p.evaluate(DRAWN)[0] == linked(want) + 1

    p.click("#panel-close")
    p.click("#isolates-toggle")
    p.wait_for_function(f"() => window.helixMap.drawn() === {want['counts']['nodes']}")
    page.screenshot("map-regional-isolates-shown")
    assert "isolates=1" in p.evaluate("location.hash")
    assert p.get_attribute("#isolates-toggle", "aria-pressed") == "true"
    assert p.evaluate(SPAN)[0] > 0.85  # the ring is drawn, inside the canvas
    p.click("#isolates-toggle")
    p.wait_for_function(f"() => window.helixMap.drawn() === {linked(want)}")
    assert page.errors == []


def test_a_permalink_keeps_the_isolates_shown(page: Page, regional_server: ApiServer) -> None:
    want = data(regional_server)
    p = page.open(regional_server.url + "/map#isolates=1")
    assert p.evaluate(DRAWN)[0] == want["counts"]["nodes"]
    assert page.errors == []


@pytest.mark.parametrize("size", [(1400, 900), (390, 844)])
def test_compare_labels_never_overlap(
    page: Page, regional_server: ApiServer, size: tuple[int, int]
) -> None:
    url = regional_server.url + "/map/compare"
    when_ready(lambda: httpx.get(url, timeout=120), timeout=600)
    p = page.page
    p.set_viewport_size({"width": size[0], "height": size[1]})
    p.goto(url)
    frames = p.frames[1:]
    assert len(frames) == 2
    for frame in frames:
        frame.wait_for_selector("html[data-map-ready=true]", timeout=60_000)
    page.screenshot(f"map-regional-compare-labels-{size[0]}")
    for frame in frames:
        boxes = check_labels(frame, minimum=2)
        # the most central named organisation is among them
        payload = frame.evaluate("window.helixMap.data.nodes")
        named = [i for i, f in enumerate(payload["flag"]) if not f & (UNNAMED | ISOLATE)]
        top = max(named, key=lambda i: payload["size"][i])
        assert top in {b["key"] for b in boxes}
    assert page.errors == []


def test_whole_map_labels_never_overlap(page: Page, regional_server: ApiServer) -> None:
    data(regional_server)
    p = page.open(regional_server.url + "/map")
    check_labels(p)
    p.evaluate("window.helixMap.renderer.getCamera().setState({ ratio: 0.3 })")
    p.wait_for_timeout(300)
    page.screenshot("map-regional-zoomed-labels")
    assert len(check_labels(p)) > 8  # zoomed in: more labels, still apart
    assert page.errors == []


def test_no_label_under_the_side_panel(page: Page, regional_server: ApiServer) -> None:
    """The ego view opens its centre's panel over the drawing: labels go elsewhere."""
    data(regional_server, ego="umcg")
    p = page.open(regional_server.url + "/map?ego=umcg")
    page.screenshot("map-regional-ego-labels")
    panel, stage = p.locator("#panel").bounding_box(), p.locator("#map").bounding_box()
    over = {"x": panel["x"] - stage["x"], "y": panel["y"] - stage["y"]}
    over |= {"w": panel["width"], "h": panel["height"]}
    boxes = [b for b in check_labels(p) if not b["forced"]]
    assert boxes
    for b in boxes:
        assert (
            b["x"] + b["w"] <= over["x"]
            or over["x"] + over["w"] <= b["x"]
            or b["y"] + b["h"] <= over["y"]
            or over["y"] + over["h"] <= b["y"]
        ), b["label"]
    assert page.errors == []


def test_unnamed_participants_get_no_first_paint_label(
    page: Page, regional_server: ApiServer
) -> None:
    want = data(regional_server, region="noord-nederland")
    flags, sizes = want["nodes"]["flag"], want["nodes"]["size"]
    unnamed = [i for i, f in enumerate(flags) if f & UNNAMED and not f & ISOLATE]
    assert unnamed and all(want["nodes"]["label"][i].startswith("PIC ") for i in unnamed)
    p = page.open(regional_server.url + "/map/embed?region=noord-nederland")
    boxes = check_labels(p)
    shown = {b["key"] for b in boxes}
    assert not shown & set(unnamed)
    # passed over for having no name, not for being small: one is larger than a labelled node
    biggest = max(unnamed, key=lambda i: sizes[i])
    assert sizes[biggest] > min(sizes[k] for k in shown)

    # selected, it is labelled by what it is; its panel says what the sources state
    p.evaluate(f"window.helixMap.fly({biggest})")
    p.wait_for_selector("#panel-body .hx-unnamed", timeout=10_000)
    p.wait_for_selector("#panel-body a[href*='funding-tenders']", timeout=10_000)
    page.screenshot("map-regional-unnamed-panel")
    pic = want["nodes"]["label"][biggest].removeprefix("PIC ")
    link = p.locator("#panel-body a[href*='funding-tenders']")
    assert link.inner_text() == pic and pic in (link.get_attribute("href") or "")
    text = p.inner_text("#panel-body")
    assert "No name stated" in text and "takes part in" in text and "helix" in text
    p.wait_for_timeout(700)  # the camera has flown to it
    labelled = {b["key"]: b["label"] for b in check_labels(p, minimum=1)}
    kind = want["categories"][want["nodes"]["cat"][biggest]][1]
    assert labelled.get(biggest) == f"{kind} · PIC {pic}"
    assert page.errors == []


def test_unnamed_brokers_say_what_they_are(page: Page, regional_server: ApiServer) -> None:
    """Listed (compare figures, the brokers panel), a participant named by no source
    says what it is and that no name is stated, beside its PIC."""
    url = regional_server.url + "/map/compare"
    html = when_ready(lambda: httpx.get(url, timeout=120), timeout=600).text
    items = re.findall(r'<li><a href="/id/org/pic-\d{9}">PIC \d{9}</a>(.*?)</li>', html)
    assert items and all("no name stated)" in i for i in items)
    data(regional_server, region="noord-nederland")
    p = page.open(regional_server.url + "/map?region=noord-nederland")
    names = p.locator("#brokers li button").all_inner_texts()
    pics = [n for n in names if re.search(r"PIC \d{9}", n)]
    assert pics and all(re.fullmatch(r"[a-z ,]+ · PIC \d{9}", n) for n in pics)
    assert page.errors == []
