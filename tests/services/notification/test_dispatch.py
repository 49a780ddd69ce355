"""From event to delivery: a consumer records the event once, the dispatcher hands it to the
prepare task (recipients looked up in the other services), deliveries due now are sent through
the channel adapters, later ones wait for their time; failures retry, lost tasks are taken
again, providers' webhooks settle the status."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from nilecare.contracts.appointment.events import AppointmentCancelled, AppointmentScheduled
from nilecare.contracts.clinical.events import VitalsCritical
from nilecare.contracts.payment.events import PaymentCompleted
from nilecare.kernel.db.types import utcnow
from nilecare.kernel.events.envelope import Envelope, Event
from nilecare.kernel.tasks.queue import InProcessTaskQueue
from nilecare.services.notification.jobs import Dispatcher
from nilecare.services.notification.models import Delivery, Notification, NotificationRequest
from nilecare.services.notification.service.sending import app_page, send_delivery
from nilecare.services.notification.service.state import NotificationState, install_state
from tests.services.notification.conftest import FACILITY_A, Notifications
from tests.services.notification.upstreams import (
    WEBHOOK_SECRET,
    PermanentDeliveryError,
    RecordingChannels,
    TransientDeliveryError,
    Upstreams,
    Ward,
    patient_json,
    staff_json,
    user_json,
)


@dataclass
class Pipeline:
    n: Notifications
    state: NotificationState
    channels: RecordingChannels
    upstreams: Upstreams
    patient_id: uuid.UUID
    facility_app: FastAPI

    async def publish(self, event: Event, envelope: Envelope | None = None) -> Envelope:
        envelope = envelope or Envelope(
            type=event.event_type,
            source="test",
            facility_id=FACILITY_A,
            data=event.model_dump(mode="json"),
        )
        await self.n.svc.context.bus.publish(envelope)
        return envelope

    async def run(self) -> None:
        """Dispatch and work the queue until nothing is due (retries included)."""
        queue = self.n.svc.context.tasks
        assert isinstance(queue, InProcessTaskQueue)
        while await Dispatcher(self.state).dispatch_once():
            await queue.join()
        await queue.join()

    async def rows(self, model: Any) -> list[Any]:
        async with self.n.svc.context.database.session() as session:
            return list(await session.scalars(select(model)))

    def paid(self, receipt_number: str, method: str = "zain_cash") -> PaymentCompleted:
        """SDG 12,500.50 paid by the pipeline's patient."""
        return PaymentCompleted(
            payment_id=uuid.uuid4(),
            patient_id=self.patient_id,
            facility_id=FACILITY_A,
            amount_minor=1_250_050,
            method=method,
            receipt_number=receipt_number,
            completed_at=utcnow(),
        )

    def scheduled(self, starts_in: timedelta) -> AppointmentScheduled:
        starts = utcnow() + starts_in
        return AppointmentScheduled(
            appointment_id=uuid.uuid4(),
            patient_id=self.patient_id,
            facility_id=FACILITY_A,
            provider_staff_id=uuid.uuid4(),
            starts_at=starts,
            ends_at=starts + timedelta(minutes=20),
        )


@pytest.fixture
async def pipeline(notifications: Notifications) -> Pipeline:
    svc = notifications.svc
    await svc.app.state.dispatcher.stop()  # the tests dispatch themselves
    upstreams = Upstreams()
    patient_id = uuid.uuid4()
    upstreams.patients[patient_id] = patient_json(patient_id, FACILITY_A)
    upstreams.facility_names[FACILITY_A] = "Khartoum Teaching Hospital"
    svc.platform.directory.register_app("clinical", upstreams.clinical())
    facility_app = upstreams.facility()
    svc.platform.directory.register_app("facility", facility_app)
    channels = RecordingChannels()
    state = install_state(svc.context, channels)
    state.settings.default_quiet_start, state.settings.default_quiet_end = "00:00", "00:01"
    svc.app.state.notification = state
    queue = svc.context.tasks
    assert isinstance(queue, InProcessTaskQueue)
    queue._retry_delays = (0.01, 0.01, 0.01)  # the same retries, without the real backoff
    return Pipeline(notifications, state, channels, upstreams, patient_id, facility_app)


