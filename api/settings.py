"""Server settings, read from ``HELIXGRAPH_*`` environment variables.

| variable | default | meaning |
|---|---|---|
| ``HELIXGRAPH_STORE`` | ``var/store`` | the store (a link to the current build, or a remote store descriptor) |
| ``HELIXGRAPH_SPARQL_QUERY_URL`` | unset | a SPARQL 1.1 server as the store (see :mod:`helixgraph.store.remote`) |
| ``HELIXGRAPH_ADMIN_TOKEN`` | unset | enables updates for requests with this Bearer token |
| ``HELIXGRAPH_QUERY_TIMEOUT`` | ``10`` | seconds a query may run before its worker is stopped |
| ``HELIXGRAPH_MAX_RESULT_BYTES`` | ``50000000`` | largest serialised result |
| ``HELIXGRAPH_MAX_REQUEST_BYTES`` | ``1048576`` | largest request body or query string |
| ``HELIXGRAPH_QUERY_WORKERS`` | ``max(4, CPUs)`` | worker processes, i.e. queries run at once |
| ``HELIXGRAPH_CACHE_BYTES`` | ``67108864`` | result cache per store version; ``0`` disables it |
| ``HELIXGRAPH_MEMORY_COPY_BYTES`` | ``134217728`` | query workers copy a store up to this size into memory |
| ``HELIXGRAPH_ALLOW_SERVICE`` | ``0`` | ``1`` lets queries use ``SERVICE`` (fetches other URLs) |
| ``HELIXGRAPH_ALLOW_LOAD`` | ``0`` | ``1`` lets admin updates use ``LOAD`` (fetches other URLs) |
| ``HELIXGRAPH_ANALYTICS_WORKERS`` | ``2`` | worker processes computing metrics and maps; ``0``: in the request |
| ``HELIXGRAPH_ANALYTICS_TIMEOUT`` | ``300`` | seconds a metric or map computation may run before it is stopped |
| ``HELIXGRAPH_ANALYTICS_RETRY`` | ``60`` | seconds a failed computation is reported before it is tried again |
| ``HELIXGRAPH_CORS_ORIGINS`` | ``*`` | origins allowed to call from a browser (comma-separated) |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PREFIX = "HELIXGRAPH_"


class SettingsError(ValueError):
    """An environment variable has a value that cannot be used."""


@dataclass(frozen=True)
class Settings:
    store: Path = Path("var/store")
    admin_token: str | None = None
    query_timeout: float = 10.0
    max_result_bytes: int = 50_000_000
    max_request_bytes: int = 1_048_576
    query_workers: int = max(4, os.cpu_count() or 1)
    cache_bytes: int = 64 * 1024 * 1024
    memory_copy_bytes: int = 128 * 1024 * 1024
    inline_seconds: float = 0.005
    allow_service: bool = False
    allow_load: bool = False
    cors_origins: tuple[str, ...] = ("*",)
    analytics_workers: int = 2
    analytics_timeout: float = 300.0
    analytics_retry: float = 60.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        default = cls()

        def get(name: str) -> str | None:
            value = env.get(PREFIX + name)
            return value.strip() if value is not None and value.strip() else None

        def number(name: str, fallback: float, kind: type[int] | type[float]) -> float:
            raw = get(name)
            if raw is None:
                return fallback
            try:
                value = kind(raw)
            except ValueError:
                raise SettingsError(f"{PREFIX}{name}={raw!r} is not a number") from None
            if value < 0:
                raise SettingsError(f"{PREFIX}{name}={raw!r} must not be negative")
            return value

        def flag(name: str) -> bool:
            raw = (get(name) or "0").lower()
            if raw not in ("0", "1", "true", "false", "yes", "no"):
                raise SettingsError(f"{PREFIX}{name}={raw!r}: use 1 or 0")
            return raw in ("1", "true", "yes")

        origins = get("CORS_ORIGINS")
        return cls(
            store=Path(get("STORE") or default.store),
            admin_token=get("ADMIN_TOKEN"),
            query_timeout=float(number("QUERY_TIMEOUT", default.query_timeout, float)),
            max_result_bytes=int(number("MAX_RESULT_BYTES", default.max_result_bytes, int)),
            max_request_bytes=int(number("MAX_REQUEST_BYTES", default.max_request_bytes, int)),
            query_workers=max(1, int(number("QUERY_WORKERS", default.query_workers, int))),
            cache_bytes=int(number("CACHE_BYTES", default.cache_bytes, int)),
            memory_copy_bytes=int(number("MEMORY_COPY_BYTES", default.memory_copy_bytes, int)),
            inline_seconds=float(number("INLINE_SECONDS", default.inline_seconds, float)),
            allow_service=flag("ALLOW_SERVICE"),
            allow_load=flag("ALLOW_LOAD"),
            cors_origins=tuple(o.strip() for o in origins.split(",")) if origins else ("*",),
            analytics_workers=int(number("ANALYTICS_WORKERS", default.analytics_workers, int)),
            analytics_timeout=float(number("ANALYTICS_TIMEOUT", default.analytics_timeout, float)),
            analytics_retry=float(number("ANALYTICS_RETRY", default.analytics_retry, float)),
        )

    def __repr__(self) -> str:  # never print the token
        token = "set" if self.admin_token else "unset"
        return f"Settings(store={self.store}, admin_token={token}, timeout={self.query_timeout})"
