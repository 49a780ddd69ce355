"""The gateway's live updates at ``/ws`` (docs/live-updates.md), over real uvicorn sockets: the
handshake, the frames, the limits, delivery of bus events by facility, and the fan-out of two
gateway processes through one real Redis.

The gateways here have no upstreams: topics decided without asking a service (facility,
notifications) are enough; patient and ward subscriptions are in test_websocket_access.py."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import structlog
import uvicorn
from fastapi import FastAPI
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Origin, Subprotocol

from nilecare.contracts.appointment.events import AppointmentUpdated
from nilecare.contracts.clinical.events import VitalsCritical, VitalsRecorded
from nilecare.contracts.clinical.permissions import CLINICAL_VITALS_READ
from nilecare.contracts.notification.events import NotificationCreated
from nilecare.kernel.auth.revocation import MemoryRevocationStore
from nilecare.kernel.auth.tokens import TokenVerifier
from nilecare.kernel.events.bus import InProcessBus
from nilecare.kernel.events.envelope import Envelope, Event
from nilecare.services.gateway.app import build_gateway
from nilecare.services.gateway.live.redis_fanout import RedisFanout
from tests.harness import platform_settings_for_tests
from tests.services.gateway.stack import closed_port_url, gateway_settings
from tests.tokens import AUDIENCE, ISSUER, Signer

WAIT = 10.0  # seconds; generous, never asserted on
FACILITY_A, FACILITY_B = uuid.uuid4(), uuid.uuid4()
NURSE = [CLINICAL_VITALS_READ]


@contextlib.asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    """The app under uvicorn on a free loopback port, logging as ``nilecare serve`` does (no
    log config of its own, no access log, uvicorn's INFO lines on)."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        lifespan="off",
        log_config=None,
        log_level="info",
        access_log=False,
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        for _ in range(500):
            if server.started or task.done():
                break
            await asyncio.sleep(0.01)
        assert server.started, "the test server did not start"
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@dataclass
class Live:
    host: str
    app: FastAPI
    bus: InProcessBus
    signer: Signer
    revocations: MemoryRevocationStore

    def token(
        self,
        permissions: list[str] | None = None,
        facilities: tuple[uuid.UUID, ...] = (FACILITY_A,),
        **claims: Any,
    ) -> str:
        return self.signer.token(
            NURSE if permissions is None else permissions,
            facility_ids=[str(f) for f in facilities],
            **claims,
        )

    def url(self, token: str | None = None, query: str = "") -> str:
        params = "&".join(p for p in (f"token={token}" if token else "", query) if p)
        return f"ws://{self.host}/ws" + (f"?{params}" if params else "")

    async def publish(self, event: Event, *, at: datetime | None = None) -> Envelope:
        facility = getattr(event, "facility_id", None)
        envelope = Envelope(
            type=event.event_type,
            source="test",
            facility_id=facility,
            occurred_at=at or datetime.now(UTC),
            data=event.model_dump(mode="json"),
        )
        await self.bus.publish(envelope)
        return envelope


@contextlib.asynccontextmanager
async def live_gateway(
    tmp_path: Path,
    *,
    redis: Redis | None = None,
    signer: Signer | None = None,
    wait_for_redis: bool = True,
    **settings: Any,
) -> AsyncIterator[Live]:
    signer = signer or Signer()
    revocations = MemoryRevocationStore()
    verifier = TokenVerifier(
        signer.fetch_jwks, issuer=ISSUER, audience=AUDIENCE, revocations=revocations
    )
    bus = InProcessBus()
    app = build_gateway(
        [],
        settings=gateway_settings(**{"ws_heartbeat_seconds": 30.0, **settings}),
        platform=platform_settings_for_tests(tmp_path),
        verifier=verifier,
        redis=redis,
        bus=bus,
    )
    async with app.router.lifespan_context(app), serving(app) as host:
        fanout = app.state.live.fanout
        if isinstance(fanout, RedisFanout) and wait_for_redis:
            await asyncio.wait_for(fanout.listening.wait(), WAIT)
        yield Live(host, app, bus, signer, revocations)


def open_socket(
    url: str, *, subprotocols: list[str] | None = None, origin: str | None = None
) -> connect:
    return connect(
        url,
        subprotocols=[Subprotocol(p) for p in subprotocols] if subprotocols else None,
        origin=Origin(origin) if origin else None,
        proxy=None,
        open_timeout=WAIT,
    )


async def frame(ws: ClientConnection, *, skip_pings: bool = True) -> dict[str, Any]:
    while True:
        body: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), WAIT))
        if not (skip_pings and body["type"] == "ping"):
            return body


