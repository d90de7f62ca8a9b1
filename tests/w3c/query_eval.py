"""The W3C SPARQL 1.1 query-evaluation tests, run in-process on the engine.

Each test's data goes into named graphs named by the files' IRIs; the query runs through
:func:`helixgraph.sparql.execute` with the test's dataset given the way the protocol gives
it (``default-graph-uri`` = ``qt:data``, ``named-graph-uri`` = ``qt:graphData``), unless
the query names its own with ``FROM``. Results are serialised by the endpoint's code
(SPARQL JSON, N-Triples), parsed back and compared with the expected ones: solutions as
multisets (blank nodes compared by shape only, order ignored), graphs by isomorphism.

``python tests/w3c/query_eval.py`` prints the pass rate and the failures.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, Graph, Namespace
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from helixgraph.sparql import Job, analyse, execute
from tests.shared_data import SHARED

ROOT = Path(__file__).resolve().parents[2]
SUITE = SHARED / "data" / "sparql11"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
RDF_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
}
RESULT_FORMATS = {
    ".srx": ox.QueryResultsFormat.XML,
    ".srj": ox.QueryResultsFormat.JSON,
    ".tsv": ox.QueryResultsFormat.TSV,
    ".csv": ox.QueryResultsFormat.CSV,
}


@dataclass(frozen=True)
class EvalTest:
    iri: str
    suite: str  # the folder, e.g. "aggregates"
    query: Path
    data: tuple[Path, ...]
    graph_data: tuple[Path, ...]
    result: Path

    @property
    def id(self) -> str:
        return f"{self.suite}/{self.iri.rsplit('#', 1)[-1]}"


def _path(node: Any) -> Path:
    return Path(str(node).removeprefix("file://"))


def load_tests(manifest: Path = SUITE / "manifest-all.ttl") -> list[EvalTest]:
    g = Graph().parse(manifest, format="turtle", publicID=f"file://{manifest}")
    tests: list[EvalTest] = []
    for m in g.subjects(RDF.type, MF.Manifest):
        includes = g.value(m, MF.include)
        if includes is not None:
            for sub in Collection(g, includes):
                tests += load_tests(_path(sub))
        entries = g.value(m, MF.entries)
        if entries is None:
            continue
        for entry in Collection(g, entries):
            if (entry, RDF.type, MF.QueryEvaluationTest) not in g:
                continue
            action = g.value(entry, MF.action)
            tests.append(
                EvalTest(
                    iri=str(entry),
                    suite=manifest.parent.name,
                    query=_path(g.value(action, QT.query)),
                    data=tuple(_path(d) for d in g.objects(action, QT.data)),
                    graph_data=tuple(_path(d) for d in g.objects(action, QT.graphData)),
                    result=_path(g.value(entry, MF.result)),
                )
            )
    return tests


def _iri(path: Path) -> str:
    return f"file://{path}"


def _load(store: ox.Store, path: Path) -> None:
    store.load(
        path=str(path),
        format=RDF_FORMATS[path.suffix],
        base_iri=_iri(path),
        to_graph=ox.NamedNode(_iri(path)),
    )


def _solution_key(solution: dict[str, str]) -> frozenset[tuple[str, str]]:
    return frozenset(solution.items())


XSD = "http://www.w3.org/2001/XMLSchema#"
FLOATS = {XSD + "double", XSD + "float"}


def _term(term: Any) -> str:
    """A comparable form: blank nodes by kind only, xsd:double/float/decimal by value."""
    if isinstance(term, ox.BlankNode):
        return "_:"
    if isinstance(term, ox.Literal) and term.datatype.value in FLOATS | {XSD + "decimal"}:
        try:
            value = float(term.value)  # the engine stores canonical forms: 1.0 -> 1
        except ValueError:
            return str(term)
        return f"{value!r}^^{term.datatype.value}"
    return str(term)


def _solutions(rows: Any) -> Counter[frozenset[tuple[str, str]]]:
    return Counter(
        _solution_key({str(v.value): _term(row[v]) for v in rows.variables if row[v] is not None})
        for row in rows
    )


def _expected_from_rdf(path: Path) -> bool | Counter[frozenset[tuple[str, str]]]:
    g = Graph().parse(path, publicID=_iri(path))
    result_set = next(g.subjects(RDF.type, RS.ResultSet))
    boolean = g.value(result_set, RS.boolean)
    if boolean is not None:
        return bool(boolean.toPython())
    solutions: Counter[frozenset[tuple[str, str]]] = Counter()
    for solution in g.objects(result_set, RS.solution):
        row = {}
        for binding in g.objects(solution, RS.binding):
            value = g.value(binding, RS.value)
            if value.n3().startswith("_:"):
                text = "_:"
            else:
                nt = f"<s:s> <p:p> {value.n3()} .".encode()
                text = _term(next(ox.parse(nt, ox.RdfFormat.N_TRIPLES)).object)
            row[str(g.value(binding, RS.variable))] = text
        solutions[_solution_key(row)] += 1
    return solutions


def run(test: EvalTest) -> tuple[bool, str]:
    """Run one test; ``(passed, why not)``."""
    store = ox.Store()
    for path in test.data + test.graph_data:
        _load(store, path)
    text = test.query.read_text(encoding="utf-8")
    analysis = analyse(text)
    job = Job(text, base_iri=_iri(test.query))
    if not analysis.dataset:
        job = Job(
            text,
            base_iri=_iri(test.query),
            default_graphs=tuple(_iri(p) for p in test.data) or ("urn:x-helixgraph:empty",),
            named_graphs=tuple(_iri(p) for p in test.graph_data),
        )
    graph_result = test.result.suffix in RDF_FORMATS and analysis.graph_result
    job = Job(**{**job.__dict__, "format": "ntriples" if graph_result else "json"})
    outcome = execute(store, job)
    if outcome.status != "ok":
        return False, f"{outcome.status}: {outcome.message}"
    if graph_result:
        actual = Graph().parse(data=outcome.body, format="nt")
        expected = Graph().parse(test.result, publicID=_iri(test.result))
        return isomorphic(actual, expected), "graphs differ"
    data = json.loads(outcome.body)
    if test.result.suffix in RESULT_FORMATS:
        parsed = ox.parse_query_results(
            path=str(test.result), format=RESULT_FORMATS[test.result.suffix]
        )
        expected_value: Any = (
            bool(parsed) if isinstance(parsed, ox.QueryBoolean) else _solutions(parsed)
        )
    else:
        expected_value = _expected_from_rdf(test.result)
    if "boolean" in data:
        return data["boolean"] == expected_value, f"expected {expected_value}"
    actual_rows = ox.parse_query_results(outcome.body, ox.QueryResultsFormat.JSON)
    actual_value = _solutions(actual_rows)
    if test.result.suffix in (".csv", ".tsv"):  # CSV loses types: compare lexical forms

        def plain(c: Counter[frozenset[tuple[str, str]]]) -> Counter[frozenset[tuple[str, str]]]:
            return Counter(
                {
                    frozenset(
                        (k, v.split('"')[1] if v.startswith('"') else v.strip("<>")) for k, v in key
                    ): n
                    for key, n in c.items()
                }
            )

        return plain(actual_value) == plain(expected_value), "solutions differ"
    return actual_value == expected_value, "solutions differ"


def run_all() -> dict[str, tuple[bool, str]]:
    results = {}
    for test in load_tests():
        try:
            results[test.id] = run(test)
        except Exception as exc:  # a test the harness cannot read counts as failed
            results[test.id] = (False, f"{type(exc).__name__}: {exc}")
    return results


if __name__ == "__main__":
    results = run_all()
    passed = sum(ok for ok, _ in results.values())
    for test_id, (ok, why) in sorted(results.items()):
        if not ok:
            print(f"FAIL {test_id}: {why[:160]}")
    by_suite: Counter[str] = Counter()
    for test_id, (ok, _) in results.items():
        by_suite[test_id.split("/")[0]] += 0 if ok else 1
    print(f"\n{passed}/{len(results)} passed ({100 * passed / len(results):.1f} %)")
    print("failures by folder:", dict(+by_suite))
    sys.exit(0)