async def test_a_booking_confirms_by_sms_now_and_reminds_before_the_appointment(
    pipeline: Pipeline,
) -> None:
    event = pipeline.scheduled(timedelta(days=3))
    envelope = await pipeline.publish(event)
    await pipeline.run()
    sms = pipeline.channels.recorder("sms").sent
    assert len(sms) == 1
    assert sms[0].address == "+249912345678"
    assert "مستشفى" not in sms[0].body and "Khartoum Teaching Hospital" in sms[0].body
    assert sms[0].body.startswith("نايل كير")  # the patient's language
    deliveries = {(d.channel, d.status) for d in await pipeline.rows(Delivery)}
    # No e-mail address on a chart: the 24-hour e-mail reminder is not made.
    assert deliveries == {("sms", "sent"), ("sms", "queued")}
    reminder = next(d for d in await pipeline.rows(Delivery) if d.status == "queued")
    assert reminder.due_at == event.starts_at - timedelta(hours=2)
    # The same event again (a redelivery) makes nothing new.
    await pipeline.publish(event, envelope)
    await pipeline.run()
    assert len(await pipeline.rows(Notification)) == 2
    assert len(pipeline.channels.recorder("sms").sent) == 1


async def test_a_patient_with_an_email_is_confirmed_by_email_and_reminded_24_h_before_by_email(
    pipeline: Pipeline,
) -> None:
    pipeline.upstreams.patients[pipeline.patient_id] = patient_json(
        pipeline.patient_id, FACILITY_A, email="hawa.elnour@example.org", preferred_language="en"
    )
    event = pipeline.scheduled(timedelta(days=3))
    await pipeline.publish(event)
    await pipeline.run()
    (mail,) = pipeline.channels.recorder("email").sent
    assert mail.address == "hawa.elnour@example.org"
    assert "Khartoum Teaching Hospital" in mail.body
    assert pipeline.channels.recorder("sms").sent == []  # the confirmation is not sent twice
    deliveries = {(d.channel, d.status): d for d in await pipeline.rows(Delivery)}
    assert set(deliveries) == {("email", "sent"), ("email", "queued"), ("sms", "queued")}
    # The e-mail reminder a day before, the SMS reminder two hours before.
    assert deliveries["email", "queued"].due_at == event.starts_at - timedelta(hours=24)
    assert deliveries["sms", "queued"].due_at == event.starts_at - timedelta(hours=2)
    kinds = {n.id: n.kind for n in await pipeline.rows(Notification)}
    assert kinds[deliveries["email", "sent"].notification_id] == "appointment.confirmation"
    assert kinds[deliveries["email", "queued"].notification_id] == "appointment.reminder"


async def test_a_booking_less_than_a_day_ahead_makes_only_the_sms_reminder(
    pipeline: Pipeline,
) -> None:
    pipeline.upstreams.patients[pipeline.patient_id] = patient_json(
        pipeline.patient_id, FACILITY_A, email="hawa.elnour@example.org"
    )
    event = pipeline.scheduled(timedelta(hours=10))
    await pipeline.publish(event)
    await pipeline.run()
    queued = [d for d in await pipeline.rows(Delivery) if d.status == "queued"]
    assert [(d.channel, d.due_at) for d in queued] == [
        ("sms", event.starts_at - timedelta(hours=2))
    ]


async def test_a_due_reminder_is_sent_and_a_cancelled_one_is_not(pipeline: Pipeline) -> None:
    kept, cancelled = pipeline.scheduled(timedelta(days=2)), pipeline.scheduled(timedelta(days=2))
    await pipeline.publish(kept)
    await pipeline.publish(cancelled)
    await pipeline.run()
    await pipeline.publish(
        AppointmentCancelled(
            appointment_id=cancelled.appointment_id,
            patient_id=cancelled.patient_id,
            facility_id=FACILITY_A,
            provider_staff_id=cancelled.provider_staff_id,
            starts_at=cancelled.starts_at,
        )
    )
    # Time passes: both reminders' time has come.
    async with pipeline.n.svc.context.database.session() as session, session.begin():
        await session.execute(
            update(Delivery)
            .where(Delivery.status.in_(["queued", "cancelled"]))
            .values(due_at=utcnow() - timedelta(seconds=1))
        )
    await pipeline.run()
    reminders = [m for m in pipeline.channels.recorder("sms").sent if "تذكير" in m.body]
    assert len(reminders) == 1
    statuses = sorted(d.status for d in await pipeline.rows(Delivery))
    assert statuses == ["cancelled", "sent", "sent", "sent"]


