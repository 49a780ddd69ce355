"""Facility isolation through the all-in-one gateway: a user of the Omdurman clinic (A) against
the patient data of the Khartoum teaching hospital (B). Every patient-data route of the running
app's OpenAPI document has a case here; a new route without one fails the census test."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pyotp
import pytest

from nilecare.runtime.allinone import build_all_in_one
from nilecare.services.auth import admin as auth_admin
from nilecare.services.facility import admin as facility_admin
from tests.harness import platform_settings_for_tests

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


async def _login(api: httpx.AsyncClient, email: str) -> dict[str, str]:
    login = await api.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


async def _login_enrolled(api: httpx.AsyncClient, email: str) -> dict[str, str]:
    """An admin's full token: enrol in TOTP MFA first, then log in with the next code."""
    first = await _login(api, email)
    secret = (await api.post("/api/v1/auth/mfa/enrollment", headers=first)).json()["secret"]
    totp = pyotp.TOTP(secret)
    confirmation = {"code": totp.now()}
    confirmed = await api.post(
        "/api/v1/auth/mfa/enrollment/confirmation", json=confirmation, headers=first
    )
    assert confirmed.status_code == 200, confirmed.text
    code = totp.at(time.time(), counter_offset=1)
    login = await api.post(
        "/api/v1/auth/login", json={"email": email, "password": PASSWORD, "otp": code}
    )
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def _patient(facility: uuid.UUID, **fields: Any) -> dict[str, Any]:
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


async def _created(response: Awaitable[httpx.Response]) -> dict[str, Any]:
    answer = await response
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


