"""``nilecare seed demo`` as one call: users in both demo facilities, linked to staff of their own
facility, patients in beds, and nothing new the second time."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from nilecare.runtime.allinone import build_all_in_one
from nilecare.runtime.seed import STAFF_KIND_OF_ROLE, seed_demo
from nilecare.services.auth.admin import FACILITY_STAFF_ROLES
from nilecare.services.auth.models import User
from nilecare.services.business.models import Staff
from nilecare.services.clinical.models import Encounter
from nilecare.services.facility.models import Bed
from tests.harness import platform_settings_for_tests

PASSWORD = "Blue-Nile-Sunset-2026"
HOSPITAL, CLINIC = "Khartoum Teaching Hospital", "Omdurman Family Clinic"


async def test_the_demo_seed_gives_each_facility_its_users_linked_to_its_own_staff(
    tmp_path: Path,
) -> None:
    platform = build_all_in_one(platform_settings_for_tests(tmp_path))
    await platform.migrate()
    try:
        first = await seed_demo(platform.platform, PASSWORD)
        second = await seed_demo(platform.platform, PASSWORD)
        contexts = platform.platform.contexts
        async with contexts["business"].unit_of_work() as uow:
            staff = {
                row.user_id: (row.kind, row.facility_id)
                for row in await uow.session.scalars(select(Staff).where(Staff.user_id.isnot(None)))
            }
        async with contexts["auth"].unit_of_work() as uow:
            accounts = [
                (user.id, user.role_names[0], user.facility_ids)
                for user in await uow.session.scalars(select(User))
            ]
    finally:
        await platform.platform.aclose()

    facilities = {user.email: user.facilities for user in first}
    assert facilities["doctor@demo.nilecare.sd"] == (HOSPITAL,)
    for role in ("doctor", "nurse", "receptionist"):
        assert facilities[f"{role}.omdurman@demo.nilecare.sd"] == (CLINIC,)
    for role in ("super_admin", "medical_director", "compliance_officer", "health_inspector"):
        assert facilities[f"{role}@demo.nilecare.sd"] == (HOSPITAL, CLINIC)
    assert all(user.created for user in first)
    assert [(u.email, u.facilities, u.created) for u in second] == [
        (u.email, u.facilities, False) for u in first
    ]
    # Every facility role's user (7 per facility) is a staff member of its kind and facility.
    assert set(STAFF_KIND_OF_ROLE) == set(FACILITY_STAFF_ROLES)
    linked = {
        user_id: (STAFF_KIND_OF_ROLE[role], facility_ids[0])
        for user_id, role, facility_ids in accounts
        if role in STAFF_KIND_OF_ROLE
    }
    assert len(linked) == 2 * len(FACILITY_STAFF_ROLES)
    assert staff == linked


async def test_the_demo_seed_puts_patients_in_beds_that_both_services_agree_on(
    tmp_path: Path,
) -> None:
    platform = build_all_in_one(platform_settings_for_tests(tmp_path))
    await platform.migrate()
    try:
        await seed_demo(platform.platform, PASSWORD)
        await seed_demo(platform.platform, PASSWORD)
        contexts = platform.platform.contexts
        async with contexts["clinical"].unit_of_work() as uow:
            in_hospital = {
                (row.bed_id, row.patient_id, row.id)
                for row in await uow.session.scalars(
                    select(Encounter).where(Encounter.holds_bed.is_(True))
                )
            }
        async with contexts["facility"].unit_of_work() as uow:
            beds = [
                {
                    "key": (bed.id, bed.patient_id, bed.encounter_id),
                    "status": bed.status,
                    "facility": bed.facility_id,
                    "ward": bed.ward_id,
                }
                for bed in await uow.session.scalars(select(Bed))
            ]
    finally:
        await platform.platform.aclose()
    occupied = [bed for bed in beds if bed["status"] == "occupied"]
    assert {bed["key"] for bed in occupied} == in_hospital
    # Both facilities have patients in, and every ward keeps free beds.
    assert {bed["facility"] for bed in occupied} == {bed["facility"] for bed in beds}
    free_wards = {bed["ward"] for bed in beds if bed["status"] == "available"}
    assert free_wards == {bed["ward"] for bed in beds}