async def test_a_cancellation_before_the_booking_is_prepared_leaves_no_reminder(
    pipeline: Pipeline,
) -> None:
    event = pipeline.scheduled(timedelta(days=2))
    await pipeline.publish(event)
    await pipeline.publish(
        AppointmentCancelled(
            appointment_id=event.appointment_id,
            patient_id=event.patient_id,
            facility_id=FACILITY_A,
            provider_staff_id=event.provider_staff_id,
            starts_at=event.starts_at,
        )
    )
    await pipeline.run()
    kinds = sorted(n.kind for n in await pipeline.rows(Notification))
    assert kinds == ["appointment.confirmation"]


async def test_a_receipt_is_sent_with_the_amount_in_pounds(pipeline: Pipeline) -> None:
    await pipeline.publish(pipeline.paid("RC-2026-0042"))
    await pipeline.run()
    (sms,) = pipeline.channels.recorder("sms").sent
    assert "12,500.50 ج.س" in sms.body and "RC-2026-0042" in sms.body


async def test_a_receipt_goes_by_email_when_the_patient_has_an_address(
    pipeline: Pipeline,
) -> None:
    pipeline.upstreams.patients[pipeline.patient_id] = patient_json(
        pipeline.patient_id, FACILITY_A, email="hawa.elnour@example.org"
    )
    await pipeline.publish(pipeline.paid("RC-2026-0043"))
    await pipeline.run()
    (mail,) = pipeline.channels.recorder("email").sent
    assert mail.address == "hawa.elnour@example.org" and "RC-2026-0043" in mail.body
    assert pipeline.channels.recorder("sms").sent == []


async def test_without_email_configured_a_patient_with_an_address_gets_the_receipt_by_sms(
    pipeline: Pipeline,
) -> None:
    pipeline.upstreams.patients[pipeline.patient_id] = patient_json(
        pipeline.patient_id, FACILITY_A, email="hawa.elnour@example.org"
    )
    pipeline.channels.email = None
    await pipeline.publish(pipeline.paid("RC-2026-0044", method="cash"))
    await pipeline.run()
    (sms,) = pipeline.channels.recorder("sms").sent
    assert "RC-2026-0044" in sms.body
    assert {d.channel for d in await pipeline.rows(Delivery)} == {"sms"}


async def test_a_transient_failure_is_retried_and_counted(pipeline: Pipeline) -> None:
    pipeline.channels.recorder("sms").failures.append(TransientDeliveryError("timeout"))
    await pipeline.publish(pipeline.scheduled(timedelta(hours=1)))
    await pipeline.run()
    (delivery,) = await pipeline.rows(Delivery)
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert len(pipeline.channels.recorder("sms").sent) == 1


async def test_a_permanent_failure_fails_the_delivery_at_once(pipeline: Pipeline) -> None:
    pipeline.channels.recorder("sms").failures.append(PermanentDeliveryError("invalid number"))
    await pipeline.publish(pipeline.scheduled(timedelta(hours=1)))
    await pipeline.run()
    (delivery,) = await pipeline.rows(Delivery)
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert delivery.last_error == "PermanentDeliveryError: invalid number"


