"""Two demo facilities behind the all-in-one gateway, for the isolation and audit suites: the
Khartoum teaching hospital (B) with a patient who has a record of every kind, and the Omdurman
clinic (A) with a patient of the same name; and the census of patient-data routes."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from typing import Any

import httpx
import pyotp
import pytest

from nilecare.contracts.lab.events import LabResultCritical
from nilecare.kernel.db.types import utcnow
from nilecare.kernel.events.envelope import Envelope
from nilecare.kernel.tasks.queue import InProcessTaskQueue
from nilecare.runtime.allinone import AllInOne, build_all_in_one
from nilecare.services.auth import admin as auth_admin
from nilecare.services.facility import admin as facility_admin
from nilecare.services.notification.jobs import Dispatcher
from nilecare.services.notification.service.state import state_of
from tests.harness import platform_settings_for_tests
from tests.live import use_fast_argon2

PASSWORD = "Blue-Nile-Sunset-2026"
SCHEMA_REF = "#/components/schemas/"
HOSPITAL_NATIONAL_ID, HOSPITAL_PHONE = "29876543210", "+249912000777"


def patient_data_routes(document: dict[str, Any]) -> set[tuple[str, str]]:
    """(METHOD, path) of every operation that takes or returns patient data: a ``patient_id``
    parameter, or a schema it reaches that is a patient (``Patient*``) or names one
    (a ``patient_id`` property)."""
    schemas: dict[str, Any] = document["components"]["schemas"]

    def reached(node: Any, seen: set[str]) -> set[str]:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith(SCHEMA_REF) and ref[len(SCHEMA_REF) :] not in seen:
                seen.add(ref[len(SCHEMA_REF) :])
                reached(schemas[ref[len(SCHEMA_REF) :]], seen)
            for value in node.values():
                reached(value, seen)
        elif isinstance(node, list):
            for item in node:
                reached(item, seen)
        return seen

    found = set()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            names = reached(operation, set())
            if any(p["name"] == "patient_id" for p in operation.get("parameters", ())) or any(
                name.startswith("Patient") or "patient_id" in schemas[name].get("properties", {})
                for name in names
            ):
                found.add((method.upper(), path))
    return found


@dataclass
class World:
    api: httpx.AsyncClient
    hospital: uuid.UUID
    clinic: uuid.UUID
    users: dict[str, dict[str, str]]
    # The hospital's (B's) records, as their doctor made them.
    b_patient: dict[str, Any]
    b_encounter: dict[str, Any]
    b_diagnosis: dict[str, Any]
    b_bed: uuid.UUID
    b_free_bed: uuid.UUID
    b_ward: uuid.UUID
    # The clinic's (A's) own patient, named like B's, and a bed of the clinic.
    a_patient: dict[str, Any]
    # The running platform, for cases that start with another service's event.
    platform: AllInOne

    def markers(self) -> set[str]:
        """Strings of B's that must never appear in an answer to A."""
        patient = self.b_patient
        return {
            patient["id"],
            patient["mrn"],
            HOSPITAL_NATIONAL_ID,
            HOSPITAL_PHONE,
            self.b_encounter["id"],
            self.b_diagnosis["id"],
            "Sulfonamide",
            "LOT-KTH-0007",
        }

    async def chart(self, patient_id: str, as_user: str = "hospital") -> str:
        """Everything stored about a patient, as one text, read by a user who may see it."""
        headers = self.users[as_user]
        parts = [f"/api/v1/patients/{patient_id}"] + [
            f"/api/v1/patients/{patient_id}/{part}"
            for part in ("encounters", "diagnoses", "allergies", "immunizations", "vital-signs")
        ]
        answers = [(await self.api.get(path, headers=headers)).json() for path in parts]
        beds = await self.api.get("/api/v1/beds", params={"limit": 200}, headers=headers)
        return json.dumps([answers, beds.json()], sort_keys=True)

    async def refused(
        self,
        method: str,
        path: str,
        status: int = 404,
        *,
        as_user: str = "clinic_doctor",
        **request: Any,
    ) -> httpx.Response:
        response = await self.api.request(method, path, headers=self.users[as_user], **request)
        assert response.status_code == status, (method, path, response.text)
        asked = path + json.dumps(request, default=str)
        leaked = {m for m in self.markers() if m in response.text and m not in asked}
        assert not leaked, (method, path, leaked)
        return response


