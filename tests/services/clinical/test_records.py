"""Diagnoses, allergies and vital signs; audit rows on every patient-data route; isolation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from nilecare.contracts.clinical.schemas import VitalFlag
from nilecare.services.clinical import domain
from nilecare.services.clinical.models import kernel_tables
from tests.services.clinical.conftest import FACILITY_B, Clinical


async def _audit(clinical: Clinical) -> list[tuple[str, str | None]]:
    audit = kernel_tables.audit_events
    async with clinical.svc.context.database.session() as session:
        rows = await session.execute(
            select(audit.c.action, audit.c.patient_id).order_by(audit.c.seq)
        )
    return [(r.action, r.patient_id) for r in rows]


def test_vital_flags_follow_the_adult_thresholds() -> None:
    assert domain.flag_vital("heart_rate", 80) is VitalFlag.NORMAL
    assert domain.flag_vital("heart_rate", 110) is VitalFlag.ABNORMAL
    assert domain.flag_vital("heart_rate", 151) is VitalFlag.CRITICAL
    assert domain.flag_vital("heart_rate", 39) is VitalFlag.CRITICAL
    assert domain.flag_vital("spo2", 89) is VitalFlag.CRITICAL
    assert domain.flag_vital("spo2", 93) is VitalFlag.ABNORMAL
    assert domain.flag_vital("temperature", 39.1) is VitalFlag.CRITICAL
    assert domain.flag_vital("systolic_bp", 181) is VitalFlag.CRITICAL
    assert domain.flag_vital("diastolic_bp", 111) is VitalFlag.CRITICAL
    assert domain.flag_vital("respiratory_rate", 7) is VitalFlag.CRITICAL
    assert domain.flag_vital("weight", 70) is VitalFlag.NORMAL


async def test_critical_vitals_are_flagged_and_published(clinical: Clinical) -> None:
    patient = await clinical.register()
    answer = await clinical.client.post(
        "/api/v1/vital-signs",
        json={"patient_id": patient["id"], "heart_rate": 160, "spo2": 97, "temperature": 37.0},
        headers=clinical.headers(),
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["critical"] is True
    assert body["flags"] == {"heart_rate": "critical", "spo2": "normal", "temperature": "normal"}
    assert body["units"]["heart_rate"] == "/min" and body["units"]["temperature"] == "Cel"
    recorded = await clinical.published_data("vitals.recorded")
    assert [data["critical"] for data in recorded] == [True]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"heart_rate": -5}, "heart_rate"),
        ({"heart_rate": 400}, "heart_rate"),
        ({"temperature": 46}, "temperature"),
        ({"spo2": 101}, "spo2"),
        ({"systolic_bp": 0}, "systolic_bp"),
    ],
)
async def test_impossible_vital_values_are_refused_naming_the_field(
    clinical: Clinical, values: dict[str, Any], field: str
) -> None:
    patient = await clinical.register()
    answer = await clinical.client.post(
        "/api/v1/vital-signs",
        json={"patient_id": patient["id"], **values},
        headers=clinical.headers(),
    )
    assert answer.status_code == 422
    assert field in [e["field"] for e in answer.json()["errors"]]


async def test_vitals_are_listed_in_a_time_range_for_charts(clinical: Clinical) -> None:
    patient = await clinical.register()
    now = datetime.now(UTC)
    for hours, rate in ((5, 70), (3, 80), (1, 90)):
        answer = await clinical.client.post(
            "/api/v1/vital-signs",
            json={
                "patient_id": patient["id"],
                "heart_rate": rate,
                "recorded_at": (now - timedelta(hours=hours)).isoformat(),
            },
            headers=clinical.headers(),
        )
        assert answer.status_code == 201
    answer = await clinical.client.get(
        f"/api/v1/patients/{patient['id']}/vital-signs",
        params={"since": (now - timedelta(hours=4)).isoformat()},
        headers=clinical.headers(),
    )
    assert [v["values"]["heart_rate"] for v in answer.json()] == [80, 90]
    latest = await clinical.client.get(
        f"/api/v1/patients/{patient['id']}/vital-signs",
        params={"newest_first": "true", "limit": 1},
        headers=clinical.headers(),
    )
    assert [v["values"]["heart_rate"] for v in latest.json()] == [90]


async def test_diagnoses_are_validated_against_icd10_cm(clinical: Clinical) -> None:
    patient = await clinical.register()
    answer = await clinical.client.post(
        "/api/v1/diagnoses",
        json={"patient_id": patient["id"], "code": "e119", "verification_status": "provisional"},
        headers=clinical.headers(),
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["code"] == "E11.9" and body["code_system"] == "http://hl7.org/fhir/sid/icd-10-cm"
    assert body["display"].startswith("Type 2 diabetes") and body["code_system_version"]
    bad = await clinical.client.post(
        "/api/v1/diagnoses",
        json={"patient_id": patient["id"], "code": "Q99.99X"},
        headers=clinical.headers(),
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "code"
    changed = await clinical.client.patch(
        f"/api/v1/diagnoses/{body['id']}",
        json={"clinical_status": "resolved"},
        headers=clinical.headers(),
    )
    assert changed.json()["clinical_status"] == "resolved"
    listed = await clinical.client.get(
        f"/api/v1/patients/{patient['id']}/diagnoses", headers=clinical.headers()
    )
    assert [d["code"] for d in listed.json()] == ["E11.9"]


async def test_allergies_are_recorded_and_listed(clinical: Clinical) -> None:
    patient = await clinical.register()
    answer = await clinical.client.post(
        "/api/v1/allergies",
        json={
            "patient_id": patient["id"],
            "substance": "Penicillin",
            "allergy_class": "drug",
            "reaction": "hives",
            "severity": "moderate",
            "criticality": "high",
        },
        headers=clinical.headers(),
    )
    assert answer.status_code == 201, answer.text
    bad = await clinical.client.post(
        "/api/v1/allergies",
        json={"patient_id": patient["id"], "substance": "x", "allergy_class": "mineral"},
        headers=clinical.headers(),
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "allergy_class"
    listed = await clinical.client.get(
        f"/api/v1/patients/{patient['id']}/allergies", headers=clinical.headers()
    )
    assert [(a["substance"], a["criticality"]) for a in listed.json()] == [("Penicillin", "high")]


async def test_every_patient_data_route_writes_an_audit_row_with_the_patient(
    clinical: Clinical,
) -> None:
    patient = await clinical.register()
    pid = patient["id"]
    h = clinical.headers()
    await clinical.client.get(f"/api/v1/patients/{pid}", headers=h)
    await clinical.client.get(
        "/api/v1/patients", params={"name": patient["given_name_en"]}, headers=h
    )
    await clinical.client.post(
        "/api/v1/vital-signs", json={"patient_id": pid, "spo2": 98}, headers=h
    )
    await clinical.client.post(
        "/api/v1/diagnoses", json={"patient_id": pid, "code": "I10"}, headers=h
    )
    await clinical.client.post(
        "/api/v1/allergies",
        json={"patient_id": pid, "substance": "Peanut", "allergy_class": "food"},
        headers=h,
    )
    for part in ("vital-signs", "diagnoses", "allergies", "encounters"):
        await clinical.client.get(f"/api/v1/patients/{pid}/{part}", headers=h)
    actions = {action for action, patient_id in await _audit(clinical) if patient_id == pid}
    assert actions >= {
        "patient.create",
        "patient.read",
        "patient.search",
        "vitals.create",
        "diagnosis.create",
        "allergy.create",
        "vitals.list",
        "diagnosis.list",
        "allergy.list",
        "encounter.list",
    }


async def test_another_facilitys_patient_is_not_found_on_every_route(clinical: Clinical) -> None:
    other = await clinical.register(
        headers=clinical.headers(facilities=(FACILITY_B,)), facility_id=str(FACILITY_B)
    )
    pid = other["id"]
    h = clinical.headers()
    attempts = [
        clinical.client.get(f"/api/v1/patients/{pid}", headers=h),
        clinical.client.patch(
            f"/api/v1/patients/{pid}", json={"preferred_language": "en"}, headers=h
        ),
        clinical.client.get(f"/api/v1/patients/{pid}/encounters", headers=h),
        clinical.client.get(f"/api/v1/patients/{pid}/diagnoses", headers=h),
        clinical.client.get(f"/api/v1/patients/{pid}/allergies", headers=h),
        clinical.client.get(f"/api/v1/patients/{pid}/vital-signs", headers=h),
        clinical.client.post(
            "/api/v1/vital-signs", json={"patient_id": pid, "spo2": 98}, headers=h
        ),
        clinical.client.post(
            "/api/v1/diagnoses", json={"patient_id": pid, "code": "I10"}, headers=h
        ),
        clinical.client.post(
            "/api/v1/allergies",
            json={"patient_id": pid, "substance": "x", "allergy_class": "food"},
            headers=h,
        ),
        clinical.client.post(
            "/api/v1/encounters",
            json={"patient_id": pid, "encounter_class": "outpatient"},
            headers=h,
        ),
    ]
    for attempt in attempts:
        answer = await attempt
        assert answer.status_code == 404, (answer.request.url, answer.text)
    mine = await clinical.register()
    merge = await clinical.client.post(
        f"/api/v1/patients/{mine['id']}/merge", json={"duplicate_id": pid}, headers=h
    )
    assert merge.status_code == 404
    encounter = await clinical.client.post(
        "/api/v1/encounters",
        json={"patient_id": pid, "encounter_class": "outpatient"},
        headers=clinical.headers(facilities=(FACILITY_B,)),
    )
    eid = encounter.json()["id"]
    assert (await clinical.client.get(f"/api/v1/encounters/{eid}", headers=h)).status_code == 404
    moved = await clinical.client.post(
        f"/api/v1/encounters/{eid}/status", json={"status": "in_progress"}, headers=h
    )
    assert moved.status_code == 404


async def test_search_totals_count_only_the_callers_facilities(clinical: Clinical) -> None:
    b = clinical.headers(facilities=(FACILITY_B,))
    for _ in range(3):
        await clinical.register(headers=b, facility_id=str(FACILITY_B), family_name_en="Khalid")
    await clinical.register(family_name_en="Khalid")
    mine = await clinical.client.get(
        "/api/v1/patients", params={"name": "khalid"}, headers=clinical.headers()
    )
    assert mine.json()["total"] == 1 and len(mine.json()["items"]) == 1
    everyone = await clinical.client.get(
        "/api/v1/patients", params={"name": "khalid"}, headers=clinical.headers(all_facilities=True)
    )
    assert everyone.json()["total"] == 4
    nobody = await clinical.client.get(
        "/api/v1/patients", params={"name": "khalid"}, headers=clinical.headers(facilities=())
    )
    assert nobody.json()["total"] == 0


async def test_reading_without_the_permission_is_forbidden(clinical: Clinical) -> None:
    patient = await clinical.register()
    answer = await clinical.client.get(
        f"/api/v1/patients/{patient['id']}",
        headers=clinical.headers(permissions=["clinical.vitals.read"]),
    )
    assert answer.status_code == 403
    assert uuid.UUID(patient["id"])


async def test_immunizations_are_recorded_in_dose_order_and_a_future_date_is_refused(
    clinical: Clinical,
) -> None:
    patient = await clinical.register()
    h = clinical.headers(permissions=["clinical.immunization.write", "clinical.patient.read"])
    for dose, day in ((2, "2024-03-01"), (1, "2024-01-01")):
        answer = await clinical.client.post(
            "/api/v1/immunizations",
            json={
                "patient_id": patient["id"],
                "vaccine_code": "08",
                "vaccine_system": "http://hl7.org/fhir/sid/cvx",
                "vaccine_name": "Hepatitis B",
                "occurred_on": day,
                "dose_number": dose,
                "lot_number": f"LOT-{dose}",
            },
            headers=h,
        )
        assert answer.status_code == 201, answer.text
    future = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    bad = await clinical.client.post(
        "/api/v1/immunizations",
        json={
            "patient_id": patient["id"],
            "vaccine_name": "Measles",
            "occurred_on": future,
            "dose_number": 1,
        },
        headers=h,
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "occurred_on"
    listed = await clinical.client.get(f"/api/v1/patients/{patient['id']}/immunizations", headers=h)
    assert [(i["dose_number"], i["lot_number"]) for i in listed.json()] == [
        (1, "LOT-1"),
        (2, "LOT-2"),
    ]
    outsider = await clinical.client.get(
        f"/api/v1/patients/{patient['id']}/immunizations",
        headers=clinical.headers(facilities=(FACILITY_B,)),
    )
    assert outsider.status_code == 404
