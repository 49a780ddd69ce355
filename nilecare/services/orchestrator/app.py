"""The orchestrator's definition: ``SERVICE`` is what the runtime loads (no database)."""

from __future__ import annotations

from nilecare.kernel.service import ServiceSpec
from nilecare.services.orchestrator.api import routers
from nilecare.services.orchestrator.settings import OrchestratorSettings

SERVICE = ServiceSpec(
    name="orchestrator",
    title="Orchestrator",
    description="Views gathered across services, such as the patient summary.",
    port=7000,
    prefixes=("patient-summaries", "audit-events"),
    routers=routers,
    settings_class=OrchestratorSettings,
)
