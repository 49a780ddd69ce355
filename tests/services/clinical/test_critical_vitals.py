"""vitals.critical: published with vitals.recorded for a critical reading, naming the ward and bed
of the patient's open inpatient stay, which the clinical service keeps from bed.assigned events."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import jwt

from nilecare.contracts.facility.events import BedAssigned
from nilecare.kernel.db.types import utcnow
from nilecare.kernel.events.envelope import Envelope
from tests.services.clinical.conftest import FACILITY_A, Clinical


async def _admit(clinical: Clinical, patient_id: str, bed: uuid.UUID) -> str:
    admitted = await clinical.client.post(
        "/api/v1/encounters",
        json={
            "patient_id": patient_id,
            "encounter_class": "inpatient",
            "status": "in_progress",
            "bed_id": str(bed),
        },
        headers=clinical.headers(),
    )
    assert admitted.status_code == 201, admitted.text
    return str(admitted.json()["id"])


async def _bed_assigned(
    clinical: Clinical,
    patient_id: str,
    encounter_id: str,
    bed: uuid.UUID,
    ward: uuid.UUID,
    *,
    minutes_ago: int = 0,
) -> None:
    event = BedAssigned(
        assignment_id=uuid.uuid4(),
        bed_id=bed,
        ward_id=ward,
        facility_id=FACILITY_A,
        patient_id=uuid.UUID(patient_id),
        encounter_id=uuid.UUID(encounter_id),
        assigned_at=utcnow() - timedelta(minutes=minutes_ago),
    )
    envelope = Envelope(
        type=event.event_type,
        version=1,
        source="facility",
        key=str(bed),
        facility_id=FACILITY_A,
        data=event.model_dump(mode="json"),
    )
    # The in-process bus delivers before publish returns.
    await clinical.svc.platform.bus.publish(envelope)


async def _record(
    clinical: Clinical, patient_id: str, token: str | None = None, **values: float
) -> dict[str, Any]:
    answer = await clinical.client.post(
        "/api/v1/vital-signs",
        json={"patient_id": patient_id, **values},
        headers={"authorization": f"Bearer {token or clinical.token()}"},
    )
    assert answer.status_code == 201, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def test_a_critical_reading_of_an_inpatient_names_the_ward_and_bed(
    clinical: Clinical,
) -> None:
    patient = await clinical.register()
    bed, ward = uuid.uuid4(), uuid.uuid4()
    encounter_id = await _admit(clinical, patient["id"], bed)
    await _bed_assigned(clinical, patient["id"], encounter_id, bed, ward)
    token = clinical.token()
    nurse = jwt.decode(token, options={"verify_signature": False})["sub"]

    normal = await _record(clinical, patient["id"], heart_rate=80)
    critical = await _record(
        clinical, patient["id"], heart_rate=165, spo2=88, temperature=37.0, token=token
    )

    recorded = await clinical.published_data("vitals.recorded")
    assert [(e["critical"], e["ward_id"]) for e in recorded] == [
        (False, str(ward)),
        (True, str(ward)),
    ]
    [alert] = await clinical.published_data("vitals.critical")
    assert alert["vital_signs_id"] == critical["id"] != normal["id"]
    assert alert["ward_id"] == str(ward) and alert["bed_id"] == str(bed)
    assert alert["encounter_id"] == encounter_id
    assert alert["recorded_by"] == nurse
    assert alert["values"] == {"heart_rate": 165.0, "spo2": 88.0, "temperature": 37.0}
    assert alert["flags"] == {"heart_rate": "critical", "spo2": "critical", "temperature": "normal"}


async def test_a_transfer_moves_the_ward_and_a_late_older_assignment_does_not(
    clinical: Clinical,
) -> None:
    patient = await clinical.register()
    first_bed, first_ward = uuid.uuid4(), uuid.uuid4()
    second_bed, second_ward = uuid.uuid4(), uuid.uuid4()
    encounter_id = await _admit(clinical, patient["id"], first_bed)
    await _bed_assigned(clinical, patient["id"], encounter_id, second_bed, second_ward)
    await _bed_assigned(
        clinical, patient["id"], encounter_id, first_bed, first_ward, minutes_ago=30
    )
    await _record(clinical, patient["id"], systolic_bp=190)
    [alert] = await clinical.published_data("vitals.critical")
    assert (alert["ward_id"], alert["bed_id"]) == (str(second_ward), str(second_bed))


async def test_without_an_inpatient_stay_the_alert_has_no_ward_and_facility_is_not_asked(
    clinical: Clinical,
) -> None:
    patient = await clinical.register()
    await _record(clinical, patient["id"], respiratory_rate=6)
    [alert] = await clinical.published_data("vitals.critical")
    assert alert["patient_id"] == patient["id"]
    assert (alert["ward_id"], alert["bed_id"], alert["encounter_id"]) == (None, None, None)
    assert [e["ward_id"] for e in await clinical.published_data("vitals.recorded")] == [None]
    # Recording vitals never calls the facility service, so its outage cannot stop it.
    assert clinical.facility.calls == []
