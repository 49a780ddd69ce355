"""The nervous system end to end, in the distributed mode on the real brokers.

Each service runs in its own process on a PostgreSQL database of its own; events cross the
Kafka-protocol broker (Tansu), tasks RabbitMQ (a virtual host of this test's own), live messages
Redis. A nurse records a critical vital sign through the gateway: the clinical service's outbox
ships ``vitals.critical`` over Kafka, the notification service finds the ward's on-duty doctor and
a worker mails them through the local SMTP server, while the gateway pushes ``alert.critical`` to
the doctor's open WebSocket, both within 2 seconds; a nurse of another facility, listening on her
own socket, receives nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from tests.databases import create_database, drop_database
from tests.e2e.two_facilities import login
from tests.kafka import TANSU_FETCH_MAX_WAIT_MS, kafka_broker
from tests.live import free_port, nilecare_env, run_cli, running, serving_all
from tests.rabbitmq import private_vhost, rabbitmq_url
from tests.smtp_server import SmtpServer, smtp_server

__all__ = ["kafka_broker", "rabbitmq_url"]

pytestmark = pytest.mark.slow

SERVICES = ("auth", "business", "facility", "clinical", "notification")
NURSE = "nurse@demo.nilecare.sd"
DOCTOR = "doctor@demo.nilecare.sd"
OTHER_NURSE = "nurse.omdurman@demo.nilecare.sd"
DEADLINE = 2.0  # seconds from the nurse's answer to the doctor's mail and socket frame
# Until every consumer group has joined and clinical has learnt the demo admissions' wards from
# facility's bed.assigned events, an alert may take longer or miss the ward's topic.
WARM_UP = 90.0


@contextlib.contextmanager
def distributed_platform(
    tmp_path: Path, kafka: str, rabbitmq: str, smtp: SmtpServer, databases: dict[str, str]
) -> Iterator[str]:
    """Every service, a task worker and the gateway as processes; yields the gateway's URL."""
    ports = {name: free_port() for name in SERVICES}
    run_id = secrets.token_hex(4)
    env = nilecare_env(
        tmp_path,
        NILECARE_EVENT_BUS="kafka",
        NILECARE_KAFKA_BOOTSTRAP_SERVERS=kafka,
        # The bundled Tansu broker has no idempotent producers (InitProducerId v0).
        NILECARE_KAFKA_IDEMPOTENT="false",
        # Tansu answers a waiting fetch only as the wait runs out (docs/configuration.md).
        NILECARE_KAFKA_FETCH_MAX_WAIT_MS=str(TANSU_FETCH_MAX_WAIT_MS),
        NILECARE_TASK_QUEUE="rabbitmq",
        NILECARE_RABBITMQ_URL=rabbitmq,
        NILECARE_REDIS_URL="redis://127.0.0.1:6379/0",
        NILECARE_GATEWAY__LIVE_REDIS_PREFIX=f"nilecare-e2e-{run_id}:live:",
        NILECARE_GATEWAY__RATE_LIMIT_KEY_PREFIX=f"nilecare-e2e-{run_id}:rl:",
        NILECARE_NOTIFICATION__SMTP_HOST=smtp.host,
        NILECARE_NOTIFICATION__SMTP_PORT=str(smtp.port),
        NILECARE_NOTIFICATION__SMTP_SECURITY="none",
        NILECARE_NOTIFICATION__MAIL_FROM="alerts@hospital.test",
        **{f"NILECARE_{name.upper()}__DATABASE_URL": url for name, url in databases.items()},
        **{f"NILECARE_{name.upper()}__URL": f"http://127.0.0.1:{ports[name]}" for name in SERVICES},
    )
    migrated = run_cli(["db", "upgrade", "--all"], env, timeout=300)
    assert migrated.returncode == 0, migrated.stdout[-3000:] + migrated.stderr[-3000:]
    seeded = run_cli(["seed", "demo"], env, timeout=300)
    assert seeded.returncode == 0, seeded.stdout[-3000:] + seeded.stderr[-3000:]
    gateway = free_port()
    commands = {port: ["serve", name] for name, port in ports.items()}
    with (
        serving_all({**commands, gateway: ["serve", "gateway"]}, env) as bases,
        running(["worker", "notification"], env),
    ):
        yield bases[gateway]


@contextlib.asynccontextmanager
async def socket(gateway: str, headers: dict[str, str], *topics: str) -> AsyncIterator[Listener]:
    token = headers["Authorization"].removeprefix("Bearer ")
    url = gateway.replace("http://", "ws://") + "/ws"
    async with connect(url, subprotocols=[Subprotocol("bearer"), Subprotocol(token)]) as ws:
        listener = Listener(ws)
        assert (await listener.next_frame())["type"] == "welcome"
        for topic in topics:
            await ws.send(json.dumps({"type": "subscribe", "topic": topic}))
            while (frame := await listener.next_frame())["type"] != "subscribed":
                assert frame["type"] != "error", frame
        reader = asyncio.create_task(listener.read())
        try:
            yield listener
        finally:
            reader.cancel()


