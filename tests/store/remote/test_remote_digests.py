"""A rebuild on a remote store sends only the graphs whose content changed: each graph's
content digest is recorded in the metadata graph when it is sent (``remote.diff.digest``)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from helixgraph import store as hstore
from helixgraph.ingest.build import build
from helixgraph.ingest.run import run_import
from helixgraph.ingest.sources import cordis
from helixgraph.ingest.toolkit import Problems
from helixgraph.store import remote
from helixgraph.store.merge import named_quads
from helixgraph.store.remote.diff import digest
from helixgraph.vocab.namespace import META_GRAPH
from tests.remote_store import OxigraphServer

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "imports"
IMPORT = "https://w3id.org/helixgraph/graph/import/cordis-h2020"
UMCG_PIC = "999914801"


def watch_puts(path: Path) -> list[str]:
    """The graphs of every Graph Store PUT the process sends to the store at ``path``."""
    config = hstore.remote_config(path)
    assert config is not None
    seen: list[str] = []

    def hook(request: httpx.Request) -> None:
        if request.method == "PUT":
            seen.append(request.url.params.get("graph", ""))

    remote.client_for(config).event_hooks["request"].append(hook)
    return seen


def graph(path: Path, iri: str) -> set[str]:
    st = hstore.open_store(path)
    return {str(q) for q in st.quads_for_pattern(None, None, None, ox.NamedNode(iri))}


@pytest.fixture
def imported(server: OxigraphServer, tmp_path: Path) -> tuple[Path, Path]:
    """The seed (without UMCG's PIC) built on the server, then the CORDIS fixture imported."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    ids = data / "identifiers.csv"
    ids.write_text("".join(x for x in ids.read_text().splitlines(True) if UMCG_PIC not in x))
    path = server.config.write(tmp_path / "store")
    build(data, store_path=path)
    run_import(cordis.read(FIXTURES / "cordis_h2020_eunets", Problems()), store_path=path)
    return data, path


def test_an_unchanged_import_is_not_sent_again(imported: tuple[Path, Path]) -> None:
    data, path = imported
    before = graph(path, IMPORT)
    puts = watch_puts(path)
    build(data, store_path=path)
    assert str(META_GRAPH) in puts  # the new build's run is recorded
    assert IMPORT not in puts
    assert graph(path, IMPORT) == before
    assert IMPORT in {g.value for g in hstore.open_store(path).named_graphs()}


def test_an_import_that_resolves_differently_is_sent(imported: tuple[Path, Path]) -> None:
    data, path = imported
    assert any(f"/org/pic-{UMCG_PIC}>" in q for q in graph(path, IMPORT))
    shutil.copy(ROOT / "data" / "identifiers.csv", data / "identifiers.csv")  # links UMCG
    puts = watch_puts(path)
    build(data, store_path=path)
    assert IMPORT in puts
    after = graph(path, IMPORT)
    assert not any(f"/org/pic-{UMCG_PIC}>" in q for q in after)
    assert any(
        "/org/umcg> <https://w3id.org/helixgraph/ontology#participatesIn>" in q for q in after
    )
    puts.clear()
    build(data, store_path=path)  # and once sent, it is unchanged again
    assert IMPORT not in puts


def test_a_graph_changed_on_the_server_is_sent(imported: tuple[Path, Path]) -> None:
    data, path = imported
    st = hstore.open_store(path)
    seed = [g.value for g in st.named_graphs() if "/graph/source/" in g.value]
    puts = watch_puts(path)
    build(data, store_path=path)
    assert seed and not set(seed) & set(puts)  # the seed did not change either
    before = graph(path, seed[0])
    st.update(
        f"DELETE {{ GRAPH <{seed[0]}> {{ ?s ?p ?o }} }} WHERE {{ SELECT ?s ?p ?o "
        f"WHERE {{ GRAPH <{seed[0]}> {{ ?s ?p ?o }} }} LIMIT 1 }}"
    )
    assert len(graph(path, seed[0])) == len(before) - 1
    puts.clear()
    build(data, store_path=path)  # the data did not change, the server did
    assert seed[0] in puts and graph(path, seed[0]) == before


def test_digests_are_recorded_in_the_metadata_graph(imported: tuple[Path, Path]) -> None:
    _, path = imported
    st = hstore.open_store(path)
    assert isinstance(st, remote.RemoteStore)
    digests = st.digests()
    graphs = {g.value for g in st.named_graphs()}
    assert set(digests) == graphs - {str(META_GRAPH)}  # one per graph, each once
    notes = graph(path, str(META_GRAPH))
    assert sum(remote.DIGEST_LABEL in q for q in notes) == len(digests)
    assert named_quads(st) == sum(len(graph(path, g)) for g in graphs)  # no graph of its own


def test_digest_ignores_order_and_sees_any_change() -> None:
    lines = [b"<http://a> <http://p> <http://b> .\n", b'<http://a> <http://p> "x" .\n']
    d, n = digest(lines)
    assert (d, n) == digest(list(reversed(lines))) and n == 2
    assert digest([lines[0], b'<http://a> <http://p> "y" .\n'])[0] != d
    assert digest(lines[:1])[0] != d


def test_a_failed_send_withdraws_the_digest(
    server: OxigraphServer, mini_data: Path, tmp_path: Path
) -> None:
    path = server.config.write(tmp_path / "store")
    build(mini_data, store_path=path)
    st = hstore.open_store(path)
    assert isinstance(st, remote.RemoteStore)
    before = st.digests()
    orgs = mini_data / "organisations.csv"
    orgs.write_text(orgs.read_text().replace("Test University", "Renamed University"))
    c = server.config
    # the server refuses the graphs' PUT (a graph and the default graph named at once),
    # not the lock's (sent without the configured parameters)
    broken = dataclasses.replace(c, gsp_params="default")
    with pytest.raises(hstore.StoreError, match="HTTP [45]00"):  # Oxigraph 400, Virtuoso 500
        build(mini_data, store_path=broken.write(tmp_path / "broken"))
    after = st.digests()
    changed = {g for g in before if after.get(g) != before[g]}
    assert changed and all(g not in after for g in changed)  # withdrawn, not left stale
    build(mini_data, store_path=path)
    assert st.digests().keys() == before.keys()
