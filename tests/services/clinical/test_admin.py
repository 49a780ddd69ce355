"""Demo data seeding is idempotent and produces searchable, valid records."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from nilecare.services.clinical.admin import current_admissions, seed_demo
from nilecare.services.clinical.models import Diagnosis, Encounter, Patient, VitalSigns
from tests.services.clinical.conftest import FACILITY_A, FACILITY_B, Clinical


async def _count(clinical: Clinical, model: type) -> int:
    async with clinical.svc.context.database.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_seeding_demo_data_twice_adds_nothing_the_second_time(clinical: Clinical) -> None:
    beds = {FACILITY_A: [uuid.uuid4(), uuid.uuid4()], FACILITY_B: [uuid.uuid4()]}
    assert await seed_demo(clinical.svc.context, beds, patients=20) == 20
    counts = [await _count(clinical, m) for m in (Patient, Encounter, Diagnosis, VitalSigns)]
    assert counts == [20, 20, 20, 60]
    assert await seed_demo(clinical.svc.context, beds, patients=20) == 0
    assert [
        await _count(clinical, m) for m in (Patient, Encounter, Diagnosis, VitalSigns)
    ] == counts
    found = await clinical.client.get(
        "/api/v1/patients", params={"name": "محمد"}, headers=clinical.headers()
    )
    assert found.status_code == 200 and found.json()["total"] >= 1
    first = found.json()["items"][0]
    assert first["phone"].startswith("+2499") and first["facility_id"] == str(FACILITY_A)
    inpatient = await clinical.client.get(
        f"/api/v1/patients/{first['id']}/encounters", headers=clinical.headers()
    )
    assert inpatient.json()["items"][0]["status"] == "finished"


async def test_demo_patients_are_admitted_to_the_beds_given_and_listed_as_in_hospital(
    clinical: Clinical,
) -> None:
    free = [uuid.uuid4(), uuid.uuid4()]
    beds = {FACILITY_A: [uuid.uuid4(), *free], FACILITY_B: [uuid.uuid4()]}
    await seed_demo(clinical.svc.context, beds, patients=20, admit_to={FACILITY_A: free})
    admissions = await current_admissions(clinical.svc.context)
    assert sorted(a.bed_id for a in admissions) == sorted(free)
    for admission in admissions:
        encounter = await clinical.client.get(
            f"/api/v1/encounters/{admission.encounter_id}", headers=clinical.headers()
        )
        assert encounter.json()["status"] == "in_progress"
        assert encounter.json()["bed_id"] == str(admission.bed_id)
        assert encounter.json()["patient_id"] == str(admission.patient_id)
    # Seeding again admits nobody else.
    await seed_demo(clinical.svc.context, beds, patients=20, admit_to={FACILITY_A: free})
    assert len(await current_admissions(clinical.svc.context)) == 2
