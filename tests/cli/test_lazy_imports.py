"""The command line loads the network-science libraries only for the commands that use them:
``helixgraph --help``, ``build`` and ``import`` never pay for networkx, SciPy and igraph
(1.3 s of CPU before any work, measured for issue 23). Each check runs in a fresh
interpreter and looks at ``sys.modules``."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("networkx", "scipy", "igraph")


def loaded_after(code: str, *args: str) -> list[str]:
    """The heavy modules loaded once ``code`` has run in a new interpreter (with ``args``
    as ``sys.argv[1:]``); ``code`` may end by raising SystemExit (a Typer app does)."""
    script = (
        "import json, sys\n"
        f"try:\n    exec({code!r})\nexcept SystemExit:\n    pass\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return list(json.loads(proc.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_loads_no_network_science() -> None:
    assert loaded_after("import helixgraph.cli.main") == []


def test_help_loads_no_network_science() -> None:
    code = "from helixgraph.cli.main import app\napp(['--help'])"
    assert loaded_after(code) == []
    code = "from helixgraph.cli.main import app\napp(['import', '--help'])"
    assert loaded_after(code) == []


def test_the_check_sees_a_heavy_module() -> None:
    """The check itself works: the metrics command's module path does load networkx."""
    assert "networkx" in loaded_after("import helixgraph.analytics.suite")


def test_the_cli_spells_the_constants_of_the_wings_it_does_not_import() -> None:
    from helixgraph import network
    from helixgraph.analytics import precompute, suite
    from helixgraph.cli import analytics

    assert analytics.STORE_FAMILIES == suite.STORE_FAMILIES
    assert analytics.DEFAULT_WEIGHTING == network.DEFAULT_WEIGHTING
    assert analytics.NO_PRECOMPUTE_ENV == precompute.NO_PRECOMPUTE_ENV