@pytest.fixture(scope="module")
async def w(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    """Both demo facilities and their demo users; B's patient with an inpatient stay, a
    diagnosis, an allergy, vitals and an immunization; A's patient of the same name."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NILECARE_AUTH__ARGON2_TIME_COST", "1")
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
            "hospital": await _login(api, "doctor@demo.nilecare.sd"),
            "clinic_doctor": await _login(api, "doctor.omdurman@demo.nilecare.sd"),
            "clinic_admin": await _login_enrolled(api, "admin.omdurman@demo.nilecare.sd"),
        }
        doctor = users["hospital"]
        b_patient = await _created(
            api.post(
                "/api/v1/patients",
                headers=doctor,
                json=_patient(hospital, national_id=HOSPITAL_NATIONAL_ID, phone=HOSPITAL_PHONE),
            )
        )
        b_encounter = await _created(
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
        b_diagnosis = await _created(
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
            await _created(api.post(path, headers=doctor, json=body))
        a_patient = await _created(
            api.post("/api/v1/patients", headers=users["clinic_doctor"], json=_patient(clinic))
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
        )


# --- one case per patient-data route --------------------------------------------------------

Case = Callable[[World], Awaitable[None]]


async def _register(w: World) -> None:
    hospital_patient = _patient(w.hospital, given_name_en="Zahra")
    refused = await w.refused("POST", "/api/v1/patients", 422, json=hospital_patient)
    assert "facility_id" in refused.text
    linked = _patient(w.clinic, link_to_patient_id=w.b_patient["id"], confirm_new=False)
    await w.refused("POST", "/api/v1/patients", json=linked)
    # B's national id and phone are no duplicate warning in A: nothing of B's is revealed.
    same_person = _patient(
        w.clinic,
        national_id=HOSPITAL_NATIONAL_ID,
        phone=HOSPITAL_PHONE,
        given_name_en="Zainab",
        birth_date="1990-11-30",
        confirm_new=False,
    )
    created = await w.refused("POST", "/api/v1/patients", 201, json=same_person)
    assert created.json()["facility_id"] == str(w.clinic)


async def _search(w: World) -> None:
    b = w.b_patient
    for criteria in (
        {"name": "Elnour"},
        {"name": "حواء"},
        {"national_id": HOSPITAL_NATIONAL_ID},
        {"phone": HOSPITAL_PHONE},
        {"phone": "0912000777"},
        {"mrn": b["mrn"]},
        {"birth_date": b["birth_date"]},
        {"name": "Hawa", "include_merged": "true"},
    ):
        page = (await w.refused("GET", "/api/v1/patients", 200, params=criteria)).json()
        assert b["id"] not in {item["id"] for item in page["items"]}, criteria
        assert {item["facility_id"] for item in page["items"]} <= {str(w.clinic)}, criteria
        assert page["total"] == len(page["items"]), criteria
    # The search works: A's own patient of the same name is found.
    page = (await w.refused("GET", "/api/v1/patients", 200, params={"name": "Elnour"})).json()
    assert w.a_patient["id"] in {item["id"] for item in page["items"]}


def _read(suffix: str = "") -> Case:
    async def case(w: World) -> None:
        await w.refused("GET", f"/api/v1/patients/{w.b_patient['id']}{suffix}")

    return case


async def _update_patient(w: World) -> None:
    path = f"/api/v1/patients/{w.b_patient['id']}"
    await w.refused("PATCH", path, json={"phone": "0911111111", "family_name_en": "Taken"})


async def _merge(w: World) -> None:
    a, b = w.a_patient["id"], w.b_patient["id"]
    await w.refused("POST", f"/api/v1/patients/{b}/merge", json={"duplicate_id": a})
    await w.refused("POST", f"/api/v1/patients/{a}/merge", json={"duplicate_id": b})


async def _start_encounter(w: World) -> None:
    await w.refused(
        "POST",
        "/api/v1/encounters",
        json={"patient_id": w.b_patient["id"], "encounter_class": "outpatient"},
    )
    # A's own patient into B's free bed: the bed is not A's to take.
    await w.refused(
        "POST",
        "/api/v1/encounters",
        json={
            "patient_id": w.a_patient["id"],
            "encounter_class": "inpatient",
            "status": "in_progress",
            "bed_id": str(w.b_free_bed),
        },
    )


async def _get_encounter(w: World) -> None:
    await w.refused("GET", f"/api/v1/encounters/{w.b_encounter['id']}")


async def _encounter_status(w: World) -> None:
    path = f"/api/v1/encounters/{w.b_encounter['id']}/status"
    await w.refused("POST", path, json={"status": "finished"})


def _record(path: str, body: dict[str, Any], *, of_encounter: bool = True) -> Case:
    async def case(w: World) -> None:
        await w.refused("POST", path, json={**body, "patient_id": w.b_patient["id"]})
        if of_encounter:
            # A's own patient with B's encounter: no such encounter (422), as for any unknown one.
            on_a = {**body, "patient_id": w.a_patient["id"], "encounter_id": w.b_encounter["id"]}
            await w.refused("POST", path, 422, json=on_a)

    return case


async def _update_diagnosis(w: World) -> None:
    path = f"/api/v1/diagnoses/{w.b_diagnosis['id']}"
    await w.refused("PATCH", path, json={"clinical_status": "resolved"})


async def _summary(w: World) -> None:
    await w.refused("GET", f"/api/v1/patient-summaries/{w.b_patient['id']}")


async def _list_beds(w: World) -> None:
    board = (await w.refused("GET", "/api/v1/beds", 200, params={"limit": 200})).json()
    assert {bed["facility_id"] for bed in board["items"]} == {str(w.clinic)}
    assert board["total"] == len(board["items"])
    for params in ({"facility_id": str(w.hospital)}, {"ward_id": str(w.b_ward)}):
        page = (await w.refused("GET", "/api/v1/beds", 200, params=params)).json()
        assert (page["items"], page["total"]) == ([], 0)


async def _create_bed(w: World) -> None:
    body = {"ward_id": str(w.b_ward), "label": "MED-99"}
    await w.refused("POST", "/api/v1/beds", json=body, as_user="clinic_admin")


def _bed(
    method: str,
    suffix: str = "",
    *,
    free: bool = False,
    request: Callable[[World], dict[str, Any]] = lambda w: {},
) -> Case:
    """A call on one of B's beds: the occupied one, or (``free``) an available one."""

    async def case(w: World) -> None:
        bed = w.b_free_bed if free else w.b_bed
        await w.refused(method, f"/api/v1/beds/{bed}{suffix}", **request(w))

    return case


async def _audit_events(w: World) -> None:
    # A clinic doctor may not read the trail at all; the clinic's admin may, without B's rows.
    await w.refused("GET", "/api/v1/audit-events", 403)
    # (The whole trail first: the filtered read's own audit row names B's patient, as asked.)
    for params in ({"limit": 500}, {"patient_id": w.b_patient["id"]}):
        trail = await w.refused(
            "GET", "/api/v1/audit-events", 200, as_user="clinic_admin", params=params
        )
        items = trail.json()["items"]
        assert all(event["patient_id"] != w.b_patient["id"] for event in items)
        assert all(event["facility_id"] != str(w.hospital) for event in items)


CASES: dict[tuple[str, str], Case] = {
    ("POST", "/api/v1/patients"): _register,
    ("GET", "/api/v1/patients"): _search,
    ("GET", "/api/v1/patients/{patient_id}"): _read(),
    ("PATCH", "/api/v1/patients/{patient_id}"): _update_patient,
    ("POST", "/api/v1/patients/{patient_id}/merge"): _merge,
    **{
        ("GET", f"/api/v1/patients/{{patient_id}}/{part}"): _read(f"/{part}")
        for part in ("encounters", "diagnoses", "allergies", "immunizations", "vital-signs")
    },
    ("POST", "/api/v1/encounters"): _start_encounter,
    ("GET", "/api/v1/encounters/{encounter_id}"): _get_encounter,
    ("POST", "/api/v1/encounters/{encounter_id}/status"): _encounter_status,
    ("POST", "/api/v1/diagnoses"): _record("/api/v1/diagnoses", {"code": "I10"}),
    ("PATCH", "/api/v1/diagnoses/{diagnosis_id}"): _update_diagnosis,
    ("POST", "/api/v1/allergies"): _record(
        "/api/v1/allergies", {"substance": "Peanut", "allergy_class": "food"}, of_encounter=False
    ),
    ("POST", "/api/v1/vital-signs"): _record("/api/v1/vital-signs", {"heart_rate": 190}),
    ("POST", "/api/v1/immunizations"): _record(
        "/api/v1/immunizations",
        {"vaccine_name": "Measles", "occurred_on": "2026-02-01", "dose_number": 1},
    ),
    ("GET", "/api/v1/patient-summaries/{patient_id}"): _summary,
    ("GET", "/api/v1/beds"): _list_beds,
    ("POST", "/api/v1/beds"): _create_bed,
    ("GET", "/api/v1/beds/{bed_id}"): _bed("GET"),
    ("PUT", "/api/v1/beds/{bed_id}/status"): _bed(
        "PUT", "/status", free=True, request=lambda w: {"json": {"status": "out_of_service"}}
    ),
    ("POST", "/api/v1/beds/{bed_id}/assignment"): _bed(
        "POST",
        "/assignment",
        free=True,
        request=lambda w: {
            "json": {"patient_id": w.a_patient["id"], "encounter_id": str(uuid.uuid4())}
        },
    ),
    ("DELETE", "/api/v1/beds/{bed_id}/assignment"): _bed(
        "DELETE", "/assignment", request=lambda w: {"params": {"encounter_id": w.b_encounter["id"]}}
    ),
    ("GET", "/api/v1/beds/{bed_id}/assignments"): _bed("GET", "/assignments"),
    ("POST", "/api/v1/beds/{bed_id}/transfer"): _bed(
        "POST",
        "/transfer",
        request=lambda w: {
            "json": {"to_bed_id": str(w.b_free_bed), "encounter_id": w.b_encounter["id"]}
        },
    ),
    ("GET", "/api/v1/audit-events"): _audit_events,
}


async def test_every_patient_data_route_of_the_gateway_has_an_isolation_case(
    tmp_path: Path,
) -> None:
    platform = build_all_in_one(platform_settings_for_tests(tmp_path))
    await platform.migrate()
    app: Any = platform.app
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://nilecare") as api,
    ):
        document = (await api.get("/openapi.json")).json()
    routes = patient_data_routes(document)
    assert ("GET", "/api/v1/patients/{patient_id}") in routes
    assert ("GET", "/api/v1/beds") in routes
    assert ("GET", "/api/v1/staff") not in routes
    missing, stale = routes - set(CASES), set(CASES) - routes
    assert not missing, f"patient-data routes without an isolation case: {sorted(missing)}"
    assert not stale, f"isolation cases for routes that are gone: {sorted(stale)}"


