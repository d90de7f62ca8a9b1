"""The pages in a real headless Chromium (Debian's, through Playwright) over the default
build (the regional store, as ``helixgraph serve`` gives it): an organisation page, the
query page (a completion appears; a query without PREFIX lines runs; nothing is fetched
from another site), the ontology page and the landing page, at 1400x900 and 390x844, with
no layout overlap, no horizontal overflow and no console
error. Screenshots go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest

from tests.api.conftest import Server, start_server, stop_server
from tests.processes import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SIZES = {"desktop": (1400, 900), "phone": (390, 844)}

# boxes of the blocks of a page (its main's children, figures, cards, header items) that
# overlap another of the same group
OVERLAPS = """() => {
  const groups = [
    [...document.querySelectorAll('main > *')],
    [...document.querySelectorAll('.figure')],
    [...document.querySelectorAll('.card')],
    [...document.querySelectorAll('.site-header > *, .site-header nav > a')],
    [...document.querySelectorAll('dl.facts > dt, dl.facts > dd')],
  ];
  const out = [];
  for (const group of groups) {
    const boxes = group.map((e) => [e, e.getBoundingClientRect()])
      .filter(([e, r]) => r.width > 0 && r.height > 0);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, r] = boxes[i], [b, s] = boxes[j];
      if (a.contains(b) || b.contains(a)) continue;
      const x = Math.min(r.right, s.right) - Math.max(r.left, s.left);
      const y = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
      if (x > 1 && y > 1) out.push(a.tagName + '.' + a.className + ' / ' + b.tagName + '.' + b.className);
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
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
    """A page that records console errors, page errors and requests."""

    def __init__(self, browser: Any, size: str):
        width, height = SIZES[size]
        self.size = size
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def open(self, url: str) -> Any:
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def check_layout(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}-{self.size}.png"))
        assert self.page.evaluate(OVERLAPS) == []
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= SIZES[self.size][0], f"the page is {width} px wide"
        assert self.errors == []

    def external(self, server: Server) -> list[str]:
        host = urlparse(server.url).netloc
        return [
            u for u in self.requests if not u.startswith("data:") and urlparse(u).netloc != host
        ]


@pytest.fixture(scope="module")
def site(regional_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A read-only server over the default build: thousands of organisations."""
    live = start_server(regional_store, tmp_path_factory.mktemp("pages") / "server.log")
    yield live
    stop_server(live)


@pytest.fixture(params=list(SIZES))
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Page]:
    p = Page(browser, request.param)
    try:
        yield p
    finally:
        p.page.close()


def test_organisation_page(page: Page, site: Server) -> None:
    p = page.open(site.url + "/id/org/umcg")
    assert p.text_content("#entity-label") == "University Medical Center Groningen"
    assert p.locator("#identifiers a[href='https://ror.org/03cv38k47']").count() == 1
    page.check_layout("organisation-umcg")
    assert page.external(site) == []


def test_an_unnamed_participant_says_so(site: Server) -> None:
    """A CORDIS participant no source names (labelled by its PIC) says so on its page."""
    query = (
        "SELECT ?o WHERE { ?o a hx:Organisation ; skos:prefLabel ?l "
        'FILTER(REGEX(STR(?l), "^PIC [0-9]{9}$")) } LIMIT 1'
    )
    found = httpx.get(
        site.url + "/sparql", params={"query": query}, headers={"Accept": "text/csv"}, timeout=60
    )
    iri = found.text.split()[1]
    html = {"Accept": "text/html"}
    r = httpx.get(site.url + "/id/org/" + iri.rsplit("/", 1)[1], headers=html, timeout=60)
    assert r.status_code == 200 and 'id="unnamed"' in r.text
    assert "No name stated by its sources" in r.text
    umcg = httpx.get(site.url + "/id/org/umcg", headers=html, timeout=60)
    assert umcg.status_code == 200 and 'id="unnamed"' not in umcg.text


def test_landing_page(page: Page, site: Server) -> None:
    p = page.open(site.url + "/")
    assert p.locator("#explore .card").count() >= 5
    # the figures sit side by side on a wide screen (the old page stacked them)
    if page.size == "desktop":
        tops = {round(b["y"]) for b in (e.bounding_box() for e in p.query_selector_all(".figure"))}
        assert len(tops) == 1, tops
    page.check_layout("landing")


def test_ontology_page(page: Page, site: Server) -> None:
    p = page.open(site.url + "/ontology")
    assert p.locator("#classes-table tr#Organisation").count() == 1
    page.check_layout("ontology")


def test_query_page_completes_and_runs_a_query_without_prefix_lines(
    page: Page, site: Server
) -> None:
    p = page.open(site.url + "/query")
    p.wait_for_selector("html[data-query-ready=true]", timeout=30_000)
    p.evaluate(
        "() => { const y = window.helixgraph.yasqe; y.setValue('SELECT ?o ?name WHERE {\\n  ?o a ');"
        " y.focus(); y.setCursor({line: 1, ch: 7}); }"
    )
    p.keyboard.type("hx:Organ", delay=50)
    p.wait_for_selector(".CodeMirror-hints", timeout=10_000)
    assert "hx:Organisation" in (p.text_content(".CodeMirror-hints") or "")
    ARTIFACTS.mkdir(exist_ok=True)
    p.screenshot(path=str(ARTIFACTS / f"query-completion-{page.size}.png"))
    p.keyboard.press("Enter")  # takes the completion
    p.keyboard.type(" ; skos:prefLabel ?name }")
    text = p.evaluate("window.helixgraph.yasqe.getValue()")
    assert "PREFIX" not in text and "hx:Organisation" in text
    p.click("#run")
    p.wait_for_function(
        "document.querySelector('#status').textContent.includes('result')", timeout=30_000
    )
    rows = p.locator("#yasr tbody tr").count()
    assert rows > 0, p.text_content("#status")
    # entity IRIs in the table open the local page
    first = p.locator("#yasr tbody tr a").first.get_attribute("href") or ""
    assert first.startswith("/id/org/"), first
    page.check_layout("query")
    assert page.external(site) == []


def test_query_page_shareable_link(browser: Any, site: Server) -> None:
    page = Page(browser, "desktop")
    p = page.open(
        site.url + "/query?query=" + "ASK%20%7B%20hxorg%3Aumcg%20hx%3Aror%20%3Fr%20%7D"
    )
    p.wait_for_function(
        "document.querySelector('#status').textContent.includes(' s')", timeout=30_000
    )
    assert "Error" not in (p.text_content("#status") or "")
    assert "Answer: yes" in (p.text_content("#status") or "")
    p.click("#share")
    assert "query=ASK" in (p.get_attribute("#share-link", "href") or "")
    assert page.errors == []
    p.close()


def test_query_page_charts_a_count(browser: Any, site: Server) -> None:
    page = Page(browser, "desktop")
    p = page.open(site.url + "/query")
    p.wait_for_selector("html[data-query-ready=true]", timeout=30_000)
    p.click("button.example >> text=Cross-helix links")
    p.wait_for_function(
        "document.querySelector('#status').textContent.includes('result')", timeout=30_000
    )
    rows = p.locator("#yasr tbody tr").count()
    p.click(".yasr_btn.select_chart")
    p.wait_for_selector(".hx-bar", timeout=10_000)
    assert p.locator(".hx-bar").count() == rows > 0
    assert "academia" in (p.text_content(".hx-chart") or "")
    ARTIFACTS.mkdir(exist_ok=True)
    p.screenshot(path=str(ARTIFACTS / "query-chart-desktop.png"))
    assert page.errors == []
    p.close()
