"""Every read, search and write of patient data leaves an audit row naming the patient, by the
user who made it: one case per patient-data route of the gateway (the census of
``patient_data_routes``), and a route without a case fails. A compliance officer finds each row
through ``/api/v1/audit-events?patient_id=``."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from tests.e2e.two_facilities import (
    World,
    created,
    login,
    notify_hospital_doctor,
    patient_body,
    patient_data_routes,
    ready_export,
    w,
)

__all__ = ["w"]  # the module's fixture

Row = tuple[str, int]  # (service, seq): an audit row's identity across services
OFFICER = "compliance_officer@demo.nilecare.sd"

# Routes that touch no particular patient: a new, empty bed; the status of an empty bed.
NO_PATIENT = {
    ("POST", "/api/v1/beds"): "creates an empty bed",
    ("PUT", "/api/v1/beds/{bed_id}/status"): "changes the status of an empty bed",
}


async def _officer(w: World) -> dict[str, str]:
    # One login for the module: the gateway throttles logins per address.
    if "officer" not in w.users:
        w.users["officer"] = await login(w.api, OFFICER)
    return w.users["officer"]


async def _trail(w: World, patient_id: str) -> dict[Row, dict[str, Any]]:
    answer = await w.api.get(
        "/api/v1/audit-events",
        params={"patient_id": patient_id, "limit": 500},
        headers=await _officer(w),
    )
    assert answer.status_code == 200, answer.text
    failed = [name for name, part in answer.json()["parts"].items() if part["status"] != "ok"]
    assert not failed, f"the trail of {failed} could not be read"
    return {(row["service"], row["seq"]): row for row in answer.json()["items"]}


async def _user_id(w: World, actor: str) -> str:
    me = await w.api.get("/api/v1/auth/me", headers=w.users[actor])
    return str(me.json()["id"])


async def audited(
    w: World,
    patient_id: str | None,
    method: str,
    path: str,
    *,
    actor: str = "hospital",
    **request: Any,
) -> httpx.Response:
    """Make the call as ``actor``; it must succeed and add a row naming the patient (the one
    the answer returns when ``patient_id`` is None, for a registration)."""
    before = await _trail(w, patient_id) if patient_id else {}
    answer = await w.api.request(method, path, headers=w.users[actor], **request)
    assert answer.is_success, (method, path, answer.text)
    named = patient_id or str(answer.json()["id"])
    actor_id = await _user_id(w, actor)
    new = [row for key, row in (await _trail(w, named)).items() if key not in before]
    mine = [row for row in new if row["actor_id"] == actor_id and row["outcome"] == "success"]
    assert mine, f"{method} {path} left no audit row naming patient {named}: {new}"
    return answer


async def _fresh_patient(w: World) -> dict[str, Any]:
    body = patient_body(w.hospital, given_name_en=f"Census{uuid.uuid4().hex[:8]}")
    return await created(w.api.post("/api/v1/patients", headers=w.users["hospital"], json=body))


async def _encounter(w: World, patient: dict[str, Any], **fields: str) -> dict[str, Any]:
    body = {"patient_id": patient["id"], "status": "in_progress", **fields}
    return await created(w.api.post("/api/v1/encounters", headers=w.users["hospital"], json=body))


async def _free_bed(w: World) -> str:
    beds = await w.api.get(
        "/api/v1/beds",
        params={"ward_id": str(w.b_ward), "status": "available", "limit": 200},
        headers=w.users["hospital"],
    )
    items = beds.json()["items"]
    assert items, "the demo ward has no free bed left"
    return str(items[0]["id"])


# --- one case per patient-data route --------------------------------------------------------

Case = Callable[[World], Awaitable[None]]


async def _register(w: World) -> None:
    body = patient_body(w.hospital, given_name_en=f"Census{uuid.uuid4().hex[:8]}")
    await audited(w, None, "POST", "/api/v1/patients", json=body)


async def _search(w: World) -> None:
    patient = await _fresh_patient(w)
    found = await audited(
        w, patient["id"], "GET", "/api/v1/patients", params={"mrn": patient["mrn"]}
    )
    assert [item["id"] for item in found.json()["items"]] == [patient["id"]]


def _read(suffix: str = "") -> Case:
    async def case(w: World) -> None:
        patient = w.b_patient["id"]
        await audited(w, patient, "GET", f"/api/v1/patients/{patient}{suffix}")

    return case


async def _update_patient(w: World) -> None:
    patient = await _fresh_patient(w)
    path = f"/api/v1/patients/{patient['id']}"
    await audited(w, patient["id"], "PATCH", path, json={"phone": "0911222333"})


async def _merge(w: World) -> None:
    survivor, duplicate = await _fresh_patient(w), await _fresh_patient(w)
    path = f"/api/v1/patients/{survivor['id']}/merge"
    await audited(w, duplicate["id"], "POST", path, json={"duplicate_id": duplicate["id"]})


async def _start_encounter(w: World) -> None:
    patient = w.b_patient["id"]
    body = {"patient_id": patient, "encounter_class": "outpatient", "status": "planned"}
    await audited(w, patient, "POST", "/api/v1/encounters", json=body)


async def _get_encounter(w: World) -> None:
    path = f"/api/v1/encounters/{w.b_encounter['id']}"
    await audited(w, w.b_patient["id"], "GET", path)


async def _encounter_status(w: World) -> None:
    patient = await _fresh_patient(w)
    encounter = await _encounter(w, patient, encounter_class="outpatient", status="planned")
    path = f"/api/v1/encounters/{encounter['id']}/status"
    await audited(w, patient["id"], "POST", path, json={"status": "arrived"})


def _record(path: str, body: dict[str, Any]) -> Case:
    async def case(w: World) -> None:
        patient = w.b_patient["id"]
        await audited(w, patient, "POST", path, json={**body, "patient_id": patient})

    return case


async def _update_diagnosis(w: World) -> None:
    path = f"/api/v1/diagnoses/{w.b_diagnosis['id']}"
    await audited(w, w.b_patient["id"], "PATCH", path, json={"verification_status": "confirmed"})


async def _request_export(w: World) -> None:
    patient = w.b_patient["id"]
    await audited(w, patient, "POST", f"/api/v1/patients/{patient}/exports")


def _export(suffix: str = "") -> Case:
    async def case(w: World) -> None:
        export = await ready_export(w)
        await audited(w, w.b_patient["id"], "GET", f"/api/v1/record-exports/{export['id']}{suffix}")

    return case


async def _summary(w: World) -> None:
    patient = w.b_patient["id"]
    await audited(w, patient, "GET", f"/api/v1/patient-summaries/{patient}")


async def _list_beds(w: World) -> None:
    params = {"ward_id": str(w.b_ward), "limit": 200}
    await audited(w, w.b_patient["id"], "GET", "/api/v1/beds", params=params)


async def _get_bed(w: World) -> None:
    await audited(w, w.b_patient["id"], "GET", f"/api/v1/beds/{w.b_bed}")


async def _assign_bed(w: World) -> None:
    patient = await _fresh_patient(w)
    # An emergency patient without a bed yet, given one from the ward.
    encounter = await _encounter(w, patient, encounter_class="emergency")
    bed = await _free_bed(w)
    body = {"patient_id": patient["id"], "encounter_id": encounter["id"]}
    await audited(w, patient["id"], "POST", f"/api/v1/beds/{bed}/assignment", json=body)


async def _release_bed(w: World) -> None:
    patient = await _fresh_patient(w)
    bed = await _free_bed(w)
    encounter = await _encounter(w, patient, encounter_class="inpatient", bed_id=bed)
    path = f"/api/v1/beds/{bed}/assignment"
    await audited(w, patient["id"], "DELETE", path, params={"encounter_id": encounter["id"]})


async def _bed_history(w: World) -> None:
    await audited(w, w.b_patient["id"], "GET", f"/api/v1/beds/{w.b_bed}/assignments")


async def _transfer(w: World) -> None:
    patient = await _fresh_patient(w)
    bed = await _free_bed(w)
    encounter = await _encounter(w, patient, encounter_class="inpatient", bed_id=bed)
    body = {"encounter_id": encounter["id"], "to_bed_id": await _free_bed(w)}
    await audited(w, patient["id"], "POST", f"/api/v1/beds/{bed}/transfer", json=body)


async def _notifications(w: World) -> None:
    await notify_hospital_doctor(w)
    answer = await audited(w, w.b_patient["id"], "GET", "/api/v1/notifications")
    assert w.b_patient["id"] in {item["patient_id"] for item in answer.json()["items"]}


async def _audit_events(w: World) -> None:
    await _officer(w)
    patient = w.b_patient["id"]
    params = {"patient_id": patient}
    await audited(w, patient, "GET", "/api/v1/audit-events", actor="officer", params=params)


CASES: dict[tuple[str, str], Case] = {
    ("POST", "/api/v1/patients"): _register,
    ("GET", "/api/v1/patients"): _search,
    ("GET", "/api/v1/patients/{patient_id}"): _read(),
    ("PATCH", "/api/v1/patients/{patient_id}"): _update_patient,
    ("POST", "/api/v1/patients/{patient_id}/merge"): _merge,
    ("GET", "/api/v1/patients/{patient_id}/encounters"): _read("/encounters"),
    ("GET", "/api/v1/patients/{patient_id}/diagnoses"): _read("/diagnoses"),
    ("GET", "/api/v1/patients/{patient_id}/allergies"): _read("/allergies"),
    ("GET", "/api/v1/patients/{patient_id}/immunizations"): _read("/immunizations"),
    ("GET", "/api/v1/patients/{patient_id}/vital-signs"): _read("/vital-signs"),
    ("POST", "/api/v1/patients/{patient_id}/exports"): _request_export,
    ("GET", "/api/v1/patients/{patient_id}/exports"): _read("/exports"),
    ("GET", "/api/v1/record-exports/{export_id}"): _export(),
    ("GET", "/api/v1/record-exports/{export_id}/file"): _export("/file"),
    ("POST", "/api/v1/encounters"): _start_encounter,
    ("GET", "/api/v1/encounters/{encounter_id}"): _get_encounter,
    ("POST", "/api/v1/encounters/{encounter_id}/status"): _encounter_status,
    ("POST", "/api/v1/diagnoses"): _record("/api/v1/diagnoses", {"code": "J45.909"}),
    ("PATCH", "/api/v1/diagnoses/{diagnosis_id}"): _update_diagnosis,
    ("POST", "/api/v1/allergies"): _record(
        "/api/v1/allergies", {"substance": "Penicillin", "allergy_class": "drug"}
    ),
    ("POST", "/api/v1/vital-signs"): _record("/api/v1/vital-signs", {"heart_rate": 72}),
    ("POST", "/api/v1/immunizations"): _record(
        "/api/v1/immunizations",
        {"vaccine_name": "BCG", "occurred_on": "2026-02-01", "dose_number": 1},
    ),
    ("GET", "/api/v1/patient-summaries/{patient_id}"): _summary,
    ("GET", "/api/v1/beds"): _list_beds,
    ("GET", "/api/v1/beds/{bed_id}"): _get_bed,
    ("POST", "/api/v1/beds/{bed_id}/assignment"): _assign_bed,
    ("DELETE", "/api/v1/beds/{bed_id}/assignment"): _release_bed,
    ("GET", "/api/v1/beds/{bed_id}/assignments"): _bed_history,
    ("POST", "/api/v1/beds/{bed_id}/transfer"): _transfer,
    ("GET", "/api/v1/audit-events"): _audit_events,
    ("GET", "/api/v1/notifications"): _notifications,
}


async def test_every_patient_data_route_has_an_audit_case(w: World) -> None:
    routes = patient_data_routes((await w.api.get("/openapi.json")).json())
    covered = set(CASES) | set(NO_PATIENT)
    assert not routes - covered, f"patient-data routes without an audit case: {routes - covered}"
    assert not covered - routes, f"audit cases for routes that are gone: {covered - routes}"


@pytest.mark.parametrize("route", sorted(CASES), ids=" ".join)
async def test_a_patient_data_route_writes_an_audit_row_naming_the_patient(
    w: World, route: tuple[str, str]
) -> None:
    await CASES[route](w)
