"""``nilecare seed demo``: demo data for every service, safe to run again."""

from __future__ import annotations

import os
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

from nilecare.contracts.auth import roles
from nilecare.contracts.facility.beds import BedAssignmentCreate
from nilecare.kernel.config import PlatformSettings
from nilecare.runtime.bootstrap import Platform
from nilecare.services.auth import admin as auth_admin
from nilecare.services.business import admin as business_admin
from nilecare.services.clinical import admin as clinical_admin
from nilecare.services.facility import admin as facility_admin


@dataclass(frozen=True)
class DemoPassword:
    value: str
    generated: bool
    saved_at: Path | None


def demo_password(settings: PlatformSettings) -> DemoPassword:
    """``NILECARE_DEMO_PASSWORD``, or a generated one saved (0600) under the data directory."""
    if settings.demo_password is not None and settings.demo_password.get_secret_value():
        return DemoPassword(settings.demo_password.get_secret_value(), False, None)
    path = settings.data_dir / "secrets" / "demo-password.txt"
    if path.exists():
        return DemoPassword(path.read_text().strip(), False, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    value = "Nile-" + secrets.token_urlsafe(12)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return DemoPassword(value, True, path)


# The demo staff kind (business service) each facility role's demo user works as.
STAFF_KIND_OF_ROLE = {
    roles.ADMIN: "administrator",
    roles.DOCTOR: "doctor",
    roles.NURSE: "nurse",
    roles.RECEPTIONIST: "receptionist",
    roles.LAB_TECHNICIAN: "lab_technician",
    roles.PHARMACIST: "pharmacist",
    roles.BILLING_CLERK: "billing_clerk",
}


@dataclass(frozen=True)
class SeededUser:
    role: str
    email: str
    facilities: tuple[str, ...]
    created: bool


def _beds_taken_now(facilities: facility_admin.DemoFacilities) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The beds demo patients lie in now: the third and fifth of each ward, so every ward has
    patients and free beds (its first and last among them)."""
    return {
        facility_id: [
            bed for ward in facilities.wards_of(facility_id) for bed in ward.bed_ids[2:5:2]
        ]
        for facility_id in facilities.facility_ids
    }


async def seed_demo(platform: Platform, password: str) -> list[SeededUser]:
    """Seed every service's demo data: users of the teaching hospital (one per role; the
    cross-facility roles' in both facilities) and of the Omdurman clinic (one per facility staff
    role, ``<role>.omdurman@demo.nilecare.sd``), the facility roles' users each linked to a demo
    staff member of their own facility. Returns the demo users."""
    contexts = platform.contexts
    facilities = await facility_admin.seed_demo(contexts["facility"])
    users = await auth_admin.seed_demo_users(
        contexts["auth"],
        password,
        facility_ids=(facilities.khartoum_teaching_hospital_id,),
        sites={"omdurman": facilities.omdurman_clinic_id},
    )
    links = [
        business_admin.StaffLink(user.user_id, STAFF_KIND_OF_ROLE[user.role], user.facility_ids[0])
        for user in users
        if user.role in STAFF_KIND_OF_ROLE and len(user.facility_ids) == 1
    ]
    await business_admin.seed_demo(
        contexts["business"],
        facilities.facility_ids,
        {f: facilities.departments_of(f) for f in facilities.facility_ids},
        user_links=links,
    )
    beds = {
        facility_id: [bed for ward in facilities.wards_of(facility_id) for bed in ward.bed_ids]
        for facility_id in facilities.facility_ids
    }
    await clinical_admin.seed_demo(contexts["clinical"], beds, admit_to=_beds_taken_now(facilities))
    admissions = await clinical_admin.current_admissions(contexts["clinical"])
    await facility_admin.occupy_demo_beds(
        contexts["facility"],
        {
            a.bed_id: BedAssignmentCreate(patient_id=a.patient_id, encounter_id=a.encounter_id)
            for a in admissions
        },
    )
    return [
        SeededUser(
            user.role,
            user.email,
            tuple(facilities.name_of(facility_id) for facility_id in user.facility_ids),
            user.created,
        )
        for user in users
    ]
