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
    assert '<script src="/static/bundles/map.js" defer>' in html
    assert "vis-network" not in html
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


def test_data_is_compact_columns_with_server_positions(map_server: ApiServer) -> None:
    r = get(map_server, "/map/data")
    assert r.status_code == 200
    data = r.json()
    nodes, edges = data["nodes"], data["edges"]
    assert data["counts"]["nodes"] == len(nodes["id"]) > 30
    assert all(len(column) == len(nodes["id"]) for column in nodes.values())
    assert all(len(column) == data["counts"]["edges"] for column in edges.values())
    assert data["legend"]["colors"][0] == ["academia", "#3b6fb6"]
    umcg = nodes["id"].index("umcg")
    assert nodes["label"][umcg] == "University Medical Center Groningen"
    assert nodes["abbr"][umcg] == "UMCG" and nodes["flag"][umcg] & 16  # an organisation
    # positions come from the server (integers, x1000), spread over the drawing
    assert all(isinstance(v, int) and -1600 <= v <= 1600 for v in nodes["x"] + nodes["y"])
    assert len(set(zip(nodes["x"], nodes["y"], strict=True))) == len(nodes["id"])
    assert "info" not in r.text and "<" not in r.text  # no per-node HTML
    assert data["brokers"] and data["brokers"][0]["betweenness"] > 0
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
    assert "<h2>Northern Netherlands</h2>" in compare  # names, not ids
    assert compare.count("T(UIG) synergy") == 2 and compare.count("E-I index") == 2
    assert get(map_server, "/map/compare", left="<x>").status_code == 422


def test_many_nodes_and_an_edge_cap_are_no_error(map_server: ApiServer) -> None:
    """``max_nodes=5000`` once answered 500 (the legend read a reduction's ``mode`` that an
    edge-only reduction lacks)."""
    assert get(map_server, "/map", max_nodes=5000).status_code == 200
    data = get(map_server, "/map/data", max_edges=3).json()
    assert data["counts"]["edges"] == 3 and "mode" not in data["reduction"]
    assert get(map_server, "/map", max_edges=3).status_code == 200


def test_funding_flows_survive_any_reduction(map_server: ApiServer) -> None:
    whole = get(map_server, "/map/data", relation="funding", max_nodes=0).json()
    small = get(map_server, "/map/data", relation="funding", max_nodes=1, max_edges=1).json()
    assert whole["counts"]["edges"] > 1 and whole["counts"]["nodes"] > 2
    assert small["counts"]["edges"] == whole["counts"]["edges"]
    assert small["flows"]["flows"] == whole["counts"]["edges"] and small["flows"]["total"] > 0
    # other views keep every funder whatever the reduction
    mixed = get(map_server, "/map/data", max_nodes=3).json()
    funders = {whole["edges"]["s"][j] for j in range(whole["counts"]["edges"])}
    assert {whole["nodes"]["id"][i] for i in funders} <= set(mixed["nodes"]["id"])


def test_node_metrics_for_the_side_panel(map_server: ApiServer) -> None:
    r = get(map_server, "/map/node/umcg")
    assert r.status_code == 200
    body = r.json()
    assert body["iri"].endswith("/org/umcg") and body["metrics"]["pagerank"] > 0
    assert set(body["brokerage"]) >= {"coordinator", "gatekeeper", "liaison"}
    missing = get(map_server, "/map/node/nobody")
    assert missing.status_code == 404 and "nobody" in missing.json()["detail"]


def test_ego_view_ranks_the_neighbours(map_server: ApiServer) -> None:
    data = get(map_server, "/map/data", ego="umcg", hops=2).json()
    ranked = data["neighbours"]
    assert data["nodes"]["id"][data["ego"]] == "umcg"
    assert {n["hop"] for n in ranked} == {1, 2}
    ones = [n["w"] for n in ranked if n["hop"] == 1]
    assert ones == sorted(ones, reverse=True)
    x, y = data["nodes"]["x"][data["ego"]], data["nodes"]["y"][data["ego"]]
    assert (x, y) == (0, 0)  # the centre of its rings


def test_exports_download_with_the_filters(map_server: ApiServer) -> None:
    data = get(map_server, "/map/data", region="twente").json()
    shown = set(data["nodes"]["id"])  # slugs: the last segment of each node's IRI
    r = get(map_server, "/map/export/graphml", region="twente")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    G = nx.read_graphml(io.BytesIO(r.content), force_multigraph=True)
    assert {v.rsplit("/", 1)[-1] for v in G} == shown
    assert G.number_of_edges() == data["counts"]["edges"]
    gexf = nx.read_gexf(io.BytesIO(get(map_server, "/map/export/gexf", region="twente").content))
    assert {v.rsplit("/", 1)[-1] for v in gexf} == shown
    nodes = get(map_server, "/map/export/nodes.csv", region="twente").text
    assert nodes.startswith("node,id,label")
    assert len(nodes.strip().splitlines()) == len(shown) + 1
    html = get(map_server, "/map/export/html", region="twente").text
    assert "vis.Network" in html and "<script src=" not in html


def test_home_links_the_map(map_server: ApiServer) -> None:
    html = get(map_server, "/").text
    assert 'href="/map"' in html and 'href="/query"' in html and 'href="/docs"' in html
