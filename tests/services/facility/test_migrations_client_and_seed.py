"""The Alembic history builds exactly the models' schema; the typed client works against the
real app in-process; the demo seed is idempotent."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from nilecare.contracts.facility.beds import BedStatus
from nilecare.contracts.facility.client import FacilityClient
from nilecare.kernel.context import RequestContext, reset_context, set_context
from nilecare.kernel.errors import Problem
from nilecare.services.facility import admin
from nilecare.services.facility.models import Bed
from nilecare.services.facility.models import Facility as FacilityRow
from tests.services.facility.conftest import Facility


def _as_caller(token: str) -> object:
    """What a calling service has while it handles a request: the caller's token to forward."""
    return set_context(
        RequestContext(
            request_id=uuid.uuid4().hex,
            traceparent=f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-01",
            bearer_token=token,
        )
    )


async def test_the_typed_client_admits_transfers_and_discharges_through_the_real_app(
    facility: Facility,
) -> None:
    ward = await facility.ward(beds=2)
    first, second = ward.bed_ids
    client = FacilityClient(facility.svc.platform.directory.client("facility"))
    patient, encounter = uuid.uuid4(), uuid.uuid4()
    token = _as_caller(facility.token((ward.facility_id,)))
    try:
        with pytest.raises(Problem) as elsewhere:
            await client.assign_bed(first, patient, encounter, uuid.uuid4())
        assert elsewhere.value.status == 422 and "another facility" in str(elsewhere.value)
        assigned = await client.assign_bed(first, patient, encounter, ward.facility_id)
        assert assigned.bed_id == first and assigned.facility_id == ward.facility_id
        bed = await client.get_bed(first)
        assert bed.status is BedStatus.OCCUPIED and bed.patient_id == patient
        with pytest.raises(Problem) as refused:
            await client.assign_bed(first, uuid.uuid4(), uuid.uuid4(), ward.facility_id)
        assert refused.value.status == 409 and refused.value.slug == "bed-not-available"
        moved = await client.transfer_bed(first, second, encounter)
        assert moved.released.bed_id == first and moved.assigned.bed_id == second
        released = await client.release_bed(second, encounter)
        assert released.released_at is not None
        assert (await client.release_bed(second, encounter)) == released
        cleaned = await client.change_bed_status(first, BedStatus.AVAILABLE)
        assert cleaned.status is BedStatus.AVAILABLE
        occupancy = await client.ward_occupancy(ward.ward_id)
        assert (occupancy.available, occupancy.cleaning, occupancy.total) == (1, 1, 2)
        board = await client.list_beds(ward_id=ward.ward_id, status=BedStatus.CLEANING)
        assert [b.id for b in board.items] == [second]
        history = await client.bed_assignments(first)
        assert [a.encounter_id for a in history.items] == [encounter]
        assert (await client.get_ward(ward.ward_id)).id == ward.ward_id
        assert (await client.get_facility(ward.facility_id)).id == ward.facility_id
        assert [f.id for f in (await client.list_facilities()).items] == [ward.facility_id]
    finally:
        reset_context(token)


async def test_the_demo_seed_builds_two_facilities_once_with_the_same_ids(
    facility: Facility,
) -> None:
    context = facility.svc.context
    first = await admin.seed_demo(context)
    second = await admin.seed_demo(context)
    assert first == second
    assert first.khartoum_teaching_hospital_id == admin.KHARTOUM_TEACHING_HOSPITAL_ID
    assert first.omdurman_clinic_id == admin.OMDURMAN_CLINIC_ID
    hospital_beds = sum(len(w.bed_ids) for w in first.wards_of(admin.KHARTOUM_TEACHING_HOSPITAL_ID))
    clinic_beds = sum(len(w.bed_ids) for w in first.wards_of(admin.OMDURMAN_CLINIC_ID))
    assert (hospital_beds, clinic_beds) == (60, 10)
    async with context.database.engine.connect() as conn:
        facilities = (await conn.execute(select(FacilityRow.state, FacilityRow.locality))).all()
        beds = await conn.scalar(select(func.count()).select_from(Bed))
    assert sorted(facilities) == [("Khartoum", "Khartoum"), ("Khartoum", "Omdurman")]
    assert beds == 70
    assert len(await facility.audit_rows("facility.demo.seed")) == 1
    # The seeded beds work on the bed board of a user of the hospital.
    ward = first.wards_of(admin.KHARTOUM_TEACHING_HOSPITAL_ID)[0]
    headers = facility.headers((admin.KHARTOUM_TEACHING_HOSPITAL_ID,))
    answer = await facility.client.post(
        f"/api/v1/beds/{ward.bed_ids[0]}/assignment",
        json={"patient_id": str(uuid.uuid4()), "encounter_id": str(uuid.uuid4())},
        headers=headers,
    )
    assert answer.status_code == 201
    page = (await facility.client.get("/api/v1/facilities", headers=headers)).json()
    assert [item["code"] for item in page["items"]] == ["KTH"]
