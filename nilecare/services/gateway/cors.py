"""CORS for the configured origins (Starlette's pure-ASGI middleware), refusals as problem+json."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp

from nilecare.kernel.errors import BadRequest, problem_response

ALLOWED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
ALLOWED_HEADERS = (
    "authorization",
    "content-type",
    "if-match",
    "if-none-match",
    "idempotency-key",
    "traceparent",
    "x-request-id",
)
EXPOSED_HEADERS = ("etag", "location", "retry-after", "x-request-id")


class ProblemCORSMiddleware(CORSMiddleware):
    def __init__(self, app: ASGIApp, *, origins: list[str], allow_credentials: bool) -> None:
        super().__init__(
            app,
            allow_origins=origins,
            allow_methods=ALLOWED_METHODS,
            allow_headers=ALLOWED_HEADERS,
            allow_credentials=allow_credentials,
            expose_headers=EXPOSED_HEADERS,
            max_age=600,
        )

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        refused = problem_response(BadRequest(bytes(response.body).decode(), slug="cors-refused"))
        for name, value in response.headers.items():
            if name.startswith("access-control-") or name == "vary":
                refused.headers[name] = value
        return refused
