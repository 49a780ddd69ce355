"""The SMTP adapter against a real SMTP server on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest

from nilecare.services.notification.channels.base import (
    OutboundMessage,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from nilecare.services.notification.channels.email_smtp import SmtpEmailAdapter, SmtpSecurity
from tests.live import free_port
from tests.loopback_tls import LoopbackCertificate, loopback_certificate
from tests.smtp_server import SmtpServer, smtp_server

ARABIC_SUBJECT = "تذكير بموعدك"
ARABIC_TEXT = "موعدك غداً الساعة 10 صباحاً في مستشفى الخرطوم."
ARABIC_HTML = f'<p dir="rtl">{ARABIC_TEXT}</p>'


def reminder(address: str = "hawa@example.org") -> OutboundMessage:
    return OutboundMessage(
        channel="email",
        address=address,
        subject=ARABIC_SUBJECT,
        body=ARABIC_TEXT,
        html=ARABIC_HTML,
        language="ar",
    )


def adapter_for(
    server: SmtpServer,
    security: SmtpSecurity = "none",
    **options: str,
) -> SmtpEmailAdapter:
    return SmtpEmailAdapter(
        host=server.host,
        port=server.port,
        security=security,
        mail_from="notifications@nilecare.test",
        from_name="نايل كير",
        timeout=5,
        **options,
    )


@pytest.fixture
def certificate(tmp_path: Path) -> LoopbackCertificate:
    return loopback_certificate(tmp_path / "tls")


async def test_an_email_arrives_with_both_parts_and_arabic_text_intact() -> None:
    with smtp_server() as server:
        receipt = await adapter_for(server).send(reminder())

    [mail] = server.messages
    assert mail.rcpt_tos == ["hawa@example.org"]
    assert mail.mail_from == "notifications@nilecare.test"
    message = mail.message
    assert message["Subject"] == ARABIC_SUBJECT
    assert message["From"].addresses[0].display_name == "نايل كير"
    assert message["Content-Language"] == "ar"
    assert message["Auto-Submitted"] == "auto-generated"
    assert receipt.provider == "smtp"
    assert receipt.provider_message_id == message["Message-ID"]
    assert str(receipt.provider_message_id).endswith("@nilecare.test>")
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    assert text.get_content().strip() == ARABIC_TEXT
    assert html.get_content().strip() == ARABIC_HTML
    assert text.get_content_charset() == "utf-8"


async def test_a_text_only_email_has_no_html_part() -> None:
    message = OutboundMessage(channel="email", address="a@example.org", subject="Hi", body="Hi")
    with smtp_server() as server:
        await adapter_for(server).send(message)

    [mail] = server.messages
    assert mail.message.get_content_type() == "text/plain"
    assert mail.message["Content-Language"] is None


async def test_starttls_carries_the_login_and_the_message(
    certificate: LoopbackCertificate,
) -> None:
    context = certificate.server_context()
    with smtp_server(starttls=context, credentials=("mailer", "Nile-relay-pass")) as server:
        adapter = adapter_for(
            server,
            "starttls",
            username="mailer",
            password="Nile-relay-pass",
            ca_file=str(certificate.cert_file),
        )
        await adapter.send(reminder())

    [mail] = server.messages
    assert mail.over_tls
    assert mail.login == "mailer"


async def test_implicit_tls_carries_the_message(certificate: LoopbackCertificate) -> None:
    with smtp_server(implicit_tls=certificate.server_context()) as server:
        adapter = adapter_for(server, "tls", ca_file=str(certificate.cert_file))
        await adapter.send(reminder())

    [mail] = server.messages
    assert mail.over_tls


async def test_a_server_certificate_that_is_not_trusted_is_a_transient_failure(
    certificate: LoopbackCertificate,
) -> None:
    with (
        smtp_server(implicit_tls=certificate.server_context()) as server,
        pytest.raises(TransientDeliveryError),
    ):
        await adapter_for(server, "tls").send(reminder())
    assert server.messages == []


async def test_a_recipient_refused_with_5xx_is_a_permanent_failure() -> None:
    refusals = {"gone@example.org": "550 5.1.1 No such user"}
    with (
        smtp_server(refusals=refusals) as server,
        pytest.raises(PermanentDeliveryError, match="550"),
    ):
        await adapter_for(server).send(reminder("gone@example.org"))
    assert server.messages == []


async def test_a_recipient_refused_with_4xx_is_a_transient_failure() -> None:
    refusals = {"full@example.org": "452 4.2.2 Mailbox full"}
    with (
        smtp_server(refusals=refusals) as server,
        pytest.raises(TransientDeliveryError, match="452"),
    ):
        await adapter_for(server).send(reminder("full@example.org"))


async def test_wrong_credentials_are_a_transient_failure(
    certificate: LoopbackCertificate,
) -> None:
    with smtp_server(
        starttls=certificate.server_context(), credentials=("mailer", "right")
    ) as server:
        adapter = adapter_for(
            server,
            "starttls",
            username="mailer",
            password="wrong",
            ca_file=str(certificate.cert_file),
        )
        with pytest.raises(TransientDeliveryError, match="535"):
            await adapter.send(reminder())
    assert server.messages == []


async def test_a_server_that_does_not_answer_is_a_transient_failure() -> None:
    adapter = SmtpEmailAdapter(
        host="127.0.0.1", port=free_port(), security="none", mail_from="n@nilecare.test"
    )
    with pytest.raises(TransientDeliveryError):
        await adapter.send(reminder())


async def test_a_malformed_address_is_a_permanent_failure() -> None:
    with smtp_server() as server, pytest.raises(PermanentDeliveryError):
        await adapter_for(server).send(reminder("a@example.org\r\nBcc: all@example.org"))
    assert server.messages == []


def test_plain_smtp_is_refused_to_a_host_other_than_loopback() -> None:
    with pytest.raises(ValueError, match="loopback"):
        SmtpEmailAdapter(
            host="mail.example.org", port=25, security="none", mail_from="n@nilecare.test"
        )
