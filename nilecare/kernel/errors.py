"""RFC 9457 problem details for every error a service answers.

Raise a ``Problem`` subclass from any layer; the handlers installed by ``install_error_handlers``
turn it, validation errors, unknown routes and unexpected exceptions into
``application/problem+json``. An unexpected exception is logged with the request id and answered
with a generic body: no stack trace ever leaves the process.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from nilecare.kernel.context import current_request_id

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://nilecare.sd/problems/"

log = structlog.get_logger("nilecare.errors")

_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    423: "Locked",
    429: "Too many requests",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}


class Problem(Exception):
    """An error answered as problem+json; ``slug`` makes the stable ``type`` URI."""

    status = 400
    slug = "bad-request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        status: int | None = None,
        slug: str | None = None,
        title: str | None = None,
        headers: Mapping[str, str] | None = None,
        errors: Sequence[Mapping[str, Any]] | None = None,
        **extensions: Any,
    ) -> None:
        self.status = status or self.status
        self.slug = slug or self.slug
        self.title = title or _TITLES.get(self.status, "Error")
        self.detail = detail
        self.headers = dict(headers or {})
        self.errors = list(errors or [])
        self.extensions = extensions
        super().__init__(detail or self.title)

    @property
    def type_uri(self) -> str:
        return PROBLEM_BASE + self.slug

    def body(self, instance: str | None = None) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "type": self.type_uri,
            "title": self.title,
            "status": self.status,
        }
        if self.detail:
            payload["detail"] = self.detail
        if instance:
            payload["instance"] = instance
        if self.errors:
            payload["errors"] = self.errors
        payload.update(self.extensions)
        request_id = current_request_id()
        if request_id:
            payload["request_id"] = request_id
        return payload


class BadRequest(Problem):
    status, slug = 400, "bad-request"


class ValidationFailed(Problem):
    status, slug = 422, "validation-error"

    @classmethod
    def field(cls, field: str, message: str) -> ValidationFailed:
        return cls(f"{field}: {message}", errors=[{"field": field, "message": message}])


class Unauthorized(Problem):
    status, slug = 401, "unauthorized"

    def __init__(self, detail: str | None = "Authentication is required", **kw: Any) -> None:
        kw.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, **kw)


class Forbidden(Problem):
    status, slug = 403, "forbidden"


class NotFound(Problem):
    status, slug = 404, "not-found"


class Conflict(Problem):
    status, slug = 409, "conflict"


class PayloadTooLarge(Problem):
    status, slug = 413, "payload-too-large"


class Locked(Problem):
    status, slug = 423, "locked"


class TooManyRequests(Problem):
    status, slug = 429, "too-many-requests"

    def __init__(self, retry_after: int, detail: str | None = None, **kw: Any) -> None:
        kw.setdefault("headers", {"Retry-After": str(max(1, retry_after))})
        super().__init__(detail or "Too many requests; try again later", **kw)


class BadGateway(Problem):
    status, slug = 502, "bad-gateway"


class ServiceUnavailable(Problem):
    status, slug = 503, "service-unavailable"


class GatewayTimeout(Problem):
    status, slug = 504, "gateway-timeout"


def problem_response(problem: Problem, instance: str | None = None) -> JSONResponse:
    return JSONResponse(
        problem.body(instance),
        status_code=problem.status,
        headers=problem.headers,
        media_type=PROBLEM_JSON,
    )


def _field_name(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:] or parts
    return ".".join(parts)


def validation_problem(exc: RequestValidationError) -> Problem:
    errors = [
        {"field": _field_name(err.get("loc", ())), "message": str(err.get("msg", "invalid"))}
        for err in exc.errors()
    ]
    if any(err.get("type") == "json_invalid" for err in exc.errors()):
        return BadRequest(
            "The request body is not valid JSON", slug="malformed-json", errors=errors
        )
    fields = ", ".join(sorted({e["field"] for e in errors if e["field"]}))
    return ValidationFailed(
        f"Invalid input: {fields}" if fields else "Invalid input", errors=errors
    )


def install_error_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return problem_response(exc, request.url.path)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return problem_response(validation_problem(exc), request.url.path)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        detail = exc.detail if isinstance(exc.detail, str) else None
        if exc.status_code == 404 and detail == "Not Found":
            detail = "No such resource"
        problem = Problem(detail, status=exc.status_code, slug=slug, headers=exc.headers or {})
        return problem_response(problem, request.url.path)

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)


def internal_error_body() -> dict[str, Any]:
    return Problem("An unexpected error occurred", status=500, slug="internal-error").body()
