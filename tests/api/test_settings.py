"""Server settings from HELIXGRAPH_* environment variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from helixgraph_api.settings import Settings, SettingsError


def test_defaults() -> None:
    s = Settings.from_env({})
    assert s.store == Path("var/store")
    assert s.admin_token is None
    assert s.query_timeout == 10.0
    assert s.max_result_bytes == 50_000_000
    assert s.max_request_bytes == 1_048_576
    assert s.query_workers >= 4
    assert not s.allow_service and not s.allow_load
    assert s.cors_origins == ("*",)
    assert s.memory_copy_bytes == 128 * 1024 * 1024


def test_values_from_env() -> None:
    s = Settings.from_env(
        {
            "HELIXGRAPH_STORE": "/data/store",
            "HELIXGRAPH_ADMIN_TOKEN": "t0k3n",
            "HELIXGRAPH_QUERY_TIMEOUT": "2.5",
            "HELIXGRAPH_MAX_RESULT_BYTES": "1000",
            "HELIXGRAPH_MAX_REQUEST_BYTES": "2000",
            "HELIXGRAPH_QUERY_WORKERS": "2",
            "HELIXGRAPH_CACHE_BYTES": "0",
            "HELIXGRAPH_MEMORY_COPY_BYTES": "0",
            "HELIXGRAPH_ALLOW_SERVICE": "1",
            "HELIXGRAPH_ALLOW_LOAD": "true",
            "HELIXGRAPH_CORS_ORIGINS": "https://a.example, https://b.example",
        }
    )
    assert s.store == Path("/data/store") and s.admin_token == "t0k3n"
    assert (s.query_timeout, s.max_result_bytes, s.max_request_bytes) == (2.5, 1000, 2000)
    assert (s.query_workers, s.cache_bytes, s.allow_service, s.allow_load) == (2, 0, True, True)
    assert s.cors_origins == ("https://a.example", "https://b.example")
    assert s.memory_copy_bytes == 0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("QUERY_TIMEOUT", "ten"),
        ("QUERY_TIMEOUT", "-1"),
        ("MAX_RESULT_BYTES", "1.5"),
        ("ALLOW_SERVICE", "maybe"),
        ("MEMORY_COPY_BYTES", "lots"),
    ],
)
def test_bad_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=f"HELIXGRAPH_{name}"):
        Settings.from_env({f"HELIXGRAPH_{name}": value})


def test_repr_hides_the_token() -> None:
    s = Settings.from_env({"HELIXGRAPH_ADMIN_TOKEN": "very-secret"})
    assert "very-secret" not in repr(s) and "very-secret" not in str(s)