async def test_an_unknown_patient_fails_the_request_and_a_service_down_is_retried(
    pipeline: Pipeline,
) -> None:
    event = pipeline.scheduled(timedelta(hours=1))
    await pipeline.publish(event.model_copy(update={"patient_id": uuid.uuid4()}))
    await pipeline.run()
    (request,) = await pipeline.rows(NotificationRequest)
    assert (request.status, request.attempts) == ("failed", 1)
    pipeline.upstreams.down = True
    await pipeline.publish(event)
    queue = pipeline.n.svc.context.tasks
    assert isinstance(queue, InProcessTaskQueue)
    await Dispatcher(pipeline.state).dispatch_once()
    await queue.join()
    waiting = next(r for r in await pipeline.rows(NotificationRequest) if r.status != "failed")
    # The queue's retries ran out: the request stays claimed for the dispatcher's next look.
    assert waiting.status == "sending" and waiting.attempts == 4
    assert "BadGateway" in (waiting.last_error or "")


async def test_a_delivery_whose_task_was_lost_is_taken_again(pipeline: Pipeline) -> None:
    await pipeline.n.notify(uuid.uuid4(), email=None)  # claimed, but no task was enqueued
    (delivery,) = [d for d in await pipeline.rows(Delivery) if d.channel == "sms"]
    assert delivery.status == "sending"
    await pipeline.run()
    assert pipeline.channels.recorder("sms").sent == []  # not yet: it may still be in flight
    async with pipeline.n.svc.context.database.session() as session, session.begin():
        await session.execute(
            update(Delivery).values(claimed_at=utcnow() - pipeline.state.settings.sending_timeout)
        )
    await pipeline.run()
    assert len(pipeline.channels.recorder("sms").sent) == 1


async def test_a_signed_webhook_marks_a_delivery_delivered_and_a_forged_one_is_refused(
    pipeline: Pipeline,
) -> None:
    await pipeline.publish(pipeline.scheduled(timedelta(hours=1)))
    await pipeline.run()
    (delivery,) = await pipeline.rows(Delivery)
    assert delivery.provider == "recorder" and delivery.provider_message_id
    client = pipeline.n.client
    body = f"{delivery.provider_message_id}:delivered"
    forged = await client.post(
        "/api/v1/notifications/webhooks/recorder", content=body, headers={"x-signature": "no"}
    )
    assert forged.status_code == 401
    assert forged.headers["content-type"] == "application/problem+json"
    unknown = await client.post("/api/v1/notifications/webhooks/nobody", content=body)
    assert unknown.status_code == 404
    signed = await client.post(
        "/api/v1/notifications/webhooks/recorder",
        content=body,
        headers={"x-signature": WEBHOOK_SECRET},
    )
    assert signed.status_code == 204
    (delivery,) = await pipeline.rows(Delivery)
    assert delivery.status == "delivered" and delivery.delivered_at is not None


async def test_sends_are_published_as_notification_sent(pipeline: Pipeline) -> None:
    await pipeline.publish(pipeline.scheduled(timedelta(hours=1)))
    await pipeline.run()
    types = [envelope.type for envelope in await pipeline.n.svc.published()]
    assert types == ["notification.sent"]


