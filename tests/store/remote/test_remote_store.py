"""RemoteStore against a real ``oxigraph serve``, compared with the embedded store."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from helixgraph import store as hstore
from helixgraph.store import remote
from helixgraph.store.merge import materialise, named_quads
from helixgraph.store.remote import RemoteConfig, RemoteError, RemoteStore, writes
from tests.remote_store import OxigraphServer, virtuoso_differs

EX = "http://example.org/"
G1, G2 = ox.NamedNode(EX + "g1"), ox.NamedNode(EX + "g2")
A, B, P, Q = (ox.NamedNode(EX + n) for n in ("a", "b", "p", "q"))
QUADS = [
    ox.Quad(A, P, B, G1),
    ox.Quad(A, Q, ox.Literal("Ä \"quoted\"\nline", language="de"), G1),
    ox.Quad(B, P, ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), G2),
    ox.Quad(ox.BlankNode("x"), P, A, G2),
    ox.Quad(ox.BlankNode("x"), Q, B, G2),
]

ONE_BLANK_NODE = (
    "SELECT ?x WHERE { GRAPH ?g { ?x <http://example.org/p> <http://example.org/a> ; "
    "<http://example.org/q> <http://example.org/b> } }"
)


@pytest.fixture
def descriptor(server: OxigraphServer, tmp_path: Path) -> Path:
    path = server.config.write(tmp_path / "store")
    with hstore.replacing(path) as st:
        st.extend(QUADS)
    return path


@pytest.fixture
def embedded(tmp_path: Path) -> ox.Store:
    st = ox.Store()
    st.extend(QUADS)
    materialise(st)  # as a build leaves it: the default graph holds the merge
    return st


def named(quads: object) -> list[ox.Quad]:
    """The quads of the named graphs (the default graph holds their merge)."""
    return [q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)]  # type: ignore[attr-defined]


def rows(result: object) -> list[tuple[object, ...]]:
    """Solutions as sorted tuples; blank nodes as ``_:`` (a server relabels them)."""
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]

    def text(term: object) -> str:
        return "_:" if isinstance(term, ox.BlankNode) else str(term)

    return sorted(tuple(text(row[n]) for n in names) for row in result)


def test_open_store_on_a_descriptor_is_remote(descriptor: Path) -> None:
    st = hstore.open_store(descriptor)
    assert isinstance(st, RemoteStore)
    assert hstore.exists(descriptor) and hstore.is_remote(descriptor)


@pytest.mark.parametrize("union", [True, False])
def test_select_matches_the_embedded_store(
    descriptor: Path, embedded: ox.Store, union: bool
) -> None:
    q = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o }"
    st = hstore.open_store(descriptor)
    got = rows(st.query(q, use_default_graph_as_union=union))
    assert got == rows(embedded.query(q, use_default_graph_as_union=union))
    # the default graph holds the merge (each triple once); the union flag adds the
    # named graphs' copies on top
    assert len(got) == (6 if union else 3)


def test_ask_and_construct_are_pyoxigraph_results(descriptor: Path) -> None:
    st = hstore.open_store(descriptor)
    ask = st.query("ASK { GRAPH <http://example.org/g1> { ?s ?p ?o } }")
    assert isinstance(ask, ox.QueryBoolean) and bool(ask)
    graph = st.query(
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <http://example.org/g1> { ?s ?p ?o } }"
    )
    assert isinstance(graph, ox.QueryTriples)
    assert {str(t) for t in graph} == {str(q.triple) for q in QUADS if q.graph_name == G1}


def test_protocol_dataset_is_passed_on(descriptor: Path) -> None:
    st = hstore.open_store(descriptor)
    q = "SELECT ?o WHERE { ?s <http://example.org/p> ?o }"
    assert rows(st.query(q, default_graph=[G1])) == [(str(B),)]


@virtuoso_differs("a syntax error names its line and token, not its column")
def test_base_iri_and_syntax_error_position(descriptor: Path) -> None:
    st = hstore.open_store(descriptor)
    got = st.query("SELECT ?x WHERE { BIND(<rel> AS ?x) }", base_iri="http://base.example/")
    assert rows(got) == [("<http://base.example/rel>",)]
    with pytest.raises(SyntaxError) as embedded_error:
        ox.Store().query("SELECT * {{", base_iri="http://base.example/")
    position = str(embedded_error.value).split(":")[0:2]  # "error at 1", "12"
    with pytest.raises(SyntaxError, match=":".join(position) + ":"):
        st.query("SELECT * {{", base_iri="http://base.example/")


def test_store_api_subset_matches_the_embedded_store(
    descriptor: Path, embedded: ox.Store
) -> None:
    st = hstore.open_store(descriptor)
    assert len(st) == len(embedded) == 2 * len(QUADS)  # the named graphs and their merge
    assert named_quads(st) == len(QUADS)
    assert [g.value for g in st.named_graphs()] == [G1.value, G2.value]
    got = {str(q) for q in st.quads_for_pattern(A, None, None, G1)}
    assert got == {str(q) for q in embedded.quads_for_pattern(A, None, None, G1)}
    everything = named(st.quads_for_pattern(None, P, None))
    assert len(everything) == 3 and {q.graph_name for q in everything} == {G1, G2}
    assert {str(q) for q in st if not isinstance(q.subject, ox.BlankNode)} == {
        str(q) for q in embedded if not isinstance(q.subject, ox.BlankNode)
    }
    dumped = st.dump(format=ox.RdfFormat.N_QUADS)
    assert isinstance(dumped, bytes)
    assert len(named(ox.parse(dumped, format=ox.RdfFormat.N_QUADS))) == len(QUADS)


def test_blank_nodes_survive_the_bulk_load(descriptor: Path) -> None:
    st = hstore.open_store(descriptor)
    q = ONE_BLANK_NODE
    assert len(rows(st.query(q))) == 1  # one node with both triples, not two


@pytest.mark.parametrize(
    "path", ["put", "put-no-transaction", "update-batches"]
)
def test_replacing_replaces_graphs_and_drops_stale_ones(
    server: OxigraphServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    monkeypatch.setattr(writes, "BATCH", 2)  # several chunks per graph
    c = server.config
    config = {
        "put": c,
        "put-no-transaction": dataclasses.replace(c, gsp_params="no_transaction"),
        "update-batches": dataclasses.replace(c, gsp_url=None),
    }[path]
    store_path = config.write(tmp_path / "store")
    with hstore.replacing(store_path) as st:
        st.extend(QUADS)
    g3 = ox.NamedNode(EX + "g3")
    new = [*(ox.Quad(q.subject, q.predicate, q.object, G2) for q in QUADS), ox.Quad(A, P, A, g3)]
    with hstore.replacing(store_path) as st:
        st.extend(new)
    remote_store = hstore.open_store(store_path)
    assert [g.value for g in remote_store.named_graphs()] == [G2.value, g3.value]
    assert named_quads(remote_store) == len(set(new))
    q = ONE_BLANK_NODE
    assert len(rows(remote_store.query(q))) == 1


def test_failed_build_leaves_the_remote_store_unchanged(descriptor: Path) -> None:
    before = hstore.version(descriptor)
    with pytest.raises(RuntimeError, match="boom"), hstore.replacing(descriptor) as st:
        st.add(ox.Quad(A, P, A, ox.NamedNode(EX + "new")))
        raise RuntimeError("boom")
    st2 = hstore.open_store(descriptor)
    assert named_quads(st2) == len(QUADS) and hstore.version(descriptor) == before


def test_one_build_at_a_time_per_remote_store(descriptor: Path) -> None:
    with hstore.replacing(descriptor) as st:
        st.extend(QUADS)
        with pytest.raises(hstore.StoreError, match="another build or import is writing"), \
                hstore.replacing(descriptor):
            pass


def test_update_goes_to_the_update_url(descriptor: Path) -> None:
    st = hstore.open_store(descriptor)
    st.update("INSERT DATA { GRAPH <http://example.org/g9> { <http://example.org/a> <http://example.org/p> 1 } }")
    assert named_quads(st) == len(QUADS) + 1
    with pytest.raises(SyntaxError):
        st.update("INSERT DATA {")


def test_env_makes_the_default_store_remote(
    server: OxigraphServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HELIXGRAPH_STORE", str(tmp_path / "default-store"))
    monkeypatch.setenv("HELIXGRAPH_SPARQL_QUERY_URL", server.config.query_url)
    monkeypatch.setenv("HELIXGRAPH_SPARQL_GSP_URL", server.config.gsp_url or "")
    monkeypatch.setenv("HELIXGRAPH_SPARQL_ENGINE", server.config.engine)
    with hstore.replacing() as st:
        st.extend(QUADS)
    assert isinstance(hstore.open_store(), RemoteStore)
    assert named_quads(hstore.open_store()) == len(QUADS)
    assert not (tmp_path / "default-store").exists()  # nothing written locally
    # an explicit other path is still an embedded store
    assert not hstore.is_remote(tmp_path / "other")


def test_bad_descriptor_is_a_clear_store_error(tmp_path: Path) -> None:
    bad = tmp_path / "store"
    bad.write_text(json.dumps({"query": "http://x"}))
    with pytest.raises(hstore.StoreError, match="not a helixgraph remote store descriptor"):
        hstore.open_store(bad)


def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    config = RemoteConfig("http://127.0.0.1:9/query", gsp_url="http://127.0.0.1:9/store")
    with pytest.raises(RemoteError, match="did not answer"):
        RemoteStore(config).query("ASK {}")
    path = config.write(tmp_path / "store")
    with pytest.raises(hstore.StoreError, match="cannot write the remote store"), \
            hstore.replacing(path) as st:
        st.add(QUADS[0])


def test_version_changes_with_each_build(tmp_path: Path, server: OxigraphServer) -> None:
    from helixgraph.ingest.build import build
    from tests.conftest import MINI

    path = server.config.write(tmp_path / "store")
    build(MINI, store_path=path)
    first = hstore.version(path)
    build(MINI, store_path=path)
    assert hstore.version(path) != first


def test_version_changes_when_a_graph_is_sent_without_a_run(
    tmp_path: Path, server: OxigraphServer
) -> None:
    """Data written through helixgraph without a build record (raw loads with a metadata
    graph, as the tests' fixtures do) still changes the version: the graphs' content
    digests, recorded in the metadata graph, are part of it."""
    from helixgraph.vocab.namespace import META_GRAPH

    meta = ox.Quad(A, P, ox.Literal("fixture"), ox.NamedNode(str(META_GRAPH)))
    path = server.config.write(tmp_path / "store")
    with hstore.replacing(path) as st:
        st.extend([meta, QUADS[0]])
    first = hstore.version(path)
    with hstore.replacing(path) as st:
        st.extend([meta, *QUADS[:2]])
    assert hstore.version(path) != first


def test_credentials_are_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization", ""))
        return httpx.Response(401)

    env = {
        "HELIXGRAPH_SPARQL_QUERY_URL": "http://sparql.example/query",
        "HELIXGRAPH_SPARQL_TOKEN": "s3cret",
    }
    config = RemoteConfig.from_env(env)
    assert config is not None and "s3cret" not in repr(RemoteStore(config))
    client = httpx.Client(transport=httpx.MockTransport(handler), headers=config.headers())
    with pytest.raises(RemoteError, match="refused the credentials"):
        RemoteStore(config, client).query("ASK {}")
    basic = RemoteConfig.from_env({**env, "HELIXGRAPH_SPARQL_USER": "u", "HELIXGRAPH_SPARQL_PASSWORD": "p"})
    assert basic is not None
    client = httpx.Client(transport=httpx.MockTransport(handler), auth=basic.auth())
    with pytest.raises(RemoteError):
        RemoteStore(basic, client).query("ASK {}")
    assert seen == ["Bearer s3cret", "Basic dTpw"]


def test_the_union_parameter_is_sent_only_when_asked_for() -> None:
    params: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        params.append(str(request.url.params))
        return httpx.Response(
            200,
            json={"head": {}, "boolean": True},
            headers={"content-type": "application/sparql-results+json"},
        )

    client = httpx.Client(transport=httpx.MockTransport(handler))
    st = RemoteStore(RemoteConfig("http://sparql.example/q"), client)
    assert bool(st.query("ASK {}", use_default_graph_as_union=True))
    assert bool(st.query("ASK {}"))
    assert params == ["union-default-graph=true", ""]


def test_a_server_union_default_graph_setting_is_refused(tmp_path: Path) -> None:
    """The default graph holds helixgraph's merge: a server union would hide or double it."""
    with pytest.raises(ValueError, match="UNION=server is no longer supported"):
        RemoteConfig("http://sparql.example/q", union="server")
    path = tmp_path / "store"
    path.write_text(json.dumps({"kind": remote.KIND, "query": "http://x/q", "union": "server"}))
    with pytest.raises(hstore.StoreError, match="start the server without a union default graph"):
        hstore.open_store(path)


def test_graph_prefix_keeps_the_servers_other_graphs(
    server: OxigraphServer, tmp_path: Path
) -> None:
    theirs = ox.NamedNode("http://other.example/system")
    RemoteStore(server.config).put_graph(theirs, [ox.Triple(A, P, B)])
    c = server.config
    config = dataclasses.replace(c, graphs=EX)
    path = config.write(tmp_path / "store")
    for _ in range(2):  # the second build finds the first's graphs and replaces them
        with hstore.replacing(path) as st:
            st.extend(QUADS)
    st = hstore.open_store(path)
    assert [g.value for g in st.named_graphs()] == [G1.value, G2.value]
    assert len(st) == len(QUADS)
    everything = RemoteStore(c)
    assert theirs in set(everything.named_graphs())  # not dropped as a stale graph
    with pytest.raises(hstore.StoreError, match="graphs outside"), hstore.replacing(path) as st:
        st.add(ox.Quad(A, P, B, theirs))
    assert named_quads(everything) == len(QUADS) + 1  # the refused build sent nothing


def test_accept_follows_the_query_form() -> None:
    accepts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        accepts.append(request.headers["accept"])
        if "n-triples" in request.headers["accept"]:
            return httpx.Response(
                200, content=b"<http://e/a> <http://e/p> <http://e/b> .\n",
                headers={"content-type": "application/n-triples"},
            )
        return httpx.Response(
            200, json={"head": {}, "boolean": True},
            headers={"content-type": "application/sparql-results+json"},
        )

    st = RemoteStore(RemoteConfig("http://sparql.example/q"), httpx.Client(transport=httpx.MockTransport(handler)))
    assert bool(st.query("# CONSTRUCT in a comment\nASK {}"))
    triples = st.query("PREFIX e: <http://e/> CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(triples, ox.QueryTriples) and len(list(triples)) == 1
    assert accepts == ["application/sparql-results+json", "application/n-triples"]


def test_a_server_that_drops_what_it_accepted_is_an_error(
    server: OxigraphServer, tmp_path: Path
) -> None:
    """Like Virtuoso 7.2 with a chunked PUT: 201 Created, nothing stored."""
    real = httpx.Client()

    def handler(request: httpx.Request) -> httpx.Response:
        assert "content-length" in request.headers or request.method != "PUT"
        if request.method == "PUT":
            return httpx.Response(201)  # accepted, and thrown away
        forwarded = real.send(
            real.build_request(
                request.method, str(request.url), headers=request.headers, content=request.read()
            )
        )
        return httpx.Response(
            forwarded.status_code, headers=forwarded.headers, content=forwarded.read()
        )

    lossy = RemoteStore(server.config, httpx.Client(transport=httpx.MockTransport(handler)))
    with pytest.raises(RemoteError, match="does not hold what was sent.*g1: 0 of 2"), \
            remote.replacing(lossy) as st:
        st.extend(QUADS)
    real.close()
