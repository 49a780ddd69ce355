"""The bed board: workflow, assignment, release, transfer, occupancy, the race for one bed,
events, audit and facility isolation."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from nilecare.contracts.facility.beds import BedStatus
from nilecare.services.facility.domain import TRANSITIONS, can_transition
from tests.services.facility.conftest import Facility, Ward


async def _assign(
    facility: Facility,
    ward: Ward,
    bed_id: uuid.UUID,
    encounter_id: uuid.UUID | None = None,
    patient_id: uuid.UUID | None = None,
) -> Any:
    return await facility.client.post(
        f"/api/v1/beds/{bed_id}/assignment",
        json={
            "patient_id": str(patient_id or uuid.uuid4()),
            "encounter_id": str(encounter_id or uuid.uuid4()),
        },
        headers=facility.headers((ward.facility_id,)),
    )


async def _status(facility: Facility, ward: Ward, bed_id: uuid.UUID, status: str) -> Any:
    return await facility.client.put(
        f"/api/v1/beds/{bed_id}/status",
        json={"status": status, "reason": "test"},
        headers=facility.headers((ward.facility_id,)),
    )


async def _bed(facility: Facility, ward: Ward, bed_id: uuid.UUID) -> dict[str, Any]:
    answer = await facility.client.get(
        f"/api/v1/beds/{bed_id}", headers=facility.headers((ward.facility_id,))
    )
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def test_the_bed_workflow_allows_exactly_the_documented_transitions() -> None:
    allowed = {(a.value, b.value) for a, targets in TRANSITIONS.items() for b in targets}
    assert allowed == {
        ("available", "occupied"),
        ("occupied", "cleaning"),
        ("cleaning", "available"),
        ("available", "out_of_service"),
        ("cleaning", "out_of_service"),
        ("out_of_service", "available"),
    }
    assert not can_transition(BedStatus.OCCUPIED, BedStatus.OUT_OF_SERVICE)
    assert not can_transition(BedStatus.OUT_OF_SERVICE, BedStatus.OCCUPIED)


async def test_an_admission_occupies_the_bed_and_a_repeat_answers_the_same_assignment(
    facility: Facility,
) -> None:
    ward = await facility.ward(beds=1)
    bed_id = ward.bed_ids[0]
    patient, encounter = uuid.uuid4(), uuid.uuid4()
    first = await _assign(facility, ward, bed_id, encounter, patient)
    assert first.status_code == 201, first.text
    assignment = first.json()
    assert assignment["patient_id"] == str(patient) and assignment["released_at"] is None
    bed = await _bed(facility, ward, bed_id)
    assert bed["status"] == "occupied" and bed["encounter_id"] == str(encounter)
    repeat = await _assign(facility, ward, bed_id, encounter, patient)
    assert repeat.status_code == 200 and repeat.json()["id"] == assignment["id"]
    other = await _assign(facility, ward, bed_id)
    assert other.status_code == 409
    assert other.json()["type"].endswith("/bed-not-available")
    assert other.json()["bed_status"] == "occupied"


async def test_an_encounter_cannot_hold_two_beds_at_once(facility: Facility) -> None:
    ward = await facility.ward(beds=2)
    encounter = uuid.uuid4()
    assert (await _assign(facility, ward, ward.bed_ids[0], encounter)).status_code == 201
    second = await _assign(facility, ward, ward.bed_ids[1], encounter)
    assert second.status_code == 409 and second.json()["type"].endswith("/encounter-has-bed")
    assert (await _bed(facility, ward, ward.bed_ids[1]))["status"] == "available"


async def test_release_sends_the_bed_to_cleaning_and_repeating_it_changes_nothing(
    facility: Facility,
) -> None:
    ward = await facility.ward(beds=1)
    bed_id, encounter = ward.bed_ids[0], uuid.uuid4()
    await _assign(facility, ward, bed_id, encounter)
    headers = facility.headers((ward.facility_id,))
    path = f"/api/v1/beds/{bed_id}/assignment"
    released = await facility.client.delete(
        path, params={"encounter_id": str(encounter)}, headers=headers
    )
    assert released.status_code == 200, released.text
    assert released.json()["released_at"] is not None
    bed = await _bed(facility, ward, bed_id)
    assert bed["status"] == "cleaning" and bed["patient_id"] is None
    again = await facility.client.delete(
        path, params={"encounter_id": str(encounter)}, headers=headers
    )
    assert again.status_code == 200 and again.json() == released.json()
    assert len(await facility.audit_rows("facility.bed.release")) == 1
    types = [envelope.type for envelope in await facility.published()]
    assert types == ["bed.assigned", "bed.released"]
    never = await facility.client.delete(
        path, params={"encounter_id": str(uuid.uuid4())}, headers=headers
    )
    assert never.status_code == 404


async def test_cleaning_done_makes_the_bed_available_for_the_next_patient(
    facility: Facility,
) -> None:
    ward = await facility.ward(beds=1)
    bed_id, encounter = ward.bed_ids[0], uuid.uuid4()
    await _assign(facility, ward, bed_id, encounter)
    await facility.client.delete(
        f"/api/v1/beds/{bed_id}/assignment",
        params={"encounter_id": str(encounter)},
        headers=facility.headers((ward.facility_id,)),
    )
    assert (await _assign(facility, ward, bed_id)).status_code == 409
    cleaned = await _status(facility, ward, bed_id, "available")
    assert cleaned.status_code == 200 and cleaned.json()["status"] == "available"
    assert (await _assign(facility, ward, bed_id)).status_code == 201
    rows = await facility.audit_rows("facility.bed.status")
    assert [(r.details["from"], r.details["to"]) for r in rows] == [("cleaning", "available")]


async def test_invalid_bed_transitions_are_refused_with_409(facility: Facility) -> None:
    ward = await facility.ward(beds=2)
    occupied, spare = ward.bed_ids
    await _assign(facility, ward, occupied)
    for target in ("available", "out_of_service"):
        refused = await _status(facility, ward, occupied, target)
        assert refused.status_code == 409, target
        assert refused.json()["type"].endswith("/invalid-bed-transition")
    assert (await _bed(facility, ward, occupied))["status"] == "occupied"
    # Occupied and cleaning are not set by hand.
    for target in ("occupied", "cleaning"):
        manual = await _status(facility, ward, spare, target)
        assert manual.status_code == 422 and manual.json()["errors"][0]["field"] == "status"
    unknown = await _status(facility, ward, spare, "broken")
    assert unknown.status_code == 422


async def test_out_of_service_beds_cannot_be_assigned_until_back_in_service(
    facility: Facility,
) -> None:
    ward = await facility.ward(beds=1)
    bed_id = ward.bed_ids[0]
    out = await _status(facility, ward, bed_id, "out_of_service")
    assert out.status_code == 200 and out.json()["status"] == "out_of_service"
    refused = await _assign(facility, ward, bed_id)
    assert refused.status_code == 409 and refused.json()["bed_status"] == "out_of_service"
    back = await _status(facility, ward, bed_id, "available")
    assert back.status_code == 200
    assert (await _assign(facility, ward, bed_id)).status_code == 201


async def test_of_concurrent_assignments_of_one_bed_exactly_one_wins(facility: Facility) -> None:
    ward = await facility.ward(beds=1)
    bed_id = ward.bed_ids[0]
    encounters = [uuid.uuid4() for _ in range(6)]
    answers = await asyncio.gather(*(_assign(facility, ward, bed_id, e) for e in encounters))
    codes = sorted(answer.status_code for answer in answers)
    assert codes == [201] + [409] * 5, [a.text for a in answers]
    winner = next(a.json() for a in answers if a.status_code == 201)
    bed = await _bed(facility, ward, bed_id)
    assert bed["encounter_id"] == winner["encounter_id"]
    history = (
        await facility.client.get(
            f"/api/v1/beds/{bed_id}/assignments", headers=facility.headers((ward.facility_id,))
        )
    ).json()
    assert history["total"] == 1 and history["items"][0]["id"] == winner["id"]
    assert [envelope.type for envelope in await facility.published()] == ["bed.assigned"]


async def test_a_transfer_moves_the_patient_and_keeps_the_history(facility: Facility) -> None:
    ward = await facility.ward(beds=3)
    source, target, taken = ward.bed_ids
    patient, encounter = uuid.uuid4(), uuid.uuid4()
    await _assign(facility, ward, source, encounter, patient)
    await _assign(facility, ward, taken)
    headers = facility.headers((ward.facility_id,))
    path = f"/api/v1/beds/{source}/transfer"
    refused = await facility.client.post(
        path, json={"to_bed_id": str(taken), "encounter_id": str(encounter)}, headers=headers
    )
    assert refused.status_code == 409
    assert (await _bed(facility, ward, source))["encounter_id"] == str(encounter)
    moved = await facility.client.post(
        path, json={"to_bed_id": str(target), "encounter_id": str(encounter)}, headers=headers
    )
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert body["released"]["bed_id"] == str(source) and body["released"]["released_at"]
    assert body["assigned"]["bed_id"] == str(target) and body["assigned"]["released_at"] is None
    assert body["assigned"]["patient_id"] == str(patient)
    assert (await _bed(facility, ward, source))["status"] == "cleaning"
    now_in = await _bed(facility, ward, target)
    assert now_in["status"] == "occupied" and now_in["encounter_id"] == str(encounter)
    history = await facility.client.get(f"/api/v1/beds/{source}/assignments", headers=headers)
    assert [item["encounter_id"] for item in history.json()["items"]] == [str(encounter)]
    assert history.json()["items"][0]["released_at"] is not None
    published = await facility.published()
    assert [envelope.type for envelope in published][-2:] == ["bed.released", "bed.assigned"]
    assert published[-2].data["reason"] == "transfer"
    assert published[-1].data["transferred_from_bed_id"] == str(source)
    # Not held any more: a second transfer from the old bed is refused.
    again = await facility.client.post(
        path, json={"to_bed_id": str(target), "encounter_id": str(encounter)}, headers=headers
    )
    assert again.status_code == 409
    rows = await facility.audit_rows("facility.bed.transfer")
    assert len(rows) == 1 and rows[0].patient_id == str(patient)


async def test_a_transfer_to_another_facility_or_the_same_bed_is_refused(
    facility: Facility,
) -> None:
    ours = await facility.ward(beds=1)
    theirs = await facility.ward(beds=1)
    encounter = uuid.uuid4()
    await _assign(facility, ours, ours.bed_ids[0], encounter)
    path = f"/api/v1/beds/{ours.bed_ids[0]}/transfer"
    both = facility.headers((ours.facility_id, theirs.facility_id))
    across = await facility.client.post(
        path,
        json={"to_bed_id": str(theirs.bed_ids[0]), "encounter_id": str(encounter)},
        headers=both,
    )
    assert across.status_code == 422 and across.json()["errors"][0]["field"] == "to_bed_id"
    same = await facility.client.post(
        path, json={"to_bed_id": str(ours.bed_ids[0]), "encounter_id": str(encounter)}, headers=both
    )
    assert same.status_code == 422
    hidden = await facility.client.post(
        path,
        json={"to_bed_id": str(theirs.bed_ids[0]), "encounter_id": str(encounter)},
        headers=facility.headers((ours.facility_id,)),
    )
    assert hidden.status_code == 404


async def test_ward_occupancy_counts_beds_by_status(facility: Facility) -> None:
    ward = await facility.ward(beds=5)
    first, second, third, fourth, _ = ward.bed_ids
    encounter = uuid.uuid4()
    await _assign(facility, ward, first)
    await _assign(facility, ward, second, encounter)
    await facility.client.delete(
        f"/api/v1/beds/{second}/assignment",
        params={"encounter_id": str(encounter)},
        headers=facility.headers((ward.facility_id,)),
    )
    await _assign(facility, ward, third)
    await _status(facility, ward, fourth, "out_of_service")
    answer = await facility.client.get(
        f"/api/v1/wards/{ward.ward_id}/occupancy", headers=facility.headers((ward.facility_id,))
    )
    assert answer.status_code == 200
    assert answer.json() == {
        "ward_id": str(ward.ward_id),
        "facility_id": str(ward.facility_id),
        "total": 5,
        "available": 1,
        "occupied": 2,
        "cleaning": 1,
        "out_of_service": 1,
    }
    board = await facility.client.get(
        "/api/v1/beds",
        params={"ward_id": str(ward.ward_id), "status": "occupied"},
        headers=facility.headers((ward.facility_id,)),
    )
    assert {item["id"] for item in board.json()["items"]} == {str(first), str(third)}
    assert board.json()["total"] == 2


async def test_another_facilitys_bed_cannot_be_read_assigned_released_or_changed(
    facility: Facility,
) -> None:
    theirs = await facility.ward(beds=1)
    mine = await facility.ward(beds=1)
    bed_id, encounter = theirs.bed_ids[0], uuid.uuid4()
    await _assign(facility, theirs, bed_id, encounter)
    headers = facility.headers((mine.facility_id,))
    attempts = [
        facility.client.get(f"/api/v1/beds/{bed_id}", headers=headers),
        facility.client.get(f"/api/v1/beds/{bed_id}/assignments", headers=headers),
        facility.client.post(
            f"/api/v1/beds/{bed_id}/assignment",
            json={"patient_id": str(uuid.uuid4()), "encounter_id": str(uuid.uuid4())},
            headers=headers,
        ),
        facility.client.delete(
            f"/api/v1/beds/{bed_id}/assignment",
            params={"encounter_id": str(encounter)},
            headers=headers,
        ),
        facility.client.put(
            f"/api/v1/beds/{bed_id}/status", json={"status": "out_of_service"}, headers=headers
        ),
    ]
    for answer in await asyncio.gather(*attempts):
        assert answer.status_code == 404, answer.request.url
    assert (await _bed(facility, theirs, bed_id))["encounter_id"] == str(encounter)
    board = (await facility.client.get("/api/v1/beds", headers=headers)).json()
    assert [item["id"] for item in board["items"]] == [str(mine.bed_ids[0])]
    assert board["total"] == 1


async def test_reading_an_occupied_bed_is_audited_with_the_patient(facility: Facility) -> None:
    ward = await facility.ward(beds=2)
    patient = uuid.uuid4()
    await _assign(facility, ward, ward.bed_ids[0], patient_id=patient)
    await _bed(facility, ward, ward.bed_ids[0])
    await _bed(facility, ward, ward.bed_ids[1])
    reads = await facility.audit_rows("facility.bed.read")
    assert [row.patient_id for row in reads] == [str(patient)]
    assigns = await facility.audit_rows("facility.bed.assign")
    assert len(assigns) == 1 and assigns[0].patient_id == str(patient)
    assert assigns[0].facility_id == str(ward.facility_id)
    published = await facility.published()
    assert published[0].facility_id == ward.facility_id
    assert published[0].data["patient_id"] == str(patient)


async def test_bed_routes_need_the_bed_permissions(facility: Facility) -> None:
    ward = await facility.ward(beds=1)
    reader = facility.headers((ward.facility_id,), permissions=["facility.bed.read"])
    assert (
        await facility.client.get(f"/api/v1/beds/{ward.bed_ids[0]}", headers=reader)
    ).status_code == 200
    refused = await facility.client.post(
        f"/api/v1/beds/{ward.bed_ids[0]}/assignment",
        json={"patient_id": str(uuid.uuid4()), "encounter_id": str(uuid.uuid4())},
        headers=reader,
    )
    assert refused.status_code == 403
    anonymous = await facility.client.get(f"/api/v1/beds/{ward.bed_ids[0]}")
    assert anonymous.status_code == 401


async def test_two_concurrent_releases_both_answer_the_one_released_assignment(
    facility: Facility,
) -> None:
    ward = await facility.ward(beds=1)
    bed_id, encounter = ward.bed_ids[0], uuid.uuid4()
    await _assign(facility, ward, bed_id, encounter)
    headers = facility.headers((ward.facility_id,))
    answers = await asyncio.gather(
        *(
            facility.client.delete(
                f"/api/v1/beds/{bed_id}/assignment",
                params={"encounter_id": str(encounter)},
                headers=headers,
            )
            for _ in range(4)
        )
    )
    assert [a.status_code for a in answers] == [200] * 4, [a.text for a in answers]
    assert len({a.json()["released_at"] for a in answers}) == 1
    published = await facility.published()
    assert [envelope.type for envelope in published] == ["bed.assigned", "bed.released"]
    assert (await _bed(facility, ward, bed_id))["status"] == "cleaning"
