"""``nilecare seed demo`` as one call: users in both demo facilities, linked to staff of their own
facility, and nothing new the second time."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from nilecare.runtime.allinone import build_all_in_one
from nilecare.runtime.seed import STAFF_KIND_OF_ROLE, seed_demo
from nilecare.services.auth.admin import FACILITY_STAFF_ROLES
from nilecare.services.auth.models import User
from nilecare.services.business.models import Staff
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
