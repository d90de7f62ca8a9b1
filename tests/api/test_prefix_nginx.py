"""The site under a path behind a real nginx (Debian's package), as docs/deployment.md
tells an IT department to run it: ``helixgraph serve --root-path /observatory`` over the
default build (the regional store), nginx started by the test as an unprivileged process
with the location block read from docs/deployment.md, and a headless Chromium walking the
landing page -> an organisation page -> the map (its data, a node's side panel) -> the
query page (the first example) by the pages' own links. Every response the browser saw is
< 400 and no request left ``/observatory/``; every link, asset, form and frame of the pages
starts with it, and so do the JSON API's links, the OpenAPI document and the docs page.

Without nginx the test is skipped on a developer's machine and fails in CI (``CI`` set):
``.ci/run`` installs it.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import httpx
import pytest

from tests.computing import when_ready
from tests.processes import CHROMIUM, CHROMIUM_ARGS, free_port, stop, wait_answering

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "deployment.md"
ARTIFACTS = ROOT / "test-artifacts"
PREFIX = "/observatory"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DOCUMENTED_UPSTREAM = "127.0.0.1:8000"
HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}  # a browser's
STARTUP = 300  # s: the regional store's name index is built at startup (a minute on a busy machine)

# every URL-valued attribute of a page, as written (not resolved)
URLS = """() => [...document.querySelectorAll(
  'a[href], link[href], script[src], img[src], iframe[src], form[action]')]
  .map((e) => e.getAttribute(e.tagName === 'FORM' ? 'action' : e.hasAttribute('href') ? 'href' : 'src'))"""


def documented_location() -> str:
    """The nginx block of docs/deployment.md, the one this test runs."""
    found = re.search(r"```nginx\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert found, f"{DOC} has no ```nginx block"
    block = found.group(1)
    assert DOCUMENTED_UPSTREAM in block and f"location {PREFIX}/" in block
    return block


def nginx_config(folder: Path, port: int, upstream: int) -> str:
    location = documented_location().replace(DOCUMENTED_UPSTREAM, f"127.0.0.1:{upstream}")
    user = pwd.getpwuid(os.getuid()).pw_name
    group = grp.getgrgid(os.getgid()).gr_name
    return f"""
