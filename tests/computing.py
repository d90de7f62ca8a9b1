"""Waiting through the public HTTP API for a view's metrics: a metric or map route answers
``503`` (``Being computed``) or a page ``202`` with ``Retry-After`` until they are there; a
map drawn before its centralities answers ``200`` with ``Retry-After``."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

R = TypeVar("R")  # an httpx or a requests response


def being_computed(r: Any) -> bool:
    """A 503/202 with ``Retry-After``, or a map drawn before its centralities (200 with
    ``Retry-After``: degree sizing meanwhile, see api.routes.maps._view)."""
    if "retry-after" not in r.headers or r.status_code not in (200, 202, 503):
        return False
    if r.status_code in (200, 202):
        return True
    try:
        return bool(r.json().get("title") == "Being computed")
    except ValueError:
        return False


def when_ready(call: Callable[[], R], timeout: float = 120.0, interval: float = 0.2) -> R:
    """``call()`` again while its answer says the metrics are being computed (at most
    ``timeout`` s; polling faster than ``Retry-After`` keeps the tests short)."""
    deadline = time.monotonic() + timeout
    r = call()
    while being_computed(r) and time.monotonic() < deadline:
        time.sleep(interval)
        r = call()
    return r
