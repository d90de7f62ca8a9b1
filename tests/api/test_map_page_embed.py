"""A map page embeds its rendered payload parsed and escaped once per graph version and
view (api/routes/maps.py ``_embedded``), not on every request."""

from __future__ import annotations

import json

from helixgraph_api.routes import maps


def test_the_embedded_payload_is_escaped_and_kept_per_version_and_view() -> None:
    payload = {
        "counts": {"nodes": 2, "edges": 1},
        "ego": 1,
        "nodes": {"label": ["A & B", "</script><b>x"]},
        "version": "v1",
        "notices": ["n"],
    }
    raw = json.dumps(payload).encode()
    shown, escaped = maps._embedded(raw, ("v1", "[]"), True)
    assert "<" not in escaped and ">" not in escaped and "&" not in escaped
    assert json.loads(escaped) == payload  # the escapes are JSON's own
    assert shown["counts"] == payload["counts"] and shown["version"] == "v1"
    assert shown["nodes"]["label"][shown["ego"]] == "</script><b>x"
    again = maps._embedded(b"not parsed again", ("v1", "[]"), True)
    assert again[1] is escaped  # kept: the second page does not parse
    other = maps._embedded(raw, ("v2", "[]"), False)  # drawn early: not kept
    assert maps._embedded(b'{"counts": {}}', ("v2", "[]"), False)[1] != other[1]
    for i in range(maps.EMBEDDED_KEPT + 1):
        maps._embedded(raw, (f"w{i}", "[]"), True)
    assert ("v1", "[]") not in maps._EMBEDDED  # the oldest went
