"""The pieces an import's swap is made of (issue 23): the default-graph triples of a graph
dropped by one SPARQL update, the staged triples written once as N-Triples and loaded by
Oxigraph's bulk loader in bounded runs, the file gone afterwards."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from helixgraph.store import merge

EX = "http://example.org/"


def q(s: str, o: str | ox.Literal, g: str | None = None) -> ox.Quad:
    obj = o if isinstance(o, ox.Literal) else ox.NamedNode(EX + o)
    graph = ox.NamedNode(EX + g) if g else ox.DefaultGraph()
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), obj, graph)


def with_merge(quads: list[ox.Quad]) -> ox.Store:
    st = ox.Store()
    st.extend(quads)
    merge.materialise(st)
    return st


def default_graph(st: ox.Store) -> set[tuple[str, str, str]]:
    return {
        (str(x.subject), str(x.predicate), str(x.object))
        for x in st.quads_for_pattern(None, None, None, ox.DefaultGraph())
    }


def test_drop_graph_keeps_what_another_graph_states() -> None:
    st = with_merge([q("a", "shared", "g1"), q("a", "only", "g1"), q("a", "shared", "g2")])
    st.update(merge.drop_graph(EX + "g1"))
    st.remove_graph(ox.NamedNode(EX + "g1"))
    expected = with_merge([q("a", "shared", "g2")])
    assert default_graph(st) == default_graph(expected)
    assert (f"<{EX}a>", f"<{EX}p>", f"<{EX}only>") not in default_graph(st)


def test_triples_file_loads_in_runs_of_whole_lines(tmp_path: Path) -> None:
    tricky = ox.Literal('two\nlines, a "quote" and ünïcode', language="en")
    quads = [q(f"s{i}", f"o{i}", "g") for i in range(10)] + [q("t", tricky, "g")]
    with merge.triples_file(tmp_path, quads) as path:
        parts = list(merge.chunks(path, lines=3))
        assert [p.count(b"\n") for p in parts] == [3, 3, 3, 2]
        st = ox.Store()
        for part in parts:
            st.bulk_load(part, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(EX + "g"))
            st.bulk_load(part, ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    assert set(st.quads_for_pattern(None, None, None, ox.NamedNode(EX + "g"))) == set(quads)
    assert default_graph(st) == default_graph(with_merge(quads))
    assert list(tmp_path.iterdir()) == []  # the file and its folder are gone


def test_triples_file_is_removed_when_the_block_fails(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), merge.triples_file(tmp_path, [q("a", "b", "g")]) as path:
        assert path.read_bytes().count(b"\n") == 1
        raise RuntimeError("the load failed")
    assert list(tmp_path.iterdir()) == []
