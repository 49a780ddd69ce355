"""A doctor registers, admits and discharges a patient through the gateway, all-in-one: the
clinical service takes and frees a real bed of the facility service."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from nilecare.kernel.service import ServiceContext
from nilecare.runtime.allinone import build_all_in_one
from nilecare.services.auth import admin as auth_admin
from nilecare.services.facility import admin as facility_admin
from tests.harness import platform_settings_for_tests

PASSWORD = "Blue-Nile-Sunset-2026"


@contextlib.asynccontextmanager
async def _gateway(
    tmp_path: Path,
) -> AsyncIterator[
    tuple[httpx.AsyncClient, dict[str, ServiceContext], facility_admin.DemoFacilities]
]:
    """The all-in-one platform with the demo facilities; the client, contexts and facilities."""
    platform = build_all_in_one(platform_settings_for_tests(tmp_path))
    await platform.migrate()
    contexts = platform.platform.contexts
    facilities = await facility_admin.seed_demo(contexts["facility"])
    app: Any = platform.app
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://nilecare") as api,
    ):
        yield api, contexts, facilities


async def _login(api: httpx.AsyncClient, email: str) -> dict[str, str]:
    login = await api.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


async def test_a_doctor_admits_to_a_real_bed_and_discharge_frees_it(tmp_path: Path) -> None:
    async with _gateway(tmp_path) as (api, contexts, facilities):
        hospital = facilities.khartoum_teaching_hospital_id
        await auth_admin.seed_demo_users(contexts["auth"], PASSWORD, facility_ids=(hospital,))
        bed_id = facilities.wards_of(hospital)[0].bed_ids[0]
        auth = await _login(api, "doctor@demo.nilecare.sd")
        patient = await api.post(
            "/api/v1/patients",
            headers=auth,
            json={
                "facility_id": str(hospital),
                "given_name_en": "Amna",
                "family_name_en": "Osman",
                "given_name_ar": "آمنة",
                "family_name_ar": "عثمان",
                "sex": "female",
                "birth_date": "1988-03-14",
                "phone": "0912345678",
                "national_id": "12345678901",
                "address": {"state": "Khartoum", "locality": "Bahri"},
            },
        )
        assert patient.status_code == 201, patient.text
        patient_id = patient.json()["id"]

        admitted = await api.post(
            "/api/v1/encounters",
            headers=auth,
            json={
                "patient_id": patient_id,
                "encounter_class": "inpatient",
                "status": "in_progress",
                "bed_id": str(bed_id),
            },
        )
        assert admitted.status_code == 201, admitted.text
        bed = await api.get(f"/api/v1/beds/{bed_id}", headers=auth)
        assert bed.json()["status"] == "occupied"
        assert bed.json()["patient_id"] == patient_id

        second = await api.post(
            "/api/v1/patients",
            headers=auth,
            json={
                "facility_id": str(hospital),
                "given_name_en": "Yasir",
                "family_name_en": "Ali",
                "sex": "male",
                "birth_date": "1975-01-02",
                "phone": "0998765432",
                "address": {"state": "Gezira", "locality": "Wad Madani"},
            },
        )
        taken = await api.post(
            "/api/v1/encounters",
            headers=auth,
            json={
                "patient_id": second.json()["id"],
                "encounter_class": "inpatient",
                "status": "in_progress",
                "bed_id": str(bed_id),
            },
        )
        assert taken.status_code == 409
        assert taken.headers["content-type"] == "application/problem+json"

        summary = await api.get(f"/api/v1/patient-summaries/{patient_id}", headers=auth)
        assert summary.status_code == 200, summary.text
        assert summary.json()["active_encounter"]["id"] == admitted.json()["id"]

        discharged = await api.post(
            f"/api/v1/encounters/{admitted.json()['id']}/status",
            headers=auth,
            json={"status": "finished"},
        )
        assert discharged.status_code == 200, discharged.text
        bed = await api.get(f"/api/v1/beds/{bed_id}", headers=auth)
        assert bed.json()["status"] == "cleaning"

        # A compliance officer sees who touched the patient, across services.
        assert (await api.get("/api/v1/audit-events", headers=auth)).status_code == 403
        officer_auth = await _login(api, "compliance_officer@demo.nilecare.sd")
        trail = await api.get(
            "/api/v1/audit-events", params={"patient_id": patient_id}, headers=officer_auth
        )
        assert trail.status_code == 200, trail.text
        body = trail.json()
        assert {"clinical", "facility"} <= {event["service"] for event in body["items"]}
        assert all(event["patient_id"] == patient_id for event in body["items"])
        doctor_id = (await api.get("/api/v1/auth/me", headers=auth)).json()["id"]
        assert any(event["actor_id"] == doctor_id for event in body["items"])
        assert body["parts"]["clinical"]["status"] == "ok"
        times = [event["occurred_at"] for event in body["items"]]
        assert times == sorted(times, reverse=True)


async def test_a_doctor_of_two_facilities_cannot_admit_a_patient_to_the_other_facilitys_bed(
    tmp_path: Path,
) -> None:
    async with _gateway(tmp_path) as (api, contexts, facilities):
        hospital = facilities.khartoum_teaching_hospital_id
        clinic = facilities.omdurman_clinic_id
        await auth_admin.create_user(
            contexts["auth"],
            email="rotating.doctor@example.sd",
            password=PASSWORD,
            full_name="Rotating Doctor",
            roles=["doctor"],
            facility_ids=(hospital, clinic),
        )
        clinic_bed = facilities.wards_of(clinic)[0].bed_ids[0]
        auth = await _login(api, "rotating.doctor@example.sd")
        patient = await api.post(
            "/api/v1/patients",
            headers=auth,
            json={
                "facility_id": str(hospital),
                "given_name_en": "Musa",
                "family_name_en": "Adam",
                "sex": "male",
                "birth_date": "1969-07-20",
                "phone": "0912000999",
                "address": {"state": "Khartoum", "locality": "Khartoum"},
            },
        )
        assert patient.status_code == 201, patient.text
        refused = await api.post(
            "/api/v1/encounters",
            headers=auth,
            json={
                "patient_id": patient.json()["id"],
                "encounter_class": "inpatient",
                "status": "in_progress",
                "bed_id": str(clinic_bed),
            },
        )
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"] == [
            {"field": "bed_id", "message": "the bed belongs to another facility"}
        ]
        bed = await api.get(f"/api/v1/beds/{clinic_bed}", headers=auth)
        assert bed.json()["status"] == "available"
        encounters = await api.get(
            f"/api/v1/patients/{patient.json()['id']}/encounters", headers=auth
        )
        assert encounters.json()["total"] == 0
