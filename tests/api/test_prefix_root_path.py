"""``helixgraph serve --root-path`` without a proxy: the option's checks, and a server over
the seed store with uvicorn's root path set (requests arrive as a proxy that strips
``/observatory`` passes them) whose pages, scripts' root, JSON links and docs all start
with the prefix. Quick, and needs no nginx; tests/api/test_prefix_nginx.py runs the same
site behind a real nginx with Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helixgraph.cli.main import app
from helixgraph.cli.serve import check_root_path
from tests.api.conftest import Server, start_server, stop_server
from tests.computing import when_ready

PREFIX = "/observatory"
HTML = {"Accept": "text/html"}
runner = CliRunner()


@pytest.mark.parametrize(
    ("given", "root"),
    [("", ""), ("/", ""), ("/observatory", "/observatory"), ("/observatory/", "/observatory"),
     ("/a/b-c_d.e~f", "/a/b-c_d.e~f")],
)  # fmt: skip
def test_root_path_is_normalised(given: str, root: str) -> None:
    assert check_root_path(given) == root


@pytest.mark.parametrize(
    "bad",
    ["observatory", "/obs ervatory", '/x"><script>', "/a//b", "/..", "/a/./b", "//evil.example"],
)
def test_serve_refuses_a_root_path_that_is_not_a_plain_path(bad: str, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["serve", "--no-build", "--store", str(tmp_path / "none"), "--root-path", bad]
    )
    assert result.exit_code != 0
    assert "--root-path" in result.stderr and "/observatory" in result.stderr


@pytest.fixture(scope="module")
def prefixed(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("prefixed") / "server.log"
    live = start_server(seed_store, log, UVICORN_ROOT_PATH=PREFIX)  # uvicorn's --root-path
    yield live
    stop_server(live)


def links(html: str) -> list[str]:
    found = re.findall(r'(?:href|src|action)="([^"]*)"', html)
    return [u for u in found if not u.startswith(("#", "http:", "https:", "data:"))]


@pytest.mark.parametrize(
    "path",
    ["/", "/id/org/umcg", "/ontology", "/query", "/id/org/nope", "/map", "/map/embed",
     "/map/compare"],
)  # fmt: skip
def test_pages_link_under_the_root_path(prefixed: Server, path: str) -> None:
    with prefixed.client() as client:  # (a map page once its view is computed)
        r = when_ready(lambda: client.get(path, headers=HTML), timeout=600)
    assert r.status_code == (404 if path.endswith("nope") else 200)
    assert f'<html lang="en" data-root="{PREFIX}">' in r.text  # the scripts' root
    found = links(r.text)
    assert found and [u for u in found if not u.startswith(PREFIX + "/")] == []


def test_json_links_docs_and_openapi_under_the_root_path(prefixed: Server) -> None:
    with prefixed.client() as client:
        body = client.get("/api/organisations", params={"limit": 3}).json()
        assert all(i["href"] == f"{PREFIX}/api/organisations/{i['id']}" for i in body["items"])
        assert body["links"]["next"].startswith(f"{prefixed.url}{PREFIX}/api/organisations?")
        ld = client.get("/api/organisations/umcg", headers={"Accept": "application/ld+json"})
        assert ld.json()["@context"][0] == f"{prefixed.url}{PREFIX}/api/context.jsonld"
        docs = client.get("/docs").text
        assert f'url: "{PREFIX}/openapi.json"' in docs
        assert [u for u in links(docs) if not u.startswith(PREFIX + "/docs/assets/")] == []
        assert client.get("/openapi.json").json()["servers"] == [{"url": PREFIX}]


def test_without_a_root_path_links_start_at_the_host_root(seed_server: Server) -> None:
    with seed_server.client() as client:
        html = client.get("/", headers=HTML).text
    assert '<html lang="en" data-root="">' in html and 'href="/map"' in html
