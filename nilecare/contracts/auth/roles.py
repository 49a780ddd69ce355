"""The system roles (DOMAIN.md) and which of them see every facility."""

from __future__ import annotations

SUPER_ADMIN = "super_admin"
ADMIN = "admin"
MEDICAL_DIRECTOR = "medical_director"
DOCTOR = "doctor"
NURSE = "nurse"
RECEPTIONIST = "receptionist"
LAB_TECHNICIAN = "lab_technician"
PHARMACIST = "pharmacist"
BILLING_CLERK = "billing_clerk"
COMPLIANCE_OFFICER = "compliance_officer"
HEALTH_INSPECTOR = "health_inspector"
PATIENT = "patient"

ALL_ROLES: tuple[str, ...] = (
    SUPER_ADMIN,
    ADMIN,
    MEDICAL_DIRECTOR,
    DOCTOR,
    NURSE,
    RECEPTIONIST,
    LAB_TECHNICIAN,
    PHARMACIST,
    BILLING_CLERK,
    COMPLIANCE_OFFICER,
    HEALTH_INSPECTOR,
    PATIENT,
)

# Roles whose tokens carry ``all_facilities``: oversight across every facility, stated explicitly.
CROSS_FACILITY_ROLES = frozenset(
    {SUPER_ADMIN, MEDICAL_DIRECTOR, COMPLIANCE_OFFICER, HEALTH_INSPECTOR}
)

# Roles that must enrol in TOTP MFA before they get anything beyond their own account.
MFA_REQUIRED_ROLES = frozenset({SUPER_ADMIN, ADMIN})
