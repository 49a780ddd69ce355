"""The channels' settings, part of the notification service's (``NILECARE_NOTIFICATION__*``).

A channel whose host, URL or provider is left empty is off: its deliveries are not attempted.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator

from nilecare.services.notification.channels.base import DeliveryStatus
from nilecare.services.notification.channels.email_smtp import SmtpSecurity
from nilecare.services.notification.channels.sms_http import DEFAULT_STATUSES, BodyFormat
from nilecare.services.notification.channels.sms_twilio import TWILIO_API

SmsProvider = Literal["none", "twilio", "http"]


class ChannelSettings(BaseModel):
    """Mixed into the service's settings class, which gives the environment prefix."""

    # E-mail over SMTP; "none" (no TLS) only to a relay on this machine.
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: SmtpSecurity = "starttls"
    smtp_username: str = ""
    smtp_password: SecretStr | None = None
    # PEM bundle of the CAs that issued the relay's certificate; empty: the system's.
    smtp_ca_file: str = ""
    smtp_timeout_seconds: float = Field(default=30, gt=0, le=300)
    mail_from: str = ""
    mail_from_name: str = "NileCare"

    sms_provider: SmsProvider = "none"
    twilio_account_sid: str = ""
    twilio_auth_token: SecretStr | None = None
    # A Twilio number in E.164, or a messaging service (which then picks the sender).
    twilio_from: str = ""
    twilio_messaging_service_sid: str = ""
    twilio_base_url: str = TWILIO_API

    # A Sudanese aggregator's HTTP API (sms_provider=http).
    sms_http_url: str = ""
    sms_http_format: BodyFormat = "json"
    sms_http_token: SecretStr | None = None
    sms_http_auth_header: str = "Authorization"
    # Put before the token in the header ("Bearer <token>"); empty sends the token alone.
    sms_http_auth_scheme: str = "Bearer"
    sms_http_sender_id: str = ""
    sms_http_to_field: str = "to"
    sms_http_from_field: str = "from"
    sms_http_text_field: str = "text"
    sms_http_reference_field: str = "reference"
    sms_http_callback_field: str = ""
    sms_http_message_id_path: str = "message_id"
    sms_http_plus_prefix: bool = True
    # Without a secret the aggregator's delivery reports are not accepted.
    sms_http_webhook_secret: SecretStr | None = None
    sms_http_signature_header: str = "X-Signature"
    sms_http_timestamp_header: str = "X-Timestamp"
    sms_http_report_id_field: str = "message_id"
    sms_http_report_status_field: str = "status"
    sms_http_report_error_field: str = "error"
    sms_http_report_statuses: dict[str, DeliveryStatus] = Field(
        default_factory=lambda: dict(DEFAULT_STATUSES)
    )

    # Timeout of each call to Twilio, the SMS gateway or a push service.
    provider_timeout_seconds: float = Field(default=15, gt=0, le=120)
    # Where providers reach the gateway from outside (https://care.example.sd); status
    # callbacks go to <this>/api/v1/notifications/webhooks/<provider>. Empty: none requested.
    public_base_url: str = ""

    # Web Push: PEM, or base64url of the raw or DER private key; in development one is
    # generated under the data directory when empty.
    vapid_private_key: SecretStr | None = None
    vapid_subject: str = ""
    push_ttl_seconds: int = Field(default=86400, ge=0, le=2419200)
    # Lets push endpoints on loopback through (tests and local push services only).
    push_allow_loopback: bool = False

    @field_validator(
        "smtp_password",
        "twilio_auth_token",
        "sms_http_token",
        "sms_http_webhook_secret",
        "vapid_private_key",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # ``NAME=`` in a .env file means "not set", not an empty secret.
        return None if value == "" else value

    @model_validator(mode="after")
    def _configured_channels_are_complete(self) -> ChannelSettings:
        missing = [name for name, absent in self._required().items() if absent]
        if missing:
            raise ValueError("the channel settings need " + ", ".join(missing))
        return self

    def _required(self) -> dict[str, bool]:
        required = {}
        if self.smtp_host:
            required["mail_from"] = not self.mail_from
        if self.sms_provider == "twilio":
            required |= {
                "twilio_account_sid": not self.twilio_account_sid,
                "twilio_auth_token": self.twilio_auth_token is None,
                "twilio_from or twilio_messaging_service_sid": not (
                    self.twilio_from or self.twilio_messaging_service_sid
                ),
            }
        if self.sms_provider == "http":
            required["sms_http_url"] = not self.sms_http_url
        if self.vapid_private_key is not None:
            required["vapid_subject"] = not self.vapid_subject
        return required
