"""A record export or a morbidity report is ready: the one who asked for it gets an in-app
notification (push too, on devices they subscribed) in their language, and no one else does."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from nilecare.contracts.clinical.events import MorbidityReportReady, RecordExportReady
from nilecare.kernel.db.types import utcnow
from nilecare.services.notification.models import Delivery, Notification
from tests.services.notification.conftest import FACILITY_A
from tests.services.notification.test_dispatch import Pipeline, pipeline
from tests.services.notification.upstreams import Ward, user_json

__all__ = ["pipeline"]


def requester(pipeline: Pipeline, language: str) -> uuid.UUID:
    user_id = uuid.uuid4()
    ward = Ward(FACILITY_A)
    ward.users[user_id] = user_json(user_id, "doctor@example.org", language)
    pipeline.n.svc.platform.directory.register_app("auth", ward.auth())
    return user_id


async def test_the_requester_is_told_in_app_that_the_export_is_ready(pipeline: Pipeline) -> None:
    user_id = requester(pipeline, "ar")
    await pipeline.publish(
        RecordExportReady(
            export_id=uuid.uuid4(),
            patient_id=pipeline.patient_id,
            facility_id=FACILITY_A,
            mrn="KRT-000042",
            requested_by=user_id,
            filename="patient-record-KRT-000042-20260305.json",
            expires_at=utcnow() + timedelta(hours=24),
        )
    )
    await pipeline.run()
    (notification,) = await pipeline.rows(Notification)
    assert (notification.user_id, notification.kind) == (user_id, "clinical.export.ready")
    assert notification.in_app and notification.patient_id == pipeline.patient_id
    # No push subscription, and the kind goes by no other channel.
    assert await pipeline.rows(Delivery) == []
    page = await pipeline.n.client.get("/api/v1/notifications", headers=pipeline.n.headers(user_id))
    (item,) = page.json()["items"]
    assert item["title"] == "ملف السجل جاهز: الرقم الطبي KRT-000042"
    assert "patient-record-KRT-000042-20260305.json" in item["body"]


async def test_the_requester_is_told_in_english_that_the_report_is_ready(
    pipeline: Pipeline,
) -> None:
    user_id = requester(pipeline, "en")
    await pipeline.publish(
        MorbidityReportReady(
            report_id=uuid.uuid4(),
            facility_id=FACILITY_A,
            requested_by=user_id,
            period_from=date(2026, 2, 1),
            period_to=date(2026, 2, 28),
            filename="morbidity-a1a1a1a1-20260201-20260228.csv",
            expires_at=utcnow() + timedelta(hours=24),
        )
    )
    await pipeline.run()
    page = await pipeline.n.client.get("/api/v1/notifications", headers=pipeline.n.headers(user_id))
    (item,) = page.json()["items"]
    assert item["title"] == "Morbidity report ready: 2026-02-01 to 2026-02-28"
    assert item["patient_id"] is None
