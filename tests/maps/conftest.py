"""Fixtures for the map tests: live servers over the seed data and a hostile-label store,
and a real headless Chromium driven by Playwright.

Chromium is Debian's (``apt-get install chromium``), never Playwright's download; without
it the browser tests fail (they are not skipped).
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.resource_server import ApiServer, start
from tests.processes import CHROMIUM, CHROMIUM_ARGS, stop
from tests.remote_store import store_path

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini_data"
ARTIFACTS = ROOT / "test-artifacts"
HOSTILE = '<img src=x onerror="window.pwned=1">Evil & Co "quoted"'


def _serve(store: Path, log: Path) -> Iterator[ApiServer]:
    proc, url = start(store, log)
    try:
        yield ApiServer(url, store)
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def map_server(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """uvicorn on a free loopback port over a store built from the seed data."""
    yield from _serve(seed_store, tmp_path_factory.mktemp("map-server") / "server.log")


@pytest.fixture(scope="session")
def regional_server(
    regional_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiServer]:
    yield from _serve(regional_store, tmp_path_factory.mktemp("regional-server") / "server.log")


@pytest.fixture(scope="session")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini fixture with an organisation whose name is markup."""
    from helixgraph.ingest.build import build

    tmp = tmp_path_factory.mktemp("hostile")
    data = tmp / "data"
    shutil.copytree(MINI, data)
    path = data / "organisations.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[0]["name_en"] = HOSTILE
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    store = store_path(tmp / "store")
    build(data, store_path=store)
    return store


@pytest.fixture(scope="session")
def hostile_server(
    hostile_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiServer]:
    yield from _serve(hostile_store, tmp_path_factory.mktemp("hostile-server") / "server.log")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, through Playwright (fails loudly when missing)."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Page:
    """A browser page that records console errors, page errors and every request."""

    def __init__(self, browser: Any):
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def open(self, url: str, timeout: float = 60_000) -> Any:
        """Go to ``url`` and wait until the map is drawn (a view being computed answers
        202 and reloads itself until it is there)."""
        self.page.goto(url)
        self.page.wait_for_selector("html[data-map-ready=true]", timeout=timeout)
        return self.page

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def page(browser: Any) -> Iterator[Page]:
    p = Page(browser)
    try:
        yield p
    finally:
        p.page.close()
