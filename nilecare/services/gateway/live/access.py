"""May this user subscribe to this topic? Decided where the data lives.

``notifications`` is the user's own. ``facility:<id>`` needs the vitals read permission and the
facility in the user's scope. ``patient:<id>`` and ``ward:<id>`` need the vitals read permission,
and then the owning service is asked with the user's own token, through the gateway's proxy like
any API call (``GET /api/v1/patients/{id}``, ``GET /api/v1/wards/{id}``): 200 allows, 403 and 404
refuse. The facility rules stay in one place and the service audits the access.
"""

from __future__ import annotations

from collections.abc import Mapping

import structlog
from starlette.types import Message, Scope

from nilecare.contracts.clinical.permissions import CLINICAL_VITALS_READ
from nilecare.kernel.auth.principal import Principal
from nilecare.kernel.context import accept_request_id, child_traceparent
from nilecare.kernel.errors import Problem
from nilecare.services.gateway.live.topics import Topic
from nilecare.services.gateway.proxy import UpstreamProxy, request_headers
from nilecare.services.gateway.routing import RouteTable

log = structlog.get_logger("nilecare.gateway.live")

_CHECK_PATHS = {"patient": "/api/v1/patients/{}", "ward": "/api/v1/wards/{}"}


class Refused(Exception):
    """The subscription is refused; ``status`` goes into the error frame."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class SubscriptionAccess:
    def __init__(self, routes: RouteTable, proxies: Mapping[str, UpstreamProxy]) -> None:
        self.routes = routes
        self.proxies = proxies

    async def check(
        self, principal: Principal, token: str, topic: Topic, *, client_ip: str
    ) -> None:
        """Returns when allowed; raises ``Refused``."""
        if topic.kind == "user":
            if topic.id != principal.user_id:
                raise Refused(403, "Only your own notifications")
            return
        if not principal.has(CLINICAL_VITALS_READ):
            raise Refused(403, "Live vitals and alerts need the clinical.vitals.read permission")
        if topic.kind == "facility":
            if not principal.can_access_facility(topic.id):
                raise Refused(403, "This facility is not among yours")
            return
        status = await self._ask_owner(_CHECK_PATHS[topic.kind].format(topic.id), token, client_ip)
        if status == 200:
            return
        if status in (403, 404):
            raise Refused(status, f"No {topic.kind} you may follow has this id")
        if status == 401:
            raise Refused(401, "The access token is no longer valid")
        raise Refused(503, f"Access to this {topic.kind} cannot be checked right now")

    async def _ask_owner(self, path: str, token: str, client_ip: str) -> int:
        route = self.routes.route_for(path)
        if route is None:
            return 503
        scope: Scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "client": (client_ip, 0),
            "server": ("gateway.internal", 80),
            "headers": [],
            "state": {},
        }
        headers = request_headers(
            [(b"authorization", f"Bearer {token}".encode()), (b"accept", b"application/json")],
            request_id=accept_request_id(None),
            traceparent=child_traceparent(None),
            client_ip=client_ip,
            https=False,
            body=b"",
            keep_host=False,
        )
        status = 502
        sent_body = False

        async def receive() -> Message:
            nonlocal sent_body
            if not sent_body:
                sent_body = True
                return {"type": "http.request", "body": b"", "more_body": False}
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])

        proxy = self.proxies[route.upstream.service]
        try:
            await proxy.forward(scope, receive, send, headers=headers, body=b"")
        except Problem as problem:
            log.warning(
                "live_access_check_failed", service=route.upstream.service, status=problem.status
            )
            return 503
        return status
