"""Permissions the business service checks (granted to roles by the auth service)."""

from __future__ import annotations

BUSINESS_STAFF_READ = "business.staff.read"
BUSINESS_STAFF_MANAGE = "business.staff.manage"
# Reading the charge master (billing, front desk); managing it stays with administrators.
BUSINESS_CHARGE_READ = "business.charge.read"
BUSINESS_CHARGE_MANAGE = "business.charge.manage"

BUSINESS_PERMISSIONS = frozenset(
    {BUSINESS_STAFF_READ, BUSINESS_STAFF_MANAGE, BUSINESS_CHARGE_READ, BUSINESS_CHARGE_MANAGE}
)