class Listener:
    """Keeps every event frame a socket receives, with when it arrived."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.events: list[tuple[float, dict[str, Any]]] = []

    async def next_frame(self) -> dict[str, Any]:
        async with asyncio.timeout(30):
            frame: dict[str, Any] = json.loads(await self.ws.recv())
        return frame

    async def read(self) -> None:
        async for raw in self.ws:
            frame = json.loads(raw)
            if frame["type"] == "event":
                self.events.append((time.monotonic(), frame))

    def alerts_for(self, vital_signs_id: str, topic: str) -> list[float]:
        return [
            at
            for at, frame in self.events
            if frame["event"] == "alert.critical"
            and frame["topic"] == topic
            and frame["data"]["vital_signs_id"] == vital_signs_id
        ]


def mails_to(smtp: SmtpServer, address: str) -> int:
    return sum(address in mail.rcpt_tos for mail in smtp.messages)


async def until(condition: Callable[[], object], within: float) -> float | None:
    """When ``condition()`` first held (monotonic), or None if it did not ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if condition():
            return time.monotonic()
        await asyncio.sleep(0.01)
    return None


async def record_critical_vitals(
    api: httpx.AsyncClient, headers: dict[str, str], bed: dict[str, Any]
) -> str:
    answer = await api.post(
        "/api/v1/vital-signs",
        headers=headers,
        json={
            "patient_id": bed["patient_id"],
            "encounter_id": bed["encounter_id"],
            "heart_rate": 182,
            "spo2": 84,
        },
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["critical"] is True
    return str(answer.json()["id"])


async def test_a_critical_vital_sign_reaches_the_wards_doctor_by_mail_and_socket_only(
    tmp_path: Path, kafka_broker: str, rabbitmq_url: str
) -> None:
    databases = {name: await create_database("postgresql", tmp_path, name[:5]) for name in SERVICES}
    try:
        with (
            smtp_server() as smtp,
            private_vhost(rabbitmq_url) as rabbitmq,
            distributed_platform(tmp_path, kafka_broker, rabbitmq, smtp, databases) as gateway,
        ):
            async with httpx.AsyncClient(base_url=gateway, timeout=30) as api:
                await the_ward_is_alerted_and_the_other_facility_is_not(api, gateway, smtp)
    finally:
        for url in databases.values():
            await drop_database(url)


async def the_ward_is_alerted_and_the_other_facility_is_not(
    api: httpx.AsyncClient, gateway: str, smtp: SmtpServer
) -> None:
    nurse, doctor, other = [await login(api, email) for email in (NURSE, DOCTOR, OTHER_NURSE)]
    [khartoum] = (await api.get("/api/v1/auth/me", headers=nurse)).json()["facility_ids"]
    [omdurman] = (await api.get("/api/v1/auth/me", headers=other)).json()["facility_ids"]
    beds = await api.get(
        "/api/v1/beds",
        headers=nurse,
        params={"facility_id": khartoum, "status": "occupied", "limit": 200},
    )
    bed = next(b for b in beds.json()["items"] if b["patient_id"] and b["encounter_id"])
    ward = f"ward:{bed['ward_id']}"
    async with (
        socket(gateway, doctor, ward, "notifications") as doctors_socket,
        socket(gateway, other, f"facility:{omdurman}", "notifications") as others_socket,
    ):
        # Warm up: until one alert has travelled the whole way to the ward's topic and inbox.
        warmed = None
        deadline = time.monotonic() + WARM_UP
        while warmed is None and time.monotonic() < deadline:
            mails = mails_to(smtp, DOCTOR)
            vital = await record_critical_vitals(api, nurse, bed)

            def arrived(mails: int = mails, vital: str = vital) -> bool:
                return mails_to(smtp, DOCTOR) > mails and bool(
                    doctors_socket.alerts_for(vital, ward)
                )

            warmed = await until(arrived, within=10)
        assert warmed is not None, "no critical alert reached the doctor while warming up"

        mails = mails_to(smtp, DOCTOR)
        vital = await record_critical_vitals(api, nurse, bed)
        recorded = time.monotonic()
        mailed = await until(lambda: mails_to(smtp, DOCTOR) > mails, within=DEADLINE)
        assert mailed is not None, f"no mail to the doctor within {DEADLINE} s"
        left = DEADLINE - (time.monotonic() - recorded)
        await until(lambda: doctors_socket.alerts_for(vital, ward), within=max(left, 0.01))
        alerted = doctors_socket.alerts_for(vital, ward)
        assert alerted, f"no alert.critical on the doctor's socket within {DEADLINE} s"
        assert alerted[0] - recorded <= DEADLINE

        # Given the same time again, the other facility's nurse still has heard nothing.
        await asyncio.sleep(DEADLINE)
        assert others_socket.events == []
    mail = next(m for m in reversed(smtp.messages) if DOCTOR in m.rcpt_tos)
    assert mail.message["From"] is not None and "alerts@hospital.test" in mail.message["From"]
