"""E-mail over SMTP with aiosmtplib: one connection per message, text and HTML alternatives.

The Message-ID is made here and is the provider message id. SMTP refusals map by reply code:
4xx and lost connections are transient; a 5xx refusal of the recipient or of the message is
permanent. Refused credentials or sender are this deployment's misconfiguration, so they stay
transient: once an operator fixes them the queued deliveries go out.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Literal

import aiosmtplib

from nilecare.services.notification.channels.base import (
    ChannelName,
    OutboundMessage,
    PermanentDeliveryError,
    SendReceipt,
    TransientDeliveryError,
)
from nilecare.services.notification.channels.loopback import is_loopback_host

SmtpSecurity = Literal["none", "starttls", "tls"]


class SmtpEmailAdapter:
    provider = "smtp"
    channel: ChannelName = "email"

    def __init__(
        self,
        *,
        host: str,
        port: int,
        security: SmtpSecurity,
        mail_from: str,
        from_name: str = "",
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        ca_file: str | None = None,
    ) -> None:
        if security == "none" and not is_loopback_host(host):
            raise ValueError("SMTP without TLS is allowed only to a loopback host")
        self._host, self._port, self._security = host, port, security
        self._sender = Address(display_name=from_name, addr_spec=mail_from)
        self._username, self._password = username, password
        self._timeout, self._ca_file = timeout, ca_file

    def compose(self, message: OutboundMessage) -> EmailMessage:
        if not message.subject:
            raise PermanentDeliveryError("an e-mail needs a subject")
        try:
            recipient = Address(addr_spec=message.address)
        except (ValueError, HeaderParseError) as exc:
            raise PermanentDeliveryError("not an e-mail address") from exc
        mail = EmailMessage()
        mail["From"] = self._sender
        mail["To"] = recipient
        mail["Subject"] = message.subject
        mail["Date"] = format_datetime(datetime.now(UTC))
        mail["Message-ID"] = make_msgid(domain=self._sender.domain)
        # RFC 3834: tells auto-responders (out of office) not to answer.
        mail["Auto-Submitted"] = "auto-generated"
        mail.set_content(message.body)
        if message.html:
            mail.add_alternative(message.html, subtype="html")
        # After the content: setting content drops every Content-* header.
        if message.language:
            mail["Content-Language"] = message.language
        return mail

    async def send(self, message: OutboundMessage) -> SendReceipt:
        mail = self.compose(message)
        try:
            await aiosmtplib.send(
                mail,
                hostname=self._host,
                port=self._port,
                username=self._username,
                password=self._password,
                use_tls=self._security == "tls",
                start_tls=self._security == "starttls",
                timeout=self._timeout,
                cert_bundle=self._ca_file,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            refusal = exc.recipients[0]
            raise _by_code(refusal.code, f"recipient refused: {refusal.code}") from exc
        except (aiosmtplib.SMTPAuthenticationError, aiosmtplib.SMTPSenderRefused) as exc:
            raise TransientDeliveryError(f"SMTP configuration refused: {exc.code}") from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise _by_code(exc.code, f"SMTP refused: {exc.code}") from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise TransientDeliveryError(f"SMTP server unreachable: {exc}") from exc
        return SendReceipt(provider=self.provider, provider_message_id=mail["Message-ID"])

    async def aclose(self) -> None:
        """Nothing held: each message opens its own connection."""


def _by_code(code: int, text: str) -> TransientDeliveryError | PermanentDeliveryError:
    return PermanentDeliveryError(text) if 500 <= code < 600 else TransientDeliveryError(text)
