"""A request cut off because the server is stopping gets 503 and ``Retry-After``.

At SIGTERM uvicorn waits a second for running requests (``helixgraph serve`` bounds the
graceful shutdown), then cancels them. Without this, each cancelled request answered 500
with a traceback in the log; it now answers 503 as a problem document that says why,
so a client or a proxy retries on another server (or on this one once it is back).
"""

from __future__ import annotations

import asyncio
import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("uvicorn.error")

BODY = json.dumps(
    {
        "type": "about:blank",
        "title": "Service Unavailable",
        "status": 503,
        "detail": "the server is stopping and could not finish this request; try again",
    }
).encode()


class ShutdownAnswers:
    """Pure ASGI middleware: a cancelled request whose answer has not started gets 503."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except asyncio.CancelledError:
            if started:
                raise
            log.info("%s %s cut off by the shutdown: answered 503", scope["method"], scope["path"])
            headers = [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(BODY)).encode()),
                (b"retry-after", b"5"),
                (b"connection", b"close"),
            ]
            await send({"type": "http.response.start", "status": 503, "headers": headers})
            await send({"type": "http.response.body", "body": BODY})
