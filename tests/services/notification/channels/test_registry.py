"""The channel settings, read from the environment as part of a service's settings, build the
adapters and webhooks that are configured, and nothing else."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pydantic import ValidationError
from pydantic_settings import SettingsConfigDict

from nilecare.kernel.config import ServiceSettings
from nilecare.services.notification.channels.base import OutboundMessage, StatusUpdate
from nilecare.services.notification.channels.email_smtp import SmtpEmailAdapter
from nilecare.services.notification.channels.registry import build_channels
from nilecare.services.notification.channels.settings import ChannelSettings
from nilecare.services.notification.channels.sms_http import HttpSmsGatewayAdapter
from nilecare.services.notification.channels.sms_twilio import TwilioSmsAdapter
from nilecare.services.notification.channels.vapid import VapidKey
from nilecare.services.notification.channels.webpush import WebPushAdapter
from tests.services.notification.channels.conftest import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    GATEWAY_SECRET,
    GATEWAY_TOKEN,
)
from tests.services.notification.channels.fake_push_service import FakePushService
from tests.services.notification.channels.fake_sms_gateway import FIELDS, FakeSmsGateway
from tests.services.notification.channels.fake_twilio import FakeTwilio
from tests.services.notification.channels.webhook_receiver import WebhookReceiver
from tests.smtp_server import smtp_server


class ServiceWithChannels(ServiceSettings, ChannelSettings):
    model_config = SettingsConfigDict(env_prefix="NILECARE_NOTIFICATION__", extra="ignore")


def test_with_nothing_configured_there_is_no_channel_and_no_webhook(tmp_path: Path) -> None:
    channels = build_channels(ChannelSettings(), tmp_path)

    assert (channels.email, channels.sms, channels.push) == (None, None, None)
    assert channels.webhooks == {}
    assert channels.vapid_public_key is None
    assert not (tmp_path / "secrets").exists()


def test_development_generates_a_vapid_key_once_and_offers_its_public_half(
    tmp_path: Path,
) -> None:
    first = build_channels(ChannelSettings(), tmp_path, development=True)
    again = build_channels(ChannelSettings(), tmp_path, development=True)

    assert isinstance(first.push, WebPushAdapter)
    assert first.vapid_public_key is not None
    assert first.vapid_public_key == again.vapid_public_key
    key_file = tmp_path / "secrets" / "vapid-private-key.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_configured_vapid_key_is_used_instead_of_a_generated_one(
    tmp_path: Path, vapid_key: VapidKey
) -> None:
    settings = ChannelSettings(
        vapid_private_key=vapid_key.pem().decode(), vapid_subject="mailto:ops@nilecare.test"
    )
    channels = build_channels(settings, tmp_path, development=True)

    assert channels.vapid_public_key == vapid_key.application_server_key
    assert not (tmp_path / "secrets").exists()


def test_the_settings_load_from_the_environment_into_a_service_settings_class(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NILECARE_NOTIFICATION__SMTP_HOST", "smtp.example.sd")
    monkeypatch.setenv("NILECARE_NOTIFICATION__MAIL_FROM", "no-reply@example.sd")
    monkeypatch.setenv("NILECARE_NOTIFICATION__SMS_PROVIDER", "http")
    monkeypatch.setenv("NILECARE_NOTIFICATION__SMS_HTTP_URL", "https://sms.example.sd/send")
    monkeypatch.setenv("NILECARE_NOTIFICATION__SMS_HTTP_WEBHOOK_SECRET", "s3cr3t-value-123")
    monkeypatch.setenv("NILECARE_NOTIFICATION__SMS_HTTP_REPORT_STATUSES", '{"DLVRD": "delivered"}')

    settings = ServiceWithChannels()
    channels = build_channels(settings, tmp_path)

    assert settings.sms_http_report_statuses == {"DLVRD": "delivered"}
    assert isinstance(channels.email, SmtpEmailAdapter)
    assert isinstance(channels.sms, HttpSmsGatewayAdapter)
    assert set(channels.webhooks) == {"sms-http"}


def test_an_sms_gateway_without_a_report_secret_accepts_no_reports(tmp_path: Path) -> None:
    settings = ChannelSettings(sms_provider="http", sms_http_url="https://sms.example.sd/send")
    channels = build_channels(settings, tmp_path)

    assert isinstance(channels.sms, HttpSmsGatewayAdapter)
    assert channels.webhooks == {}


@pytest.mark.parametrize(
    ("settings", "missing"),
    [
        ({"smtp_host": "smtp.example.sd"}, "mail_from"),
        ({"sms_provider": "twilio", "twilio_account_sid": ACCOUNT_SID}, "twilio_auth_token"),
        (
            {"sms_provider": "twilio", "twilio_account_sid": "AC1", "twilio_auth_token": "t"},
            "twilio_from or twilio_messaging_service_sid",
        ),
        ({"sms_provider": "http"}, "sms_http_url"),
        ({"vapid_private_key": "x"}, "vapid_subject"),
    ],
)
def test_a_channel_configured_halfway_is_refused(settings: dict[str, str], missing: str) -> None:
    with pytest.raises(ValidationError, match=missing):
        ChannelSettings.model_validate(settings)


def test_plain_smtp_to_a_remote_relay_is_refused_when_the_channels_are_built(
    tmp_path: Path,
) -> None:
    settings = ChannelSettings(
        smtp_host="smtp.example.sd", smtp_security="none", mail_from="n@example.sd"
    )
    with pytest.raises(ValueError, match="loopback"):
        build_channels(settings, tmp_path)


async def test_built_channels_send_through_their_servers_and_verify_their_callbacks(
    tmp_path: Path,
    twilio: tuple[FakeTwilio, str],
    receiver: WebhookReceiver,
    push_service: FakePushService,
    vapid_key: VapidKey,
) -> None:
    fake_twilio, twilio_url = twilio
    with smtp_server() as smtp:
        settings = ChannelSettings(
            smtp_host=smtp.host,
            smtp_port=smtp.port,
            smtp_security="none",
            mail_from="notifications@nilecare.test",
            sms_provider="twilio",
            twilio_account_sid=ACCOUNT_SID,
            twilio_auth_token=AUTH_TOKEN,
            twilio_from="+15005550006",
            twilio_base_url=twilio_url,
            public_base_url=receiver.base_url,
            vapid_private_key=vapid_key.pem().decode(),
            vapid_subject="mailto:ops@nilecare.test",
            push_allow_loopback=True,
        )
        channels = build_channels(settings, tmp_path)
        assert isinstance(channels.sms, TwilioSmsAdapter)
        assert channels.email is not None and channels.push is not None
        await channels.email.send(
            OutboundMessage(channel="email", address="a@example.org", subject="S", body="B")
        )
        sms = await channels.sms.send(OutboundMessage("sms", "+249912345678", "B"))
        await channels.push.send(OutboundMessage("push", push_service.subscribe(), "B"))
        arrived = await receiver.next()
        await channels.aclose()

    assert len(smtp.messages) == 1
    assert fake_twilio.messages[0]["StatusCallback"] == receiver.url("twilio")
    assert len(push_service.received) == 1
    # "queued" first: no update, but verified (a bad signature would raise).
    twilio_webhook = channels.webhooks["twilio"]
    assert (
        twilio_webhook.verify_and_parse(
            url="http://elsewhere/behind-a-proxy", headers=arrived.headers, body=arrived.body
        )
        == []
    )
    assert sms.provider_message_id is not None
    second = await receiver.next()
    assert twilio_webhook.verify_and_parse(
        url=second.url, headers=second.headers, body=second.body
    ) == [StatusUpdate(sms.provider_message_id, "sent")]


async def test_the_gateway_settings_shape_the_request_and_verify_the_report(
    tmp_path: Path, gateway: tuple[FakeSmsGateway, str], receiver: WebhookReceiver
) -> None:
    fake, url = gateway
    settings = ChannelSettings(
        sms_provider="http",
        sms_http_url=url,
        sms_http_format="form",
        sms_http_token=GATEWAY_TOKEN,
        sms_http_auth_header="X-Api-Key",
        sms_http_auth_scheme="Token",
        sms_http_sender_id="NileCare",
        sms_http_to_field=FIELDS["to"],
        sms_http_from_field=FIELDS["from"],
        sms_http_text_field=FIELDS["text"],
        sms_http_reference_field=FIELDS["reference"],
        sms_http_callback_field=FIELDS["callback"],
        sms_http_message_id_path="data.message_id",
        sms_http_plus_prefix=False,
        sms_http_webhook_secret=GATEWAY_SECRET,
        sms_http_report_statuses={"DELIVERED": "delivered"},
        public_base_url=receiver.base_url + "/",
    )
    channels = build_channels(settings, tmp_path)
    assert channels.sms is not None
    receipt = await channels.sms.send(OutboundMessage("sms", "0912345678", "B", reference="r1"))
    arrived = await receiver.next()
    await channels.aclose()

    assert fake.messages == [
        {
            "msisdn": "249912345678",
            "sender": "NileCare",
            "message": "B",
            "ref": "r1",
            "dlr_url": receiver.url("sms-http"),
        }
    ]
    updates = channels.webhooks["sms-http"].verify_and_parse(
        url=arrived.url, headers=arrived.headers, body=arrived.body
    )
    assert updates == [StatusUpdate(str(receipt.provider_message_id), "delivered")]


def test_secrets_left_empty_in_the_environment_are_unset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in (
        "SMTP_PASSWORD",
        "TWILIO_AUTH_TOKEN",
        "SMS_HTTP_WEBHOOK_SECRET",
        "VAPID_PRIVATE_KEY",
    ):
        monkeypatch.setenv(f"NILECARE_NOTIFICATION__{name}", "")

    settings = ServiceWithChannels()

    assert settings.smtp_password is None
    assert settings.twilio_auth_token is None
    assert settings.sms_http_webhook_secret is None
    assert settings.vapid_private_key is None
