"""The map routes on a live server: page, embed, data, exports, assets, errors."""

from __future__ import annotations

import io
import re

import httpx
import networkx as nx

from tests.api.resource_server import ApiServer
from tests.computing import when_ready


def get(server: ApiServer, path: str, **params: object) -> httpx.Response:
    """GET, once the view's metrics are computed (a cold view first answers 503/202)."""
    return when_ready(
        lambda: httpx.get(server.url + path, params=params, timeout=60)  # type: ignore[arg-type]
    )


def test_page_is_offline_frameable_and_has_its_controls(map_server: ApiServer) -> None:
    r = get(map_server, "/map", region="twente")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors *" in csp
    html = r.text.replace(map_server.url, "")
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert '<script src="/map/lib/vis-network.min.js">' in html
    for name in (
        "region",
        "helix",
        "kind",
        "relation",
        "min_weight",
        "start",
        "end",
        "q",
        "ego",
        "hops",
        "size",
        "color",
        "brokers",
        "reduce",
        "max_nodes",
    ):
        assert f'name="{name}"' in html
    assert 'value="twente" selected' in html
    assert "&lt;iframe src=&#34;/map/embed?region=twente&#34;" in html  # embed code, filters
    assert "/map/export/graphml?region=twente" in html


def test_assets_come_from_the_server(map_server: ApiServer) -> None:
    js = get(map_server, "/map/lib/vis-network.min.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert len(js.content) > 100_000
    assert get(map_server, "/map/lib/map.js").status_code == 200
    assert get(map_server, "/map/lib/../../etc/passwd").status_code == 404
    assert get(map_server, "/map/lib/other.js").status_code == 404


def test_data_has_nodes_edges_legend_and_sources(map_server: ApiServer) -> None:
    r = get(map_server, "/map/data")
    assert r.status_code == 200
    data = r.json()
    assert data["counts"]["nodes"] == len(data["nodes"]) > 30
    assert data["legend"]["colors"][0] == ["academia", "#3b6fb6"]
    umcg = next(n for n in data["nodes"] if n["id"].endswith("/org/umcg"))
    assert umcg["shape"] == "square" and umcg["info"]["sources"][0][0] == "s000"
    assert r.headers["etag"]
    again = httpx.get(map_server.url + "/map/data", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304


def test_reduction_is_reported(map_server: ApiServer) -> None:
    data = get(map_server, "/map/data", max_nodes=5).json()
    assert data["counts"]["nodes"] == 5 and data["reduction"]["mode"] == "top"
    page = get(map_server, "/map", max_nodes=5).text
    assert 'id="reduction"' in page and "Showing the 5 nodes highest by pagerank" in page


def test_bad_parameters_are_problems(map_server: ApiServer) -> None:
    r = get(map_server, "/map/data", hops=99)
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["loc"] == ["query", "hops"]
    r = get(map_server, "/map/data", ego="nobody")
    assert r.status_code == 422 and "nobody" in r.json()["detail"]
    page = get(map_server, "/map", ego="<script>x</script>")
    assert page.status_code == 422 and "<script>x</script>" not in page.text
    assert "&lt;script&gt;" in page.text
    assert get(map_server, "/map/export/xlsx").status_code == 404


def test_embed_and_compare(map_server: ApiServer) -> None:
    r = get(map_server, "/map", embed=1, region="twente")
    assert r.status_code == 200 and 'name="region"' not in r.text and 'id="map"' in r.text
    assert get(map_server, "/map/embed", region="twente").text == r.text
    compare = get(map_server, "/map/compare").text
    assert 'src="/map/embed?region=noord-nederland"' in compare
    assert 'src="/map/embed?region=twente"' in compare


def test_exports_download_with_the_filters(map_server: ApiServer) -> None:
    data = get(map_server, "/map/data", region="twente").json()
    shown = {n["id"] for n in data["nodes"]}
    r = get(map_server, "/map/export/graphml", region="twente")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    G = nx.read_graphml(io.BytesIO(r.content), force_multigraph=True)
    assert set(G) == shown and G.number_of_edges() == len(data["edges"])
    gexf = nx.read_gexf(io.BytesIO(get(map_server, "/map/export/gexf", region="twente").content))
    assert set(gexf) == shown
    nodes = get(map_server, "/map/export/nodes.csv", region="twente").text
    assert nodes.startswith("node,id,label") and len(nodes.strip().splitlines()) == len(shown) + 1
    html = get(map_server, "/map/export/html", region="twente").text
    assert "vis.Network" in html and "<script src=" not in html


def test_home_links_the_map(map_server: ApiServer) -> None:
    html = get(map_server, "/").text
    assert 'href="/map"' in html and 'href="/query"' in html and 'href="/docs"' in html
