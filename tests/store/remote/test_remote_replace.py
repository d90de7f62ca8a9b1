"""A large graph the server holds is changed by its difference, not re-sent whole (a
``PUT`` over a large graph deletes every old triple in one server transaction)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from helixgraph import store as hstore
from helixgraph.store import remote
from helixgraph.store.remote import writes
from tests.remote_store import OxigraphServer

EX = "http://example.org/"
G = ox.NamedNode(EX + "big")
P = ox.NamedNode(EX + "p")


def quads(numbers: range, graph: ox.NamedNode = G) -> list[ox.Quad]:
    return [ox.Quad(ox.NamedNode(f"{EX}n{i}"), P, ox.Literal(str(i)), graph) for i in numbers]


@pytest.fixture
def path(server: OxigraphServer, tmp_path: Path) -> Path:
    path = server.config.write(tmp_path / "store")
    with hstore.replacing(path) as st:
        st.extend(quads(range(0, 100)))
    return path


def requests(path: Path) -> list[str]:
    """``METHOD path`` of every request the process sends to the store at ``path``, and
    the graph of a Graph Store request on the test's graph."""
    config = hstore.remote_config(path)
    assert config is not None
    seen: list[str] = []

    gsp = httpx.URL(config.gsp_url or "").path

    def hook(request: httpx.Request) -> None:
        on_g = request.url.params.get("graph") == G.value
        # by role, as Oxigraph's paths (Virtuoso answers queries and updates at one path)
        role = "/store" if request.url.path == gsp else "/query"
        if request.method == "POST" and request.content.startswith(b"update="):
            role = "/update"
        seen.append(f"{request.method} {role}" + (" big" if on_g else ""))

    remote.client_for(config).event_hooks["request"].append(hook)
    return seen


def held(path: Path) -> set[str]:
    st = hstore.open_store(path)
    return {str(q) for q in st.quads_for_pattern(None, None, None, G)}


def replace(path: Path, new: list[ox.Quad]) -> None:
    with hstore.replacing(path) as st:
        st.extend(new)


@pytest.mark.parametrize("atomic", [True, False])
def test_a_large_graph_is_changed_by_its_difference(
    path: Path, monkeypatch: pytest.MonkeyPatch, atomic: bool
) -> None:
    monkeypatch.setattr(writes, "DIFF_FROM", 50)
    monkeypatch.setattr(writes, "ATOMIC", 1000 if atomic else 0)
    monkeypatch.setattr(writes, "BATCH", 7)
    monkeypatch.setattr(writes, "ADD_BATCH", 20)
    new = quads(range(10, 130))  # 10 removed, 30 added
    sent = requests(path)
    replace(path, new)
    assert held(path) == {str(q) for q in new}
    assert "PUT /store big" not in sent and "GET /store big" in sent
    if atomic:
        # one update for the difference, one to refresh the merged default graph
        assert "POST /store big" not in sent and sent.count("POST /update") == 2
    else:  # 10 deletions in batches of 7, then 30 additions in batches of 20, the merge
        assert sent.count("POST /store big") == 2 and sent.count("POST /update") == 3


def test_a_small_graph_is_put_whole(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writes, "DIFF_FROM", 1000)
    sent = requests(path)
    replace(path, quads(range(10, 130)))
    assert "GET /store big" not in sent and "PUT /store big" in sent
    assert len(held(path)) == 120


def test_blank_nodes_are_put_whole(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writes, "DIFF_FROM", 50)
    blank = ox.Quad(ox.BlankNode("b"), P, ox.Literal("x"), G)
    replace(path, [*quads(range(0, 100)), blank])
    assert len(held(path)) == 101
    replace(path, [*quads(range(5, 100)), blank])  # the server holds a blank node now
    assert len(held(path)) == 96
    one = 'SELECT ?b WHERE { GRAPH ?g { ?b <http://example.org/p> "x" } }'
    assert len(list(hstore.open_store(path).query(one))) == 1  # not duplicated


def test_no_change_sends_nothing(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writes, "DIFF_FROM", 50)
    sent = requests(path)
    replace(path, quads(range(0, 100)))
    # the only update refreshes the merged default graph (and finds nothing to change)
    assert "GET /store big" in sent and sent.count("POST /update") == 1
    assert not any(r.endswith(" big") and not r.startswith("GET") for r in sent)
    assert len(held(path)) == 100
