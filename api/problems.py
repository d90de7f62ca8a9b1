"""Errors as RFC 9457 problem documents (``application/problem+json``).

:class:`ProblemRoute` turns a route's errors into problems: 422 for malformed parameters
and for parameters that name nothing, 404 for unknown ids, and any :class:`ProblemDetail`
a route raises. ``ERRORS``/``LIST_ERRORS`` document them in a route's ``responses``.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from helixgraph.catalog import UnknownId

from .schemas import Problem

PROBLEM = "application/problem+json"


class ProblemDetail(Exception):
    """Raise to answer with an RFC 9457 problem document."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ):
        self.status, self.title, self.detail, self.errors = status, title, detail, errors
        self.headers = headers
        super().__init__(detail)


def problem(
    request: Request,
    status: int,
    title: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        type="about:blank",
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=errors,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM, headers=headers
    )


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {
            "loc": [str(p) for p in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors()
    ]


class ProblemRoute(APIRoute):
    """A route whose errors are problem+json: 422 bad parameters, 404 unknown ids."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                errors = _validation_errors(exc)
                where = ", ".join(".".join(e["loc"]) + ": " + e["msg"] for e in errors)
                return problem(request, 422, "Invalid parameters", where, errors)
            except UnknownId as exc:
                if exc.param:
                    return problem(
                        request,
                        422,
                        "Invalid parameters",
                        f"{exc.param}: {exc}",
                        [{"loc": ["query", exc.param], "msg": str(exc), "type": "unknown_id"}],
                    )
                return problem(request, 404, "Not Found", str(exc))
            except ProblemDetail as exc:
                return problem(request, exc.status, exc.title, exc.detail, exc.errors, exc.headers)
            except HTTPException as exc:
                return problem(request, exc.status_code, "Error", str(exc.detail))

        return route


PROBLEM_RESPONSE: dict[str, Any] = {
    "model": Problem,
    "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
}
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {**PROBLEM_RESPONSE, "description": "No resource with this id"},
    422: {**PROBLEM_RESPONSE, "description": "A parameter is malformed or names nothing"},
}
LIST_ERRORS: dict[int | str, dict[str, Any]] = {422: ERRORS[422]}
COMPUTE_ERRORS: dict[int | str, dict[str, Any]] = {
    503: {
        **PROBLEM_RESPONSE,
        "description": "Being computed (or the computation failed): try again after Retry-After",
    },
    504: {**PROBLEM_RESPONSE, "description": "The computation ran past its time limit"},
}