async def test_critical_vitals_reach_the_wards_nurses_and_doctors_on_duty_on_every_channel(
    pipeline: Pipeline,
) -> None:
    ward = Ward(FACILITY_A)
    nurse, doctor, elsewhere = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    ward.on_duty[ward.department_id] = [
        staff_json(FACILITY_A, "nurse", nurse, ward.department_id),
        staff_json(FACILITY_A, "doctor", doctor, ward.department_id),
        staff_json(FACILITY_A, "nurse", None, ward.department_id),  # no account: not told
        staff_json(uuid.uuid4(), "doctor", elsewhere, ward.department_id),  # another facility
    ]
    ward.users[nurse] = user_json(nurse, "nurse@example.org", "ar")
    ward.users[doctor] = user_json(doctor, "doctor@example.org")
    ward.add_routes(pipeline.facility_app)
    directory = pipeline.n.svc.platform.directory
    directory.register_app("business", ward.business())
    directory.register_app("auth", ward.auth())
    # The doctor wants no e-mail and has quiet hours all day: a critical alert ignores both.
    await pipeline.n.client.put(
        "/api/v1/notifications/preferences",
        json={
            "language": "en",
            "channels": {"email": False, "sms": True, "push": True},
            "quiet_hours": {"start": "00:00", "end": "23:59"},
        },
        headers=pipeline.n.headers(doctor),
    )
    await pipeline.publish(
        VitalsCritical(
            vital_signs_id=uuid.uuid4(),
            patient_id=pipeline.patient_id,
            facility_id=FACILITY_A,
            ward_id=ward.ward_id,
            bed_id=ward.bed_id,
            recorded_at=utcnow(),
            values={"heart_rate": 190.0, "temperature": 37.0},
            flags={"heart_rate": "critical", "temperature": "normal"},
        )
    )
    await pipeline.run()
    assert ward.asked == [(str(ward.department_id), ["nurse", "doctor"])]
    recipients = {n.user_id: n for n in await pipeline.rows(Notification)}
    assert set(recipients) == {nurse, doctor}
    assert {n.in_app for n in recipients.values()} == {True}
    mails = pipeline.channels.recorder("email").sent
    assert sorted(m.address for m in mails) == ["doctor@example.org", "nurse@example.org"]
    by_address = {m.address: m for m in mails}
    assert by_address["doctor@example.org"].subject == "Critical vital signs: Medical Ward, bed B3"
    assert by_address["nurse@example.org"].subject == "علامات حيوية حرجة: Medical Ward، سرير B3"
    assert "heart rate 190.0/min" in by_address["doctor@example.org"].body
    assert "temperature" not in by_address["doctor@example.org"].body
    assert len(pipeline.channels.recorder("sms").sent) == 2
    page = await pipeline.n.client.get("/api/v1/notifications", headers=pipeline.n.headers(doctor))
    (item,) = page.json()["items"]
    assert item["severity"] == "critical" and "Hawa Elnour (حواء النور)" in item["body"]
    types = [envelope.type for envelope in await pipeline.n.svc.published()]
    assert types.count("notification.created") == 2


async def test_with_no_one_of_the_department_on_duty_the_facilitys_staff_are_told(
    pipeline: Pipeline,
) -> None:
    ward = Ward(FACILITY_A)
    nurse = uuid.uuid4()
    ward.on_duty[None] = [staff_json(FACILITY_A, "nurse", nurse, uuid.uuid4())]
    ward.users[nurse] = user_json(nurse, "night.nurse@example.org")
    ward.add_routes(pipeline.facility_app)
    directory = pipeline.n.svc.platform.directory
    directory.register_app("business", ward.business())
    directory.register_app("auth", ward.auth())
    await pipeline.publish(
        VitalsCritical(
            vital_signs_id=uuid.uuid4(),
            patient_id=pipeline.patient_id,
            facility_id=FACILITY_A,
            ward_id=ward.ward_id,
            recorded_at=utcnow(),
            values={"spo2": 81.0},
            flags={"spo2": "critical"},
        )
    )
    await pipeline.run()
    assert [department for department, _ in ward.asked] == [str(ward.department_id), None]
    assert [n.user_id for n in await pipeline.rows(Notification)] == [nurse]


async def test_a_push_opens_the_chart_of_the_patient_it_is_about(pipeline: Pipeline) -> None:
    doctor, patient = uuid.uuid4(), uuid.uuid4()
    subscription = {
        "endpoint": "https://fcm.googleapis.com/fcm/send/doctors-phone",
        "keys": {"p256dh": "BPublicKeyOfTheBrowser", "auth": "authSecret"},
    }
    added = await pipeline.n.client.post(
        "/api/v1/notifications/push-subscriptions",
        json=subscription,
        headers=pipeline.n.headers(doctor),
    )
    assert added.status_code == 201, added.text
    for delivery_id in await pipeline.n.notify(doctor, patient_id=patient):
        await send_delivery(pipeline.state, delivery_id)
    [pushed] = pipeline.channels.recorder("push").sent
    assert pushed.url == f"/patients/{patient}"
    assert pushed.subject == "Critical lab result: Potassium"


def test_a_message_opens_the_page_its_text_sends_the_reader_to() -> None:
    patient = uuid.uuid4()
    assert app_page("clinical.export.ready", patient) == f"/patients/{patient}"
    assert app_page("clinical.report.ready", None) == "/reports"
    assert app_page("payment.receipt", None) == "/notifications"
