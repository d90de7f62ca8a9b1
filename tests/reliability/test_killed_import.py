"""``helixgraph import`` killed (SIGKILL) while it writes the new store leaves the store
exactly as it was, and the next import works."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph as ox

from helixgraph import store as hstore
from helixgraph.ingest.build import build

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini_data"
CORDIS = ROOT / "tests" / "fixtures" / "imports" / "cordis_h2020_eunets"

KILLED = """
import os, signal, sys
import helixgraph.store as s
real = s.updating  # an import writes into a checkpoint of the build (store.updating)
class Dying:
    def __init__(self, path): self.cm = real(path)
    def __enter__(self):
        st = self.cm.__enter__()
        self.st = st
        return self
    def __getattr__(self, name):
        attr = getattr(self.st, name)
        if name in ("extend", "bulk_extend", "add", "load", "bulk_load"):
            def dying(*a, **k):
                attr(*a, **k)
                self.st.flush()
                os.kill(os.getpid(), signal.SIGKILL)
            return dying
        return attr
    def __len__(self): return len(self.st)
    def __exit__(self, *exc): return self.cm.__exit__(*exc)
s.updating = Dying
from helixgraph.cli.main import main
sys.argv = ["helixgraph", "import", "cordis-h2020", {cordis!r}, "--store", {store!r}]
main()
"""


def quads(path: Path) -> set[ox.Quad]:
    return set(hstore.open_store(path))


def test_killed_import_leaves_the_store_and_the_next_import_works(tmp_path: Path) -> None:
    path = tmp_path / "store"
    build(MINI, store_path=path)
    before, content = path.resolve(), quads(path)
    script = textwrap.dedent(KILLED.format(cordis=str(CORDIS), store=str(path)))
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=300)
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]
    assert path.resolve() == before
    assert quads(path) == content
    again = subprocess.run(
        [sys.executable, "-m", "helixgraph", "import", "cordis-h2020", str(CORDIS), "--store", str(path)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr[-2000:]
    assert path.resolve() != before
    assert len(quads(path)) > len(content)
