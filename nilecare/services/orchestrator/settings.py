"""Orchestrator settings (``NILECARE_ORCHESTRATOR__*``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from nilecare.kernel.config import ServiceSettings


class OrchestratorSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="NILECARE_ORCHESTRATOR__", env_file=".env", extra="ignore"
    )

    # Upper bound on one part of a summary; a slower part is reported as failed.
    part_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