async def welcomed(ws: ClientConnection) -> dict[str, Any]:
    welcome = await frame(ws)
    assert welcome["type"] == "welcome", welcome
    return welcome


async def send(ws: ClientConnection, body: dict[str, Any] | str) -> None:
    await ws.send(body if isinstance(body, str) else json.dumps(body))


async def subscribe(ws: ClientConnection, topic: str, **extra: Any) -> dict[str, Any]:
    await send(ws, {"type": "subscribe", "topic": topic, **extra})
    return await frame(ws)


async def nothing_more(ws: ClientConnection) -> None:
    """Nothing was queued for the socket before this point: the next frame is the pong."""
    await send(ws, {"type": "ping"})
    assert await frame(ws) == {"type": "pong"}


async def refused_status(url: str, **options: Any) -> int:
    with pytest.raises(InvalidStatus) as refused:
        async with open_socket(url, **options):
            pass
    return refused.value.response.status_code


def critical(
    facility: uuid.UUID, patient: uuid.UUID | None = None, ward: uuid.UUID | None = None
) -> VitalsCritical:
    return VitalsCritical(
        vital_signs_id=uuid.uuid4(),
        patient_id=patient or uuid.uuid4(),
        facility_id=facility,
        ward_id=ward,
        bed_id=uuid.uuid4() if ward else None,
        recorded_at=datetime.now(UTC),
        values={"heart_rate": 182.0},
        flags={"heart_rate": "critical"},
    )


def notification(user: uuid.UUID, facility: uuid.UUID | None) -> NotificationCreated:
    return NotificationCreated(
        notification_id=uuid.uuid4(),
        user_id=user,
        facility_id=facility,
        kind="vitals.critical",
        severity="critical",
        title="Critical vital signs",
        created_at=datetime.now(UTC),
    )


# --- the handshake ----------------------------------------------------------------------------


async def test_a_handshake_without_a_valid_token_is_refused_before_accept(tmp_path: Path) -> None:
    async with live_gateway(tmp_path) as live:
        session = str(uuid.uuid4())
        await live.revocations.revoke_session(session, 600)
        past = int(time.time()) - 600
        bad_tokens = {
            "missing": None,
            "malformed": "not-a-jwt",
            "expired": live.token(exp=past, iat=past - 60, nbf=past - 60),
            "revoked": live.token(sid=session),
            "foreign signer": Signer().token(NURSE),
            "refresh": live.token(type="refresh"),
        }
        for name, token in bad_tokens.items():
            assert await refused_status(live.url(token)) == 403, name
        for token in ("not-a-jwt", bad_tokens["expired"]):
            assert await refused_status(live.url(), subprotocols=["bearer", token]) == 403
        assert await refused_status(f"ws://{live.host}/elsewhere?token={live.token()}") == 403


async def test_a_token_in_the_query_or_the_bearer_subprotocol_opens_the_socket(
    tmp_path: Path,
) -> None:
    async with live_gateway(tmp_path, ws_heartbeat_seconds=25.0) as live:
        user = uuid.uuid4()
        async with open_socket(live.url(live.token(sub=str(user)))) as ws:
            assert ws.subprotocol is None
            welcome = await welcomed(ws)
            assert welcome == {"type": "welcome", "user_id": str(user), "heartbeat_seconds": 25.0}
        async with open_socket(live.url(), subprotocols=["bearer", live.token()]) as ws:
            assert ws.subprotocol == "bearer"
            await welcomed(ws)


async def test_browsers_from_a_foreign_origin_are_refused(tmp_path: Path) -> None:
    allowed = "https://ward-screens.nilecare.example"
    async with live_gateway(tmp_path, cors_origins=[allowed]) as live:
        url = live.url(live.token())
        assert await refused_status(url, origin="https://evil.example") == 403
        assert await refused_status(url, origin="null") == 403
        for origin in (allowed, f"http://{live.host}"):
            async with open_socket(url, origin=origin) as ws:
                await welcomed(ws)