async def login(api: httpx.AsyncClient, email: str) -> dict[str, str]:
    answer = await api.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def login_enrolled(api: httpx.AsyncClient, email: str) -> dict[str, str]:
    """An admin's full token: enrol in TOTP MFA first, then log in with the next code."""
    first = await login(api, email)
    secret = (await api.post("/api/v1/auth/mfa/enrollment", headers=first)).json()["secret"]
    totp = pyotp.TOTP(secret)
    confirmation = {"code": totp.now()}
    confirmed = await api.post(
        "/api/v1/auth/mfa/enrollment/confirmation", json=confirmation, headers=first
    )
    assert confirmed.status_code == 200, confirmed.text
    code = totp.at(time.time(), counter_offset=1)
    answer = await api.post(
        "/api/v1/auth/login", json={"email": email, "password": PASSWORD, "otp": code}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def patient_body(facility: uuid.UUID, **fields: Any) -> dict[str, Any]:
    body = {
        "facility_id": str(facility),
        "given_name_en": "Hawa",
        "family_name_en": "Elnour",
        "given_name_ar": "حواء",
        "family_name_ar": "النور",
        "sex": "female",
        "birth_date": "1979-06-02",
        "phone": "+249912000111",
        "address": {"state": "Khartoum", "locality": "Omdurman"},
        "confirm_new": True,
    }
    return {**body, **fields}


async def created(response: Awaitable[httpx.Response]) -> dict[str, Any]:
    answer = await response
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


@pytest.fixture(scope="module")
async def w(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    """Both demo facilities and their demo users; B's patient with an inpatient stay, a
    diagnosis, an allergy, vitals and an immunization; A's patient of the same name."""
    with pytest.MonkeyPatch.context() as env:
        use_fast_argon2(env)
        platform = build_all_in_one(platform_settings_for_tests(tmp_path_factory.mktemp("iso")))
    await platform.migrate()
    contexts = platform.platform.contexts
    facilities = await facility_admin.seed_demo(contexts["facility"])
    hospital, clinic = facilities.khartoum_teaching_hospital_id, facilities.omdurman_clinic_id
    await auth_admin.seed_demo_users(
        contexts["auth"], PASSWORD, facility_ids=(hospital,), sites={"omdurman": clinic}
    )
    ward = facilities.wards_of(hospital)[0]
    app: Any = platform.app
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://nilecare") as api,
    ):
        users = {
            "hospital": await login(api, "doctor@demo.nilecare.sd"),
            "clinic_doctor": await login(api, "doctor.omdurman@demo.nilecare.sd"),
            "clinic_admin": await login_enrolled(api, "admin.omdurman@demo.nilecare.sd"),
        }
        doctor = users["hospital"]
        b_patient = await created(
            api.post(
                "/api/v1/patients",
                headers=doctor,
                json=patient_body(hospital, national_id=HOSPITAL_NATIONAL_ID, phone=HOSPITAL_PHONE),
            )
        )
        b_encounter = await created(
            api.post(
                "/api/v1/encounters",
                headers=doctor,
                json={
                    "patient_id": b_patient["id"],
                    "encounter_class": "inpatient",
                    "status": "in_progress",
                    "bed_id": str(ward.bed_ids[0]),
                },
            )
        )
        on_b = {"patient_id": b_patient["id"], "encounter_id": b_encounter["id"]}
        b_diagnosis = await created(
            api.post("/api/v1/diagnoses", headers=doctor, json={**on_b, "code": "B54"})
        )
        for path, body in (
            ("/api/v1/allergies", {"substance": "Sulfonamide", "allergy_class": "drug"}),
            ("/api/v1/vital-signs", {"heart_rate": 88, "temperature": 38.1}),
            (
                "/api/v1/immunizations",
                {
                    "vaccine_name": "Tetanus toxoid",
                    "occurred_on": "2026-01-10",
                    "dose_number": 2,
                    "lot_number": "LOT-KTH-0007",
                },
            ),
        ):
            body = {**body, "patient_id": b_patient["id"]}
            await created(api.post(path, headers=doctor, json=body))
        a_patient = await created(
            api.post("/api/v1/patients", headers=users["clinic_doctor"], json=patient_body(clinic))
        )
        yield World(
            api=api,
            hospital=hospital,
            clinic=clinic,
            users=users,
            b_patient=b_patient,
            b_encounter=b_encounter,
            b_diagnosis=b_diagnosis,
            b_bed=ward.bed_ids[0],
            b_free_bed=ward.bed_ids[1],
            b_ward=ward.ward_id,
            a_patient=a_patient,
            platform=platform,
        )


async def notify_hospital_doctor(w: World) -> None:
    """A critical lab result of B's patient ordered by B's doctor, through the notification
    service (its consumer, dispatcher and tasks), until the doctor has the notification."""
    headers = w.users["hospital"]
    doctor = (await w.api.get("/api/v1/auth/me", headers=headers)).json()["id"]
    event = LabResultCritical(
        result_id=uuid.uuid4(),
        order_id=uuid.uuid4(),
        patient_id=uuid.UUID(w.b_patient["id"]),
        facility_id=w.hospital,
        ordering_user_id=uuid.UUID(doctor),
        test_name="Potassium",
        test_code="2823-3",
        value="6.9",
        unit="mmol/L",
        flag="critical-high",
        resulted_at=utcnow(),
    )
    platform = w.platform.platform
    await platform.bus.publish(
        Envelope(
            type=event.event_type,
            source="lab",
            facility_id=w.hospital,
            data=event.model_dump(mode="json"),
        )
    )
    dispatcher = Dispatcher(state_of(platform.contexts["notification"]))
    queue = platform.tasks
    assert isinstance(queue, InProcessTaskQueue)
    for _ in range(50):
        await dispatcher.dispatch_once()
        await queue.join()
        page = (await w.api.get("/api/v1/notifications", headers=headers)).json()
        if w.b_patient["id"] in {item["patient_id"] for item in page["items"]}:
            return
        await asyncio.sleep(0.1)  # the service's own dispatcher may hold the request
    raise AssertionError("the critical result never reached the ordering doctor")


async def ready_export(w: World) -> dict[str, Any]:
    """A record export of B's patient asked for by B's doctor, built by its task."""
    path = f"/api/v1/patients/{w.b_patient['id']}/exports"
    answer = await w.api.post(path, headers=w.users["hospital"])
    assert answer.status_code == 202, answer.text
    queue = w.platform.platform.tasks
    assert isinstance(queue, InProcessTaskQueue)
    await queue.join()
    export: dict[str, Any] = answer.json()
    return export
