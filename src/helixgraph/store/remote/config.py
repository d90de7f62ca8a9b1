"""Where a remote SPARQL server is and how to talk to it: :class:`RemoteConfig`, read
from the environment (:meth:`RemoteConfig.from_env`) or from a store descriptor, a JSON
file usable wherever a store path is (:meth:`RemoteConfig.from_file`).

The environment:

* ``HELIXGRAPH_SPARQL_QUERY_URL``: the query endpoint; setting it makes the default
  store remote (a descriptor file at any store path does the same for that path);
* ``HELIXGRAPH_SPARQL_UPDATE_URL``: the update endpoint (to write without the Graph
  Store Protocol, and for the SPARQL endpoint's updates);
* ``HELIXGRAPH_SPARQL_GSP_URL``: the Graph Store Protocol endpoint (bulk loading);
* ``HELIXGRAPH_SPARQL_UNION``: ``param`` (the default and the only value now accepted).
  helixgraph keeps the merge of its named graphs in the server's default graph itself
  (:mod:`helixgraph.store.merge`) and queries it without ``union-default-graph``; the
  parameter is sent only to a caller that asks for Oxigraph's union explicitly. ``server``
  (the server's own union default graph: Virtuoso, GraphDB, Fuseki with
  ``tdb2:unionDefaultGraph``) is refused: such a union counts a triple once per graph on
  some engines and would hide or double the merge, so start the server without it;
* ``HELIXGRAPH_SPARQL_GSP_PARAMS``: extra query parameters for Graph Store requests, e.g.
  ``no_transaction`` (Oxigraph: load with its bulk loader, 3x faster, but a failed load
  leaves the graph half-written instead of as it was);
* ``HELIXGRAPH_SPARQL_GRAPHS``: an IRI prefix; helixgraph then sees, counts, replaces and
  drops only the graphs under it: needed on servers with graphs of their own (Virtuoso's
  system graphs), e.g. ``https://w3id.org/helixgraph/``. The server's default graph is
  still helixgraph's: it holds the merge of the graphs under the prefix;
* ``HELIXGRAPH_SPARQL_USER`` and ``_PASSWORD`` (HTTP basic) or ``_TOKEN`` (bearer);
* ``HELIXGRAPH_SPARQL_TIMEOUT``: seconds one HTTP request may take (default 300);
* ``HELIXGRAPH_SPARQL_ENGINE``: ``virtuoso`` for OpenLink Virtuoso (7.2), whose
  differences the remote layer then handles (see :mod:`~helixgraph.store.remote.virtuoso`):
  it has no default graph of its own (a query without a dataset reads every graph, its
  system graphs included), so helixgraph's default graph is a graph of its own there, and
  Virtuoso's system graphs are hidden from ``GRAPH ?g``; otherwise empty (any SPARQL 1.1
  server; Oxigraph is the one tested).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

ENV = "HELIXGRAPH_SPARQL_"
KIND = "helixgraph-remote-store"
ENGINES = ("", "virtuoso")


@dataclass(frozen=True)
class RemoteConfig:
    """Where the server is and how to talk to it; credentials come from the environment."""

    query_url: str
    update_url: str | None = None
    gsp_url: str | None = None
    union: str = "param"
    user: str | None = None
    password: str | None = None
    token: str | None = None
    timeout: float = 300.0
    graphs: str = ""
    gsp_params: str = ""
    engine: str = ""

    @property
    def virtuoso(self) -> bool:
        return self.engine == "virtuoso"

    @property
    def shared(self) -> bool:
        """True when the server's default graph or some of its graphs are not helixgraph's
        alone: then only named graphs (under the prefix) are read, counted and replaced
        (the default graph still holds the merge of those graphs)."""
        return bool(self.graphs)

    def __post_init__(self) -> None:
        if self.union == "server":
            raise ValueError(
                f"{ENV}UNION=server is no longer supported: helixgraph keeps the merge of "
                "its graphs in the server's default graph (each triple once); start the "
                "server without a union default graph and unset the setting (or use 'param')"
            )
        if self.union != "param":
            raise ValueError(f"{ENV}UNION={self.union!r}: use 'param'")
        if self.engine not in ENGINES:
            raise ValueError(f"{ENV}ENGINE={self.engine!r}: use 'virtuoso' or leave it unset")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RemoteConfig | None:
        """The configuration in ``HELIXGRAPH_SPARQL_*``, or None without a query URL."""
        env = os.environ if env is None else env

        def get(name: str) -> str | None:
            value = env.get(ENV + name, "").strip()
            return value or None

        url = get("QUERY_URL")
        if url is None:
            return None
        raw_timeout = get("TIMEOUT") or "300"
        try:
            timeout = float(raw_timeout)
        except ValueError:
            raise ValueError(f"{ENV}TIMEOUT={raw_timeout!r} is not a number") from None
        return cls(
            url,
            get("UPDATE_URL"),
            get("GSP_URL"),
            get("UNION") or "param",
            get("USER"),
            get("PASSWORD"),
            get("TOKEN"),
            timeout,
            get("GRAPHS") or "",
            get("GSP_PARAMS") or "",
            (get("ENGINE") or "").lower(),
        )

    @classmethod
    def from_file(cls, path: Path, env: Mapping[str, str] | None = None) -> RemoteConfig:
        """A store descriptor: a JSON file naming the endpoints (never the credentials,
        which still come from the environment), usable wherever a store path is."""
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"{path}: not a helixgraph remote store descriptor ({exc})") from None
        if not isinstance(doc, dict) or doc.get("kind") != KIND or "query" not in doc:
            raise ValueError(
                f"{path}: not a helixgraph remote store descriptor "
                f'(expected {{"kind": "{KIND}", "query": URL, ...}})'
            )
        base = cls.from_env(env) or cls(str(doc["query"]))
        return cls(
            str(doc["query"]),
            doc.get("update"),
            doc.get("gsp"),
            str(doc.get("union", "param")),
            base.user,
            base.password,
            base.token,
            float(doc.get("timeout", base.timeout)),
            str(doc.get("graphs", "")),
            str(doc.get("gsp_params", "")),
            str(doc.get("engine") or base.engine),
        )

    def write(self, path: Path) -> Path:
        """Write a descriptor for this configuration (without credentials) at ``path``."""
        doc = {
            "kind": KIND,
            "query": self.query_url,
            "update": self.update_url,
            "gsp": self.gsp_url,
            "union": self.union,
            "timeout": self.timeout,
            "graphs": self.graphs,
            "gsp_params": self.gsp_params,
            "engine": self.engine,
        }
        path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        return path

    def auth(self) -> httpx.Auth | None:
        return httpx.BasicAuth(self.user, self.password or "") if self.user else None

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token and not self.user else {}
