"""A local server playing a Sudanese SMS aggregator: a token-protected send endpoint taking
JSON or a form with its own field names, answering with a nested message id, then posting a
delivery report signed with the shared secret to the callback URL given with the message."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

REFUSED = "+249155555555"
OVERLOADED = "+249911111111"
# The aggregator's own vocabulary for the delivery report.
FIELDS = {
    "to": "msisdn",
    "from": "sender",
    "text": "message",
    "reference": "ref",
    "callback": "dlr_url",
}


def sign_report(secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return {"X-Signature": f"sha256={digest.hexdigest()}", "X-Timestamp": str(timestamp)}


@dataclass
class FakeSmsGateway:
    token: str
    secret: str
    # Each accepted request's fields, as the gateway parsed them.
    messages: list[dict[str, str]] = field(default_factory=list)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/api/v2/sms", self._send, methods=["POST"])])

    async def _send(self, request: Request) -> JSONResponse:
        if request.headers.get("x-api-key") != f"Token {self.token}":
            return JSONResponse({"error": "unauthorised"}, status_code=401)
        if request.headers.get("content-type", "").startswith("application/json"):
            fields = {key: str(value) for key, value in (await request.json()).items()}
        else:
            fields = dict(parse_qsl((await request.body()).decode()))
        number = fields.get(FIELDS["to"], "").removeprefix("+")
        if "+" + number == REFUSED:
            return JSONResponse({"error": "invalid msisdn"}, status_code=400)
        if "+" + number == OVERLOADED:
            return JSONResponse({"error": "busy"}, status_code=503)
        self.messages.append(fields)
        message_id = f"gw-{len(self.messages)}"
        callback = fields.get(FIELDS["callback"])
        task = BackgroundTask(self._report, callback, message_id) if callback else None
        answer = {"status": "accepted", "data": {"message_id": message_id, "parts": 1}}
        return JSONResponse(answer, background=task)

    async def _report(self, callback: str, message_id: str) -> None:
        body = json.dumps({"message_id": message_id, "status": "DELIVERED"}).encode()
        headers = {
            "Content-Type": "application/json",
            **sign_report(self.secret, int(time.time()), body),
        }
        async with httpx.AsyncClient() as client:
            await client.post(callback, content=body, headers=headers)
