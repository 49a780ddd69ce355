"""Stand-ins for the services the notification service looks recipients up in (the same wire
models and paths as theirs), and a channel set of recording adapters."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
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


def staff_json(
    facility_id: uuid.UUID, kind: str, user_id: uuid.UUID | None, department_id: uuid.UUID
) -> dict[str, Any]:
    now = utcnow().isoformat()
    return {
        "id": str(uuid.uuid4()),
        "facility_id": str(facility_id),
        "organization_id": None,
        "kind": kind,
        "full_name_en": f"On-duty {kind}",
        "full_name_ar": "مناوب",
        "licence_number": None,
        "specialties": [],
        "department_ids": [str(department_id)],
        "user_id": str(user_id) if user_id else None,
        "is_active": True,
        "created_at": now,
        "updated_at": now,
    }


def user_json(user_id: uuid.UUID, email: str, language: str = "en") -> dict[str, Any]:
    now = utcnow().isoformat()
    return {
        "id": str(user_id),
        "email": email,
        "full_name": "Staff Member",
        "phone": "+249911000222",
        "preferred_language": language,
        "roles": ["nurse"],
        "facility_ids": [],
        "is_active": True,
        "mfa_enabled": False,
        "created_at": now,
        "updated_at": now,
    }


@dataclass
class Ward:
    """The facility's ward and bed endpoints, the business on-duty list and auth's users."""

    facility_id: uuid.UUID
    ward_id: uuid.UUID = field(default_factory=uuid.uuid4)
    department_id: uuid.UUID = field(default_factory=uuid.uuid4)
    bed_id: uuid.UUID = field(default_factory=uuid.uuid4)
    # On duty by department (None: the whole facility).
    on_duty: dict[uuid.UUID | None, list[dict[str, Any]]] = field(default_factory=dict)
    users: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    asked: list[tuple[str | None, list[str]]] = field(default_factory=list)

    def add_routes(self, facility: FastAPI) -> None:
        @facility.get("/api/v1/wards/{ward_id}")
        async def get_ward(ward_id: uuid.UUID) -> Any:
            return {
                "id": str(self.ward_id),
                "facility_id": str(self.facility_id),
                "department_id": str(self.department_id),
                "name": "Medical Ward",
                "code": "MW",
            }

        @facility.get("/api/v1/beds/{bed_id}")
        async def get_bed(bed_id: uuid.UUID) -> Any:
            now = utcnow().isoformat()
            return {
                "id": str(bed_id),
                "facility_id": str(self.facility_id),
                "ward_id": str(self.ward_id),
                "room_id": None,
                "label": "B3",
                "status": "occupied",
                "patient_id": None,
                "encounter_id": None,
                "status_changed_at": now,
                "created_at": now,
                "updated_at": now,
            }

    def business(self) -> FastAPI:
        app = FastAPI()

        @app.get("/api/v1/staff/on-duty")
        async def on_duty(request: Request) -> Any:
            department = request.query_params.get("department_id")
            self.asked.append((department, request.query_params.getlist("kind")))
            return self.on_duty.get(uuid.UUID(department) if department else None, [])

        return app

    def auth(self) -> FastAPI:
        app = FastAPI()

        @app.get("/api/v1/users/{user_id}")
        async def get_user(user_id: uuid.UUID) -> Any:
            return self.users.get(user_id) or _problem(404, "No such user")

        return app
