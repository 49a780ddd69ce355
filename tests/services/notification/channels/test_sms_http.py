"""The generic SMS gateway adapter against a local aggregator, and its signed delivery
reports."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest

from nilecare.services.notification.channels.base import (
    OutboundMessage,
    PermanentDeliveryError,
    StatusUpdate,
    TransientDeliveryError,
    WebhookRejected,
)
from nilecare.services.notification.channels.sms_http import (
    BodyFormat,
    GatewayApi,
    HttpSmsGatewayAdapter,
    HttpSmsGatewayWebhook,
)
from tests.services.notification.channels.conftest import GATEWAY_SECRET, GATEWAY_TOKEN, Opened
from tests.services.notification.channels.fake_sms_gateway import (
    FIELDS,
    OVERLOADED,
    REFUSED,
    FakeSmsGateway,
    sign_report,
)
from tests.services.notification.channels.webhook_receiver import WebhookReceiver

TEXT = "موعدك غداً في عيادة أم درمان"


def build_adapter(
    url: str,
    callback: str | None = None,
    body_format: BodyFormat = "json",
    plus_prefix: bool = True,
) -> HttpSmsGatewayAdapter:
    api = GatewayApi(
        url=url,
        body_format=body_format,
        to_field=FIELDS["to"],
        from_field=FIELDS["from"],
        text_field=FIELDS["text"],
        reference_field=FIELDS["reference"],
        callback_field=FIELDS["callback"],
        message_id_path="data.message_id",
        plus_prefix=plus_prefix,
    )
    return HttpSmsGatewayAdapter(
        api,
        token=GATEWAY_TOKEN,
        auth_header="X-Api-Key",
        auth_scheme="Token",
        sender_id="NileCare",
        callback_url=callback,
        timeout=5,
    )


AdapterFor = Callable[..., HttpSmsGatewayAdapter]


@pytest.fixture
def adapter_for(opened: Opened) -> AdapterFor:
    return lambda *args, **options: opened(build_adapter(*args, **options))


def webhook() -> HttpSmsGatewayWebhook:
    return HttpSmsGatewayWebhook(secret=GATEWAY_SECRET)


def sms(address: str, reference: str | None = "delivery-1") -> OutboundMessage:
    return OutboundMessage(channel="sms", address=address, body=TEXT, reference=reference)


async def test_a_message_goes_out_as_json_and_its_signed_report_says_delivered(
    adapter_for: AdapterFor, gateway: tuple[FakeSmsGateway, str], receiver: WebhookReceiver
) -> None:
    fake, url = gateway
    callback = receiver.url("sms-http")
    adapter = adapter_for(url, callback)
    receipt = await adapter.send(sms("00249-91-234-5678"))

    assert fake.messages == [
        {
            "msisdn": "+249912345678",
            "sender": "NileCare",
            "message": TEXT,
            "ref": "delivery-1",
            "dlr_url": callback,
        }
    ]
    assert receipt.provider == "sms-http"
    assert receipt.provider_message_id == "gw-1"
    arrived = await receiver.next()
    updates = webhook().verify_and_parse(
        url=arrived.url, headers=arrived.headers, body=arrived.body
    )
    assert updates == [StatusUpdate("gw-1", "delivered")]


async def test_a_form_without_the_plus_and_without_empty_fields_is_sent_when_configured(
    adapter_for: AdapterFor,
    gateway: tuple[FakeSmsGateway, str],
) -> None:
    fake, url = gateway
    adapter = adapter_for(url, body_format="form", plus_prefix=False)
    await adapter.send(sms("0912345678", reference=None))

    assert fake.messages == [{"msisdn": "249912345678", "sender": "NileCare", "message": TEXT}]


async def test_a_tampered_report_is_rejected(
    adapter_for: AdapterFor, gateway: tuple[FakeSmsGateway, str], receiver: WebhookReceiver
) -> None:
    _, url = gateway
    await adapter_for(url, receiver.url("sms-http")).send(sms("+249912345678"))
    arrived = await receiver.next()
    tampered = arrived.body.replace(b"DELIVERED", b"FAILED")

    assert tampered != arrived.body
    with pytest.raises(WebhookRejected, match="signature"):
        webhook().verify_and_parse(url=arrived.url, headers=arrived.headers, body=tampered)
    later = {**arrived.headers, "x-timestamp": str(int(arrived.headers["x-timestamp"]) + 1)}
    with pytest.raises(WebhookRejected, match="signature"):
        webhook().verify_and_parse(url=arrived.url, headers=later, body=arrived.body)


def test_a_report_signed_more_than_five_minutes_ago_is_rejected_as_a_replay() -> None:
    body = json.dumps({"message_id": "gw-9", "status": "delivered"}).encode()
    headers = sign_report(GATEWAY_SECRET, int(time.time()) - 301, body)

    with pytest.raises(WebhookRejected, match="stale"):
        webhook().verify_and_parse(url="", headers=headers, body=body)


def test_a_report_without_signature_headers_is_rejected() -> None:
    body = json.dumps({"message_id": "gw-9", "status": "delivered"}).encode()
    with pytest.raises(WebhookRejected):
        webhook().verify_and_parse(url="", headers={}, body=body)


def test_a_batch_of_reports_maps_each_status_and_skips_unknown_ones() -> None:
    reports = [
        {"message_id": "gw-1", "status": "delivered"},
        {"message_id": "gw-2", "status": "Expired", "error": "validity period passed"},
        {"message_id": "gw-3", "status": "buffered"},
    ]
    body = json.dumps(reports).encode()
    headers = sign_report(GATEWAY_SECRET, int(time.time()), body)

    updates = webhook().verify_and_parse(url="", headers=headers, body=body)

    assert updates == [
        StatusUpdate("gw-1", "delivered"),
        StatusUpdate("gw-2", "failed", "validity period passed"),
    ]


def test_a_signed_report_that_is_not_a_report_is_rejected() -> None:
    body = b'["not an object"]'
    headers = sign_report(GATEWAY_SECRET, int(time.time()), body)
    with pytest.raises(WebhookRejected):
        webhook().verify_and_parse(url="", headers=headers, body=body)


async def test_a_number_the_gateway_refuses_is_a_permanent_failure(
    adapter_for: AdapterFor,
    gateway: tuple[FakeSmsGateway, str],
) -> None:
    _, url = gateway
    with pytest.raises(PermanentDeliveryError, match="400"):
        await adapter_for(url).send(sms(REFUSED))


async def test_an_overloaded_gateway_is_a_transient_failure(
    adapter_for: AdapterFor,
    gateway: tuple[FakeSmsGateway, str],
) -> None:
    _, url = gateway
    with pytest.raises(TransientDeliveryError, match="503"):
        await adapter_for(url).send(sms(OVERLOADED))


async def test_a_wrong_token_is_a_transient_failure(
    opened: Opened, gateway: tuple[FakeSmsGateway, str]
) -> None:
    fake, url = gateway
    adapter = opened(HttpSmsGatewayAdapter(GatewayApi(url=url), token="wrong", timeout=5))
    with pytest.raises(TransientDeliveryError, match="401"):
        await adapter.send(sms("+249912345678"))
    assert fake.messages == []


async def test_a_number_that_is_not_a_phone_number_is_refused_before_sending(
    adapter_for: AdapterFor,
    gateway: tuple[FakeSmsGateway, str],
) -> None:
    fake, url = gateway
    with pytest.raises(PermanentDeliveryError, match="not a phone number"):
        await adapter_for(url).send(sms("12345"))
    assert fake.messages == []
