"""Which upstream serves a path (by resource prefix) and whether it may be called without a token.

A path ``/api/v1/<prefix>/...`` belongs to the single upstream that claims ``<prefix>``. Public
endpoints are the upstream's own declaration (``public_endpoints(app.routes)``): method and path
template, where a ``{param}`` stands for one path segment and ``{param:path}`` for the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from starlette.types import ASGIApp

API_ROOT = "/api/"
API_V1 = "/api/v1/"

_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z_]+))?\}")
_CONVERTOR_PATTERNS = {"path": ".*", "int": "[0-9]+", "float": r"[0-9]+(?:\.[0-9]+)?"}
_PREFIX = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class PrefixClashError(ValueError):
    """Two upstreams claim the same resource prefix."""


@dataclass(frozen=True)
class Upstream:
    service: str
    # Resource prefixes under /api/v1/, e.g. ("auth", "users", "roles").
    prefixes: tuple[str, ...]
    # (METHOD, path template) of the routes the service declares PUBLIC.
    public_endpoints: tuple[tuple[str, str], ...]
    # In-process (all-in-one): called directly as ASGI.
    app: ASGIApp | None = None
    # Distributed: base URL such as http://127.0.0.1:7020.
    url: str | None = None


def template_pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching the concrete paths of a Starlette path template."""
    parts: list[str] = []
    position = 0
    for match in _PARAM.finditer(template):
        parts.append(re.escape(template[position : match.start()]))
        parts.append(_CONVERTOR_PATTERNS.get(match.group(2) or "", "[^/]+"))
        position = match.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts) + r"\Z")


class PublicEndpoints:
    """The (method, path) pairs of one upstream that need no token."""

    def __init__(self, endpoints: Iterable[tuple[str, str]]) -> None:
        self._exact: set[tuple[str, str]] = set()
        self._patterns: dict[str, list[re.Pattern[str]]] = {}
        for method, template in endpoints:
            method = method.upper()
            if _PARAM.search(template):
                self._patterns.setdefault(method, []).append(template_pattern(template))
            else:
                self._exact.add((method, template))

    def matches(self, method: str, path: str) -> bool:
        if (method, path) in self._exact:
            return True
        return any(pattern.match(path) for pattern in self._patterns.get(method, ()))


@dataclass(frozen=True)
class Route:
    upstream: Upstream
    public: PublicEndpoints


def resource_prefix(path: str) -> str | None:
    """``patients`` for ``/api/v1/patients/123``; None outside ``/api/v1/``."""
    if not path.startswith(API_V1):
        return None
    rest = path[len(API_V1) :]
    slash = rest.find("/")
    prefix = rest if slash < 0 else rest[:slash]
    return prefix or None


def has_dot_segment(path: str) -> bool:
    """``.`` and ``..`` segments are refused: URL normalisation downstream would move the request
    to another resource than the one its prefix and authentication were checked for."""
    return "/." in path and any(segment in {".", ".."} for segment in path.split("/"))


class RouteTable:
    def __init__(self, upstreams: Sequence[Upstream]) -> None:
        self._routes: dict[str, Route] = {}
        self.upstreams = tuple(upstreams)
        for upstream in upstreams:
            if (upstream.app is None) == (upstream.url is None):
                raise ValueError(f"upstream {upstream.service!r}: give exactly one of app or url")
            route = Route(upstream, PublicEndpoints(upstream.public_endpoints))
            for prefix in upstream.prefixes:
                if not _PREFIX.match(prefix):
                    raise ValueError(f"upstream {upstream.service!r}: bad prefix {prefix!r}")
                owner = self._routes.get(prefix)
                if owner is not None:
                    raise PrefixClashError(
                        f"prefix {prefix!r} is claimed by both {owner.upstream.service!r} "
                        f"and {upstream.service!r}"
                    )
                self._routes[prefix] = route

    def route_for(self, path: str) -> Route | None:
        prefix = resource_prefix(path)
        return self._routes.get(prefix) if prefix else None

    def owns(self, upstream: Upstream, path: str) -> bool:
        route = self.route_for(path)
        return route is not None and route.upstream is upstream
