"""``ServiceClient``: how a service calls another one's HTTP API.

When the target runs in this process the client talks to its ASGI app directly (still through all
of the target's middleware: auth, audit, errors); otherwise it uses HTTP to the target's URL. The
caller's token, request id and a child traceparent are forwarded; code that runs on behalf of a
service with no caller (a consumer, a task) sends that service's own token instead. Only idempotent
methods are retried, on connection failures and 502/503/504.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import httpx
from starlette.types import ASGIApp

from nilecare.kernel.auth.service_tokens import ServiceTokenIssuer
from nilecare.kernel.context import child_traceparent, current_context
from nilecare.kernel.errors import BadGateway, GatewayTimeout, Problem, ServiceUnavailable

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRYABLE_STATUS = frozenset({502, 503, 504})


class UpstreamProblem(Problem):
    """A 4xx answer from another service, passed on to our caller as it was."""


class ServiceClient:
    def __init__(
        self,
        service: str,
        *,
        base_url: str | None = None,
        app: ASGIApp | None = None,
        timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 0.1,
        service_tokens: ServiceTokenIssuer | None = None,
    ) -> None:
        if (base_url is None) == (app is None):
            raise ValueError("give exactly one of base_url or app")
        self.service = service
        self.service_tokens = service_tokens
        transport: httpx.AsyncBaseTransport
        if app is not None:
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 0))
            base_url = f"http://{service}.internal"
        else:
            transport = httpx.AsyncHTTPTransport(retries=0)
        self._http = httpx.AsyncClient(
            transport=transport, base_url=base_url or "", timeout=timeout
        )
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff

    def _forwarded_headers(self, token: str | None) -> dict[str, str]:
        headers: dict[str, str] = {}
        ctx = current_context()
        if ctx is not None:
            headers["x-request-id"] = ctx.request_id
            headers["traceparent"] = child_traceparent(ctx.traceparent)
            token = token or ctx.bearer_token
            if token is None and ctx.service is not None and self.service_tokens is not None:
                token = self.service_tokens.token_for(ctx.service)
        if token:
            headers["authorization"] = f"Bearer {token}"
        return headers

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        token: str | None = None,
    ) -> httpx.Response:
        method = method.upper()
        attempts = 1 + (self.retries if method in IDEMPOTENT else 0)
        headers = self._forwarded_headers(token)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                # The in-process transport ignores httpx timeouts; this bound holds for both.
                async with asyncio.timeout(self.timeout):
                    response = await self._http.request(
                        method, path, json=json, params=params, headers=headers
                    )
            except (httpx.TimeoutException, TimeoutError) as exc:
                if last:
                    raise GatewayTimeout(
                        f"The {self.service} service did not answer in time"
                    ) from exc
            except httpx.TransportError as exc:
                if last:
                    raise ServiceUnavailable(f"The {self.service} service is unreachable") from exc
            else:
                if response.status_code not in RETRYABLE_STATUS or last:
                    return response
            await asyncio.sleep(self.backoff * (2**attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    async def json(self, method: str, path: str, **kwargs: Any) -> Any:
        """The decoded body of a 2xx answer; a 4xx becomes an ``UpstreamProblem``, 5xx a 502."""
        response = await self.request(method, path, **kwargs)
        if response.is_success:
            return response.json() if response.content else None
        if 400 <= response.status_code < 500:
            body = _problem_body(response)
            errors = body.get("errors")
            raise UpstreamProblem(
                body.get("detail") or f"{self.service} refused the request",
                status=response.status_code,
                slug=str(body.get("type", "")).rsplit("/", 1)[-1] or "upstream-error",
                errors=errors if isinstance(errors, list) else None,
                **{k: v for k, v in body.items() if k not in _OWN_PROBLEM_MEMBERS},
            )
        raise BadGateway(f"The {self.service} service failed ({response.status_code})")

    async def aclose(self) -> None:
        await self._http.aclose()


# Members the re-raised problem sets itself; the rest (field errors aside) are extensions such as
# a conflict's ``bed_id``, passed on so the caller sees what the upstream said.
_OWN_PROBLEM_MEMBERS = frozenset(
    {"type", "title", "status", "detail", "instance", "request_id", "errors", "headers", "slug"}
)


def _problem_body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


class ServiceDirectory:
    """Where each service answers: an in-process app or a base URL (filled by the runtime)."""

    def __init__(self, service_tokens: ServiceTokenIssuer | None = None) -> None:
        self.service_tokens = service_tokens
        self._apps: dict[str, ASGIApp] = {}
        self._urls: dict[str, str] = {}
        self._clients: dict[str, ServiceClient] = {}

    def register_app(self, service: str, app: ASGIApp) -> None:
        self._apps[service] = app

    def register_url(self, service: str, url: str) -> None:
        self._urls[service] = url.rstrip("/")

    def names(self) -> list[str]:
        """Every service this process knows how to reach."""
        return sorted({*self._apps, *self._urls})

    def is_local(self, service: str) -> bool:
        return service in self._apps

    def app(self, service: str) -> ASGIApp | None:
        return self._apps.get(service)

    def url(self, service: str) -> str | None:
        return self._urls.get(service)

    def client(self, service: str) -> ServiceClient:
        client = self._clients.get(service)
        if client is None:
            app = self._apps.get(service)
            if app is not None:
                client = ServiceClient(service, app=app, service_tokens=self.service_tokens)
            elif service in self._urls:
                client = ServiceClient(
                    service, base_url=self._urls[service], service_tokens=self.service_tokens
                )
            else:
                raise LookupError(f"no address is configured for the {service} service")
            self._clients[service] = client
        return client

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()