# as root, the workers keep the test's user (otherwise the directive is ignored)
user {user} {group};
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location / {{ return 404; }}  # only the prefix is the site
{location}
    }}
}}
"""


@dataclass
class Site:
    url: str  # http://127.0.0.1:PORT/observatory (no trailing slash)
    origin: str  # http://127.0.0.1:PORT
    log: Path
    proxy_log: Path

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.get(self.url + path, timeout=120, **kwargs)

    def page(self, path: str) -> httpx.Response:
        """The page at ``path`` as a browser asks for it (after its views are computed)."""
        return when_ready(lambda: self.get(path, headers=HTML), timeout=600)


def nginx_available() -> None:
    if Path(NGINX).is_file():
        return
    message = f"nginx not found ({NGINX}): apt-get install nginx"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must run this test: .ci/run installs it)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def site(regional_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """``helixgraph serve --root-path /observatory`` over the default build, behind nginx."""
    nginx_available()
    tmp = tmp_path_factory.mktemp("prefix")
    upstream, port = free_port(), free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("HELIXGRAPH_")}
    environ.update(HELIXGRAPH_NO_PRECOMPUTE="1", HELIXGRAPH_QUERY_WORKERS="2")
    environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src")])
    log = tmp / "server.log"
    command = [
        sys.executable, "-m", "helixgraph", "serve", "--no-build", "--store", str(regional_store),
        "--host", "127.0.0.1", "--port", str(upstream), "--root-path", PREFIX,
    ]  # fmt: skip
    with log.open("wb") as out:
        server = subprocess.Popen(command, env=environ, stdout=out, stderr=subprocess.STDOUT)
    proxy = None
    try:
        wait_answering(
            server, f"http://127.0.0.1:{upstream}/healthz", "the server", log=log, timeout=STARTUP
        )
        folder = tmp / "nginx"
        folder.mkdir()
        config = folder / "nginx.conf"
        config.write_text(nginx_config(folder, port, upstream), encoding="utf-8")
        proxy_log = folder / "error.log"
        with (folder / "stderr.log").open("wb") as out:
            proxy = subprocess.Popen(
                [NGINX, "-p", str(folder), "-c", str(config), "-e", str(proxy_log)],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        origin = f"http://127.0.0.1:{port}"
        wait_answering(proxy, f"{origin}{PREFIX}/healthz", "nginx", log=folder / "stderr.log")
        yield Site(origin + PREFIX, origin, log, proxy_log)
    finally:
        if proxy is not None:
            stop(proxy)
        stop(server)


def local(urls: list[str]) -> list[str]:
    """Those of ``urls`` that name a path on this host (not another site, not a fragment)."""
    return [u for u in urls if u and not u.startswith(("#", "http:", "https:", "data:", "mailto:"))]


def outside(urls: list[str]) -> list[str]:
    """Links on this host that leave the prefix (relative ones are resolved as the browser does)."""
    return [u for u in local(urls) if not u.startswith(PREFIX + "/")]


# -- HTTP through nginx: links in pages and JSON ------------------------------------------


def test_the_bare_prefix_redirects_and_nothing_answers_outside_it(site: Site) -> None:
    r = httpx.get(site.url, timeout=30)
    assert r.status_code == 301 and r.headers["location"].endswith(PREFIX + "/")
    assert httpx.get(site.origin + "/map", timeout=30).status_code == 404
    assert site.get("/healthz").json() == {"status": "ok"}
    ready = site.get("/readyz")  # the default views are computed on first use here: 503 or 200
    assert ready.status_code in (200, 503) and ready.json()["store"] == "open"


@pytest.mark.parametrize(
    "path", ["/", "/id/org/umcg", "/ontology", "/query", "/map/compare", "/id/org/no-such-org"]
)
def test_pages_link_only_under_the_prefix(site: Site, path: str) -> None:
    r = site.page(path)
    assert r.status_code == (404 if "no-such" in path else 200), r.text[:300]
    urls = re.findall(r'(?:href|src|action)="([^"]*)"', r.text)
    assert local(urls), f"{path}: no local links"
    assert outside(urls) == [], path
    assert f'data-root="{PREFIX}"' in r.text


def test_every_link_of_the_landing_and_organisation_pages_answers(site: Site) -> None:
    """No broken link: each distinct local target of the two pages (at most 8 per kind of
    target, e.g. /id/org/…, so the organisation's hundreds of partners stay quick)."""
    targets: dict[str, None] = {}
    for page in ("/", "/id/org/umcg"):
        html = site.page(page).text
        for url in local(re.findall(r'(?:href|src)="([^"]*)"', html)):
            targets[urljoin(site.url + page, url.replace("&amp;", "&"))] = None
    per_kind: dict[str, int] = {}
    broken = []
    for url in targets:
        path = urlparse(url).path
        kind = "/".join(path.split("/")[:4])
        per_kind[kind] = per_kind.get(kind, 0) + 1
        if per_kind[kind] > 8:
            continue
        r = when_ready(lambda url=url: httpx.get(url, headers=HTML, timeout=120), timeout=600)
        if r.status_code >= 400:
            broken.append((url, r.status_code))
    assert sum(min(n, 8) for n in per_kind.values()) > 20
    # the regional extracts' sources link their datasets' pages (id/source/ror …)
    assert broken == []


def test_json_api_links_are_under_the_prefix(site: Site) -> None:
    body = site.get("/api/organisations", params={"limit": 2}).json()
    assert body["links"]["next"].startswith(site.url + "/api/organisations?")
    assert body["links"]["self"].startswith(site.url + "/api/organisations")
    for item in body["items"]:
        assert item["href"] == f"{PREFIX}/api/organisations/{item['id']}"
        assert httpx.get(site.origin + item["href"], timeout=60).status_code == 200
    record = site.get("/api/organisations/umcg").text
    hrefs = re.findall(r'"href": ?"([^"]*)"', record)
    assert len(hrefs) > 5 and all(h.startswith(PREFIX + "/api/") for h in hrefs)
    ld = site.get("/api/organisations/umcg", headers={"Accept": "application/ld+json"}).json()
    context = ld["@context"][0] if isinstance(ld["@context"], list) else ld["@context"]
    assert context == site.url + "/api/context.jsonld"
    assert httpx.get(context, timeout=30).status_code == 200
    missing = site.get("/api/organisations/no-such-org").json()
    assert missing["instance"] == PREFIX + "/api/organisations/no-such-org"


def test_docs_page_and_openapi_document_under_the_prefix(site: Site) -> None:
    html = site.get("/docs").text
    urls = re.findall(r'(?:href|src)="([^"]*)"', html) + re.findall(r'url: "([^"]*)"', html)
    assert f"{PREFIX}/openapi.json" in urls and outside(urls) == []
    for url in local(urls):
        assert httpx.get(site.origin + url, timeout=30).status_code == 200, url
    spec = site.get("/openapi.json").json()
    assert spec["servers"] == [{"url": PREFIX}]  # Swagger's "try it out" calls go there


def test_entity_link_headers_and_map_exports_under_the_prefix(site: Site) -> None:
    r = site.get("/id/org/umcg", params={"format": "turtle"})
    assert r.status_code == 200
    links = re.findall(r"<([^>]*)>", r.headers["link"])
    assert links and all(u.startswith(PREFIX + "/id/org/umcg?format=") for u in links)
    page = site.page("/map").text
    exports = re.findall(r'class="hx-export" href="([^"]*)"', page)
    assert exports and outside(exports) == []
    permalink = re.search(r'id="permalink" readonly value="([^"]*)"', page)
    assert permalink and permalink.group(1).startswith(site.url + "/map")


# -- Chromium walks the site through nginx -------------------------------------------------


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


class Walk:
    """A page that records every request, every response's status and console errors."""

    def __init__(self, browser: Any, site: Site):
        self.site = site
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.requests: list[str] = []
        self.responses: list[tuple[str, int]] = []
        self.errors: list[str] = []
        self.links: dict[str, list[str]] = {}  # page -> its URL-valued attributes
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("response", lambda r: self.responses.append((r.url, r.status)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def arrived(self, name: str, path: str) -> Any:
        p = self.page
        p.wait_for_load_state("networkidle")
        assert urlparse(p.url).path == PREFIX + path, p.url
        self.links[name] = p.evaluate(URLS)
        ARTIFACTS.mkdir(exist_ok=True)
        p.screenshot(path=str(ARTIFACTS / f"prefix-{name}-desktop.png"))
        return p


def test_chromium_walks_the_site_under_the_prefix(browser: Any, site: Site) -> None:
    # the whole map's centralities are computed once, in the server's workers (the page
    # the browser gets is then complete: it does not reload itself mid-walk)
    assert when_ready(lambda: site.get("/map/data"), timeout=600).status_code == 200
    assert site.page("/map").status_code == 200
    walk = Walk(browser, site)
    p = walk.page
    try:
        p.goto(site.url + "/")
        p = walk.arrived("landing", "/")
        p.click(f"a[href='{PREFIX}/id/org/umcg']")  # the landing page's example organisation
        p = walk.arrived("organisation", "/id/org/umcg")
        assert p.text_content("#entity-label") == "University Medical Center Groningen"
        p.click(".site-header nav >> text=Map")
        p.wait_for_selector("html[data-map-ready=true]", state="attached", timeout=120_000)
        p = walk.arrived("map", "/map")
        # a node's side panel: its record and its metrics from the JSON API
        umcg = p.evaluate("window.helixMap.data.nodes.id.indexOf('umcg')")
        assert umcg >= 0
        p.evaluate(f"window.helixMap.fly({umcg})")
        p.wait_for_function(
            "() => !document.querySelector('#panel .hx-facts').textContent.includes('loading')"
            " && document.querySelector('#panel .hx-measures table')",
            timeout=60_000,
        )
        assert "UMCG" in (p.text_content("#panel .hx-facts") or "")
        walk.links["map-panel"] = p.eval_on_selector_all(
            "#panel a", "(as) => as.map((a) => a.getAttribute('href'))"
        )
        p = walk.arrived("map", "/map")
        p.click(".hx-top >> text=helixgraph")
        p = walk.arrived("landing-again", "/")
        p.click(".site-header nav >> text=Query")
        p.wait_for_selector("html[data-query-ready=true]", state="attached", timeout=60_000)
        p.click("button.example >> nth=0")
        p.wait_for_function(
            "() => document.querySelector('#status').textContent.includes(' s')", timeout=60_000
        )
        status = p.text_content("#status") or ""
        assert "result" in status and "Error" not in status, status
        p = walk.arrived("query", "/query")
        # the graph's IRIs in the results open their pages under the prefix
        results = p.eval_on_selector_all(
            "#yasr tbody a", "(as) => as.map((a) => a.getAttribute('href'))"
        )
        assert any(u.startswith(PREFIX + "/id/org/") for u in results), results
        walk.links["query-results"] = results
        p.click(f"#yasr tbody a[href^='{PREFIX}/id/org/'] >> nth=0")
        p.wait_for_load_state("networkidle")
        assert p.text_content("#entity-label")
    finally:
        walk.page.close()
    assert [(u, s) for u, s in walk.responses if s >= 400] == []
    assert [u for u in walk.requests if not u.startswith(site.url + "/")] == []
    assert {name: outside(urls) for name, urls in walk.links.items()} == {
        name: [] for name in walk.links
    }
    assert walk.errors == []
    seen = {urlparse(u).path for u, _ in walk.responses}
    for asset in (
        "/static/favicon.svg",  # (headless Chromium asks for no favicon.ico)
        "/static/site.css",
        "/static/bundles/map.js",
        "/static/bundles/query.js",
        "/query/terms",
        "/api/organisations/umcg",
        "/map/node/umcg",
        "/sparql",
    ):
        assert PREFIX + asset in seen, asset
