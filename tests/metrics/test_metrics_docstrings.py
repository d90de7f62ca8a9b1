"""Every metric's docstring Example runs and gives what it shows; every metric cites References."""

from __future__ import annotations

import doctest
import importlib
import inspect

import pytest

MODULES = [
    "centrality",
    "structural_holes",
    "brokerage",
    "helix",
    "synergy",
    "communities",
    "funding",
]


@pytest.mark.parametrize("name", MODULES)
def test_examples_run(name: str) -> None:
    module = importlib.import_module(f"helixgraph.metrics.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize("name", MODULES)
def test_public_functions_have_example_and_references(name: str) -> None:
    module = importlib.import_module(f"helixgraph.metrics.{name}")
    for fname, fn in inspect.getmembers(module, inspect.isfunction):
        if fname.startswith("_") or fn.__module__ != module.__name__:
            continue
        doc = fn.__doc__ or ""
        assert "Example" in doc and ">>>" in doc, fname
        assert "References" in doc, fname
