"""SMS through Twilio's Messages API, and Twilio's signed delivery-status callbacks.

Sending is ``POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`` (form fields ``To``,
``From`` or ``MessagingServiceSid``, ``Body``, ``StatusCallback``; HTTP basic auth with the
account SID and auth token), answered 201 with the message's ``sid``. Twilio then posts the
status to the callback URL, signed in ``X-Twilio-Signature``: base64 HMAC-SHA1, keyed with the
auth token, of the URL followed by every POST parameter's name and value sorted by name.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, urlsplit, urlunsplit

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

TWILIO_API = "https://api.twilio.com"
SIGNATURE_HEADER = "X-Twilio-Signature"
# Twilio's intermediate states (accepted, queued, sending, scheduled) say nothing beyond the
# "sent" an accepted send already recorded, so they make no update.
_STATUSES: dict[str, DeliveryStatus] = {
    "sent": "sent",
    "delivered": "delivered",
    "read": "delivered",
    "undelivered": "failed",
    "failed": "failed",
    "canceled": "failed",
}


def twilio_signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    signed = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class TwilioSmsAdapter:
    provider = "twilio"
    channel: ChannelName = "sms"

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        sender: str = "",
        messaging_service_sid: str = "",
        status_callback: str | None = None,
        base_url: str = TWILIO_API,
        timeout: float = 15.0,
    ) -> None:
        if not (sender or messaging_service_sid):
            raise ValueError("Twilio needs a sender number or a messaging service SID")
        require_https_unless_loopback(base_url, "The Twilio API URL")
        self._origin = (
            {"MessagingServiceSid": messaging_service_sid}
            if messaging_service_sid
            else {"From": sender}
        )
        self._status_callback = status_callback
        self._path = f"/2010-04-01/Accounts/{account_sid}/Messages.json"
        self._client = httpx.AsyncClient(
            base_url=base_url, auth=(account_sid, auth_token), timeout=timeout
        )

    async def send(self, message: OutboundMessage) -> SendReceipt:
        form = {"To": to_e164(message.address), "Body": message.body, **self._origin}
        if self._status_callback:
            form["StatusCallback"] = self._status_callback
        try:
            response = await self._client.post(self._path, data=form)
        except httpx.HTTPError as exc:
            raise TransientDeliveryError(f"Twilio unreachable: {exc!r}") from exc
        if response.status_code not in (200, 201):
            raise error_for_status(response.status_code, _describe_error(response))
        return SendReceipt(provider=self.provider, provider_message_id=_json_field(response, "sid"))

    async def aclose(self) -> None:
        await self._client.aclose()


def _json_field(response: httpx.Response, name: str) -> str | None:
    # An accepted message whose answer cannot be read still went out: no id, but no resend.
    try:
        answer = response.json()
    except ValueError:
        return None
    value = answer.get(name) if isinstance(answer, dict) else None
    return str(value) if value is not None else None


def _describe_error(response: httpx.Response) -> str:
    """Twilio's error code and its documentation link; its message can quote the number."""
    code, more_info = _json_field(response, "code"), _json_field(response, "more_info")
    more = f" ({more_info})" if code and more_info else ""
    return f"Twilio answered {response.status_code}, error {code or 'unknown'}{more}"


class TwilioStatusWebhook:
    provider = "twilio"

    def __init__(self, *, auth_token: str, public_url: str | None = None) -> None:
        # Twilio signs the URL it called: the StatusCallback we gave, which behind a proxy is
        # not the URL the request arrives at.
        self._auth_token, self._public_url = auth_token, public_url

    def verify_and_parse(
        self, *, url: str, headers: Mapping[str, str], body: bytes
    ) -> list[StatusUpdate]:
        try:
            params = parse_qsl(body.decode(), keep_blank_values=True)
        except UnicodeDecodeError as exc:
            raise WebhookRejected("not a form body") from exc
        signature = (header_value(headers, SIGNATURE_HEADER) or "").encode()
        signed_as = _with_and_without_port(self._public_url or url)
        expected = [twilio_signature(self._auth_token, one, params) for one in signed_as]
        # A list, not a generator: every comparison runs, so the time says nothing of which.
        if not any([hmac.compare_digest(one.encode(), signature) for one in expected]):
            raise WebhookRejected("bad Twilio signature")
        fields = dict(params)
        sid, twilio_status = fields.get("MessageSid"), fields.get("MessageStatus")
        if not sid or not twilio_status:
            raise WebhookRejected("no MessageSid or MessageStatus")
        status = _STATUSES.get(twilio_status)
        if status is None:
            return []
        code = fields.get("ErrorCode")
        error = f"Twilio error {code}" if code else None
        return [StatusUpdate(provider_message_id=sid, status=status, error=error)]


def _with_and_without_port(url: str) -> list[str]:
    """The URL as given, without its port and with the scheme's default one: Twilio may sign
    either form (its own validators try both), e.g. when the callback URL named port 443."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return [url]
    host = parts.netloc.rsplit("@", 1)[-1]
    userinfo = parts.netloc[: len(parts.netloc) - len(host)]
    bare = host.rsplit(":", 1)[0] if port is not None else host
    default = 443 if parts.scheme == "https" else 80
    forms = [f"{userinfo}{bare}", f"{userinfo}{bare}:{port or default}"]
    return list(dict.fromkeys([url, *(urlunsplit(parts._replace(netloc=n)) for n in forms)]))
