"""Permissions of the facility service (granted to roles by the auth service)."""

from __future__ import annotations

# Facilities and their structure: departments, wards, rooms and beds as places.
FACILITY_FACILITY_READ = "facility.facility.read"
FACILITY_FACILITY_MANAGE = "facility.facility.manage"
# The bed board: bed status, assignment, release and transfer of patients.
FACILITY_BED_READ = "facility.bed.read"
FACILITY_BED_MANAGE = "facility.bed.manage"

ALL_PERMISSIONS = (
    FACILITY_FACILITY_READ,
    FACILITY_FACILITY_MANAGE,
    FACILITY_BED_READ,
    FACILITY_BED_MANAGE,
)
