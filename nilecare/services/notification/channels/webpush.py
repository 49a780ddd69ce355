"""Web Push (RFC 8030) with VAPID through pywebpush: the payload is encrypted for the
subscription (aes128gcm, RFC 8291) and the request signed with our VAPID key.

The payload is JSON ``{"title", "body", "reference", "url"}`` for the web app's service worker
(web/src/serviceWorker/notification.ts reads it: keep the two in sync); it shows title and body,
tags the notification with the reference (our delivery id) and opens ``url`` when it is clicked.
A push service answering 404 or 410 has forgotten the subscription: ``SubscriptionGone`` tells the
caller to delete it. Endpoints come from browsers, so only https endpoints on public hosts are
called (an endpoint naming an internal address would make us call inside the network): an
address literal is checked as it is, a name at each connection by ``PublicAddressResolver``;
tests allow loopback endpoints, over http too.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from py_vapid import Vapid  # type: ignore[import-untyped]
from pywebpush import WebPushException, webpush_async  # type: ignore[import-untyped]

from nilecare.services.notification.channels.base import (
    ChannelName,
    OutboundMessage,
    PermanentDeliveryError,
    SendReceipt,
    TransientDeliveryError,
)
from nilecare.services.notification.channels.http_errors import error_for_status
from nilecare.services.notification.channels.loopback import is_internal_host, is_loopback_host
from nilecare.services.notification.channels.public_resolver import (
    NotAPublicAddress,
    PublicAddressResolver,
)
from nilecare.services.notification.channels.vapid import VapidKey, b64url_decode


class SubscriptionGone(PermanentDeliveryError):
    """The push service no longer knows this subscription (404/410): delete it."""


class WebPushAdapter:
    provider = "webpush"
    channel: ChannelName = "push"

    def __init__(
        self,
        *,
        key: VapidKey,
        subject: str,
        ttl_seconds: int = 86400,
        timeout: float = 15.0,
        allow_loopback: bool = False,
    ) -> None:
        if not subject.startswith(("mailto:", "https://")):
            raise ValueError("the VAPID subject is a mailto: or https: URL")
        self._vapid = Vapid(private_key=key.private_key)
        self._subject, self._ttl, self._timeout = subject, ttl_seconds, timeout
        self._allow_loopback = allow_loopback
        self._session: aiohttp.ClientSession | None = None

    async def send(self, message: OutboundMessage) -> SendReceipt:
        subscription = self._subscription(message.address)
        fields = {
            "title": message.subject,
            "body": message.body,
            "reference": message.reference,
            "url": message.url,
        }
        payload = json.dumps({k: v for k, v in fields.items() if v is not None}, ensure_ascii=False)
        if self._session is None:
            resolver = PublicAddressResolver(allow_loopback=self._allow_loopback)
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(resolver=resolver))
        try:
            response = await webpush_async(
                subscription,
                data=payload,
                vapid_private_key=self._vapid,
                # A fresh dict: pywebpush writes aud and exp into it.
                vapid_claims={"sub": self._subject},
                ttl=self._ttl,
                timeout=self._timeout,
                aiohttp_session=self._session,
            )
        except WebPushException as exc:
            raise _push_error(exc.status_code) from exc
        except aiohttp.ClientConnectorDNSError as exc:
            if isinstance(exc.os_error, NotAPublicAddress):
                raise PermanentDeliveryError(
                    "push endpoints are https URLs on public hosts"
                ) from exc
            raise TransientDeliveryError(f"push service unreachable: {exc!r}") from exc
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise TransientDeliveryError(f"push service unreachable: {exc!r}") from exc
        location = response.headers.get("Location")
        return SendReceipt(provider=self.provider, provider_message_id=location)

    def _subscription(self, address: str) -> dict[str, Any]:
        try:
            subscription = json.loads(address)
            endpoint, keys = subscription["endpoint"], subscription["keys"]
            p256dh, auth = b64url_decode(keys["p256dh"]), b64url_decode(keys["auth"])
        except (ValueError, KeyError, TypeError) as exc:
            raise PermanentDeliveryError("not a push subscription") from exc
        if len(p256dh) != 65 or p256dh[0] != 4 or len(auth) != 16:
            raise PermanentDeliveryError("the push subscription's keys are malformed")
        parts = urlsplit(str(endpoint))
        host = parts.hostname or ""
        if self._allow_loopback and is_loopback_host(host):
            acceptable = parts.scheme in ("http", "https")
        else:
            acceptable = parts.scheme == "https" and not is_internal_host(host)
        if not acceptable:
            raise PermanentDeliveryError("push endpoints are https URLs on public hosts")
        return {"endpoint": str(endpoint), "keys": {"p256dh": keys["p256dh"], "auth": keys["auth"]}}

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def _push_error(status: int | None) -> PermanentDeliveryError | TransientDeliveryError:
    if status in (404, 410):
        return SubscriptionGone(f"push subscription gone ({status})")
    if status is None:
        return PermanentDeliveryError("the push subscription cannot be used")
    if status == 403:
        # The subscription was made for another application server key.
        return PermanentDeliveryError("push service refused our VAPID key (403)")
    return error_for_status(status, f"push service answered {status}")