@pytest.mark.parametrize("route", sorted(CASES), ids=" ".join)
async def test_a_clinic_user_is_refused_the_hospitals_patient_data_and_nothing_changes(
    route: tuple[str, str], w: World
) -> None:
    before = await w.chart(w.b_patient["id"])
    clinic_before = await w.chart(w.a_patient["id"], as_user="clinic_doctor")
    await CASES[route](w)
    assert await w.chart(w.b_patient["id"]) == before
    assert await w.chart(w.a_patient["id"], as_user="clinic_doctor") == clinic_before


async def test_a_cross_facility_read_refused_as_not_found_leaves_a_denied_audit_row(
    w: World,
) -> None:
    await w.refused("GET", f"/api/v1/patients/{w.b_patient['id']}")
    me = (await w.api.get("/api/v1/auth/me", headers=w.users["clinic_doctor"])).json()
    officer = await _login(w.api, "compliance_officer@demo.nilecare.sd")
    trail = await w.api.get(
        "/api/v1/audit-events",
        params={"patient_id": w.b_patient["id"], "limit": 500},
        headers=officer,
    )
    attempts = [
        event
        for event in trail.json()["items"]
        if event["actor_id"] == me["id"] and event["action"] == "access.not_found"
    ]
    assert attempts, "the refused read left no audit row naming the patient"
    assert attempts[0]["outcome"] == "denied"
