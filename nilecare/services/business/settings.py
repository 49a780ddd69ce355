"""Business service settings (``NILECARE_BUSINESS__*``)."""

from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from nilecare.kernel.config import ServiceSettings


class BusinessSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="NILECARE_BUSINESS__", env_file=".env", extra="ignore"
    )
