"""One OpenAPI document for the whole platform, and Swagger UI to read it.

Each upstream's document is taken from the app itself (in-process) or fetched from
``<url>/openapi.json`` (remote) and cached. Only the paths the gateway routes to that upstream are
kept (a service's own ``/health`` is not reachable through the gateway). Schemas are merged into
one ``components.schemas``; when two services define the same name differently, the later one is
renamed ``<service>__<name>`` and its references rewritten. Operations the service declares public
get ``security: []``; every other one needs the bearer token. An upstream that cannot be read is
left out and listed under ``x-nilecare-unavailable``: the document is still served.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import hashlib
import re
import time
from collections.abc import Callable, Sequence
from typing import Any

import httpx
import structlog
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.responses import HTMLResponse

from nilecare.services.gateway.routing import PublicEndpoints, RouteTable, Upstream

log = structlog.get_logger("nilecare.gateway.openapi")

SCHEMA_REF = "#/components/schemas/"
BEARER_SCHEME = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
SWAGGER_ASSETS = "https://cdn.jsdelivr.net"
SWAGGER_ICON = "https://fastapi.tiangolo.com"

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _rewrite_refs(node: Any, renamed: dict[str, str]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF):
            name = ref[len(SCHEMA_REF) :]
            if name in renamed:
                node = {**node, "$ref": SCHEMA_REF + renamed[name]}
        return {key: _rewrite_refs(value, renamed) for key, value in node.items()}
    if isinstance(node, list):
        return [_rewrite_refs(item, renamed) for item in node]
    return node


def merge_documents(
    base: dict[str, Any],
    parts: Sequence[tuple[Upstream, dict[str, Any]]],
    routes: RouteTable,
    unavailable: Sequence[str] = (),
) -> dict[str, Any]:
    """``base`` (the gateway's own document) with each upstream's routed paths and schemas."""
    merged = copy.deepcopy(base)
    paths: dict[str, Any] = merged.setdefault("paths", {})
    components: dict[str, Any] = merged.setdefault("components", {})
    schemas: dict[str, Any] = components.setdefault("schemas", {})
    components.setdefault("securitySchemes", {})["bearerAuth"] = BEARER_SCHEME
    merged["security"] = [{"bearerAuth": []}]
    # The gateway's own operations (health) are all public.
    for item in paths.values():
        for method, operation in item.items():
            if method in HTTP_METHODS and isinstance(operation, dict):
                operation["security"] = []
    for upstream, document in parts:
        public = PublicEndpoints(upstream.public_endpoints)
        renamed: dict[str, str] = {}
        own_schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
        for name, schema in own_schemas.items():
            if name in schemas and schemas[name] != schema:
                renamed[name] = f"{upstream.service}__{name}"
        for name, schema in own_schemas.items():
            schemas[renamed.get(name, name)] = _rewrite_refs(schema, renamed)
        for path, item in document.get("paths", {}).items():
            if not routes.owns(upstream, path):
                continue
            item = _rewrite_refs(item, renamed)
            for method, operation in item.items():
                if method in HTTP_METHODS and isinstance(operation, dict):
                    if public.matches(method.upper(), path):
                        operation["security"] = []
                    operation.setdefault("tags", [upstream.service])
            paths[path] = item
    if unavailable:
        merged["x-nilecare-unavailable"] = list(unavailable)
        note = "Left out because they could not be reached: " + ", ".join(unavailable) + "."
        info = merged.setdefault("info", {})
        info["description"] = f"{info.get('description', '')}\n\n{note}".strip()
    return merged


class OpenApiAggregator:
    def __init__(
        self,
        routes: RouteTable,
        *,
        own_document: Callable[[], dict[str, Any]],
        http: httpx.AsyncClient,
        cache_seconds: float,
        fetch_timeout: float,
    ) -> None:
        self.routes = routes
        self._own_document = own_document
        self._http = http
        self._cache_seconds = cache_seconds
        self._fetch_timeout = fetch_timeout
        self._cached: dict[str, tuple[float, dict[str, Any]]] = {}
        self._lock = asyncio.Lock()

    async def _fetch(self, upstream: Upstream) -> dict[str, Any]:
        if upstream.app is not None:
            openapi = getattr(upstream.app, "openapi", None)
            if callable(openapi):
                document: dict[str, Any] = openapi()
                return document
            transport = httpx.ASGITransport(app=upstream.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://upstream") as c:
                response = await c.get("/openapi.json", timeout=self._fetch_timeout)
        else:
            url = f"{str(upstream.url).rstrip('/')}/openapi.json"
            response = await self._http.get(url, timeout=self._fetch_timeout)
        response.raise_for_status()
        fetched = response.json()
        if not isinstance(fetched, dict):
            raise ValueError("the OpenAPI document is not a JSON object")
        return fetched

    async def _document_of(self, upstream: Upstream) -> dict[str, Any] | None:
        cached = self._cached.get(upstream.service)
        now = time.monotonic()
        if cached is not None and now - cached[0] < self._cache_seconds:
            return cached[1]
        try:
            async with asyncio.timeout(self._fetch_timeout):
                document = await self._fetch(upstream)
        except Exception as exc:
            log.warning("openapi_unavailable", service=upstream.service, error=type(exc).__name__)
            return None
        self._cached[upstream.service] = (now, document)
        return document

    async def document(self) -> dict[str, Any]:
        async with self._lock:
            results = await asyncio.gather(*(self._document_of(u) for u in self.routes.upstreams))
        parts = [(u, d) for u, d in zip(self.routes.upstreams, results, strict=True) if d]
        missing = [u.service for u, d in zip(self.routes.upstreams, results, strict=True) if not d]
        return merge_documents(self._own_document(), parts, self.routes, missing)


def swagger_ui(openapi_url: str, title: str) -> HTMLResponse:
    """Swagger UI with a CSP that allows its CDN assets and only its own inline script (by hash)."""
    page = get_swagger_ui_html(openapi_url=openapi_url, title=title)
    html = bytes(page.body).decode()
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in _INLINE_SCRIPT.findall(html)
    )
    policy = (
        f"default-src 'none'; script-src {SWAGGER_ASSETS} {hashes}; "
        f"style-src {SWAGGER_ASSETS} 'unsafe-inline'; img-src 'self' data: {SWAGGER_ICON}; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )
    return HTMLResponse(html, headers={"content-security-policy": policy})
