"""Encounters: the state machine, admission and discharge through the facility service (a test
double here), compensation when the clinical commit fails, and the events they publish."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from nilecare.contracts.clinical.schemas import EncounterStatus as S
from nilecare.kernel.uow import UnitOfWork
from nilecare.services.clinical import domain
from nilecare.services.clinical.models import Encounter
from tests.services.clinical.conftest import Clinical


async def _event_types(clinical: Clinical) -> list[str]:
    return [envelope.type for envelope in await clinical.svc.published()]


def test_the_state_machine_allows_only_the_documented_transitions() -> None:
    domain.check_transition(S.PLANNED, S.ARRIVED)
    domain.check_transition(S.ARRIVED, S.IN_PROGRESS)
    domain.check_transition(S.IN_PROGRESS, S.FINISHED)
    domain.check_transition(S.FINISHED, S.ENTERED_IN_ERROR)
    for current, target in [
        (S.FINISHED, S.IN_PROGRESS),
        (S.IN_PROGRESS, S.CANCELLED),
        (S.CANCELLED, S.ARRIVED),
        (S.ENTERED_IN_ERROR, S.PLANNED),
        (S.ARRIVED, S.PLANNED),
    ]:
        with pytest.raises(domain.InvalidTransition):
            domain.check_transition(current, target)


async def test_an_outpatient_visit_goes_from_arrival_to_finished(clinical: Clinical) -> None:
    patient = await clinical.register()
    created = await clinical.client.post(
        "/api/v1/encounters",
        json={"patient_id": patient["id"], "encounter_class": "outpatient"},
        headers=clinical.headers(),
    )
    assert created.status_code == 201, created.text
    eid = created.json()["id"]
    assert created.json()["status"] == "arrived"
    for status in ("in_progress", "finished"):
        answer = await clinical.client.post(
            f"/api/v1/encounters/{eid}/status", json={"status": status}, headers=clinical.headers()
        )
        assert answer.status_code == 200 and answer.json()["status"] == status
    refused = await clinical.client.post(
        f"/api/v1/encounters/{eid}/status",
        json={"status": "in_progress"},
        headers=clinical.headers(),
    )
    assert refused.status_code == 409
    assert await _event_types(clinical) == [
        "patient.created",
        "encounter.started",
        "encounter.finished",
    ]
    assert clinical.facility.calls == []


async def test_admission_takes_the_bed_and_discharge_releases_it(clinical: Clinical) -> None:
    patient = await clinical.register()
    bed = uuid.uuid4()
    admitted = await clinical.client.post(
        "/api/v1/encounters",
        json={
            "patient_id": patient["id"],
            "encounter_class": "inpatient",
            "status": "in_progress",
            "bed_id": str(bed),
        },
        headers=clinical.headers(),
    )
    assert admitted.status_code == 201, admitted.text
    eid = uuid.UUID(admitted.json()["id"])
    assert clinical.facility.occupied[bed].encounter_id == eid
    discharged = await clinical.client.post(
        f"/api/v1/encounters/{eid}/status", json={"status": "finished"}, headers=clinical.headers()
    )
    assert discharged.status_code == 200 and discharged.json()["ended_at"] is not None
    assert bed not in clinical.facility.occupied
    assert clinical.facility.calls == [("assign", bed, eid), ("release", bed, eid)]


async def test_admitting_to_an_occupied_bed_passes_on_the_facility_services_409(
    clinical: Clinical,
) -> None:
    first, second = await clinical.register(), await clinical.register()
    bed = uuid.uuid4()
    body = {"encounter_class": "inpatient", "status": "in_progress", "bed_id": str(bed)}
    ok = await clinical.client.post(
        "/api/v1/encounters", json={**body, "patient_id": first["id"]}, headers=clinical.headers()
    )
    assert ok.status_code == 201
    taken = await clinical.client.post(
        "/api/v1/encounters", json={**body, "patient_id": second["id"]}, headers=clinical.headers()
    )
    assert taken.status_code == 409
    assert taken.json()["type"].endswith("/bed-occupied")
    async with clinical.svc.context.database.session() as session:
        count = len((await session.scalars(select(Encounter.id))).all())
    assert count == 1


async def test_admitting_an_inpatient_without_a_bed_is_refused_naming_bed_id(
    clinical: Clinical,
) -> None:
    patient = await clinical.register()
    answer = await clinical.client.post(
        "/api/v1/encounters",
        json={"patient_id": patient["id"], "encounter_class": "inpatient", "status": "in_progress"},
        headers=clinical.headers(),
    )
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "bed_id"


async def test_the_bed_is_released_when_the_clinical_commit_fails(
    clinical: Clinical, monkeypatch: pytest.MonkeyPatch
) -> None:
    patient = await clinical.register()
    planned = await clinical.client.post(
        "/api/v1/encounters",
        json={"patient_id": patient["id"], "encounter_class": "inpatient", "status": "planned"},
        headers=clinical.headers(),
    )
    eid = uuid.UUID(planned.json()["id"])
    bed = uuid.uuid4()

    async def failing_commit(self: UnitOfWork) -> None:
        raise ConnectionError("database went away")

    monkeypatch.setattr(UnitOfWork, "commit", failing_commit)
    try:
        answer = await clinical.client.post(
            f"/api/v1/encounters/{eid}/status",
            json={"status": "in_progress", "bed_id": str(bed)},
            headers=clinical.headers(),
        )
    except ConnectionError:
        pass  # the in-process transport re-raises what the app's error handler answered 500 to
    else:
        assert answer.status_code == 500
    monkeypatch.undo()
    assert clinical.facility.calls == [("assign", bed, eid), ("release", bed, eid)]
    assert bed not in clinical.facility.occupied
    answer = await clinical.client.get(f"/api/v1/encounters/{eid}", headers=clinical.headers())
    assert answer.json()["status"] == "planned" and answer.json()["bed_id"] is None