async def test_the_query_token_never_reaches_a_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Collect()
    uvicorn_log = logging.getLogger("uvicorn.error")
    uvicorn_log.addHandler(handler)
    caplog.set_level(logging.DEBUG)
    try:
        async with live_gateway(tmp_path) as live:
            good = live.token()
            bad = live.token(exp=int(time.time()) - 600)
            with structlog.testing.capture_logs() as logged:
                async with open_socket(live.url(good, query="lang=ar")) as ws:
                    await welcomed(ws)
                await refused_status(live.url(bad))
    finally:
        uvicorn_log.removeHandler(handler)
    # The server's logs: the test's own client logs its request, token and all, at DEBUG.
    server_records = [r for r in records + caplog.records if not r.name.startswith("websockets")]
    lines = [r.getMessage() for r in server_records] + [json.dumps(logged, default=str)]
    # The handshake lines are there (the test can fail), without the token.
    assert any('"WebSocket /ws?lang=ar" [accepted]' in line for line in lines), lines
    assert any(e.get("reason") == "invalid-token" for e in logged), logged
    assert not [line for line in lines if good in line or bad in line]


# --- frames -------------------------------------------------------------------------------------


async def test_heartbeats_come_at_the_configured_interval_and_ping_gets_pong(
    tmp_path: Path,
) -> None:
    async with (
        live_gateway(tmp_path, ws_heartbeat_seconds=0.2) as live,
        open_socket(live.url(live.token())) as ws,
    ):
        assert (await welcomed(ws))["heartbeat_seconds"] == 0.2
        pings = [await frame(ws, skip_pings=False) for _ in range(2)]
        assert [p["type"] for p in pings] == ["ping", "ping"]
        assert datetime.fromisoformat(pings[0]["at"]).tzinfo is not None
        await send(ws, {"type": "ping"})
        assert await frame(ws) == {"type": "pong"}


async def test_malformed_frames_get_an_error_frame_and_the_socket_stays_open(
    tmp_path: Path,
) -> None:
    async with live_gateway(tmp_path) as live, open_socket(live.url(live.token())) as ws:
        await welcomed(ws)
        bad_frames: list[str | bytes] = [
            "{not json",
            "[1, 2]",
            json.dumps({"type": "dance"}),
            json.dumps({"topic": "notifications"}),
            json.dumps({"type": "subscribe"}),
            json.dumps({"type": "subscribe", "topic": 42}),
            json.dumps({"type": "subscribe", "topic": "patients:all"}),
            json.dumps({"type": "subscribe", "topic": "patient:42"}),
            json.dumps({"type": "subscribe", "topic": f"patient:{str(uuid.uuid4()).upper()}"}),
            json.dumps({"type": "subscribe", "topic": "user:" + str(uuid.uuid4())}),
            json.dumps({"type": "subscribe", "topic": "notifications", "since": "yesterday"}),
            json.dumps(
                {"type": "subscribe", "topic": "notifications", "since": "2026-01-01T10:00:00"}
            ),
            json.dumps({"type": "unsubscribe", "topic": "ward:nope"}),
            b"\x00\x01binary",
        ]
        for bad in bad_frames:
            await ws.send(bad)
            error = await frame(ws)
            assert error["type"] == "error" and error["status"] == 422, (bad, error)
            assert error["detail"], bad
        await send(ws, {"type": "subscribe", "topic": "notifications", "since": "yesterday"})
        assert (await frame(ws))["topic"] == "notifications"
        assert await subscribe(ws, "notifications") == {
            "type": "subscribed",
            "topic": "notifications",
        }


async def test_an_oversized_frame_closes_the_socket(tmp_path: Path) -> None:
    async with (
        live_gateway(tmp_path, ws_max_frame_bytes=256) as live,
        open_socket(live.url(live.token())) as ws,
    ):
        await welcomed(ws)
        await send(ws, {"type": "ping", "padding": "x" * 300})
        with pytest.raises(ConnectionClosed) as closed:
            await frame(ws)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


