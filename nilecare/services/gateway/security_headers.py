"""Security headers on every response the gateway sends, whoever produced it.

API answers get a Content-Security-Policy that allows nothing (they are data, never a page) and
``Cache-Control: no-store`` unless the service chose a caching policy (answers carry patient
data; no shared cache may keep them). HTML gets a page policy that allows only this origin. A
response that already carries a CSP keeps it: only the gateway's own pages set one (Swagger UI).
HSTS is sent only on requests that arrived over HTTPS (directly or via a trusted proxy).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nilecare.services.gateway.client_address import ClientAddresses

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

_CSP = b"content-security-policy"
_API_CSP = API_CSP.encode()
_PAGE_CSP = PAGE_CSP.encode()
_CACHE_CONTROL = b"cache-control"
_CONTENT_TYPE = b"content-type"

ALWAYS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", PERMISSIONS_POLICY.encode()),
)
_REPLACED = frozenset(name for name, _ in ALWAYS) | {b"strict-transport-security"}


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, addresses: ClientAddresses, hsts_max_age: int) -> None:
        self.app = app
        self.addresses = addresses
        self._hsts = (
            (b"strict-transport-security", f"max-age={hsts_max_age}; includeSubDomains".encode())
            if hsts_max_age > 0
            else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = self._hsts is not None and self.addresses.is_https(scope)
        api = scope["path"].startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": self._headers(message, https=https, api=api)}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _headers(self, message: Message, *, https: bool, api: bool) -> list[tuple[bytes, bytes]]:
        has_csp = has_cache_control = html = False
        headers: list[tuple[bytes, bytes]] = []
        for name, value in message.get("headers", ()):
            if name in _REPLACED:
                continue
            if name == _CSP:
                has_csp = True
            elif name == _CACHE_CONTROL:
                has_cache_control = True
            elif name == _CONTENT_TYPE:
                html = value.startswith(b"text/html")
            headers.append((name, value))
        headers.extend(ALWAYS)
        if not has_csp:
            headers.append((_CSP, _PAGE_CSP if html else _API_CSP))
        if api and not has_cache_control:
            headers.append((_CACHE_CONTROL, b"no-store"))
        if https and self._hsts is not None:
            headers.append(self._hsts)
        return headers
