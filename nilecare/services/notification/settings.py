"""Notification service settings (``NILECARE_NOTIFICATION__*``). Durations accept seconds or
ISO 8601 (``PT5M``)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from nilecare.contracts.notification.schemas import DEFAULT_TIMEZONE, Language, TimeOfDay
from nilecare.kernel.config import ServiceSettings
from nilecare.services.notification.channels.settings import ChannelSettings


class NotificationSettings(ChannelSettings, ServiceSettings):
    """The dispatcher's and the messages' settings; the channels' come from ``ChannelSettings``."""

    model_config = SettingsConfigDict(
        env_prefix="NILECARE_NOTIFICATION__", env_file=".env", extra="ignore"
    )

    # How often the dispatcher looks for due requests and deliveries.
    dispatcher_interval: float = Field(default=0.25, gt=0, le=60)
    dispatcher_batch_size: int = Field(default=100, ge=1, le=1000)
    # A request or delivery claimed this long ago without an outcome is taken again (its task
    # was lost with a crashed worker).
    sending_timeout: timedelta = timedelta(minutes=5)
    # After this many attempts a delivery (or a request) is marked failed.
    max_attempts: int = Field(default=5, ge=1, le=50)
    # The password-reset link: this URL with the token appended. Keep the token in the fragment
    # (after ``#``), which browsers never send to a server, so it stays out of access logs.
    password_reset_url: str = "http://localhost:7001/reset-password#token="  # noqa: S105
    # Quiet hours of recipients without preferences (patients), in the default time zone.
    default_quiet_start: TimeOfDay = "22:00"
    default_quiet_end: TimeOfDay = "07:00"
    default_timezone: str = DEFAULT_TIMEZONE
    default_language: Language = "ar"
