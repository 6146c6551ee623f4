"""A real SMTP server for the newsletter tests: aiosmtpd on 127.0.0.1, a free port, mail kept in memory.

Django's SMTP backend talks to it over a socket exactly as it would to a mail relay, so
the tests see what a relay would receive: the envelope, the raw message (parsed here with
the `email` package's modern policy) and how many connections were opened. Chosen
recipients can be refused with a 4xx (try later) or 5xx (permanent) reply at RCPT TO,
as real relays do for a full or a missing mailbox.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    mail_from: str
    recipients: tuple[str, ...]
    message: EmailMessage
    raw: bytes
    connection: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SinkHandler:
    """aiosmtpd's handler hooks; runs in the controller's thread, so every shared list is locked."""

    refusals: dict[str, str] = field(default_factory=dict)
    messages: list[Received] = field(default_factory=list)
    connections: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        # smtplib greets once per connection, before its first message: one EHLO is one connection.
        session.host_name = hostname
        with self.lock:
            self.connections += 1
            session.newsdesk_connection = self.connections
        return responses

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        with self.lock:
            refusal = self.refusals.get(address.lower())
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = bytes(envelope.original_content or envelope.content)
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        received = Received(
            mail_from=envelope.mail_from,
            recipients=tuple(envelope.rcpt_tos),
            message=parsed,
            raw=raw,
            connection=getattr(session, "newsdesk_connection", 0),
        )
        with self.lock:
            self.messages.append(received)
        return "250 Message accepted for delivery"


class SMTPSink:
    """Start with `start()`, stop with `stop()`; `host`/`port` are where Django should send."""

    def __init__(self) -> None:
        self.handler = SinkHandler()
        self.host = "127.0.0.1"
        self.port = free_port()
        self._controller = Controller(self.handler, hostname=self.host, port=self.port)

    def start(self) -> SMTPSink:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def refuse(self, address: str, reply: str) -> None:
        """Answer RCPT TO for this address with `reply`, e.g. "450 4.2.1 Mailbox busy" or "550 5.1.1 No such user"."""
        with self.handler.lock:
            self.handler.refusals[address.lower()] = reply

    def accept(self, address: str) -> None:
        with self.handler.lock:
            self.handler.refusals.pop(address.lower(), None)

    def clear(self) -> None:
        with self.handler.lock:
            self.handler.messages.clear()
            self.handler.connections = 0

    @property
    def messages(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.messages)

    @property
    def connections(self) -> int:
        with self.handler.lock:
            return self.handler.connections

    def to(self, address: str) -> list[EmailMessage]:
        """The messages whose envelope named this recipient, oldest first."""
        wanted = address.lower()
        return [found.message for found in self.messages if wanted in (r.lower() for r in found.recipients)]
