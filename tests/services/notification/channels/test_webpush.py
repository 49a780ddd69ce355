"""The Web Push adapter against a local push service that checks VAPID and decrypts."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import socket
import time
from collections.abc import AsyncIterator

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from nilecare.services.notification.channels.base import (
    OutboundMessage,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from nilecare.services.notification.channels.vapid import VapidKey
from nilecare.services.notification.channels.webpush import SubscriptionGone, WebPushAdapter
from tests.live import free_port
from tests.services.notification.channels.fake_push_service import FakePushService

TITLE = "علامات حيوية حرجة: جناح الباطنية، سرير 3"
BODY = "النبض 150، الأكسجين 85%. اضغط لفتح الملف."


@pytest.fixture
async def adapter(vapid_key: VapidKey) -> AsyncIterator[WebPushAdapter]:
    adapter = WebPushAdapter(
        key=vapid_key, subject="mailto:ops@nilecare.test", timeout=5, allow_loopback=True
    )
    yield adapter
    await adapter.aclose()


def push(subscription: str) -> OutboundMessage:
    return OutboundMessage(
        channel="push",
        address=subscription,
        subject=TITLE,
        body=BODY,
        reference="d-1",
        url="/patients/p-1",
    )


async def test_a_push_arrives_decrypted_intact_under_a_valid_vapid_signature(
    push_service: FakePushService, adapter: WebPushAdapter
) -> None:
    subscription = push_service.subscribe()

    receipt = await adapter.send(push(subscription))

    [received] = push_service.received
    assert received.payload == {
        "title": TITLE,
        "body": BODY,
        "reference": "d-1",
        "url": "/patients/p-1",
    }
    assert received.claims["aud"] == push_service.base_url
    assert received.claims["sub"] == "mailto:ops@nilecare.test"
    assert received.claims["exp"] > time.time()
    assert int(received.headers["ttl"]) == 86400
    assert receipt.provider == "webpush"
    assert str(receipt.provider_message_id).startswith(push_service.base_url + "/messages/")


async def test_two_pushes_reuse_the_adapter(
    push_service: FakePushService, adapter: WebPushAdapter
) -> None:
    subscription = push_service.subscribe()
    await adapter.send(push(subscription))
    await adapter.send(push(subscription))
    assert len(push_service.received) == 2


async def test_a_push_signed_with_another_key_is_refused_by_the_push_service(
    push_service: FakePushService,
) -> None:
    stranger = WebPushAdapter(
        key=VapidKey(ec.generate_private_key(ec.SECP256R1())),
        subject="mailto:ops@nilecare.test",
        allow_loopback=True,
    )
    with pytest.raises(TransientDeliveryError, match="401"):
        await stranger.send(push(push_service.subscribe()))
    await stranger.aclose()
    assert push_service.received == []


@pytest.mark.parametrize("status", [404, 410])
async def test_a_subscription_the_push_service_forgot_is_gone(
    push_service: FakePushService, adapter: WebPushAdapter, status: int
) -> None:
    with pytest.raises(SubscriptionGone, match=str(status)):
        await adapter.send(push(push_service.subscribe(refuse_with=status)))


@pytest.mark.parametrize("status", [429, 500, 503])
async def test_a_busy_or_failing_push_service_is_a_transient_failure(
    push_service: FakePushService, adapter: WebPushAdapter, status: int
) -> None:
    with pytest.raises(TransientDeliveryError, match=str(status)):
        await adapter.send(push(push_service.subscribe(refuse_with=status)))


async def test_a_payload_too_large_is_a_permanent_failure_not_a_gone_subscription(
    push_service: FakePushService, adapter: WebPushAdapter
) -> None:
    with pytest.raises(PermanentDeliveryError) as failure:
        await adapter.send(push(push_service.subscribe(refuse_with=413)))
    assert not isinstance(failure.value, SubscriptionGone)


async def test_an_unreachable_push_service_is_a_transient_failure(
    push_service: FakePushService, adapter: WebPushAdapter
) -> None:
    subscription = json.loads(push_service.subscribe())
    subscription["endpoint"] = f"http://127.0.0.1:{free_port()}/push/x"
    with pytest.raises(TransientDeliveryError):
        await adapter.send(push(json.dumps(subscription)))


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://push.example.org/x",
        "https://127.0.0.1/push/x",
        "https://10.1.2.3/push/x",
        "https://[::1]/push/x",
        "https://localhost:7020/api/v1/users",
        "file:///etc/passwd",
    ],
)
async def test_endpoints_that_are_not_public_https_are_refused_in_production(
    push_service: FakePushService, vapid_key: VapidKey, endpoint: str
) -> None:
    adapter = WebPushAdapter(key=vapid_key, subject="mailto:ops@nilecare.test")
    subscription = {**json.loads(push_service.subscribe()), "endpoint": endpoint}
    with pytest.raises(PermanentDeliveryError, match="public hosts"):
        await adapter.send(push(json.dumps(subscription)))


@pytest.mark.parametrize(
    "address",
    [
        "not json",
        '{"endpoint": "https://push.example.org/x"}',
        '{"endpoint": "https://push.example.org/x", "keys": {"p256dh": "AAAA", "auth": "AAAA"}}',
    ],
)
async def test_a_malformed_subscription_is_a_permanent_failure(
    adapter: WebPushAdapter, address: str
) -> None:
    with pytest.raises(PermanentDeliveryError):
        await adapter.send(push(address))


def test_the_vapid_subject_must_be_mailto_or_https(vapid_key: VapidKey) -> None:
    with pytest.raises(ValueError, match="subject"):
        WebPushAdapter(key=vapid_key, subject="ops@nilecare.test")


async def test_an_endpoint_whose_name_resolves_inside_the_network_is_never_called(
    push_service: FakePushService, vapid_key: VapidKey
) -> None:
    # This machine's own name passes the endpoint's literal check, but resolves inside.
    host = socket.gethostname()
    addresses = {info[4][0] for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)}
    assert addresses and all(not ipaddress.ip_address(a).is_global for a in addresses), addresses
    connections: list[object] = []
    listener = await asyncio.start_server(
        lambda _r, w: (connections.append(w), w.close()), "127.0.0.1", 0
    )
    port = listener.sockets[0].getsockname()[1]
    adapter = WebPushAdapter(key=vapid_key, subject="mailto:ops@nilecare.test", timeout=5)
    subscription = {**json.loads(push_service.subscribe()), "endpoint": f"https://{host}:{port}/x"}
    try:
        with pytest.raises(PermanentDeliveryError, match="public hosts"):
            await adapter.send(push(json.dumps(subscription)))
    finally:
        await adapter.aclose()
        listener.close()
        await listener.wait_closed()
    assert connections == []


async def test_a_loopback_name_is_resolved_and_called_where_loopback_is_allowed(
    push_service: FakePushService, adapter: WebPushAdapter
) -> None:
    # The push service checks that the VAPID audience is the origin it is known by.
    push_service.base_url = push_service.base_url.replace("127.0.0.1", "localhost")

    await adapter.send(push(push_service.subscribe()))

    [received] = push_service.received
    assert received.claims["aud"].startswith("http://localhost:")
