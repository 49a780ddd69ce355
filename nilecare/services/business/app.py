"""The business service's definition: ``SERVICE`` is what the runtime loads."""

from __future__ import annotations

from pathlib import Path

from nilecare.kernel.service import ServiceSpec
from nilecare.services.business.api import routers
from nilecare.services.business.models import kernel_tables, metadata
from nilecare.services.business.settings import BusinessSettings

SERVICE = ServiceSpec(
    name="business",
    title="Business",
    description=(
        "Organizations, staff (licences, specialties, departments, linked accounts), weekly "
        "working hours with exceptions and computed availability, and the charge master."
    ),
    port=7010,
    prefixes=("organizations", "staff", "charge-items"),
    routers=routers,
    settings_class=BusinessSettings,
    metadata=metadata,
    tables=kernel_tables,
    migrations=Path(__file__).parent / "migrations",
)
