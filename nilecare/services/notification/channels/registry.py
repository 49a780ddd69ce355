"""Builds the configured channel adapters and provider webhooks from the settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nilecare.services.notification.channels.base import ChannelAdapter, StatusWebhook
from nilecare.services.notification.channels.email_smtp import SmtpEmailAdapter
from nilecare.services.notification.channels.settings import ChannelSettings
from nilecare.services.notification.channels.sms_http import (
    GatewayApi,
    HttpSmsGatewayAdapter,
    HttpSmsGatewayWebhook,
)
from nilecare.services.notification.channels.sms_twilio import (
    TwilioSmsAdapter,
    TwilioStatusWebhook,
)
from nilecare.services.notification.channels.vapid import VapidKey, development_vapid_key
from nilecare.services.notification.channels.webpush import WebPushAdapter

WEBHOOK_PATH = "/api/v1/notifications/webhooks"


@dataclass
class Channels:
    """Each channel's adapter, None when it is not configured."""

    email: ChannelAdapter | None = None
    sms: ChannelAdapter | None = None
    push: ChannelAdapter | None = None
    # By the provider name in ``/api/v1/notifications/webhooks/{provider}``.
    webhooks: dict[str, StatusWebhook] = field(default_factory=dict)
    # The application server key browsers subscribe with; None without Web Push.
    vapid_public_key: str | None = None

    async def aclose(self) -> None:
        for adapter in (self.email, self.sms, self.push):
            if adapter is not None:
                await adapter.aclose()


def build_channels(
    settings: ChannelSettings, data_dir: Path, *, development: bool = False
) -> Channels:
    """``development`` generates a VAPID key under ``data_dir`` when none is configured."""
    channels = Channels(email=_email(settings))
    if settings.sms_provider == "twilio":
        _add_twilio(channels, settings)
    elif settings.sms_provider == "http":
        _add_sms_gateway(channels, settings)
    key = _vapid_key(settings, data_dir, development)
    if key is not None:
        channels.push = WebPushAdapter(
            key=key,
            subject=settings.vapid_subject or f"mailto:{settings.mail_from or 'root@localhost'}",
            ttl_seconds=settings.push_ttl_seconds,
            timeout=settings.provider_timeout_seconds,
            allow_loopback=settings.push_allow_loopback,
        )
        channels.vapid_public_key = key.application_server_key
    return channels


def _callback_url(settings: ChannelSettings, provider: str) -> str | None:
    base = settings.public_base_url.rstrip("/")
    return f"{base}{WEBHOOK_PATH}/{provider}" if base else None


def _email(settings: ChannelSettings) -> SmtpEmailAdapter | None:
    if not settings.smtp_host:
        return None
    password = settings.smtp_password
    return SmtpEmailAdapter(
        host=settings.smtp_host,
        port=settings.smtp_port,
        security=settings.smtp_security,
        mail_from=settings.mail_from,
        from_name=settings.mail_from_name,
        username=settings.smtp_username or None,
        password=password.get_secret_value() if password else None,
        timeout=settings.smtp_timeout_seconds,
        ca_file=settings.smtp_ca_file or None,
    )


def _add_twilio(channels: Channels, settings: ChannelSettings) -> None:
    assert settings.twilio_auth_token is not None  # the settings require it
    token = settings.twilio_auth_token.get_secret_value()
    callback = _callback_url(settings, "twilio")
    channels.sms = TwilioSmsAdapter(
        account_sid=settings.twilio_account_sid,
        auth_token=token,
        sender=settings.twilio_from,
        messaging_service_sid=settings.twilio_messaging_service_sid,
        status_callback=callback,
        base_url=settings.twilio_base_url,
        timeout=settings.provider_timeout_seconds,
    )
    channels.webhooks["twilio"] = TwilioStatusWebhook(auth_token=token, public_url=callback)


def _add_sms_gateway(channels: Channels, settings: ChannelSettings) -> None:
    api = GatewayApi(
        url=settings.sms_http_url,
        body_format=settings.sms_http_format,
        to_field=settings.sms_http_to_field,
        from_field=settings.sms_http_from_field,
        text_field=settings.sms_http_text_field,
        reference_field=settings.sms_http_reference_field,
        callback_field=settings.sms_http_callback_field,
        message_id_path=settings.sms_http_message_id_path,
        plus_prefix=settings.sms_http_plus_prefix,
    )
    token = settings.sms_http_token
    secret = settings.sms_http_webhook_secret
    channels.sms = HttpSmsGatewayAdapter(
        api,
        token=token.get_secret_value() if token else None,
        auth_header=settings.sms_http_auth_header,
        auth_scheme=settings.sms_http_auth_scheme,
        sender_id=settings.sms_http_sender_id,
        # Asking for reports that could not be verified would only fill the log with 401s.
        callback_url=_callback_url(settings, "sms-http") if secret else None,
        timeout=settings.provider_timeout_seconds,
    )
    if secret is not None:
        channels.webhooks["sms-http"] = HttpSmsGatewayWebhook(
            secret=secret.get_secret_value(),
            signature_header=settings.sms_http_signature_header,
            timestamp_header=settings.sms_http_timestamp_header,
            id_field=settings.sms_http_report_id_field,
            status_field=settings.sms_http_report_status_field,
            error_field=settings.sms_http_report_error_field,
            statuses=settings.sms_http_report_statuses,
        )


def _vapid_key(settings: ChannelSettings, data_dir: Path, development: bool) -> VapidKey | None:
    if settings.vapid_private_key is not None:
        return VapidKey.parse(settings.vapid_private_key.get_secret_value())
    return development_vapid_key(data_dir) if development else None
