"""A local server speaking Twilio's Messages API: checks basic auth and the form, answers 201
with the JSON Twilio returns (or Twilio's error JSON), then posts signed status callbacks to
the message's StatusCallback the way Twilio does."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qsl

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from nilecare.services.notification.channels.sms_twilio import SIGNATURE_HEADER, twilio_signature

NOT_MOBILE = "+249155555555"
RATE_LIMITED = "+249911111111"
UNDELIVERABLE = "+249933333333"


def twilio_error(status: int, code: int, message: str) -> JSONResponse:
    more_info = f"https://www.twilio.com/docs/errors/{code}"
    body = {"code": code, "message": message, "more_info": more_info, "status": status}
    return JSONResponse(body, status_code=status)


@dataclass
class FakeTwilio:
    account_sid: str
    auth_token: str
    # The forms of accepted messages, in order.
    messages: list[dict[str, str]] = field(default_factory=list)

    def app(self) -> Starlette:
        path = "/2010-04-01/Accounts/{account_sid}/Messages.json"
        return Starlette(routes=[Route(path, self._create_message, methods=["POST"])])

    def _authenticated(self, request: Request) -> bool:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return (
            request.headers.get("authorization") == f"Basic {expected}"
            and request.path_params["account_sid"] == self.account_sid
        )

    async def _create_message(self, request: Request) -> JSONResponse:
        if not self._authenticated(request):
            return twilio_error(401, 20003, "Authenticate")
        form = dict(parse_qsl((await request.body()).decode()))
        to = form.get("To", "")
        if not form.get("Body") or not (form.get("From") or form.get("MessagingServiceSid")):
            return twilio_error(400, 21602, "Message body is required.")
        if to == NOT_MOBILE:
            return twilio_error(400, 21614, f"'To' number {to} is not a valid mobile number")
        if to == RATE_LIMITED:
            return twilio_error(429, 20429, "Too Many Requests")
        self.messages.append(form)
        sid = "SM" + uuid.uuid4().hex
        now = format_datetime(datetime.now(UTC))
        answer = {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": form["Body"],
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "queued",
            "to": to,
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
        }
        callback = form.get("StatusCallback")
        task = BackgroundTask(self._report, callback, sid, form) if callback else None
        return JSONResponse(answer, status_code=201, background=task)

    async def _report(self, callback: str, sid: str, form: dict[str, str]) -> None:
        final: list[dict[str, Any]] = (
            [{"MessageStatus": "undelivered", "ErrorCode": "30003"}]
            if form["To"] == UNDELIVERABLE
            else [{"MessageStatus": "delivered"}]
        )
        async with httpx.AsyncClient() as client:
            for outcome in [{"MessageStatus": "queued"}, {"MessageStatus": "sent"}, *final]:
                params = {
                    "AccountSid": self.account_sid,
                    "ApiVersion": "2010-04-01",
                    "From": form.get("From", ""),
                    "To": form["To"],
                    "MessageSid": sid,
                    "SmsSid": sid,
                    "SmsStatus": outcome["MessageStatus"],
                    **outcome,
                }
                signature = twilio_signature(self.auth_token, callback, params.items())
                await client.post(callback, data=params, headers={SIGNATURE_HEADER: signature})
