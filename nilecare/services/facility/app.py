"""The facility service's definition: ``SERVICE`` is what the runtime loads."""

from __future__ import annotations

from pathlib import Path

from nilecare.kernel.service import ServiceSpec
from nilecare.services.facility.api import routers
from nilecare.services.facility.models import kernel_tables, metadata
from nilecare.services.facility.settings import FacilitySettings

SERVICE = ServiceSpec(
    name="facility",
    title="Facility",
    description=(
        "Facilities, departments, wards, rooms and beds; the bed board with assignment, "
        "release and transfer of patients, bed cleaning and out-of-service, ward occupancy."
    ),
    port=7060,
    prefixes=("facilities", "departments", "wards", "rooms", "beds"),
    routers=routers,
    settings_class=FacilitySettings,
    metadata=metadata,
    tables=kernel_tables,
    migrations=Path(__file__).parent / "migrations",
)
