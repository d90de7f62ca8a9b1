"""Map payload size and render time with thousands of organisations (synthetic ecosystem).

For each ecosystem size, build the map view on an in-memory store of
``sparql_endpoint.synthetic_trig`` and report: server time (projection + metrics, cold),
nodes/links sent, JSON payload size, and the time headless Chromium (Debian's, through
Playwright) takes from loading a standalone map to the end of layout (physics stopped).
Reductions: ``top`` (300 most central), ``communities`` (super-nodes) and none.

    python benchmarks/map_size.py [--sizes 1000 3000] [--no-browser]

Prints a Markdown table. A benchmark, not a test: no time limits.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).parent))
from sparql_endpoint import synthetic_trig  # noqa: E402

from helixgraph.maps import MapOptions, build_view  # noqa: E402
from helixgraph.maps.base import bases  # noqa: E402
from helixgraph.maps.render import payload, standalone_html  # noqa: E402
from tests.processes import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

MODES = (
    ("top 300", {"max_nodes": 300}),
    ("communities", {"max_nodes": 300, "reduce": "communities"}),
    ("none", {"max_nodes": 0, "max_edges": 0}),
)


def render_seconds(html: str, timeout: float) -> float | None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        path = Path(tmp) / "map.html"
        path.write_text(html, encoding="utf-8")
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        start = time.perf_counter()
        page.goto(path.as_uri())
        try:
            page.wait_for_selector("html[data-map-ready=true]", timeout=timeout * 1000)
            return time.perf_counter() - start
        except PlaywrightTimeout:
            return None
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000])
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--timeout", type=float, default=180)
    args = parser.parse_args(argv)
    print(
        "| organisations | reduction | server s (cold / warm) | nodes | links | payload KB | render s |"
    )
    print("|---|---|---|---|---|---|---|")
    for n in args.sizes:
        store = ox.Store()
        store.load(synthetic_trig(n, n * 3 // 4).encode(), format=ox.RdfFormat.TRIG)
        for name, params in MODES:
            options = MapOptions.from_params([(k, str(v)) for k, v in params.items()])
            bases._bases.clear()
            t0 = time.perf_counter()
            view = build_view(store, options)
            data = payload(view)
            cold = time.perf_counter() - t0
            t0 = time.perf_counter()
            payload(build_view(store, options))
            warm = time.perf_counter() - t0
            size = len(json.dumps(data).encode()) / 1024
            render = "-"
            if not args.no_browser:
                s = render_seconds(standalone_html(view), args.timeout)
                render = f"{s:.1f}" if s is not None else f">{args.timeout:.0f}"
            print(
                f"| {n:,} | {name} | {cold:.1f} / {warm:.2f} | {data['counts']['nodes']:,} | "
                f"{data['counts']['edges']:,} | {size:,.0f} | {render} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
