"""The WebGL map in real Chromium: navigation -> drawn, payload size, pan/zoom frame rate.

Serves each store given (``helixgraph serve`` on a free loopback port), waits until the
view's metrics are computed (the analytics workers; the first ``/map/data`` answers 503),
then for each view opens ``/map`` in Debian's headless Chromium through Playwright and reports:

- drawn: from navigation start to the ``map-drawn`` mark (the first frame sigma.js drew,
  all nodes and links of the payload), as the page's own ``performance`` timeline says;
- nodes and links drawn (sigma's display data after the reducers);
- the ``/map/data`` payload, raw and gzipped as the server sends it;
- pan/zoom: frames per second sigma renders while the mouse drags and zooms for 3 s.

    python benchmarks/map_browser.py --store /path/regional/store [--seed /path/seed/store]
        [--shots test-artifacts]

Prints a Markdown table. A benchmark, not a test: no time limits.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.processes import CHROMIUM, CHROMIUM_ARGS, free_port, stop  # noqa: E402

VIEWS = (
    ("regional, whole", ""),
    ("regional, 2,000 nodes", "?max_nodes=2000"),
    ("funding flows", "?relation=funding&size=strength"),
    ("UMCG, depth 2", "?ego=umcg&hops=2"),
)
FPS = """async () => {
  window.__frames = 0;
  const r = window.helixMap.renderer;
  r.on("afterRender", () => window.__frames++);
}"""


def pan_zoom_fps(page: Any) -> float:
    """Frames sigma renders per second while the mouse drags the map and the wheel zooms
    (real input events, 3 s), as a user pans and zooms."""
    page.evaluate(FPS)
    box = page.locator("#map").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    start = time.perf_counter()
    page.mouse.move(cx, cy)
    page.mouse.down()
    step = 0
    while time.perf_counter() - start < 3:
        step += 1
        page.mouse.move(cx + 120 * math.sin(step / 8), cy + 80 * math.cos(step / 8))
        if step % 10 == 0:
            page.mouse.wheel(0, -120 if step % 20 else 120)
    page.mouse.up()
    frames: int = page.evaluate("window.__frames")
    return frames / (time.perf_counter() - start)


def serve(store: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    exe = Path(sys.executable).with_name("helixgraph")
    env = {**os.environ, "HELIXGRAPH_STORE": str(store)}
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return proc, f"http://127.0.0.1:{port}"


def ready(url: str, timeout: float = 600) -> httpx.Response:
    """``url`` once it answers 200 (503/202 while the view is computed)."""
    end = time.monotonic() + timeout
    while True:
        try:
            r = httpx.get(url, timeout=60, headers={"Accept-Encoding": "gzip"})
            if r.status_code == 200:
                return r
        except httpx.TransportError:
            pass
        if time.monotonic() > end:
            raise TimeoutError(url)
        time.sleep(1)


def measure(browser: Any, base: str, name: str, query: str, shots: Path | None) -> dict[str, Any]:
    data = ready(base + "/map/data" + query)
    ready(base + "/map" + query)
    gz = len(data.content) if data.headers.get("content-encoding") != "gzip" else None
    raw = len(data.content)
    with httpx.stream("GET", base + "/map/data" + query, headers={"Accept-Encoding": "gzip"}) as r:
        gz = sum(len(chunk) for chunk in r.iter_raw())
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base + "/map" + query)
    page.wait_for_selector("html[data-map-ready=true]", timeout=120_000)
    drawn_ms = page.evaluate("performance.getEntriesByName('map-drawn')[0].startTime")
    nodes, links = page.evaluate("[window.helixMap.drawn(), window.helixMap.drawnEdges()]")
    fps = pan_zoom_fps(page)
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
        page.evaluate(
            "window.helixMap.renderer.getCamera().setState({x: 0.5, y: 0.5, ratio: 1, angle: 0})"
        )
        page.wait_for_timeout(300)
        page.screenshot(path=str(shots / f"bench-{name.replace(' ', '_').replace(',', '')}.png"))
    page.close()
    return {
        "view": name,
        "nodes": nodes,
        "links": links,
        "drawn_s": drawn_ms / 1000,
        "raw_kb": raw / 1024,
        "gz_kb": gz / 1024,
        "fps": fps,
        "errors": len(errors),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="the regional store")
    parser.add_argument("--seed", type=Path, help="a store of the seed data")
    parser.add_argument("--shots", type=Path, help="write a screenshot of each view here")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    runs: list[tuple[Path, tuple[tuple[str, str], ...]]] = [(args.store, VIEWS)]
    if args.seed:
        runs.append((args.seed, (("seed", ""),)))
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for store, views in runs:
                proc, base = serve(store)
                try:
                    for name, query in views:
                        rows.append(measure(browser, base, name, query, args.shots))
                finally:
                    stop(proc)
        finally:
            browser.close()
    print(
        "| view | nodes drawn | links drawn | navigation → drawn | payload | gzipped | pan/zoom | console errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['view']} | {r['nodes']:,} | {r['links']:,} | {r['drawn_s']:.2f} s | "
            f"{r['raw_kb']:,.0f} KB | {r['gz_kb']:,.0f} KB | {r['fps']:.0f} fps | {r['errors']} |"
        )


if __name__ == "__main__":
    main()