async def test_subscriptions_and_frames_per_socket_are_limited(tmp_path: Path) -> None:
    async with live_gateway(tmp_path, ws_max_subscriptions=2, ws_messages_per_minute=6) as live:
        facilities = tuple(uuid.uuid4() for _ in range(3))
        async with open_socket(live.url(live.token(facilities=facilities))) as ws:
            await welcomed(ws)
            for facility in facilities[:2]:
                assert (await subscribe(ws, f"facility:{facility}"))["type"] == "subscribed"
            third = await subscribe(ws, f"facility:{facilities[2]}")
            assert third["status"] == 429 and third["topic"] == f"facility:{facilities[2]}"
            # Six frames a minute: three were used, the next three pass, then they are refused.
            answers = []
            for _ in range(5):
                await send(ws, {"type": "ping"})
                answers.append(await frame(ws))
            assert answers[:3] == [{"type": "pong"}] * 3
            assert [a.get("status") for a in answers[3:]] == [429, 429]


async def test_the_socket_closes_with_4401_when_the_token_expires(tmp_path: Path) -> None:
    async with live_gateway(tmp_path) as live:
        soon = int(time.time()) + 2
        async with open_socket(live.url(live.token(exp=soon))) as ws:
            await welcomed(ws)
            with pytest.raises(ConnectionClosed) as closed:
                await frame(ws)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


async def test_a_revoked_session_is_closed_with_4401_at_the_next_heartbeat(tmp_path: Path) -> None:
    async with live_gateway(tmp_path, ws_heartbeat_seconds=0.2) as live:
        session = str(uuid.uuid4())
        async with open_socket(live.url(live.token(sid=session))) as ws:
            await welcomed(ws)
            await live.revocations.revoke_session(session, 600)
            with pytest.raises(ConnectionClosed) as closed:
                await frame(ws)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


# --- who may subscribe to what; who receives what ---------------------------------------------


async def test_a_facility_topic_needs_the_vitals_permission_and_the_facility(
    tmp_path: Path,
) -> None:
    async with live_gateway(tmp_path) as live:
        async with open_socket(live.url(live.token(facilities=(FACILITY_A,)))) as nurse:
            await welcomed(nurse)
            assert (await subscribe(nurse, f"facility:{FACILITY_A}"))["type"] == "subscribed"
            other = await subscribe(nurse, f"facility:{FACILITY_B}")
            assert other == {
                "type": "error",
                "topic": f"facility:{FACILITY_B}",
                "status": 403,
                "detail": other["detail"],
            }
        async with open_socket(live.url(live.token(permissions=[]))) as clerk:
            await welcomed(clerk)
            assert (await subscribe(clerk, f"facility:{FACILITY_A}"))["status"] == 403
            assert (await subscribe(clerk, "notifications"))["type"] == "subscribed"
        everywhere = live.token(facilities=(), all_facilities=True)
        async with open_socket(live.url(everywhere)) as director:
            await welcomed(director)
            assert (await subscribe(director, f"facility:{FACILITY_B}"))["type"] == "subscribed"


async def test_bus_events_reach_the_sockets_that_may_see_them_and_no_others(
    tmp_path: Path,
) -> None:
    async with live_gateway(tmp_path) as live:
        nurse_a, nurse_b = uuid.uuid4(), uuid.uuid4()
        token_a = live.token(sub=str(nurse_a), facilities=(FACILITY_A,))
        token_b = live.token(sub=str(nurse_b), facilities=(FACILITY_B,))
        async with open_socket(live.url(token_a)) as a, open_socket(live.url(token_b)) as b:
            for ws, facility in ((a, FACILITY_A), (b, FACILITY_B)):
                await welcomed(ws)
                assert (await subscribe(ws, f"facility:{facility}"))["type"] == "subscribed"
                assert (await subscribe(ws, "notifications"))["type"] == "subscribed"

            alert = critical(FACILITY_B, ward=uuid.uuid4())
            envelope = await live.publish(alert)
            received = await frame(b)
            assert received == {
                "type": "event",
                "event": "alert.critical",
                "topic": f"facility:{FACILITY_B}",
                "id": str(envelope.event_id),
                "at": envelope.occurred_at.isoformat(),
                "data": {
                    "patient_id": str(alert.patient_id),
                    "vital_signs_id": str(alert.vital_signs_id),
                    "values": {"heart_rate": 182.0},
                    "flags": {"heart_rate": "critical"},
                    "ward_id": str(alert.ward_id),
                    "bed_id": str(alert.bed_id),
                    "recorded_at": alert.recorded_at.isoformat().replace("+00:00", "Z"),
                    "facility_id": str(FACILITY_B),
                },
            }

            # B's own notification reaches B; one for A that names facility B (a user whose
            # facilities changed) is held back by the delivery check.
            await live.publish(notification(nurse_b, None))
            own = await frame(b)
            assert own["event"] == "notification.new" and own["topic"] == "notifications"
            assert own["data"]["facility_id"] is None
            await live.publish(notification(nurse_a, FACILITY_B))
            await live.publish(
                AppointmentUpdated(
                    appointment_id=uuid.uuid4(),
                    patient_id=uuid.uuid4(),
                    facility_id=FACILITY_A,
                    provider_staff_id=uuid.uuid4(),
                    provider_user_id=nurse_a,
                    status="checked_in",
                    starts_at=datetime.now(UTC),
                    ends_at=datetime.now(UTC) + timedelta(minutes=20),
                )
            )
            updates = [await frame(a), await frame(a)]
            assert {(u["event"], u["topic"]) for u in updates} == {
                ("appointment.updated", f"facility:{FACILITY_A}"),
                ("appointment.updated", "notifications"),
            }
            assert updates[0]["data"]["status"] == "checked_in"
            await nothing_more(a)
            await nothing_more(b)


