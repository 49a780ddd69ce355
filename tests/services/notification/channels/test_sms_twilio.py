"""The Twilio adapter against a local server speaking Twilio's API, and the status webhook
against the callbacks that server signs."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import pytest

from nilecare.services.notification.channels.base import (
    OutboundMessage,
    PermanentDeliveryError,
    StatusUpdate,
    TransientDeliveryError,
    WebhookRejected,
)
from nilecare.services.notification.channels.sms_twilio import (
    TwilioSmsAdapter,
    TwilioStatusWebhook,
    twilio_signature,
)
from tests.live import free_port
from tests.services.notification.channels.conftest import ACCOUNT_SID, AUTH_TOKEN, Opened
from tests.services.notification.channels.fake_twilio import (
    NOT_MOBILE,
    RATE_LIMITED,
    UNDELIVERABLE,
    FakeTwilio,
)
from tests.services.notification.channels.webhook_receiver import WebhookReceiver

TEXT = "نتيجة فحص البوتاسيوم حرجة: 6.8 mmol/L"
SENDER = "+15005550006"


def sms(address: str) -> OutboundMessage:
    return OutboundMessage(channel="sms", address=address, body=TEXT)


def build_adapter(base_url: str, callback: str | None = None, **options: str) -> TwilioSmsAdapter:
    settings = {"auth_token": AUTH_TOKEN, "sender": SENDER, **options}
    return TwilioSmsAdapter(
        account_sid=ACCOUNT_SID, status_callback=callback, base_url=base_url, timeout=5, **settings
    )


AdapterFor = Callable[..., TwilioSmsAdapter]


@pytest.fixture
def adapter_for(opened: Opened) -> AdapterFor:
    return lambda *args, **options: opened(build_adapter(*args, **options))


async def test_a_message_goes_out_in_twilios_form_and_its_signed_callbacks_verify(
    adapter_for: AdapterFor, twilio: tuple[FakeTwilio, str], receiver: WebhookReceiver
) -> None:
    fake, base_url = twilio
    callback = receiver.url("twilio")
    adapter = adapter_for(base_url, callback)
    receipt = await adapter.send(sms("0912 345 678"))

    [form] = fake.messages
    assert form == {"To": "+249912345678", "From": SENDER, "Body": TEXT, "StatusCallback": callback}
    assert receipt.provider == "twilio"
    assert receipt.provider_message_id is not None
    assert receipt.provider_message_id.startswith("SM")
    webhook = TwilioStatusWebhook(auth_token=AUTH_TOKEN)
    updates = []
    for _ in range(3):
        arrived = await receiver.next()
        updates += webhook.verify_and_parse(
            url=arrived.url, headers=arrived.headers, body=arrived.body
        )
    # "queued" adds nothing to the accepted send and makes no update.
    assert updates == [
        StatusUpdate(receipt.provider_message_id, "sent"),
        StatusUpdate(receipt.provider_message_id, "delivered"),
    ]


async def test_an_undelivered_message_reports_failed_with_twilios_error_code(
    adapter_for: AdapterFor, twilio: tuple[FakeTwilio, str], receiver: WebhookReceiver
) -> None:
    _, base_url = twilio
    receipt = await adapter_for(base_url, receiver.url("twilio")).send(sms(UNDELIVERABLE))
    webhook = TwilioStatusWebhook(auth_token=AUTH_TOKEN)
    arrivals = [await receiver.next() for _ in range(3)]
    last = arrivals[-1]

    updates = webhook.verify_and_parse(url=last.url, headers=last.headers, body=last.body)

    assert updates == [
        StatusUpdate(str(receipt.provider_message_id), "failed", "Twilio error 30003")
    ]


async def test_a_tampered_or_misaddressed_callback_is_rejected(
    adapter_for: AdapterFor, twilio: tuple[FakeTwilio, str], receiver: WebhookReceiver
) -> None:
    _, base_url = twilio
    await adapter_for(base_url, receiver.url("twilio")).send(sms("+249912345678"))
    arrived = await receiver.next()
    webhook = TwilioStatusWebhook(auth_token=AUTH_TOKEN)
    tampered = arrived.body.replace(b"MessageStatus=queued", b"MessageStatus=delivered")
    unsigned = {k: v for k, v in arrived.headers.items() if k != "x-twilio-signature"}

    assert tampered != arrived.body
    with pytest.raises(WebhookRejected):
        webhook.verify_and_parse(url=arrived.url, headers=arrived.headers, body=tampered)
    with pytest.raises(WebhookRejected):
        webhook.verify_and_parse(
            url=arrived.url + "?x=1", headers=arrived.headers, body=arrived.body
        )
    with pytest.raises(WebhookRejected):
        webhook.verify_and_parse(url=arrived.url, headers=unsigned, body=arrived.body)
    with pytest.raises(WebhookRejected):
        TwilioStatusWebhook(auth_token="another-token").verify_and_parse(
            url=arrived.url, headers=arrived.headers, body=arrived.body
        )


def test_behind_a_proxy_the_callback_is_checked_against_the_public_url() -> None:
    public = "https://care.example.sd/api/v1/notifications/webhooks/twilio"
    params = [("MessageSid", "SM1"), ("MessageStatus", "delivered")]
    headers = {"X-Twilio-Signature": twilio_signature(AUTH_TOKEN, public, params)}
    webhook = TwilioStatusWebhook(auth_token=AUTH_TOKEN, public_url=public)

    updates = webhook.verify_and_parse(
        url="http://10.0.0.5:7150/api/v1/notifications/webhooks/twilio",
        headers=headers,
        body=urlencode(params).encode(),
    )

    assert updates == [StatusUpdate("SM1", "delivered")]


def test_the_signature_matches_twilios_documented_example() -> None:
    # The example of https://www.twilio.com/docs/usage/security#validating-requests
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+12349013030",
        "Digits": "1234",
        "From": "+12349013030",
        "To": "+18005551212",
    }
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"

    assert twilio_signature("12345", url, params.items()) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


async def test_a_messaging_service_sends_in_place_of_a_from_number(
    adapter_for: AdapterFor,
    twilio: tuple[FakeTwilio, str],
) -> None:
    fake, base_url = twilio
    adapter = adapter_for(base_url, sender="", messaging_service_sid="MG" + "1" * 32)
    await adapter.send(sms("+249912345678"))

    [form] = fake.messages
    assert form["MessagingServiceSid"] == "MG" + "1" * 32
    assert "From" not in form
    assert "StatusCallback" not in form


async def test_a_number_twilio_calls_not_mobile_is_a_permanent_failure_that_does_not_quote_it(
    adapter_for: AdapterFor,
    twilio: tuple[FakeTwilio, str],
) -> None:
    _, base_url = twilio
    with pytest.raises(PermanentDeliveryError, match="21614") as failure:
        await adapter_for(base_url).send(sms(NOT_MOBILE))
    assert NOT_MOBILE not in str(failure.value)


async def test_rate_limiting_is_a_transient_failure(
    adapter_for: AdapterFor, twilio: tuple[FakeTwilio, str]
) -> None:
    _, base_url = twilio
    with pytest.raises(TransientDeliveryError, match="429"):
        await adapter_for(base_url).send(sms(RATE_LIMITED))


async def test_refused_credentials_are_a_transient_failure(
    adapter_for: AdapterFor, twilio: tuple[FakeTwilio, str]
) -> None:
    fake, base_url = twilio
    with pytest.raises(TransientDeliveryError, match="401"):
        await adapter_for(base_url, auth_token="wrong").send(sms("+249912345678"))
    assert fake.messages == []


async def test_an_unreachable_api_is_a_transient_failure(adapter_for: AdapterFor) -> None:
    with pytest.raises(TransientDeliveryError):
        await adapter_for(f"http://127.0.0.1:{free_port()}").send(sms("+249912345678"))


def test_the_api_url_must_be_https_unless_on_loopback() -> None:
    with pytest.raises(ValueError, match="https"):
        build_adapter("http://api.twilio.com")


@pytest.mark.parametrize(
    ("signed", "configured"),
    [
        ("https://care.example.sd:443/api/v1/notifications/webhooks/twilio", None),
        ("https://care.example.sd/api/v1/notifications/webhooks/twilio", ":443"),
    ],
)
def test_a_callback_signed_with_or_without_the_default_port_verifies(
    signed: str, configured: str | None
) -> None:
    # Twilio may sign the URL with the port it called or without it; its own validators try
    # both forms, so one of them has to match the URL we were given.
    public = (
        "https://care.example.sd" + (configured or "") + "/api/v1/notifications/webhooks/twilio"
    )
    params = [("MessageSid", "SM1"), ("MessageStatus", "delivered")]
    headers = {"X-Twilio-Signature": twilio_signature(AUTH_TOKEN, signed, params)}
    webhook = TwilioStatusWebhook(auth_token=AUTH_TOKEN, public_url=public)

    updates = webhook.verify_and_parse(url=public, headers=headers, body=urlencode(params).encode())

    assert updates == [StatusUpdate("SM1", "delivered")]


def test_a_callback_signed_for_another_port_or_host_is_rejected() -> None:
    public = "https://care.example.sd/api/v1/notifications/webhooks/twilio"
    params = [("MessageSid", "SM1"), ("MessageStatus", "delivered")]
    webhook = TwilioStatusWebhook(auth_token=AUTH_TOKEN, public_url=public)
    for signed in (
        "https://care.example.sd:8443/api/v1/notifications/webhooks/twilio",
        "https://evil.example.org/api/v1/notifications/webhooks/twilio",
    ):
        headers = {"X-Twilio-Signature": twilio_signature(AUTH_TOKEN, signed, params)}
        with pytest.raises(WebhookRejected):
            webhook.verify_and_parse(url=public, headers=headers, body=urlencode(params).encode())
