"""Pure rules of the notification service: what each kind of message is and where it goes,
quiet hours, masking of addresses, and how deliveries end. No I/O."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from nilecare.contracts.notification.events import Severity
from nilecare.contracts.notification.schemas import Channel, DeliveryStatus

# Channel names of templates: the three delivery channels and the notification centre.
IN_APP = "inapp"

# The statuses after which nothing more happens to a delivery.
FINAL_STATUSES = frozenset({"delivered", "failed", "cancelled"})


@dataclass(frozen=True)
class Kind:
    name: str
    severity: Severity
    # Critical messages ignore quiet hours and channel preferences.
    critical: bool
    in_app: bool
    channels: tuple[Channel, ...]


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("appointment.confirmation", "info", False, False, ("email", "sms")),
        Kind("appointment.reminder", "info", False, False, ("email", "sms")),
        Kind("lab.result.critical", "critical", True, True, ("email", "sms", "push")),
        Kind("vitals.critical", "critical", True, True, ("email", "sms", "push")),
        Kind("payment.receipt", "info", False, False, ("email", "sms")),
        Kind("auth.password_reset", "info", True, False, ("email",)),
        # The file one asked for can be downloaded (in-app, and on one's devices).
        Kind("clinical.export.ready", "info", False, True, ("push",)),
        Kind("clinical.report.ready", "info", False, True, ("push",)),
    )
}

# Appointment reminders: an e-mail a day before, an SMS two hours before.
REMINDER_LEADS: dict[Channel, timedelta] = {
    "email": timedelta(hours=24),
    "sms": timedelta(hours=2),
}


def user_recipient(user_id: uuid.UUID) -> str:
    return f"user:{user_id}"


def patient_recipient(patient_id: uuid.UUID) -> str:
    return f"patient:{patient_id}"


def address_recipient(digest: str) -> str:
    return f"address:{digest[:64]}"


def appointment_reference(appointment_id: uuid.UUID) -> str:
    return f"appointment:{appointment_id}"


def reminder_times(starts_at: datetime, now: datetime) -> dict[Channel, datetime]:
    """When each reminder is due; a reminder whose time has passed is not sent at all."""
    return {
        channel: starts_at - lead
        for channel, lead in REMINDER_LEADS.items()
        if starts_at - lead > now
    }


@dataclass(frozen=True)
class QuietWindow:
    start: time
    end: time
    zone: ZoneInfo

    @classmethod
    def parse(cls, start: str, end: str, zone: str) -> QuietWindow:
        return cls(time.fromisoformat(start), time.fromisoformat(end), ZoneInfo(zone))

    def release_time(self, at: datetime) -> datetime:
        """``at`` itself outside the window, else the window's end (in UTC like ``at``)."""
        local = at.astimezone(self.zone)
        clock = local.time().replace(tzinfo=None)
        crosses_midnight = self.start > self.end
        if crosses_midnight:
            inside = clock >= self.start or clock < self.end
        else:
            inside = self.start <= clock < self.end
        if not inside:
            return at
        day = local.date()
        if crosses_midnight and clock >= self.start:
            day += timedelta(days=1)
        end = datetime.combine(day, self.end, tzinfo=self.zone)
        return end.astimezone(at.tzinfo)


def mask_address(channel: Channel, address: str) -> str:
    """Enough of an address to tell deliveries apart, not to contact anyone."""
    if channel == "email":
        local, _, domain = address.partition("@")
        return f"{local[:1]}{'*' * max(len(local) - 1, 1)}@{domain}"[:120]
    if channel == "sms":
        return f"{address[:4]}{'*' * max(len(address) - 7, 1)}{address[-3:]}"[:120]
    return f"push ({urlsplit(address).hostname or 'unknown'})"[:120]


def short_error(error: BaseException) -> str:
    """What is kept of a failure: its type and the start of its message (never a body)."""
    text = f"{type(error).__name__}: {error}"
    return text[:200]


def reported_status(current: DeliveryStatus, reported: DeliveryStatus) -> DeliveryStatus | None:
    """The status a provider's report moves a delivery to, or None: only a sent delivery
    becomes delivered or failed (a late or repeated report changes nothing)."""
    if current == "sent" and reported in {"delivered", "failed"}:
        return reported
    return None
