"""Errors shared by the store modules (kept apart so ``remote`` and ``store`` need not
import each other)."""

from __future__ import annotations


class StoreError(RuntimeError):
    """The store is missing, unreadable or cannot be replaced."""
