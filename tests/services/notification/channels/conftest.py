"""Local servers the channel adapters talk to over loopback sockets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TypeVar

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from nilecare.services.notification.channels.base import ChannelAdapter
from nilecare.services.notification.channels.vapid import VapidKey
from tests.services.gateway.stack import serve_over_http
from tests.services.notification.channels.fake_push_service import FakePushService
from tests.services.notification.channels.fake_sms_gateway import FakeSmsGateway
from tests.services.notification.channels.fake_twilio import FakeTwilio
from tests.services.notification.channels.webhook_receiver import WebhookReceiver

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "twilio-auth-token-for-tests"
GATEWAY_TOKEN = "gateway-token-for-tests"
GATEWAY_SECRET = "gateway-report-secret"

A = TypeVar("A", bound=ChannelAdapter)


class Opened:
    """The adapters a test made, closed (with their connection pools) when it ends."""

    def __init__(self) -> None:
        self._adapters: list[ChannelAdapter] = []

    def __call__(self, adapter: A) -> A:
        self._adapters.append(adapter)
        return adapter


@pytest.fixture
async def opened() -> AsyncIterator[Opened]:
    opened = Opened()
    yield opened
    for adapter in opened._adapters:
        await adapter.aclose()


@pytest.fixture
async def receiver() -> AsyncIterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    async with serve_over_http(receiver.app()) as base_url:
        receiver.base_url = base_url
        yield receiver


@pytest.fixture
async def twilio() -> AsyncIterator[tuple[FakeTwilio, str]]:
    fake = FakeTwilio(ACCOUNT_SID, AUTH_TOKEN)
    async with serve_over_http(fake.app()) as base_url:
        yield fake, base_url


@pytest.fixture
async def gateway() -> AsyncIterator[tuple[FakeSmsGateway, str]]:
    fake = FakeSmsGateway(GATEWAY_TOKEN, GATEWAY_SECRET)
    async with serve_over_http(fake.app()) as base_url:
        yield fake, base_url + "/api/v2/sms"


@pytest.fixture(scope="session")
def vapid_key() -> VapidKey:
    return VapidKey(ec.generate_private_key(ec.SECP256R1()))


@pytest.fixture
async def push_service(vapid_key: VapidKey) -> AsyncIterator[FakePushService]:
    fake = FakePushService(vapid_key.application_server_key)
    async with serve_over_http(fake.app()) as base_url:
        fake.base_url = base_url
        yield fake
