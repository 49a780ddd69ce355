"""Stand-ins for the services the notification service looks recipients up in (the same wire
models and paths as theirs), and a channel set of recording adapters."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from nilecare.kernel.db.types import utcnow
from nilecare.services.notification.channels.base import (
    OutboundMessage,
    PermanentDeliveryError,
    SendReceipt,
    StatusUpdate,
    TransientDeliveryError,
    WebhookRejected,
)
from nilecare.services.notification.channels.registry import Channels

WEBHOOK_SECRET = "s3cr3t-signature"


@dataclass
class RecordingAdapter:
    """Accepts every message and records it; ``failures`` makes the next sends fail."""

    channel: Any
    provider: str = "recorder"
    sent: list[OutboundMessage] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)

    async def send(self, message: OutboundMessage) -> SendReceipt:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(message)
        return SendReceipt(self.provider, f"msg-{len(self.sent)}-{message.channel}")

    async def aclose(self) -> None:
        return None


class SignedWebhook:
    """Believes a report only with the right ``x-signature``; body ``id:status`` lines."""

    provider = "recorder"

    def verify_and_parse(
        self, *, url: str, headers: Mapping[str, str], body: bytes
    ) -> list[StatusUpdate]:
        if headers.get("x-signature") != WEBHOOK_SECRET:
            raise WebhookRejected("bad signature")
        updates = []
        for line in body.decode().splitlines():
            message_id, _, status = line.partition(":")
            updates.append(StatusUpdate(message_id, status))  # type: ignore[arg-type]
        return updates


class RecordingChannels(Channels):
    """Every channel a recording adapter, and the signed test webhook."""

    def __init__(self) -> None:
        super().__init__(
            email=RecordingAdapter("email"),
            sms=RecordingAdapter("sms"),
            push=RecordingAdapter("push"),
            webhooks={"recorder": SignedWebhook()},
            vapid_public_key="BPublicKeyForTests",
        )

    def recorder(self, channel: str) -> RecordingAdapter:
        adapter = getattr(self, channel)
        assert isinstance(adapter, RecordingAdapter)
        return adapter


__all__ = ["PermanentDeliveryError", "TransientDeliveryError"]


def _problem(status: int, detail: str) -> JSONResponse:
    return JSONResponse(
        {
            "type": "https://nilecare.sd/problems/not-found",
            "title": "Not found",
            "status": status,
            "detail": detail,
        },
        status_code=status,
        media_type="application/problem+json",
    )


def patient_json(patient_id: uuid.UUID, facility_id: uuid.UUID, **fields: Any) -> dict[str, Any]:
    now = utcnow().isoformat()
    return {
        "id": str(patient_id),
        "mrn": "KRT-000123",
        "facility_id": str(facility_id),
        "status": "active",
        "merged_into_id": None,
        "given_name_en": "Hawa",
        "family_name_en": "Elnour",
        "given_name_ar": "حواء",
        "family_name_ar": "النور",
        "sex": "female",
        "birth_date": "1990-11-30",
        "national_id": None,
        "phone": "+249912345678",
        "alternate_phone": None,
        "address": {"state": "Khartoum", "locality": "Bahri", "line": None},
        "emergency_contact": None,
        "preferred_language": "ar",
        "created_at": now,
        "updated_at": now,
        **fields,
    }


@dataclass
class Upstreams:
    """The clinical and facility endpoints the planners call, answering from dictionaries."""

    patients: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    facility_names: dict[uuid.UUID, str] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    down: bool = False

    def clinical(self) -> FastAPI:
        app = FastAPI()

        @app.get("/api/v1/patients/{patient_id}")
        async def get_patient(patient_id: uuid.UUID) -> Any:
            self.calls.append(f"patient {patient_id}")
            if self.down:
                return JSONResponse({"status": 503}, status_code=503)
            patient = self.patients.get(patient_id)
            return patient if patient is not None else _problem(404, "No such patient")

        return app

    def facility(self) -> FastAPI:
        app = FastAPI()

        @app.get("/api/v1/facilities/{facility_id}")
        async def get_facility(facility_id: uuid.UUID) -> Any:
            name = self.facility_names.get(facility_id)
            if name is None:
                return _problem(404, "No such facility")
            now = utcnow().isoformat()
            return {
                "id": str(facility_id),
                "name": name,
                "code": "KTH",
                "kind": "hospital",
                "state": "Khartoum",
                "locality": "Khartoum",
                "phone": None,
                "is_active": True,
                "created_at": now,
                "updated_at": now,
            }

        return app
