"""Reading SPARQL-protocol HTTP requests and writing their plain-text answers: what the
SPARQL endpoint (:mod:`api.routes.sparql`) and the Graph Store Protocol
(:mod:`api.routes.graph_store`) share.

Errors are plain text with a fitting status (raise :class:`ProtocolError`): 400 malformed
request or query, 403 writes without the admin token, 413 request too large, 415
unsupported media type; an :class:`~helixgraph.sparql.Outcome` maps to its own status.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request, Response
from fastapi.responses import PlainTextResponse
from fastapi.routing import APIRoute

from helixgraph.sparql import STATUS, Outcome, parse_accept

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"


class PlainRoute(APIRoute):
    """A route whose endpoint takes the request alone: described in the OpenAPI document
    like any other, but called without FastAPI's dependency solving, which cost a
    cached SPARQL answer about a fifth of its time in the app."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        endpoint: Callable[[Request], Coroutine[Any, Any, Response]] = self.endpoint
        return endpoint


class ProtocolError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status)


def respond(outcome: Outcome) -> Response:
    status = STATUS.get(outcome.status, 500)
    if outcome.status == "ok":
        return Response(outcome.body, media_type=outcome.media_type, headers={"Vary": "Accept"})
    if outcome.status == "updated":
        return Response(status_code=204)
    return error(status, outcome.message)


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"request body larger than {limit:,} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, f"request body larger than {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"{what} is not valid UTF-8: {exc}") from None


def content_type(request: Request) -> tuple[str, str | None]:
    raw = request.headers.get("content-type", "")
    media_type, *params = (p.strip() for p in raw.split(";"))
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.lower(), charset


def params_of(request: Request, settings_limit: int) -> list[tuple[str, str]]:
    query_string = request.url.query
    if len(query_string) > settings_limit:
        raise ProtocolError(413, f"query string longer than {settings_limit:,} bytes")
    params = request.query_params.multi_items()  # parsed once already, by FastAPI
    if not any("\ufffd" in k or "\ufffd" in v for k, v in params):
        return params
    try:  # a replacement character: invalid UTF-8, or one sent as such
        return parse_qsl(query_string, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"query string is not valid UTF-8: {exc}") from None


def one(params: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in params if k == name]
    if len(values) > 1:
        raise ProtocolError(400, f"more than one '{name}' parameter")
    return values[0] if values else None


def all_of(params: list[tuple[str, str]], name: str) -> tuple[str, ...]:
    return tuple(v for k, v in params if k == name)


def token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def endpoint(request: Request) -> str:
    return str(request.url.replace(query="", fragment=""))


def wants_html(request: Request) -> bool:
    ranges = dict(parse_accept(request.headers.get("accept", "")))
    html = ranges.get("text/html", 0.0)
    return html > 0 and html >= max(
        [q for r, q in ranges.items() if r not in ("text/html", "application/xhtml+xml", "*/*")],
        default=0.0,
    )
