"""A local Web Push service: it checks the VAPID ``Authorization: vapid t=<jwt>, k=<key>``
header (ES256 signature by k, aud the endpoint's origin, exp in the future and within 24 h)
and decrypts the aes128gcm body with the subscription's private key, as a browser would."""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import http_ece  # type: ignore[import-untyped]
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from nilecare.services.notification.channels.vapid import b64url_decode, b64url_encode


@dataclass(frozen=True)
class Subscriber:
    """A browser's side of one subscription."""

    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes


@dataclass(frozen=True)
class ReceivedPush:
    subscription_id: str
    payload: dict[str, Any]
    claims: dict[str, Any]
    headers: dict[str, str]


@dataclass
class FakePushService:
    # The application server key subscriptions were made with (the k the header must carry).
    application_server_key: str
    base_url: str = ""
    subscribers: dict[str, Subscriber] = field(default_factory=dict)
    received: list[ReceivedPush] = field(default_factory=list)
    # Subscription id -> status answered instead of accepting (410 gone, 429 busy, ...).
    refusals: dict[str, int] = field(default_factory=dict)

    def subscribe(self, refuse_with: int | None = None) -> str:
        """A new subscription as the browser's ``PushSubscription.toJSON()``."""
        subscription_id = uuid.uuid4().hex
        subscriber = Subscriber(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))
        self.subscribers[subscription_id] = subscriber
        if refuse_with is not None:
            self.refusals[subscription_id] = refuse_with
        public = subscriber.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        keys = {"p256dh": b64url_encode(public), "auth": b64url_encode(subscriber.auth_secret)}
        return json.dumps({"endpoint": f"{self.base_url}/push/{subscription_id}", "keys": keys})

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/push/{subscription_id}", self._push, methods=["POST"])])

    def _vapid_claims(self, authorization: str) -> dict[str, Any] | None:
        scheme, _, params = authorization.partition(" ")
        fields = dict(part.strip().split("=", 1) for part in params.split(",") if "=" in part)
        if scheme.lower() != "vapid" or fields.get("k") != self.application_server_key:
            return None
        point = b64url_decode(fields["k"])
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
        try:
            claims: dict[str, Any] = jwt.decode(
                fields.get("t", ""),
                public_key,
                algorithms=["ES256"],
                audience=self.base_url,
                options={"require": ["exp", "aud", "sub"]},
            )
        except jwt.InvalidTokenError:
            return None
        return claims if claims["exp"] <= time.time() + 86400 else None

    async def _push(self, request: Request) -> Response:
        subscription_id = request.path_params["subscription_id"]
        subscriber = self.subscribers.get(subscription_id)
        if subscriber is None:
            return Response(status_code=404)
        if subscription_id in self.refusals:
            return Response(status_code=self.refusals[subscription_id])
        claims = self._vapid_claims(request.headers.get("authorization", ""))
        if claims is None:
            return Response(status_code=401)
        if request.headers.get("content-encoding") != "aes128gcm" or "ttl" not in request.headers:
            return Response(status_code=400)
        plaintext = http_ece.decrypt(
            await request.body(),
            private_key=subscriber.private_key,
            auth_secret=subscriber.auth_secret,
            version="aes128gcm",
        )
        self.received.append(
            ReceivedPush(subscription_id, json.loads(plaintext), claims, dict(request.headers))
        )
        location = f"{self.base_url}/messages/{uuid.uuid4().hex}"
        return Response(status_code=201, headers={"Location": location})
