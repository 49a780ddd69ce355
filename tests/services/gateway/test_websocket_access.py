"""Live-update subscriptions against the real services: the all-in-one app with the two demo
facilities (the Khartoum teaching hospital, B, and the Omdurman clinic, A), served by uvicorn.

Patient and ward topics are decided by the clinical and facility services with the user's own
token; vitals recorded through the API reach the ward's and the patient's sockets."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from nilecare.runtime.allinone import AllInOne, build_all_in_one
from nilecare.services.auth import admin as auth_admin
from nilecare.services.facility import admin as facility_admin
from tests.e2e.two_facilities import PASSWORD, created, patient_body
from tests.harness import platform_settings_for_tests
from tests.live import use_fast_argon2
from tests.services.gateway.stack import gateway_settings
from tests.services.gateway.test_websocket import (
    frame,
    nothing_more,
    open_socket,
    refused_status,
    serving,
    subscribe,
    welcomed,
)


@dataclass
class Hospitals:
    platform: AllInOne
    api: httpx.AsyncClient
    host: str
    tokens: dict[str, str]
    # B's patient in a bed of B's first ward, and A's patient; each facility's first ward.
    b_patient: str
    a_patient: str
    b_ward: uuid.UUID
    a_ward: uuid.UUID

    def url(self, user: str) -> str:
        return f"ws://{self.host}/ws?token={self.tokens[user]}"


async def _token(api: httpx.AsyncClient, email: str) -> str:
    answer = await api.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


@pytest.fixture(scope="module")
async def world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Hospitals]:
    with pytest.MonkeyPatch.context() as env:
        use_fast_argon2(env)
        platform = build_all_in_one(
            platform_settings_for_tests(tmp_path_factory.mktemp("live")),
            gateway_settings=gateway_settings(),
        )
    await platform.migrate()
    contexts = platform.platform.contexts
    facilities = await facility_admin.seed_demo(contexts["facility"])
    hospital, clinic = facilities.khartoum_teaching_hospital_id, facilities.omdurman_clinic_id
    await auth_admin.seed_demo_users(
        contexts["auth"], PASSWORD, facility_ids=(hospital,), sites={"omdurman": clinic}
    )
    b_ward, a_ward = facilities.wards_of(hospital)[0], facilities.wards_of(clinic)[0]
    app: Any = platform.app
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://nilecare") as api,
        serving(app) as host,
    ):
        tokens = {
            "b_nurse": await _token(api, "nurse@demo.nilecare.sd"),
            "b_receptionist": await _token(api, "receptionist@demo.nilecare.sd"),
            "a_nurse": await _token(api, "nurse.omdurman@demo.nilecare.sd"),
            "b_doctor": await _token(api, "doctor@demo.nilecare.sd"),
        }
        b_doctor = {"Authorization": f"Bearer {tokens['b_doctor']}"}
        b_patient = await created(
            api.post("/api/v1/patients", headers=b_doctor, json=patient_body(hospital))
        )
        await created(
            api.post(
                "/api/v1/encounters",
                headers=b_doctor,
                json={
                    "patient_id": b_patient["id"],
                    "encounter_class": "inpatient",
                    "status": "in_progress",
                    "bed_id": str(b_ward.bed_ids[0]),
                },
            )
        )
        a_doctor = await _token(api, "doctor.omdurman@demo.nilecare.sd")
        a_patient = await created(
            api.post(
                "/api/v1/patients",
                headers={"Authorization": f"Bearer {a_doctor}"},
                json=patient_body(clinic, given_name_en="Amna"),
            )
        )
        yield Hospitals(
            platform,
            api,
            host,
            tokens,
            b_patient["id"],
            a_patient["id"],
            b_ward.ward_id,
            a_ward.ward_id,
        )


async def test_a_nurse_follows_her_own_facilitys_patients_and_wards_only(
    world: Hospitals,
) -> None:
    async with open_socket(world.url("a_nurse")) as nurse:
        await welcomed(nurse)
        for topic in (f"patient:{world.a_patient}", f"ward:{world.a_ward}"):
            assert await subscribe(nurse, topic) == {"type": "subscribed", "topic": topic}
        for topic in (f"patient:{world.b_patient}", f"ward:{world.b_ward}"):
            refused = await subscribe(nurse, topic)
            assert refused["type"] == "error" and refused["topic"] == topic, refused
            assert refused["status"] in (403, 404), refused
        unknown = await subscribe(nurse, f"patient:{uuid.uuid4()}")
        assert unknown["status"] == 404


async def test_without_the_vitals_permission_no_patient_is_followed(world: Hospitals) -> None:
    async with open_socket(world.url("b_receptionist")) as desk:
        await welcomed(desk)
        refused = await subscribe(desk, f"patient:{world.b_patient}")
        assert refused["status"] == 403


async def test_a_service_token_cannot_open_a_socket(world: Hospitals) -> None:
    issuer = world.platform.platform.directory.service_tokens
    assert issuer is not None
    service_token = issuer.token_for("clinical")
    url = f"ws://{world.host}/ws"
    assert await refused_status(url + f"?token={service_token}") == 403
    assert await refused_status(url, subprotocols=["bearer", service_token]) == 403


async def test_critical_vitals_recorded_through_the_api_reach_the_ward_and_not_the_other_facility(
    world: Hospitals,
) -> None:
    async with (
        open_socket(world.url("b_nurse")) as ward_screen,
        open_socket(world.url("a_nurse")) as elsewhere,
    ):
        await welcomed(ward_screen)
        await welcomed(elsewhere)
        for topic in (f"ward:{world.b_ward}", f"patient:{world.b_patient}"):
            assert (await subscribe(ward_screen, topic))["type"] == "subscribed"
        assert (await subscribe(elsewhere, f"ward:{world.a_ward}"))["type"] == "subscribed"

        headers = {"Authorization": f"Bearer {world.tokens['b_nurse']}"}
        reading = {"patient_id": world.b_patient, "heart_rate": 190, "temperature": 37.0}
        recorded = await created(
            world.api.post("/api/v1/vital-signs", headers=headers, json=reading)
        )

        wanted = {
            ("vitals.update", f"ward:{world.b_ward}"),
            ("vitals.update", f"patient:{world.b_patient}"),
            ("alert.critical", f"ward:{world.b_ward}"),
            ("alert.critical", f"patient:{world.b_patient}"),
        }
        seen: dict[tuple[str, str], dict[str, Any]] = {}
        while set(seen) != wanted:
            event = await frame(ward_screen)
            seen[(event["event"], event["topic"])] = event
        alert = seen[("alert.critical", f"ward:{world.b_ward}")]["data"]
        assert alert["vital_signs_id"] == recorded["id"]
        assert alert["flags"]["heart_rate"] == "critical"
        assert alert["ward_id"] == str(world.b_ward)
        # Ids and flags only: no name travels over the socket.
        assert "Hawa" not in str(seen) and "Elnour" not in str(seen)
        await nothing_more(elsewhere)
