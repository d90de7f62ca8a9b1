"""One HTTP client (a pool of kept-alive connections) per remote server for the process,
and the error a server that cannot be reached or refuses a request raises."""

from __future__ import annotations

import atexit
import threading

import httpx

from helixgraph.store.errors import StoreError
from helixgraph.store.remote.config import RemoteConfig


class RemoteError(StoreError, OSError):
    """The server could not be reached or refused a request (not a syntax error)."""


_clients: dict[RemoteConfig, httpx.Client] = {}
_clients_lock = threading.Lock()


def client_for(config: RemoteConfig) -> httpx.Client:
    """One HTTP client (a pool of kept-alive connections) per server for the process."""
    with _clients_lock:
        client = _clients.get(config)
        if client is None:
            client = httpx.Client(
                auth=config.auth(), headers=config.headers(), timeout=config.timeout
            )
            _clients[config] = client
        return client


def close_clients() -> None:
    """Close every client's connections (at exit, or when a server goes away)."""
    with _clients_lock:
        while _clients:
            _clients.popitem()[1].close()


atexit.register(close_clients)
