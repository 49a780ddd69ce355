"""Route protection: authenticated by default, ``require(permission)``, explicit ``PUBLIC``.

Routers are ``SecureRouter``s: a route that does not list ``PUBLIC`` among its dependencies gets
authentication added, so forgetting a declaration fails closed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.params import Depends as DependsParam
from fastapi.routing import APIRoute

from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.errors import Forbidden, Unauthorized
from nilecare.kernel.observability.middleware import bearer_token


async def authenticate(request: Request) -> Principal:
    token = bearer_token(request.scope)
    if token is None:
        raise Unauthorized()
    # A service's own routes take service tokens too; the gateway's edge check does not.
    principal: Principal = await request.app.state.context.verifier.verify(
        token, accept_service=True
    )
    request.state.principal = principal
    return principal


def public_route() -> None:
    """Marks a route as public; it does nothing at run time."""


PUBLIC = Depends(public_route)

CurrentPrincipal = Annotated[Principal, Depends(authenticate)]


def require(permission: str) -> Any:
    """A dependency that returns the principal when it holds ``permission``, else 403."""

    async def check_permission(principal: CurrentPrincipal) -> Principal:
        if not principal.has(permission):
            raise Forbidden(f"This action needs the permission {permission}", slug="forbidden")
        return principal

    check_permission.required_permission = permission  # type: ignore[attr-defined]
    return Depends(check_permission)


def _is_public(dependencies: list[DependsParam] | None) -> bool:
    return any(getattr(dep, "dependency", None) is public_route for dep in dependencies or [])


def operation_id(route: APIRoute) -> str:
    """Operation ids are the route functions' names: clean names in generated clients."""
    return route.name


class SecureRouter(APIRouter):
    """A router whose routes are authenticated unless declared ``PUBLIC``, and whose operation ids
    are the route functions' names."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("generate_unique_id_function", operation_id)
        super().__init__(**kwargs)

    def add_api_route(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        dependencies = list(kwargs.pop("dependencies", None) or [])
        if not _is_public(dependencies) and not _is_public(list(self.dependencies)):
            dependencies.insert(0, Depends(authenticate))
        super().add_api_route(path, endpoint, dependencies=dependencies, **kwargs)


def route_protection(dependant: Any) -> tuple[bool, set[str]]:
    """(is public, permissions required) of a route's dependency tree: used by the route census."""
    public = False
    permissions: set[str] = set()
    stack = [dependant]
    while stack:
        current = stack.pop()
        call = getattr(current, "call", None)
        if call is public_route:
            public = True
        permission = getattr(call, "required_permission", None)
        if permission:
            permissions.add(permission)
        stack.extend(current.dependencies)
    return public, permissions


def api_routes(routes: Any) -> list[Any]:
    """Every ``APIRoute`` of ``routes`` with its full path, ``methods`` and ``dependant``.

    FastAPI 0.16x keeps an included router as one ``app.routes`` entry; ``iter_route_contexts``
    flattens it (into contexts that answer like the route, with the include prefix applied).
    """
    from fastapi import routing

    flatten = getattr(routing, "iter_route_contexts", None)
    candidates = flatten(list(routes)) if flatten is not None else routes
    return [r for r in candidates if isinstance(getattr(r, "original_route", r), routing.APIRoute)]


def public_endpoints(routes: Any) -> list[tuple[str, str]]:
    """(method, path template) of every route declared PUBLIC, e.g. for the gateway's allow-list."""
    found: list[tuple[str, str]] = []
    for route in api_routes(routes):
        if route_protection(route.dependant)[0]:
            found.extend((method, route.path) for method in sorted(route.methods or ()))
    return found
