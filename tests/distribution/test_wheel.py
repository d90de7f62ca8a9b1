"""The distribution a user installs: ``python -m build`` makes an sdist and a wheel from a clean
copy of the project's files (the wheel built from the sdist, so the sdist is complete), twine
checks them, and the wheel, installed in a fresh virtual environment, builds and serves the
default region from a directory outside the clone (issue 26)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from helixgraph import __version__
from tests.processes import free_port, stop, wait_answering

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def run(*argv: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, f"{argv}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def tracked_copy(target: Path) -> Path:
    """The project's files as a clean checkout would have them (tracked and new, not ignored)."""
    names = run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for name in filter(None, names.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git clone: the tracked files are unknown")
    copy = tracked_copy(tmp_path_factory.mktemp("clean") / "helixgraph")
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--outdir", out, copy, cwd=copy)
    return out


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    (found,) = dist.glob("helixgraph-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("venv") / "env"
    run(sys.executable, "-m", "venv", where, cwd=where.parent)
    run(where / "bin" / "python", "-m", "pip", "install", "-q", wheel, cwd=where.parent)
    return where


def outside_env(home: Path) -> dict[str, str]:
    """No clone on the path, no HELIXGRAPH_* settings: a user's shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELIXGRAPH_", "PYTHON"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"))
    env.update(XDG_CACHE_HOME=str(home / ".cache"))
    return env


def test_twine_accepts_both_files(dist: Path) -> None:
    files = sorted(dist.iterdir())
    assert sorted(f.suffix for f in files) == [".gz", ".whl"]
    run(sys.executable, "-m", "twine", "check", "--strict", *files, cwd=dist)


def test_the_wheel_carries_ontology_data_and_bundles(wheel: Path) -> None:
    assert wheel.name.startswith(f"helixgraph-{__version__}-")
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in ("ontology/helix.ttl", "ontology/shapes.ttl", "data/organisations.csv",
                    "data/regional/MANIFEST.csv", "data/regional/nl_places.csv.gz"):  # fmt: skip
        assert f"helixgraph/shipped/{shipped}" in names
    regional = [n for n in names if n.startswith("helixgraph/shipped/data/regional/cordis-")]
    assert len(regional) >= 3
    for asset in ("static/bundles/map.js", "static/bundles/query.js", "templates/base.html"):
        assert f"helixgraph_api/{asset}" in names
    tops = {n.split("/", 1)[0] for n in names}
    assert tops == {"helixgraph", "helixgraph_api", f"helixgraph-{__version__}.dist-info"}


@pytest.fixture(scope="module")
def served(venv: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``helixgraph build`` then ``helixgraph serve`` from an empty directory."""
    home = tmp_path_factory.mktemp("home")
    work = tmp_path_factory.mktemp("elsewhere")
    env = outside_env(home)
    run(venv / "bin" / "helixgraph", "build", "-q", cwd=work, env=env)
    port = free_port()
    log = work / "serve.log"
    with log.open("wb") as handle:
        proc = subprocess.Popen(
            [venv / "bin" / "helixgraph", "serve", "--port", str(port)],
            cwd=work, env=env, stdout=handle, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_answering(proc, url + "/healthz", "the installed server", log=log)
        yield url
    finally:
        stop(proc)
    store = home / ".local" / "share" / "helixgraph" / "store"
    assert store.is_dir(), "the store lives in the user's data directory"
    assert not (work / "var").exists()


def test_import_api_fails_in_the_installed_environment(venv: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [venv / "bin" / "python", "-c", "import api"],
        cwd=tmp_path, env=outside_env(tmp_path), capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 1 and "No module named 'api'" in done.stderr


def test_the_installed_caches_live_in_the_users_directories(venv: Path, tmp_path: Path) -> None:
    """The analytics results an installed server keeps go to the user's cache directory,
    never into the directory the server was started from (``var/cache`` of a clone)."""
    home = tmp_path / "home"
    code = "from helixgraph.analytics.cache import cache_dir; print(cache_dir().absolute())"
    out = run(venv / "bin" / "python", "-c", code, cwd=tmp_path, env=outside_env(home))
    assert Path(out.strip()) == home / ".cache" / "helixgraph" / "metrics"


def test_the_installed_command_shows_the_version(venv: Path, tmp_path: Path) -> None:
    out = run(venv / "bin" / "helixgraph", "--version", cwd=tmp_path, env=outside_env(tmp_path))
    assert out.strip() == f"helixgraph {__version__}"


@pytest.mark.parametrize(
    ("path", "expect"),
    [
        ("/", "helixgraph"),
        ("/map", "map.js"),
        ("/map/data", '"nodes"'),
        ("/query", "query.js"),
        ("/static/bundles/map.js", "sigma"),
        ("/api/organisations/umcg", "03cv38k47"),  # from the shipped regional extracts
        ("/id/org/umcg", "UMCG"),
        ("/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", "true"),
        ("/openapi.json", __version__),
        ("/ontology", "Organisation"),
        ("/healthz", "ok"),
    ],
)
def test_the_installed_server_answers(served: str, path: str, expect: str) -> None:
    """Every answer comes at once; a map whose first drawing is being computed (by the
    analytics workers, while the build's views are precomputed) says so and is asked again."""
    headers = {"Accept": "text/html,application/json"}
    deadline = time.monotonic() + 600
    r = httpx.get(served + path, timeout=180, headers=headers)
    while r.status_code in (202, 503) and "retry-after" in r.headers:
        assert time.monotonic() < deadline, (path, r.status_code, r.text[:300])
        time.sleep(1)
        r = httpx.get(served + path, timeout=180, headers=headers)
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    assert expect in r.text, (path, r.text[:300])
