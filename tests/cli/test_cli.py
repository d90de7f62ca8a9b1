from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from typer.testing import CliRunner

from helixgraph.cli.main import app
from helixgraph.vocab.namespace import HX, iri, source_graph

runner = CliRunner()
COMMANDS = ["build", "validate", "query", "export", "stats", "serve"]
Q = (
    "PREFIX hx: <https://w3id.org/helixgraph/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    'SELECT ?name WHERE { ?o hx:helix hx:industry ; skos:prefLabel ?name FILTER(LANG(?name) = "en") } ORDER BY ?name'
)


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0
    assert "Usage:" in out and command in out


def test_query_formats(mini_store: Path) -> None:
    code, out, _ = run("query", Q, "--format", "json", "--store", str(mini_store))
    assert code == 0
    names = [b["name"]["value"] for b in json.loads(out)["results"]["bindings"]]
    assert names == ["Test Cooperative", "Test Firm B.V."]
    code, out, _ = run("query", Q, "--format", "csv", "--store", str(mini_store))
    assert list(csv.reader(io.StringIO(out))) == [
        ["name"],
        ["Test Cooperative"],
        ["Test Firm B.V."],
    ]
    code, out, _ = run("query", Q, "--format", "tsv", "--store", str(mini_store))
    assert out.splitlines()[1:] == ['"Test Cooperative"@en', '"Test Firm B.V."@en']
    code, out, _ = run("query", Q, "--store", str(mini_store))
    assert code == 0 and "Test Cooperative" in out and "name" in out


def test_query_from_file_and_ask_and_construct(mini_store: Path, tmp_path: Path) -> None:
    f = tmp_path / "q.rq"
    f.write_text(
        f"ASK {{ <{iri('org', 'firm')}> <http://www.w3.org/ns/org#memberOf> <{iri('org', 'coop')}> }}"
    )
    assert run("query", f"@{f}", "--store", str(mini_store))[:2] == (0, "true\n")
    code, out, _ = run(
        "query",
        f"CONSTRUCT {{ ?o <{HX.helix}> ?h }} WHERE {{ ?o <{HX.helix}> ?h }}",
        "--format",
        "nt",
        "--store",
        str(mini_store),
    )
    g = rdflib.Graph().parse(data=out, format="nt")
    assert (rdflib.URIRef(iri("org", "gov")), HX.helix, HX.government) in g


def test_query_errors_are_clear(mini_store: Path, tmp_path: Path) -> None:
    code, _, err = run("query", "SELECT ?x WHERE { ?x ?y }", "--store", str(mini_store))
    assert code == 2 and "malformed query" in err
    code, _, err = run(
        "query", "ASK { ?s ?p ?o }", "--format", "turtle", "--store", str(mini_store)
    )
    assert code == 2 and "does not fit an ASK query" in err
    code, _, err = run("query", "@/nonexistent.rq", "--store", str(mini_store))
    assert code == 1 and "cannot read query file" in err
    code, _, err = run("query", Q, "--store", str(tmp_path / "none"))
    assert code == 1 and "run 'helixgraph build' first" in err


@pytest.mark.parametrize(
    ("fmt", "rdflib_format", "quads"),
    [
        ("nquads", "nquads", True),
        ("trig", "trig", True),
        ("jsonld", "json-ld", True),
        ("turtle", "turtle", False),
        ("nt", "nt", False),
    ],
)
def test_export_parses_back(
    mini_store: Path, tmp_path: Path, fmt: str, rdflib_format: str, quads: bool
) -> None:
    out = tmp_path / f"x.{fmt}"
    code, _, _ = run("export", "--format", fmt, "-o", str(out), "--store", str(mini_store))
    assert code == 0
    if quads:
        ds = rdflib.Dataset()
        ds.parse(data=out.read_bytes(), format=rdflib_format)
        g = ds.graph(rdflib.URIRef(source_graph("s2")))
        assert (
            rdflib.URIRef(iri("org", "uni")),
            HX.participatesIn,
            rdflib.URIRef(iri("initiative", "call")),
        ) in g
    else:
        g = rdflib.Graph().parse(data=out.read_bytes(), format=rdflib_format)
        firm = rdflib.URIRef(iri("org", "firm"))
        assert (firm, rdflib.namespace.PROV.wasDerivedFrom, rdflib.URIRef(iri("source", "s1"))) in g
        # the union: a triple stated in two graphs appears once
        assert len(g) == len(set(g))


def test_export_unknown_format(mini_store: Path) -> None:
    code, _, err = run("export", "--format", "xls", "--store", str(mini_store))
    assert code == 2 and "unknown export format" in err


def test_stats(mini_store: Path) -> None:
    code, out, _ = run("stats", "--store", str(mini_store))
    assert code == 0
    for text in (
        "organisations by kind",
        "organisations by helix sphere",
        "Een testbron",
        "Organisation",
    ):
        assert text in out


def test_build_and_validate_report_bad_rows(mini_data: Path, tmp_path: Path) -> None:
    text = (mini_data / "figures.csv").read_text()
    (mini_data / "figures.csv").write_text(text.replace("coop,jobs,4000", "coop,jobz,4000"))
    code, _, err = run("validate", "--data", str(mini_data))
    assert code == 1 and "figures.csv:2: column 'measure': 'jobz' is not one of" in err
    code, _, err = run("build", "--data", str(mini_data), "--store", str(tmp_path / "s"))
    assert code == 1 and "the previous store is unchanged" in err and "figures.csv:2" in err


def test_console_script_end_to_end(mini_data: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "helixgraph",
            "build",
            "--data",
            str(mini_data),
            "--store",
            str(store),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode == 0, built.stderr
    assert source_graph("s1") in built.stdout
    q = subprocess.run(
        [sys.executable, "-m", "helixgraph", "query", Q, "-f", "csv", "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert q.stdout.splitlines() == ["name", "Test Cooperative", "Test Firm B.V."]
