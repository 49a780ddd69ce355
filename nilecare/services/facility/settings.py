"""Facility service settings (``NILECARE_FACILITY__*``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from nilecare.kernel.config import ServiceSettings


class FacilitySettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="NILECARE_FACILITY__", env_file=".env", extra="ignore"
    )