async def test_unsubscribing_stops_delivery(tmp_path: Path) -> None:
    async with live_gateway(tmp_path) as live, open_socket(live.url(live.token())) as ws:
        await welcomed(ws)
        await subscribe(ws, f"facility:{FACILITY_A}")
        await send(ws, {"type": "unsubscribe", "topic": f"facility:{FACILITY_A}"})
        await nothing_more(ws)
        await live.publish(critical(FACILITY_A))
        await nothing_more(ws)


async def test_a_malformed_bus_event_is_dropped_without_stopping_delivery(tmp_path: Path) -> None:
    async with live_gateway(tmp_path) as live, open_socket(live.url(live.token())) as ws:
        await welcomed(ws)
        await subscribe(ws, f"facility:{FACILITY_A}")
        broken = Envelope(
            type=VitalsCritical.event_type, source="test", data={"patient_id": "nope"}
        )
        await live.bus.publish(broken)
        assert live.bus.dead_letters == []
        envelope = await live.publish(critical(FACILITY_A))
        assert (await frame(ws))["id"] == str(envelope.event_id)


# --- missed alerts --------------------------------------------------------------------------------


@pytest.fixture(params=["memory", "redis"])
def alert_backend(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Gateway keyword arguments for alerts kept in memory or in real Redis."""
    if request.param == "memory":
        return {}
    redis: Redis = request.getfixturevalue("redis_client")
    return {"redis": redis, "live_redis_prefix": request.getfixturevalue("redis_prefix")}


async def test_a_subscriber_gets_the_active_alerts_it_missed(
    tmp_path: Path, alert_backend: dict[str, Any]
) -> None:
    async with live_gateway(tmp_path, **alert_backend) as live:
        ward, now = uuid.uuid4(), datetime.now(UTC)
        # Older than the 12-hour window: no longer active, never replayed.
        await live.publish(critical(FACILITY_A, ward=ward), at=now - timedelta(hours=13))
        first = await live.publish(critical(FACILITY_A, ward=ward), at=now - timedelta(minutes=5))
        second = await live.publish(critical(FACILITY_A, ward=ward), at=now - timedelta(minutes=1))
        await live.publish(critical(FACILITY_B, ward=uuid.uuid4()))
        # A vitals update is live only: it is not replayed.
        await live.publish(
            VitalsRecorded(
                vital_signs_id=uuid.uuid4(),
                patient_id=uuid.uuid4(),
                facility_id=FACILITY_A,
                recorded_at=now,
                critical=False,
                flags={},
            )
        )
        topic = f"facility:{FACILITY_A}"
        async with open_socket(live.url(live.token())) as ws:
            await welcomed(ws)
            assert await subscribe(ws, topic) == {"type": "subscribed", "topic": topic}
            replayed = [await frame(ws), await frame(ws)]
            assert [r["id"] for r in replayed] == [str(first.event_id), str(second.event_id)]
            assert all(r["event"] == "alert.critical" for r in replayed)
            await nothing_more(ws)
            # Reconnecting with the time of the newest alert seen: only what came after it.
            third = await live.publish(critical(FACILITY_A, ward=ward))
            assert (await frame(ws))["id"] == str(third.event_id)
        async with open_socket(live.url(live.token())) as ws:
            await welcomed(ws)
            await subscribe(ws, topic, since=replayed[-1]["at"])
            assert (await frame(ws))["id"] == str(third.event_id)
            await nothing_more(ws)
        # A user of another facility gets none of them.
        async with open_socket(live.url(live.token(facilities=(FACILITY_B,)))) as other:
            await welcomed(other)
            assert (await subscribe(other, topic))["status"] == 403
            await nothing_more(other)


# --- two gateway processes, one Redis -------------------------------------------------------


async def test_an_event_consumed_by_one_gateway_reaches_a_client_of_another(
    tmp_path: Path, redis_client: Redis, redis_prefix: str
) -> None:
    signer = Signer()
    shared: dict[str, Any] = {"live_redis_prefix": redis_prefix}
    async with (
        live_gateway(tmp_path / "one", redis=redis_client, signer=signer, **shared) as one,
        live_gateway(tmp_path / "two", redis=redis_client, signer=signer, **shared) as two,
    ):
        token = two.token()
        async with open_socket(two.url(token)) as far, open_socket(one.url(token)) as near:
            for ws in (far, near):
                await welcomed(ws)
                await subscribe(ws, f"facility:{FACILITY_A}")
            envelope = await one.publish(critical(FACILITY_A))
            for ws in (near, far):
                received = await frame(ws)
                assert received["id"] == str(envelope.event_id), received
            # Each process delivers a message once: its own is not delivered again from Redis.
            await nothing_more(near)
            await nothing_more(far)


async def test_with_redis_unreachable_local_sockets_still_get_their_messages(
    tmp_path: Path,
) -> None:
    port = int(closed_port_url().rsplit(":", 1)[1])
    down = Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        with structlog.testing.capture_logs() as logged:
            async with (
                live_gateway(tmp_path, redis=down, wait_for_redis=False) as live,
                open_socket(live.url(live.token())) as ws,
            ):
                await welcomed(ws)
                topic = f"facility:{FACILITY_A}"
                assert await subscribe(ws, topic) == {"type": "subscribed", "topic": topic}
                missed = await frame(ws)
                assert missed["type"] == "error" and missed["status"] == 503, missed
                envelope = await live.publish(critical(FACILITY_A))
                assert (await frame(ws))["id"] == str(envelope.event_id)
    finally:
        await down.aclose()
    events = {entry["event"] for entry in logged}
    expected = {"live_fanout_publish_failed", "live_alert_not_stored", "live_fanout_redis_lost"}
    assert expected <= events, events


async def test_a_dropped_redis_subscription_is_made_again(
    tmp_path: Path, redis_client: Redis, redis_prefix: str
) -> None:
    signer = Signer()
    name = f"live-test-{uuid.uuid4().hex[:8]}"
    listener = Redis(host="127.0.0.1", port=6379, client_name=name, socket_timeout=5)
    shared: dict[str, Any] = {"live_redis_prefix": redis_prefix}
    try:
        async with (
            live_gateway(tmp_path / "one", redis=redis_client, signer=signer, **shared) as one,
            live_gateway(tmp_path / "two", redis=listener, signer=signer, **shared) as two,
            open_socket(two.url(two.token())) as ws,
        ):
            await welcomed(ws)
            await subscribe(ws, f"facility:{FACILITY_A}")
            # Kill the second gateway's pub/sub connection (its own, found by name).
            clients = await redis_client.client_list()
            ids = [
                c["id"]
                for c in clients
                if c.get("name") == name and c["cmd"] in ("subscribe", "ssubscribe", "psubscribe")
            ]
            assert ids, clients
            for client_id in ids:
                await redis_client.client_kill_filter(_id=client_id)
            # Publish until one gets through: the subscription was made again.
            received: dict[str, Any] | None = None
            async with asyncio.timeout(WAIT * 2):
                while received is None:
                    await one.publish(critical(FACILITY_A))
                    with contextlib.suppress(TimeoutError):
                        received = json.loads(await asyncio.wait_for(ws.recv(), 0.5))
            assert received["event"] == "alert.critical"
    finally:
        await listener.aclose()
