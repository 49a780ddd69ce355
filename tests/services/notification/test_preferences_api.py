"""Preferences (language, channels, quiet hours) and Web Push subscriptions of the caller."""

from __future__ import annotations

import uuid

from tests.services.notification.conftest import Notifications

SUBSCRIPTION = {
    "endpoint": "https://fcm.googleapis.com/fcm/send/abc123",
    "expirationTime": None,
    "keys": {
        "p256dh": (
            "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
        ),
        "auth": "tBHItJI5svbpez7KI4CCXg",
    },
}


async def test_a_user_without_preferences_gets_the_defaults(
    notifications: Notifications,
) -> None:
    answer = await notifications.client.get(
        "/api/v1/notifications/preferences", headers=notifications.headers(uuid.uuid4())
    )
    assert answer.status_code == 200
    assert answer.json() == {
        "language": "ar",
        "channels": {"email": True, "sms": True, "push": True},
        "quiet_hours": {"start": "22:00", "end": "07:00"},
        "timezone": "Africa/Khartoum",
    }


async def test_preferences_are_kept_per_user(notifications: Notifications) -> None:
    me = uuid.uuid4()
    body = {
        "language": "en",
        "channels": {"email": True, "sms": False, "push": True},
        "quiet_hours": None,
    }
    put = await notifications.client.put(
        "/api/v1/notifications/preferences", json=body, headers=notifications.headers(me)
    )
    assert put.status_code == 200, put.text
    mine = await notifications.client.get(
        "/api/v1/notifications/preferences", headers=notifications.headers(me)
    )
    assert mine.json() == {**body, "timezone": "Africa/Khartoum"}
    theirs = await notifications.client.get(
        "/api/v1/notifications/preferences", headers=notifications.headers(uuid.uuid4())
    )
    assert theirs.json()["language"] == "ar"


async def test_bad_preferences_are_refused_with_a_problem(notifications: Notifications) -> None:
    headers = notifications.headers(uuid.uuid4())
    for body in (
        {"language": "fr"},
        {"quiet_hours": {"start": "25:00", "end": "07:00"}},
        {"quiet_hours": {"start": "07:00", "end": "07:00"}},
        {"timezone": "Mars/Olympus_Mons"},
        {"timezone": "../../etc/passwd"},
        {"channels": {"fax": True}},
    ):
        answer = await notifications.client.put(
            "/api/v1/notifications/preferences", json=body, headers=headers
        )
        assert answer.status_code == 422, body
        assert answer.headers["content-type"] == "application/problem+json"


async def test_a_push_subscription_is_registered_once_and_removed_by_its_owner(
    notifications: Notifications,
) -> None:
    me, other = uuid.uuid4(), uuid.uuid4()
    first = await notifications.client.post(
        "/api/v1/notifications/push-subscriptions",
        json=SUBSCRIPTION,
        headers=notifications.headers(me),
    )
    assert first.status_code == 201, first.text
    again = await notifications.client.post(
        "/api/v1/notifications/push-subscriptions",
        json=SUBSCRIPTION,
        headers=notifications.headers(me),
    )
    assert again.json()["id"] == first.json()["id"]
    path = f"/api/v1/notifications/push-subscriptions/{first.json()['id']}"
    assert (
        await notifications.client.delete(path, headers=notifications.headers(other))
    ).status_code == 404
    assert (
        await notifications.client.delete(path, headers=notifications.headers(me))
    ).status_code == 204
    assert (
        await notifications.client.delete(path, headers=notifications.headers(me))
    ).status_code == 404


async def test_a_user_lists_only_their_own_push_subscriptions(
    notifications: Notifications,
) -> None:
    me, other = uuid.uuid4(), uuid.uuid4()
    path = "/api/v1/notifications/push-subscriptions"
    added = await notifications.client.post(
        path, json=SUBSCRIPTION, headers=notifications.headers(me)
    )
    mine = await notifications.client.get(path, headers=notifications.headers(me))
    assert mine.status_code == 200, mine.text
    assert [(s["id"], s["endpoint"]) for s in mine.json()] == [
        (added.json()["id"], SUBSCRIPTION["endpoint"])
    ]
    theirs = await notifications.client.get(path, headers=notifications.headers(other))
    assert theirs.json() == []


async def test_a_push_subscription_reaches_push_deliveries(notifications: Notifications) -> None:
    me = uuid.uuid4()
    await notifications.client.post(
        "/api/v1/notifications/push-subscriptions",
        json=SUBSCRIPTION,
        headers=notifications.headers(me),
    )
    await notifications.notify(me)
    push = [d for d in await notifications.deliveries() if d.channel == "push"]
    assert [d.address_hint for d in push] == ["push (fcm.googleapis.com)"]


async def test_a_push_endpoint_must_be_https(notifications: Notifications) -> None:
    for endpoint in ("http://push.example.org/x", "javascript:alert(1)", "not a url"):
        answer = await notifications.client.post(
            "/api/v1/notifications/push-subscriptions",
            json={**SUBSCRIPTION, "endpoint": endpoint},
            headers=notifications.headers(uuid.uuid4()),
        )
        assert answer.status_code == 422, endpoint
