"""Facility isolation through the all-in-one gateway: a user of the Omdurman clinic (A) against
the patient data of the Khartoum teaching hospital (B). Every patient-data route of the running
app's OpenAPI document has a case here; a new route without one fails the census test."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from nilecare.runtime.allinone import build_all_in_one
from tests.e2e.two_facilities import (
    HOSPITAL_NATIONAL_ID,
    HOSPITAL_PHONE,
    World,
    login,
    notify_hospital_doctor,
    patient_body,
    patient_data_routes,
    ready_export,
    w,
)
from tests.harness import platform_settings_for_tests

__all__ = ["w"]  # the module's fixture


# --- one case per patient-data route --------------------------------------------------------

Case = Callable[[World], Awaitable[None]]


async def _register(w: World) -> None:
    hospital_patient = patient_body(w.hospital, given_name_en="Zahra")
    refused = await w.refused("POST", "/api/v1/patients", 422, json=hospital_patient)
    assert "facility_id" in refused.text
    linked = patient_body(w.clinic, link_to_patient_id=w.b_patient["id"], confirm_new=False)
    await w.refused("POST", "/api/v1/patients", json=linked)
    # B's national id and phone are no duplicate warning in A: nothing of B's is revealed.
    same_person = patient_body(
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


async def _request_export(w: World) -> None:
    await w.refused("POST", f"/api/v1/patients/{w.b_patient['id']}/exports")


def _export(suffix: str = "") -> Case:
    async def case(w: World) -> None:
        export = await ready_export(w)
        await w.refused("GET", f"/api/v1/record-exports/{export['id']}{suffix}")

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


async def _notifications(w: World) -> None:
    await notify_hospital_doctor(w)
    page = (await w.refused("GET", "/api/v1/notifications", 200)).json()
    assert {item["facility_id"] for item in page["items"]} <= {str(w.clinic)}
    # The hospital's doctor has it: the case is not empty by accident.
    theirs = await w.api.get("/api/v1/notifications", headers=w.users["hospital"])
    assert w.b_patient["id"] in {item["patient_id"] for item in theirs.json()["items"]}


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
        for part in (
            "encounters",
            "diagnoses",
            "allergies",
            "immunizations",
            "vital-signs",
            "exports",
        )
    },
    ("POST", "/api/v1/patients/{patient_id}/exports"): _request_export,
    ("GET", "/api/v1/record-exports/{export_id}"): _export(),
    ("GET", "/api/v1/record-exports/{export_id}/file"): _export("/file"),
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
    ("GET", "/api/v1/notifications"): _notifications,
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
    officer = await login(w.api, "compliance_officer@demo.nilecare.sd")
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
