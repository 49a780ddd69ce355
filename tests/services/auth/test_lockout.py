"""Brute force is throttled per account and per address, without easy victim lockout."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.services.auth.conftest import PASSWORD, Auth

WRONG = "not-the-password-9"


async def _wrong_from(
    auth: Auth, email: str, ip: str
) -> tuple[int, dict[str, str], dict[str, Any]]:
    answer = await auth.from_ip(ip).post(
        "/api/v1/auth/login", json={"email": email, "password": WRONG}
    )
    return answer.status_code, dict(answer.headers), answer.json()


async def test_five_failures_lock_the_account_with_a_retry_after(auth: Auth) -> None:
    user = await auth.user()
    # Each guess from another address: only the account counter can stop them.
    statuses = [(await _wrong_from(auth, user.email, f"198.51.100.{i}"))[0] for i in range(1, 5)]
    assert statuses == [401, 401, 401, 401]
    status, headers, body = await _wrong_from(auth, user.email, "198.51.100.5")
    assert status == 423 and headers["retry-after"] == "30"
    assert body["type"].endswith("/account-locked") and body["retry_after"] == 30
    # While locked even the right password is refused, without being checked.
    locked = await auth.login(user.email, client=auth.from_ip("198.51.100.6"), expect=423)
    assert 1 <= locked["retry_after"] <= 30
    auth.clock.advance(seconds=31)
    await auth.login(user.email, client=auth.from_ip("198.51.100.7"))


async def test_the_account_lock_doubles_but_stays_short_so_a_victim_gets_back_in(
    auth: Auth,
) -> None:
    user = await auth.user()
    waits: list[int] = []
    for i in range(12):
        status, headers, _ = await _wrong_from(auth, user.email, f"198.51.100.{i + 1}")
        if status == 423:
            waits.append(int(headers["retry-after"]))
            auth.clock.advance(seconds=int(headers["retry-after"]) + 1)
    assert waits == [30, 60, 120, 240, 300, 300, 300, 300]
    # Once the (capped) lock has passed, the owner logs in.
    await auth.login(user.email, client=auth.from_ip("192.0.2.200"))


async def test_a_successful_login_clears_the_account_counter(auth: Auth) -> None:
    user = await auth.user()
    for i in range(4):
        assert (await _wrong_from(auth, user.email, f"198.51.100.{i + 1}"))[0] == 401
    await auth.login(user.email, client=auth.from_ip("192.0.2.1"))
    for i in range(4):
        assert (await _wrong_from(auth, user.email, f"198.51.100.{i + 10}"))[0] == 401


async def test_an_account_lock_is_published_as_user_locked_and_audited(auth: Auth) -> None:
    user = await auth.user()
    for i in range(5):
        await _wrong_from(auth, user.email, f"198.51.100.{i + 1}")
    assert "user.locked" in await auth.published_types()
    lockouts = await auth.audit_rows("auth.lockout")
    assert len(lockouts) == 1 and lockouts[0].resource_id == str(user.id)
    assert lockouts[0].details == {"failures": 5, "seconds": 30}
    await auth.login(user.email, client=auth.from_ip("198.51.100.9"), expect=423)
    refused = [row for row in await auth.audit_rows("auth.login") if row.outcome == "denied"]
    assert refused and refused[-1].details == {"reason": "account-locked"}


async def test_unknown_accounts_lock_like_real_ones_so_locks_reveal_nothing(auth: Auth) -> None:
    statuses = [
        (await _wrong_from(auth, "nobody@nilecare.sd", f"198.51.100.{i + 1}"))[0] for i in range(6)
    ]
    assert statuses == [401, 401, 401, 401, 423, 423]
    assert "user.locked" not in await auth.published_types()


async def test_an_address_guessing_many_accounts_is_throttled_longer_and_longer(
    auth: Auth,
) -> None:
    ip = "192.0.2.66"
    waits: list[int] = []
    for i in range(14):
        status, headers, body = await _wrong_from(auth, f"target{i}@nilecare.sd", ip)
        if status == 429:
            assert body["type"].endswith("/too-many-logins")
            waits.append(int(headers["retry-after"]))
            auth.clock.advance(seconds=int(headers["retry-after"]) + 1)
        else:
            assert status == 401
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
    # While the address is throttled, even a correct login from it waits (429)...
    for _ in range(4):
        await _wrong_from(auth, "x@nilecare.sd", "192.0.2.67")
    user = await auth.user()
    status, _, _ = await _wrong_from(auth, "y@nilecare.sd", "192.0.2.67")
    assert status == 429
    await auth.login(user.email, client=auth.from_ip("192.0.2.67"), expect=429)
    # ...while the same account from elsewhere is fine.
    await auth.login(user.email, client=auth.from_ip("192.0.2.68"))


async def test_parallel_guesses_cannot_run_past_the_threshold(auth: Auth) -> None:
    user = await auth.user()
    checked: list[str] = []
    original = auth.state.passwords._verify

    def counting(password_hash: str, password: str) -> bool:
        checked.append(password)
        return original(password_hash, password)

    auth.state.passwords._verify = counting  # type: ignore[method-assign]
    answers = await asyncio.gather(
        *(_wrong_from(auth, user.email, f"198.51.100.{i + 1}") for i in range(20))
    )
    statuses = sorted(status for status, _, _ in answers)
    assert statuses.count(401) == 4 and statuses.count(423) == 16
    # Only the five admitted attempts reached argon2; the rest were refused before it.
    assert len(checked) == 5
    await auth.login(user.email, PASSWORD, client=auth.from_ip("192.0.2.9"), expect=423)
