"""Templates (every kind, channel and language renders; the sandbox holds) and the pure rules
(quiet hours, reminder times, masked addresses, what a provider's report may change)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from nilecare.services.notification.domain import (
    IN_APP,
    KINDS,
    QuietWindow,
    mask_address,
    reminder_times,
    reported_status,
)
from nilecare.services.notification.rendering import Renderer
from tests.services.notification.conftest import LAB_VALUES

NOW = "2026-03-05T12:30:00+00:00"
VALUES: dict[str, dict[str, Any]] = {
    "appointment.confirmation": {"patient_name": "Hawa", "starts_at": NOW, "facility_name": "KTH"},
    "appointment.reminder": {"patient_name": "Hawa", "starts_at": NOW, "facility_name": "KTH"},
    "lab.result.critical": LAB_VALUES,
    "vitals.critical": {
        "readings": [{"code": "heart_rate", "value": 190}, {"code": "spo2", "value": 82}],
        "ward_name": None,
        "bed_label": None,
        "recorded_at": NOW,
        "patient_name": "Hawa",
        "mrn": "KRT-1",
    },
    "payment.receipt": {
        "patient_name": "Hawa",
        "receipt_number": "R-1",
        "amount_minor": 5,
        "currency": "SDG",
        "method": "cash",
        "completed_at": NOW,
        "facility_name": "KTH",
    },
    "auth.password_reset": {"reset_url": "https://nilecare.sd/reset#token=<x>"},
    "clinical.export.ready": {
        "mrn": "KRT-1",
        "filename": "patient-record-KRT-1-20260305.json",
        "expires_at": NOW,
        "export_id": "e1",
    },
    "clinical.report.ready": {
        "period_from": "2026-02-01",
        "period_to": "2026-02-28",
        "filename": "morbidity-a1a1a1a1-20260201-20260228.csv",
        "expires_at": NOW,
        "report_id": "r1",
    },
}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("language", ["ar", "en"])
def test_every_kind_renders_on_each_of_its_channels_in_both_languages(
    kind: str, language: str
) -> None:
    renderer = Renderer()
    for channel in (IN_APP, *KINDS[kind].channels):
        rendered = renderer.render(kind, channel, language, VALUES[kind])
        assert rendered.body and "{{" not in rendered.body, (channel, rendered)
        assert (rendered.title is None) == (channel == "sms")
        assert (rendered.html is not None) == (channel == "email")


def test_times_are_khartoum_time_amounts_come_from_minor_units_and_html_is_escaped() -> None:
    renderer = Renderer()
    receipt = renderer.render("payment.receipt", "email", "en", VALUES["payment.receipt"])
    assert "0.05 SDG" in receipt.body and "2026-03-05 14:30" in receipt.body
    mail = renderer.render("auth.password_reset", "email", "en", VALUES["auth.password_reset"])
    assert mail.html is not None and "token=&lt;x&gt;" in mail.html
    assert "token=<x>" in mail.body  # the plain-text part is not HTML
    vitals = renderer.render("vitals.critical", "push", "en", VALUES["vitals.critical"])
    assert vitals.title == "Critical vital signs: no ward"
    assert vitals.body.startswith("heart rate 190/min, SpO2 82 %")


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ x.__class__ }}",
    ],
)
def test_a_template_cannot_reach_python_internals(source: str) -> None:
    template = Renderer().environment.from_string(source)
    with pytest.raises(SecurityError):
        template.render(x="value", cycler=object())


def test_a_template_cannot_change_the_values_it_is_given() -> None:
    template = Renderer().environment.from_string("{{ items.append(1) }}{{ items }}")
    with pytest.raises(SecurityError):
        template.render(items=[])


def test_a_missing_value_is_an_error_not_an_empty_string() -> None:
    with pytest.raises(UndefinedError):
        Renderer().render("auth.password_reset", "email", "en", {})


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("at", "released"),
    [
        ("2026-03-05T19:00", "2026-03-05T19:00"),  # 21:00 in Khartoum: before the window
        ("2026-03-05T21:30", "2026-03-06T05:00"),  # 23:30 local: until 07:00 the next day
        ("2026-03-06T03:00", "2026-03-06T05:00"),  # 05:00 local: until 07:00 the same day
        ("2026-03-06T05:00", "2026-03-06T05:00"),  # 07:00 local: the window is over
    ],
)
def test_quiet_hours_across_midnight_defer_to_their_end(at: str, released: str) -> None:
    window = QuietWindow.parse("22:00", "07:00", "Africa/Khartoum")
    assert window.release_time(_utc(at)) == _utc(released)


def test_quiet_hours_within_a_day() -> None:
    window = QuietWindow.parse("13:00", "15:00", "Africa/Khartoum")
    assert window.release_time(_utc("2026-03-05T11:30")) == _utc("2026-03-05T13:00")
    assert window.release_time(_utc("2026-03-05T10:59")) == _utc("2026-03-05T10:59")


def test_reminders_already_past_are_not_made() -> None:
    now = _utc("2026-03-05T08:00")
    assert reminder_times(now + timedelta(hours=3), now) == {"sms": now + timedelta(hours=1)}
    assert set(reminder_times(now + timedelta(days=2), now)) == {"email", "sms"}
    assert reminder_times(now + timedelta(hours=1), now) == {}


def test_addresses_are_masked() -> None:
    assert mask_address("email", "amal@example.org") == "a***@example.org"
    assert mask_address("sms", "+249912345678") == "+249******678"
    assert mask_address("push", "https://fcm.googleapis.com/fcm/send/x") == (
        "push (fcm.googleapis.com)"
    )


def test_only_a_sent_delivery_takes_a_providers_report() -> None:
    assert reported_status("sent", "delivered") == "delivered"
    assert reported_status("sent", "failed") == "failed"
    assert reported_status("delivered", "failed") is None
    assert reported_status("queued", "delivered") is None
