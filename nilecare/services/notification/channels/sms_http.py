"""SMS through a Sudanese aggregator's HTTP API, described by configuration, and its signed
delivery reports.

Sending posts the number (E.164, ``+249XXXXXXXXX``), sender id and text as JSON or a form, with
a token header; the message id is read from the JSON answer at a dotted path
(``data.message_id``; list positions are numbers). Delivery reports are JSON (one object or a
list) or a form, signed ``X-Signature: sha256=<hex HMAC-SHA256>`` over
``<X-Timestamp>.<raw body>`` with a shared secret; the timestamp (Unix seconds) is signed too, so
a captured report cannot be replayed more than five minutes later under a fresh timestamp.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl

import httpx

from nilecare.services.notification.channels.base import (
    ChannelName,
    DeliveryStatus,
    OutboundMessage,
    SendReceipt,
    StatusUpdate,
    TransientDeliveryError,
    WebhookRejected,
)
from nilecare.services.notification.channels.headers import header_value
from nilecare.services.notification.channels.http_errors import error_for_status
from nilecare.services.notification.channels.loopback import require_https_unless_loopback
from nilecare.services.notification.channels.phone import to_e164

BodyFormat = Literal["json", "form"]
MAX_CLOCK_SKEW_SECONDS = 300
DEFAULT_STATUSES: dict[str, DeliveryStatus] = {
    "sent": "sent",
    "delivered": "delivered",
    "failed": "failed",
    "undelivered": "failed",
    "rejected": "failed",
    "expired": "failed",
}


@dataclass(frozen=True)
class GatewayApi:
    """How one aggregator's send API names things; an empty field name is not sent."""

    url: str
    body_format: BodyFormat = "json"
    to_field: str = "to"
    from_field: str = "from"
    text_field: str = "text"
    reference_field: str = ""
    callback_field: str = ""
    message_id_path: str = "message_id"
    # Some aggregators want 249XXXXXXXXX without the plus.
    plus_prefix: bool = True


class HttpSmsGatewayAdapter:
    provider = "sms-http"
    channel: ChannelName = "sms"

    def __init__(
        self,
        api: GatewayApi,
        *,
        token: str | None,
        auth_header: str = "Authorization",
        auth_scheme: str = "Bearer",
        sender_id: str = "",
        callback_url: str | None = None,
        timeout: float = 15.0,
    ) -> None:
        require_https_unless_loopback(api.url, "The SMS gateway URL")
        self._api, self._sender_id, self._callback_url = api, sender_id, callback_url
        headers = {auth_header: f"{auth_scheme} {token}".strip()} if token else {}
        self._client = httpx.AsyncClient(headers=headers, timeout=timeout)

    async def send(self, message: OutboundMessage) -> SendReceipt:
        api = self._api
        number = to_e164(message.address)
        values = {
            api.to_field: number if api.plus_prefix else number.removeprefix("+"),
            api.from_field: self._sender_id,
            api.text_field: message.body,
            api.reference_field: message.reference or "",
            api.callback_field: self._callback_url or "",
        }
        fields = {name: value for name, value in values.items() if name and value}
        as_json = api.body_format == "json"
        try:
            response = await self._client.post(
                api.url, json=fields if as_json else None, data=None if as_json else fields
            )
        except httpx.HTTPError as exc:
            raise TransientDeliveryError(f"SMS gateway unreachable: {exc!r}") from exc
        if not response.is_success:
            raise error_for_status(
                response.status_code, f"SMS gateway answered {response.status_code}"
            )
        return SendReceipt(
            provider=self.provider,
            provider_message_id=_at_path(_json_or_none(response), api.message_id_path),
        )

    async def aclose(self) -> None:
        await self._client.aclose()


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _at_path(document: Any, path: str) -> str | None:
    for step in path.split("."):
        if isinstance(document, dict):
            document = document.get(step)
        elif isinstance(document, list) and step.isdigit() and int(step) < len(document):
            document = document[int(step)]
        else:
            return None
    return None if document is None or isinstance(document, dict | list) else str(document)


class HttpSmsGatewayWebhook:
    provider = "sms-http"

    def __init__(
        self,
        *,
        secret: str,
        signature_header: str = "X-Signature",
        timestamp_header: str = "X-Timestamp",
        id_field: str = "message_id",
        status_field: str = "status",
        error_field: str = "error",
        statuses: Mapping[str, DeliveryStatus] = DEFAULT_STATUSES,
    ) -> None:
        self._secret = secret.encode()
        self._signature_header, self._timestamp_header = signature_header, timestamp_header
        self._id_field, self._status_field, self._error_field = id_field, status_field, error_field
        self._statuses = {name.lower(): status for name, status in statuses.items()}

    def verify_and_parse(
        self, *, url: str, headers: Mapping[str, str], body: bytes
    ) -> list[StatusUpdate]:
        self._verify(headers, body)
        return [update for report in _reports(headers, body) if (update := self._update(report))]

    def _verify(self, headers: Mapping[str, str], body: bytes) -> None:
        timestamp = header_value(headers, self._timestamp_header) or ""
        signature = header_value(headers, self._signature_header) or ""
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_CLOCK_SKEW_SECONDS:
            raise WebhookRejected("missing or stale timestamp")
        digest = hmac.new(self._secret, timestamp.encode() + b"." + body, hashlib.sha256)
        if not hmac.compare_digest(("sha256=" + digest.hexdigest()).encode(), signature.encode()):
            raise WebhookRejected("bad signature")

    def _update(self, report: Mapping[str, Any]) -> StatusUpdate | None:
        message_id, reported = report.get(self._id_field), report.get(self._status_field)
        if message_id in (None, "") or not isinstance(reported, str):
            raise WebhookRejected("a report without message id or status")
        status = self._statuses.get(reported.lower())
        if status is None:
            return None
        error = report.get(self._error_field)
        return StatusUpdate(str(message_id), status, str(error) if error else None)


def _reports(headers: Mapping[str, str], body: bytes) -> list[Mapping[str, Any]]:
    content_type = header_value(headers, "content-type") or ""
    try:
        if content_type.startswith("application/x-www-form-urlencoded"):
            return [dict(parse_qsl(body.decode(), keep_blank_values=True))]
        parsed = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise WebhookRejected("unreadable report") from exc
    reports = parsed if isinstance(parsed, list) else [parsed]
    if not all(isinstance(report, dict) for report in reports):
        raise WebhookRejected("a report is not an object")
    return reports
