"""The notification centre: a caller sees, counts and marks only their own notifications, of
the facilities they belong to; reading bodies that describe a patient is audited."""

from __future__ import annotations

import uuid

from tests.services.notification.conftest import FACILITY_A, FACILITY_B, OWN, Notifications


async def test_a_user_lists_only_their_own_notifications_newest_first(
    notifications: Notifications,
) -> None:
    me, other = uuid.uuid4(), uuid.uuid4()
    patient = uuid.uuid4()
    await notifications.notify(me, patient_id=patient)
    await notifications.notify(me, kind="vitals.critical", values=_vitals())
    await notifications.notify(other)
    answer = await notifications.client.get(
        "/api/v1/notifications", headers=notifications.headers(me)
    )
    assert answer.status_code == 200, answer.text
    page = answer.json()
    assert (page["total"], page["unread"]) == (2, 2)
    assert [item["kind"] for item in page["items"]] == ["vitals.critical", "lab.result.critical"]
    lab = page["items"][1]
    assert lab["severity"] == "critical"
    assert lab["title"] == "Critical lab result: Potassium"
    assert "Hawa Elnour (MRN KRT-000123)" in lab["body"]
    assert lab["patient_id"] == str(patient) and lab["facility_id"] == str(FACILITY_A)
    assert lab["read_at"] is None
    rows = await notifications.audit_rows("notification.inbox.read")
    assert str(patient) in {str(row.patient_id) for row in rows}


async def test_marking_read_changes_the_unread_count_and_filter(
    notifications: Notifications,
) -> None:
    me = uuid.uuid4()
    for _ in range(3):
        await notifications.notify(me)
    headers = notifications.headers(me)
    page = (await notifications.client.get("/api/v1/notifications", headers=headers)).json()
    first = page["items"][0]["id"]
    answer = await notifications.client.post(f"/api/v1/notifications/{first}/read", headers=headers)
    assert answer.status_code == 204
    count = await notifications.client.get("/api/v1/notifications/unread-count", headers=headers)
    assert count.json() == {"unread": 2}
    unread = await notifications.client.get(
        "/api/v1/notifications", params={"unread": "true", "limit": 1}, headers=headers
    )
    assert unread.json()["total"] == 2 and len(unread.json()["items"]) == 1
    assert first not in {item["id"] for item in unread.json()["items"]}
    assert (
        await notifications.client.post("/api/v1/notifications/read-all", headers=headers)
    ).status_code == 204
    count = await notifications.client.get("/api/v1/notifications/unread-count", headers=headers)
    assert count.json() == {"unread": 0}


async def test_another_users_notification_cannot_be_marked_or_tracked(
    notifications: Notifications,
) -> None:
    owner, intruder = uuid.uuid4(), uuid.uuid4()
    await notifications.notify(owner)
    page = (
        await notifications.client.get(
            "/api/v1/notifications", headers=notifications.headers(owner)
        )
    ).json()
    target = page["items"][0]["id"]
    headers = notifications.headers(intruder, permissions=OWN)
    read = await notifications.client.post(f"/api/v1/notifications/{target}/read", headers=headers)
    assert read.status_code == 404
    assert read.headers["content-type"] == "application/problem+json"
    tracked = await notifications.client.get(
        f"/api/v1/notifications/{target}/deliveries", headers=headers
    )
    assert tracked.status_code == 404
    await notifications.client.post("/api/v1/notifications/read-all", headers=headers)
    still = await notifications.client.get(
        "/api/v1/notifications/unread-count", headers=notifications.headers(owner)
    )
    assert still.json() == {"unread": 1}


async def test_a_notification_of_a_facility_the_user_left_is_not_shown(
    notifications: Notifications,
) -> None:
    me = uuid.uuid4()
    await notifications.notify(me, facility_id=FACILITY_B)
    await notifications.notify(me, kind="auth.password_reset", facility_id=None, values={})
    answer = await notifications.client.get(
        "/api/v1/notifications", headers=notifications.headers(me, (FACILITY_A,))
    )
    assert answer.json()["total"] == 0  # a password-reset mail is not an in-app notification
    moved = await notifications.client.get(
        "/api/v1/notifications", headers=notifications.headers(me, (FACILITY_B,))
    )
    assert moved.json()["total"] == 1


async def test_the_recipient_and_an_administrator_of_the_facility_track_deliveries(
    notifications: Notifications,
) -> None:
    me = uuid.uuid4()
    await notifications.notify(me)
    headers = notifications.headers(me)
    target = (await notifications.client.get("/api/v1/notifications", headers=headers)).json()[
        "items"
    ][0]["id"]
    own = await notifications.client.get(
        f"/api/v1/notifications/{target}/deliveries", headers=headers
    )
    assert own.status_code == 200
    rows = own.json()
    assert [row["channel"] for row in rows] == ["email", "sms"]  # no push subscription
    assert {row["address"] for row in rows} == {"d******@example.org", "+249******678"}
    assert {row["status"] for row in rows} == {"sending"}
    admin = notifications.headers(uuid.uuid4())  # STAFF includes notification.delivery.read
    assert (
        await notifications.client.get(f"/api/v1/notifications/{target}/deliveries", headers=admin)
    ).status_code == 200
    elsewhere = notifications.headers(uuid.uuid4(), (FACILITY_B,))
    assert (
        await notifications.client.get(
            f"/api/v1/notifications/{target}/deliveries", headers=elsewhere
        )
    ).status_code == 404


async def test_routes_need_their_permission(notifications: Notifications) -> None:
    headers = notifications.headers(uuid.uuid4(), permissions=[])
    for method, path in (
        ("GET", "/api/v1/notifications"),
        ("GET", "/api/v1/notifications/unread-count"),
        ("GET", "/api/v1/notifications/preferences"),
        ("POST", "/api/v1/notifications/read-all"),
    ):
        answer = await notifications.client.request(method, path, headers=headers)
        assert answer.status_code == 403, (method, path)
    assert (await notifications.client.get("/api/v1/notifications")).status_code == 401


def _vitals() -> dict[str, object]:
    return {
        "readings": [{"code": "heart_rate", "value": 190}],
        "ward_name": "Medical Ward",
        "bed_label": "B3",
        "recorded_at": "2026-03-05T12:30:00+00:00",
        "patient_name": "Hawa Elnour",
        "mrn": "KRT-000123",
    }
