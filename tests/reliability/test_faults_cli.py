"""Faults met by the ``helixgraph`` command: a damaged or missing store, a missing data
directory, a full disk, a port in use, a bad setting, a query that would crash the parser.

Each must end in one clear ``error:`` line and a non-zero exit, never a traceback, and
leave the store as it was.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from helixgraph import store as hstore
from tests.api.conftest import build_store
from tests.processes import free_port

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini_data"


def helixgraph(
    *args: str, env: dict[str, str] | None = None, prelude: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run the command in a fresh process (``prelude`` runs first, e.g. to set a limit)."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("HELIXGRAPH_")}
    environ["HELIXGRAPH_NO_PRECOMPUTE"] = "1"  # unless a test asks (tests/analytics/test_precompute.py)
    environ.update(env or {})
    script = (
        prelude + "\nimport sys\nfrom helixgraph.cli.main import main\nsys.argv = sys.argv[1:]\nmain()"
    )
    return subprocess.run(
        [sys.executable, "-c", script, "helixgraph", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=environ,
        cwd=ROOT,
    )


def clear_failure(proc: subprocess.CompletedProcess[str], *phrases: str) -> None:
    """Non-zero exit, no traceback, one ``error:`` line holding every phrase."""
    assert proc.returncode > 0, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, proc.stderr
    for phrase in phrases:
        assert phrase in errors[0], (phrase, proc.stderr)


# ------------------------------------------------------------------ damaged store


def _truncate_tables(d: Path) -> None:
    for f in d.glob("*.sst"):
        os.truncate(f, f.stat().st_size // 2)


def _garbage_current(d: Path) -> None:
    (d / "CURRENT").write_text("garbage\n")


def _truncate_manifest(d: Path) -> None:
    for f in d.glob("MANIFEST-*"):
        os.truncate(f, 10)


def _no_current(d: Path) -> None:
    (d / "CURRENT").unlink()


DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncated-tables": _truncate_tables,
    "garbage-CURRENT": _garbage_current,
    "truncated-MANIFEST": _truncate_manifest,
    "missing-CURRENT": _no_current,
}


def damage(tmp_path: Path, kind: str) -> Path:
    path = build_store(tmp_path / "store")
    assert len(ox.Store.read_only(str(path.resolve()))) > 0
    DAMAGE[kind](path.resolve())
    return path


def damaged_is_clear(proc: subprocess.CompletedProcess[str], path: Path) -> None:
    clear_failure(proc, str(path))
    assert "damaged" in proc.stderr or "cannot open the store" in proc.stderr


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damaged_store_is_one_clear_line(tmp_path: Path, kind: str) -> None:
    path = damage(tmp_path, kind)
    damaged_is_clear(
        helixgraph("query", "SELECT * { ?s ?p ?o } LIMIT 1", "--store", str(path)), path
    )


@pytest.mark.parametrize(
    "command", [["stats"], ["export"], ["serve", "--no-build", "--port", "0"]], ids=lambda c: c[0]
)
def test_every_command_reports_a_damaged_store(tmp_path: Path, command: list[str]) -> None:
    path = damage(tmp_path, "truncated-tables")
    damaged_is_clear(helixgraph(*command, "--store", str(path)), path)


@pytest.mark.parametrize("command", [["query", "ASK {}"], ["serve", "--no-build"]])
def test_missing_store_says_to_build(tmp_path: Path, command: list[str]) -> None:
    proc = helixgraph(*command, "--store", str(tmp_path / "nowhere"))
    clear_failure(proc, "no store at", "helixgraph build")


def test_missing_data_directory(tmp_path: Path) -> None:
    proc = helixgraph("build", "--data", str(tmp_path / "nodata"), "--store", str(tmp_path / "s"))
    clear_failure(proc, "the previous store is unchanged")
    assert "nodata: data directory not found" in proc.stderr
    assert not (tmp_path / "s").exists()


# --------------------------------------------------------------------- full disk

# RLIMIT_FSIZE makes every write past the limit fail with EFBIG, the way a full disk
# makes it fail with ENOSPC, in any process and without privileges. 20 kB: RocksDB cannot
# even create the store; 200 kB: it fails while writing the quads.
LIMITED = """
import resource, signal
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, resource.RLIM_INFINITY))
"""


@pytest.mark.parametrize("limit", [20_000, 200_000])
def test_full_disk_during_build_keeps_the_store(tmp_path: Path, limit: int) -> None:
    path = build_store(tmp_path / "store")
    before, quads = path.resolve(), len(ox.Store.read_only(str(path.resolve())))
    proc = helixgraph(
        "build", "--data", str(MINI), "--store", str(path), "-q",
        prelude=LIMITED.format(limit=limit),
    )  # fmt: skip
    clear_failure(proc, "cannot write the new store", "the previous store is unchanged")
    assert "File too large" in proc.stderr
    assert path.resolve() == before
    assert len(hstore.open_store(path)) == quads
    assert sorted(d for d in hstore.builds_dir(path).iterdir() if d.is_dir()) == [before]  # nothing half-written left
    # and with room again the next build works
    assert helixgraph("build", "--data", str(MINI), "--store", str(path), "-q").returncode == 0
    assert path.resolve() != before


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def test_full_disk_during_export(tmp_path: Path) -> None:
    path = build_store(tmp_path / "store")
    proc = helixgraph("export", "--store", str(path), "-o", "/dev/full")
    clear_failure(proc, "cannot write /dev/full", "No space left on device")


def test_export_into_a_missing_directory(tmp_path: Path) -> None:
    path = build_store(tmp_path / "store")
    proc = helixgraph("export", "--store", str(path), "-o", str(tmp_path / "no" / "out.nq"))
    clear_failure(proc, "cannot write", "No such file or directory")


# -------------------------------------------------------------------------- serve


def test_serve_on_a_port_in_use(tmp_path: Path) -> None:
    path = build_store(tmp_path / "store")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = helixgraph("serve", "--no-build", "--store", str(path), "--port", str(port))
    clear_failure(proc, f"port {port} on 127.0.0.1 is in use")


def test_serve_with_a_bad_setting(tmp_path: Path) -> None:
    path = build_store(tmp_path / "store")
    proc = helixgraph(
        "serve", "--no-build", "--store", str(path), "--port", str(free_port()),
        env={"HELIXGRAPH_QUERY_WORKERS": "many"},
    )  # fmt: skip
    clear_failure(proc, "HELIXGRAPH_QUERY_WORKERS='many' is not a number")


def test_uvicorn_without_a_store_names_the_problem(tmp_path: Path) -> None:
    """Started without the CLI, the server still says in one line what is wrong."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("HELIXGRAPH_")}
    environ["HELIXGRAPH_NO_PRECOMPUTE"] = "1"  # unless a test asks (tests/analytics/test_precompute.py)
    environ.update(HELIXGRAPH_STORE=str(tmp_path / "nowhere"))
    environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src")])
    proc = subprocess.run(
        [sys.executable, "-m", "uvicorn", "helixgraph_api.main:app", "--port", str(free_port())],
        capture_output=True, text=True, timeout=120, env=environ, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode != 0
    first = next(line for line in proc.stderr.splitlines() if "ERROR" in line)
    assert "helixgraph cannot start: no store at" in first, proc.stderr


# ------------------------------------------------------------------- query parser


def test_deeply_nested_query_is_refused_not_a_crash(tmp_path: Path) -> None:
    path = build_store(tmp_path / "store")
    deep = "SELECT * WHERE " + "{" * 20_000 + " ?s ?p ?o " + "}" * 20_000
    proc = helixgraph("query", deep, "--store", str(path))
    assert proc.returncode == 2, proc.returncode  # not -11 (SIGSEGV in the parser)
    clear_failure(proc, "malformed query", "20000 levels deep; at most 256")
    shallow = "SELECT * WHERE " + "{" * 200 + " ?s ?p ?o " + "}" * 200 + " LIMIT 1"
    assert helixgraph("query", shallow, "--store", str(path)).returncode == 0


def test_killed_build_with_a_partial_directory_then_serve_works(tmp_path: Path) -> None:
    """A build SIGKILLed after writing data leaves the store and its link as they were;
    the next build and the server's store check both work."""
    path = build_store(tmp_path / "store")
    before = path.resolve()
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        import pyoxigraph as ox
        from helixgraph.store.access import replacing
        with replacing(Path({str(path)!r})) as st:
            st.add(ox.Quad(ox.NamedNode("http://x/s"), ox.NamedNode("http://x/p"), ox.Literal("o")))
            st.flush()
            os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run([sys.executable, "-c", script], timeout=60, capture_output=True)
    assert proc.returncode == -9
    assert path.resolve() == before
    assert len([d for d in hstore.builds_dir(path).iterdir() if d.is_dir()]) == 2  # the abandoned one is there
    assert not list(path.parent.glob("store.link-*"))
    ok = helixgraph("query", "ASK { ?s ?p ?o }", "--store", str(path), "--format", "json")
    assert ok.returncode == 0 and "true" in ok.stdout
