"""Through the real services in-process: the auth service's password-reset mail goes through
the notification service with auth's service token; a user's token may not ask for it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from nilecare.kernel.tasks.queue import InProcessTaskQueue
from nilecare.runtime.allinone import AllInOne, build_all_in_one
from nilecare.services.auth import admin as auth_admin
from nilecare.services.auth.models import User
from nilecare.services.notification.service.state import install_state
from tests.harness import platform_settings_for_tests
from tests.live import use_fast_argon2
from tests.services.notification.upstreams import RecordingChannels

PASSWORD = "Blue-Acacia-Morning-2026!"


@pytest.fixture
async def platform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[AllInOne, RecordingChannels, httpx.AsyncClient]]:
    use_fast_argon2(monkeypatch)
    monkeypatch.setenv("NILECARE_NOTIFICATION__PASSWORD_RESET_URL", "https://care.example/r#t=")
    built = build_all_in_one(platform_settings_for_tests(tmp_path))
    await built.migrate()
    channels = RecordingChannels()
    install_state(built.platform.contexts["notification"], channels)
    app: Any = built.app
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40001))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://nilecare") as api,
    ):
        yield built, channels, api


async def test_a_password_reset_mails_the_link_through_the_notification_service(
    platform: tuple[AllInOne, RecordingChannels, httpx.AsyncClient],
) -> None:
    built, channels, api = platform
    await auth_admin.create_user(
        built.platform.contexts["auth"],
        email="amal.osman@example.org",
        password=PASSWORD,
        full_name="Amal Osman",
        roles=["nurse"],
    )
    answer = await api.post("/api/v1/auth/password-reset", json={"email": "amal.osman@example.org"})
    assert answer.status_code == 202
    queue = built.platform.tasks
    assert isinstance(queue, InProcessTaskQueue)
    mails = channels.recorder("email").sent
    for _ in range(100):  # the mail is asked for after the answer, in the background
        await queue.join()
        if mails:
            break
        await asyncio.sleep(0.02)
    (mail,) = mails
    assert mail.address == "amal.osman@example.org"
    assert mail.subject == "إعادة تعيين كلمة مرور نايل كير"
    assert "https://care.example/r#t=" in mail.body
    token = mail.body.split("https://care.example/r#t=", 1)[1].split()[0]
    confirmed = await api.post(
        "/api/v1/auth/password-reset/confirmation",
        json={"token": token, "new_password": "Another-Strong-Pass-2026!"},
    )
    assert confirmed.status_code == 204, confirmed.text


async def test_a_user_who_prefers_english_gets_the_reset_mail_in_english(
    platform: tuple[AllInOne, RecordingChannels, httpx.AsyncClient],
) -> None:
    built, channels, api = platform
    auth = built.platform.contexts["auth"]
    await auth_admin.create_user(
        auth,
        email="sara.idris@example.org",
        password=PASSWORD,
        full_name="Sara Idris",
        roles=["nurse"],
    )
    async with auth.database.session() as session, session.begin():
        await session.execute(
            update(User)
            .where(User.email == "sara.idris@example.org")
            .values(preferred_language="en")
        )
    answer = await api.post("/api/v1/auth/password-reset", json={"email": "sara.idris@example.org"})
    assert answer.status_code == 202
    queue = built.platform.tasks
    assert isinstance(queue, InProcessTaskQueue)
    mails = channels.recorder("email").sent
    for _ in range(100):
        await queue.join()
        if mails:
            break
        await asyncio.sleep(0.02)
    (mail,) = mails
    assert mail.address == "sara.idris@example.org"
    assert mail.subject == "Reset your NileCare password"
    assert "https://care.example/r#t=" in mail.body


async def test_a_user_cannot_ask_for_a_password_reset_mail(
    platform: tuple[AllInOne, RecordingChannels, httpx.AsyncClient],
) -> None:
    built, channels, api = platform
    await auth_admin.create_user(
        built.platform.contexts["auth"],
        email="admin.kth@example.org",
        password=PASSWORD,
        full_name="Admin",
        roles=["nurse"],
    )
    login = await api.post(
        "/api/v1/auth/login", json={"email": "admin.kth@example.org", "password": PASSWORD}
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    answer = await api.post(
        "/api/v1/notifications/password-reset",
        json={"email": "victim@example.org", "token": "x" * 32, "language": "en"},
        headers=headers,
    )
    assert answer.status_code == 403
    assert channels.recorder("email").sent == []
