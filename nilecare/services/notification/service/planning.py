"""Turning a recorded request into drafts: who is told what, in which language, through which
addresses, and when. Each kind reads the request's payload (the event's data) and looks up the
recipients; nothing here writes."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nilecare.contracts.appointment.events import AppointmentScheduled
from nilecare.contracts.clinical.events import (
    MorbidityReportReady,
    RecordExportReady,
    VitalsCritical,
)
from nilecare.contracts.clinical.schemas import PatientRead
from nilecare.contracts.lab.events import LabResultCritical
from nilecare.contracts.notification.schemas import Channel, PasswordResetMail
from nilecare.contracts.payment.events import PaymentCompleted
from nilecare.kernel.crypto import KeyedHasher
from nilecare.services.notification.domain import (
    address_recipient,
    appointment_reference,
    patient_recipient,
    reminder_times,
    user_recipient,
)
from nilecare.services.notification.service.creation import Draft
from nilecare.services.notification.service.lookups import Contact, Lookups

RESET_MAIL = "auth.password_reset"


@dataclass(frozen=True)
class Planning:
    lookups: Lookups
    now: datetime
    # An ``appointment.cancelled`` arrived before the booking was prepared: no reminders.
    cancelled: bool = False


def clinician_name_of(patient: PatientRead) -> str:
    """The patient as staff read them: the English name, and the Arabic one when recorded."""
    english = f"{patient.given_name_en} {patient.family_name_en}"
    arabic = " ".join(n for n in (patient.given_name_ar, patient.family_name_ar) if n)
    return f"{english} ({arabic})" if arabic else english


EMAIL_ELSE_SMS: tuple[Channel, ...] = ("email", "sms")


async def _appointment(plan: Planning, data: dict[str, Any]) -> list[Draft]:
    event = AppointmentScheduled.model_validate(data)
    (patient, contact), facility_name = await asyncio.gather(
        plan.lookups.patient(event.patient_id), plan.lookups.facility_name(event.facility_id)
    )
    common: dict[str, Any] = {
        "recipient": patient_recipient(patient.id),
        "language": contact.language,
        "values": {
            "patient_name": contact.name,
            "starts_at": event.starts_at.isoformat(),
            "facility_name": facility_name,
        },
        "patient_id": patient.id,
        "facility_id": event.facility_id,
        "email": contact.email,
        "phone": contact.phone,
        "reference": appointment_reference(event.appointment_id),
    }
    # The confirmation goes by e-mail when the chart has an address, else by SMS.
    drafts = [Draft(kind="appointment.confirmation", first_of=EMAIL_ELSE_SMS, **common)]
    # Reminders: the e-mail one 24 h before (made only when there is an address), the SMS one
    # 2 h before; a reminder whose time has passed is not made.
    times = reminder_times(event.starts_at, plan.now)
    if times and not plan.cancelled:
        drafts.append(Draft(kind="appointment.reminder", due_at=times, only=tuple(times), **common))
    return drafts


async def _staff_drafts(
    plan: Planning,
    kind: str,
    user_ids: list[uuid.UUID],
    values: dict[str, Any],
    patient_id: uuid.UUID | None,
    facility_id: uuid.UUID,
) -> list[Draft]:
    """Drafts for staff users (the ordering clinician, the ward on duty, the one who asked for
    a file), each in their own language."""
    unique = list(dict.fromkeys(user_ids))
    contacts: list[Contact] = list(
        await asyncio.gather(*(plan.lookups.user(user_id) for user_id in unique))
    )
    return [
        Draft(
            kind=kind,
            recipient=user_recipient(user_id),
            language=contact.language,
            values=values,
            user_id=user_id,
            patient_id=patient_id,
            facility_id=facility_id,
            email=contact.email,
            phone=contact.phone,
        )
        for user_id, contact in zip(unique, contacts, strict=True)
    ]


async def _lab_result(plan: Planning, data: dict[str, Any]) -> list[Draft]:
    event = LabResultCritical.model_validate(data)
    patient, _ = await plan.lookups.patient(event.patient_id)
    values = {
        "test_name": event.test_name,
        "value": event.value,
        "unit": event.unit,
        "flag": event.flag,
        "resulted_at": event.resulted_at.isoformat(),
        "patient_name": clinician_name_of(patient),
        "mrn": patient.mrn,
    }
    return await _staff_drafts(
        plan,
        "lab.result.critical",
        [event.ordering_user_id],
        values,
        event.patient_id,
        event.facility_id,
    )


async def _vitals(plan: Planning, data: dict[str, Any]) -> list[Draft]:
    event = VitalsCritical.model_validate(data)
    lookups = plan.lookups
    ward = await lookups.ward(event.ward_id) if event.ward_id else None
    department_id = ward.department_id if ward is not None else None
    staff = await lookups.on_duty(event.facility_id, department_id, plan.now)
    if not staff and department_id is not None:
        # No one of the ward's department on duty: the facility's staff on duty are told.
        staff = await lookups.on_duty(event.facility_id, None, plan.now)
    patient, _ = await lookups.patient(event.patient_id)
    values = {
        "readings": [
            {"code": code, "value": event.values[code]}
            for code, flag in sorted(event.flags.items())
            if flag == "critical" and code in event.values
        ],
        "ward_name": ward.name if ward is not None else None,
        "bed_label": await lookups.bed_label(event.bed_id) if event.bed_id else None,
        "recorded_at": event.recorded_at.isoformat(),
        "patient_name": clinician_name_of(patient),
        "mrn": patient.mrn,
    }
    users = [member.user_id for member in staff if member.user_id is not None]
    return await _staff_drafts(
        plan, "vitals.critical", users, values, event.patient_id, event.facility_id
    )


async def _payment(plan: Planning, data: dict[str, Any]) -> list[Draft]:
    event = PaymentCompleted.model_validate(data)
    (patient, contact), facility_name = await asyncio.gather(
        plan.lookups.patient(event.patient_id), plan.lookups.facility_name(event.facility_id)
    )
    values = {
        "patient_name": contact.name,
        "receipt_number": event.receipt_number,
        "amount_minor": event.amount_minor,
        "currency": event.currency,
        "method": event.method,
        "completed_at": event.completed_at.isoformat(),
        "facility_name": facility_name,
    }
    return [
        Draft(
            kind="payment.receipt",
            recipient=patient_recipient(patient.id),
            language=contact.language,
            values=values,
            patient_id=patient.id,
            facility_id=event.facility_id,
            email=contact.email,
            phone=contact.phone,
            # A receipt goes by e-mail when there is an address, else by SMS.
            first_of=EMAIL_ELSE_SMS,
        )
    ]


async def _export_ready(plan: Planning, data: dict[str, Any]) -> list[Draft]:
    event = RecordExportReady.model_validate(data)
    values = {
        "mrn": event.mrn,
        "filename": event.filename,
        "expires_at": event.expires_at.isoformat(),
        "export_id": str(event.export_id),
    }
    return await _staff_drafts(
        plan, event.event_type, [event.requested_by], values, event.patient_id, event.facility_id
    )


async def _report_ready(plan: Planning, data: dict[str, Any]) -> list[Draft]:
    event = MorbidityReportReady.model_validate(data)
    values = {
        "period_from": event.period_from.isoformat(),
        "period_to": event.period_to.isoformat(),
        "filename": event.filename,
        "expires_at": event.expires_at.isoformat(),
        "report_id": str(event.report_id),
    }
    return await _staff_drafts(
        plan, event.event_type, [event.requested_by], values, None, event.facility_id
    )


def password_reset_draft(hasher: KeyedHasher, reset_url: str, mail: PasswordResetMail) -> Draft:
    """The reset mail needs no lookup: the auth service sends the address and the token."""
    return Draft(
        kind=RESET_MAIL,
        recipient=address_recipient(hasher.digest(mail.email.lower(), "notification-email")),
        language=mail.language,
        values={"reset_url": reset_url + mail.token},
        email=mail.email,
    )


PLANNERS: dict[str, Callable[[Planning, dict[str, Any]], Awaitable[list[Draft]]]] = {
    "appointment.scheduled": _appointment,
    "lab.result.critical": _lab_result,
    "vitals.critical": _vitals,
    "payment.completed": _payment,
    "clinical.export.ready": _export_ready,
    "clinical.report.ready": _report_ready,
}
