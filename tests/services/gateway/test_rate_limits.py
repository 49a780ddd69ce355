"""Rate limits per client address, per user and (stricter) on credential endpoints."""

from __future__ import annotations

from pathlib import Path

from redis.asyncio import Redis

from nilecare.services.gateway.client_address import ClientAddresses, rate_limit_identity
from nilecare.services.gateway.ratelimit import (
    MemoryWindowCounter,
    RedisWindowCounter,
    SlidingWindowLimiter,
)
from tests.services.gateway.stack import closed_port_url, gateway_settings, gateway_stack
from tests.services.gateway.upstreams import ECHO_READ


class FakeClock:
    def __init__(self, now: float = 6_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def test_the_sliding_window_refuses_over_the_limit_until_enough_of_the_past_slides_out() -> (
    None
):
    clock = FakeClock()
    limiter = SlidingWindowLimiter(MemoryWindowCounter(), clock=clock)
    assert [(await limiter.hit("k", 3)).allowed for _ in range(3)] == [True, True, True]
    refused = await limiter.hit("k", 3)
    # Four hits in the last window: one more fits when half of them have slid out.
    assert not refused.allowed and refused.retry_after == 90
    assert (await limiter.hit("someone-else", 3)).allowed
    clock.now += 90
    assert (await limiter.hit("k", 3)).allowed


async def test_the_sliding_window_counts_the_previous_window_by_the_share_still_inside() -> None:
    clock = FakeClock(6_000.0 + 45)  # three quarters into a window
    limiter = SlidingWindowLimiter(MemoryWindowCounter(), clock=clock)
    for _ in range(4):
        assert (await limiter.hit("k", 4)).allowed
    clock.now += 30  # a quarter into the next window: 4 x 0.75 = 3 still count
    assert (await limiter.hit("k", 4)).allowed
    refused = await limiter.hit("k", 4)
    assert not refused.allowed and refused.retry_after >= 1


def test_forwarded_for_is_believed_only_from_a_trusted_proxy() -> None:
    def scope(peer: str, forwarded: str) -> dict[str, object]:
        return {"client": (peer, 1234), "headers": [(b"x-forwarded-for", forwarded.encode())]}

    default = ClientAddresses()
    assert default.client_ip(scope("198.51.100.4", "203.0.113.9")) == "198.51.100.4"
    behind_proxy = ClientAddresses(["10.0.0.0/8"])
    assert behind_proxy.client_ip(scope("10.1.2.3", "203.0.113.9")) == "203.0.113.9"
    # A client cannot hide behind an address it prepends itself.
    assert behind_proxy.client_ip(scope("10.1.2.3", "1.1.1.1, 203.0.113.9")) == "203.0.113.9"
    assert behind_proxy.client_ip(scope("10.1.2.3", "203.0.113.9, 10.9.9.9")) == "203.0.113.9"
    assert behind_proxy.client_ip(scope("198.51.100.4", "203.0.113.9")) == "198.51.100.4"


def test_ipv6_clients_are_counted_by_their_64_prefix() -> None:
    assert rate_limit_identity("2001:db8:1:2:aaaa::1") == rate_limit_identity("2001:db8:1:2::ffff")
    assert rate_limit_identity("2001:db8:1:3::1") != rate_limit_identity("2001:db8:1:2::1")
    assert rate_limit_identity("203.0.113.9") == "203.0.113.9"


async def test_requests_over_the_per_ip_limit_get_429_with_retry_after(tmp_path: Path) -> None:
    settings = gateway_settings(ip_requests_per_minute=3)
    async with gateway_stack(tmp_path, settings=settings) as stack:
        for _ in range(3):
            assert (await stack.client.get("/api/v1/echo/public/1")).status_code == 200
        refused = await stack.client.get("/api/v1/echo/public/1")
        assert refused.status_code == 429
        assert refused.headers["content-type"] == "application/problem+json"
        assert 1 <= int(refused.headers["retry-after"]) <= 120
        # The gateway's own health endpoint is not behind the API limits.
        assert (await stack.client.get("/health/live")).status_code == 200


async def test_requests_over_the_per_user_limit_get_429_while_other_users_go_on(
    tmp_path: Path,
) -> None:
    settings = gateway_settings(ip_requests_per_minute=100, user_requests_per_minute=2)
    async with gateway_stack(tmp_path, settings=settings) as stack:
        first, second = stack.bearer([ECHO_READ]), stack.bearer([ECHO_READ])
        for _ in range(2):
            ok = await stack.client.get("/api/v1/echo/private", headers=first)
            assert ok.status_code == 200
        refused = await stack.client.get("/api/v1/echo/private", headers=first)
        assert refused.status_code == 429 and "retry-after" in refused.headers
        assert (await stack.client.get("/api/v1/echo/private", headers=second)).status_code == 200


async def test_login_and_password_reset_share_a_stricter_limit_than_other_paths(
    tmp_path: Path,
) -> None:
    settings = gateway_settings(ip_requests_per_minute=100, login_requests_per_minute=2)
    async with gateway_stack(tmp_path, settings=settings) as stack:
        credentials = {"email": "a@b.sd", "password": "guess"}
        for _ in range(2):
            answer = await stack.client.post("/api/v1/auth/login", json=credentials)
            assert answer.status_code == 200
        refused = await stack.client.post("/api/v1/auth/login", json=credentials)
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        reset = await stack.client.post("/api/v1/auth/password-reset")
        assert reset.status_code == 429
        confirmation = await stack.client.post("/api/v1/auth/password-reset/confirmation")
        assert confirmation.status_code == 429
        for _ in range(5):
            assert (await stack.client.get("/api/v1/echo/public/1")).status_code == 200


async def test_redis_counters_are_shared_by_every_limiter_using_them(
    redis_client: Redis, redis_prefix: str
) -> None:
    first = SlidingWindowLimiter(RedisWindowCounter(redis_client, redis_prefix))
    second = SlidingWindowLimiter(RedisWindowCounter(redis_client, redis_prefix))
    assert (await first.hit("ip:203.0.113.9", 3)).allowed
    assert (await second.hit("ip:203.0.113.9", 3)).allowed
    assert (await first.hit("ip:203.0.113.9", 3)).allowed
    refused = await second.hit("ip:203.0.113.9", 3)
    assert not refused.allowed and refused.retry_after >= 1
    keys = [key async for key in redis_client.scan_iter(match=redis_prefix + "*")]
    assert len(keys) == 1
    assert 0 < await redis_client.ttl(keys[0]) <= 120


async def test_redis_backed_gateway_limits_answer_429(
    tmp_path: Path, redis_client: Redis, redis_prefix: str
) -> None:
    settings = gateway_settings(ip_requests_per_minute=2, rate_limit_key_prefix=redis_prefix)
    async with gateway_stack(tmp_path, settings=settings, redis=redis_client) as stack:
        assert (await stack.client.get("/api/v1/echo/public/1")).status_code == 200
        assert (await stack.client.get("/api/v1/echo/public/1")).status_code == 200
        refused = await stack.client.get("/api/v1/echo/public/1")
        assert refused.status_code == 429 and "retry-after" in refused.headers
        assert [key async for key in redis_client.scan_iter(match=redis_prefix + "ip:*")]


async def test_with_redis_down_login_fails_closed_and_other_paths_fail_open(
    tmp_path: Path,
) -> None:
    port = int(closed_port_url().rsplit(":", 1)[1])
    broken = Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        async with gateway_stack(tmp_path, redis=broken) as stack:
            login = await stack.client.post(
                "/api/v1/auth/login", json={"email": "a@b.sd", "password": "pw"}
            )
            assert login.status_code == 503
            assert login.headers["content-type"] == "application/problem+json"
            assert (await stack.client.get("/api/v1/echo/public/1")).status_code == 200
            private = await stack.client.get(
                "/api/v1/echo/private", headers=stack.bearer([ECHO_READ])
            )
            assert private.status_code == 200
            # The gateway is not ready without the store its login limit depends on.
            assert (await stack.client.get("/health/ready")).status_code == 503
    finally:
        await broken.aclose()
