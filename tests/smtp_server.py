"""A real SMTP server (aiosmtpd, in its own thread) on a loopback port that keeps every message
it accepts; it can refuse chosen recipients, require STARTTLS or a login, or speak implicit TLS.

    with smtp_server() as smtp:
        ...  # send to 127.0.0.1:smtp.port
        [mail] = smtp.messages
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.live import free_port


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    over_tls: bool
    login: str | None


@dataclass
class RecordingHandler:
    # Recipient -> SMTP reply for RCPT TO, e.g. {"gone@example.org": "550 5.1.1 No such user"}.
    refusals: dict[str, str] = field(default_factory=dict)
    messages: list[ReceivedMail] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refusals:
            return self.refusals[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        # RequiredLogin puts the username there.
        auth_data: bytes | None = session.auth_data
        login = auth_data.decode() if session.authenticated and auth_data else None
        assert server.transport is not None
        received = ReceivedMail(
            mail_from=str(envelope.mail_from),
            rcpt_tos=list(envelope.rcpt_tos),
            message=parsed,
            over_tls=server.transport.get_extra_info("ssl_object") is not None,
            login=login,
        )
        with self._lock:
            self.messages.append(received)
        return "250 Message accepted"


@dataclass
class SmtpServer:
    host: str
    port: int
    handler: RecordingHandler

    @property
    def messages(self) -> list[ReceivedMail]:
        return list(self.handler.messages)


@dataclass(frozen=True)
class RequiredLogin:
    """An aiosmtpd authenticator accepting one username and password."""

    username: str
    password: str

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == self.username.encode()
            and auth_data.password == self.password.encode()
        )
        return AuthResult(success=ok, handled=False, auth_data=self.username.encode())


@contextlib.contextmanager
def smtp_server(
    *,
    refusals: dict[str, str] | None = None,
    starttls: ssl.SSLContext | None = None,
    implicit_tls: ssl.SSLContext | None = None,
    credentials: tuple[str, str] | None = None,
) -> Iterator[SmtpServer]:
    """``starttls``: offer and require STARTTLS with this context; ``implicit_tls``: TLS from
    the first byte; ``credentials``: require AUTH with this (username, password)."""
    handler = RecordingHandler(refusals=dict(refusals or {}))
    options: dict[str, Any] = {}
    if starttls is not None:
        options.update(tls_context=starttls, require_starttls=True)
    if credentials is not None:
        options.update(
            authenticator=RequiredLogin(*credentials),
            auth_required=True,
            auth_require_tls=starttls is not None or implicit_tls is not None,
        )
    controller = Controller(
        handler, hostname="127.0.0.1", port=free_port(), ssl_context=implicit_tls, **options
    )
    controller.start()
    try:
        yield SmtpServer(controller.hostname, controller.port, handler)
    finally:
        controller.stop()
