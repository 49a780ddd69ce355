"""The clinical service's definition: ``SERVICE`` is what the runtime loads."""

from __future__ import annotations

from pathlib import Path

from nilecare.kernel.service import ServiceSpec
from nilecare.services.clinical.api import routers
from nilecare.services.clinical.consumers import CONSUMERS
from nilecare.services.clinical.models import kernel_tables, metadata
from nilecare.services.clinical.settings import ClinicalSettings

SERVICE = ServiceSpec(
    name="clinical",
    title="Clinical",
    description=(
        "Patient registry with MRNs, encrypted identifiers and duplicate detection; encounters "
        "with admission and discharge; ICD-10-CM diagnoses, allergies, vital signs and "
        "immunizations."
    ),
    port=7110,
    prefixes=("patients", "encounters", "diagnoses", "allergies", "vital-signs", "immunizations"),
    routers=routers,
    settings_class=ClinicalSettings,
    metadata=metadata,
    tables=kernel_tables,
    migrations=Path(__file__).parent / "migrations",
    consumers=CONSUMERS,
)
