"""A real SMTP server on loopback for tests that send e-mail, and the app pointed at it.

`smtp_server` runs aiosmtpd on 127.0.0.1 and a free port and keeps every message it
accepts, parsed; `mailbox` does the same and points the app at it (MAIL_SERVER, MAIL_PORT,
and MAIL_BACKEND="smtp", since Flask-Mailman would otherwise keep mail in memory under
TESTING). A test package uses them by importing them into its conftest.py:

    from tests.mail.smtp import mailbox, smtp_server  # noqa: F401 (fixtures)

The server answers each message only after its handler kept it, so a message is in
`messages` when the send returns: tests look at the state, never wait for time.
"""

import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

HOST = "127.0.0.1"
SENDER = "Credit CRM <noreply@crm.test>"
LINK = re.compile(r"https?://[^\s<>\"]+")


@dataclass(frozen=True)
class Received:
    """A message as the server received it."""

    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    @property
    def text(self) -> str:
        """The plain-text part, with its lines ending in "\n" (sent as CRLF)."""
        return self.message.get_body(("plain",)).get_content().replace("\r\n", "\n")

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content().replace("\r\n", "\n")

    @property
    def links(self) -> list[str]:
        """The addresses in the plain text, in order."""
        return LINK.findall(self.text)


@dataclass
class Handler:
    """aiosmtpd's handler: keeps what it receives; refuses the addresses in `refused` (550)."""

    received: list[Received] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)
    #: How many of the next messages to keep without answering: the connection is closed
    #: instead, as by a server that crashed, or a network that broke, right after taking it.
    hang_up_after_data: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        if self.hang_up_after_data:
            self.hang_up_after_data -= 1
            server.transport.close()
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class SmtpServer:
    """An aiosmtpd server that a test can stop (the port then refuses connections) and
    start again on the same port."""

    def __init__(self) -> None:
        self.host, self.port = HOST, free_port()
        self.handler = Handler()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[Received]:
        return self.handler.received

    def start(self) -> None:
        if self._controller is None:
            self._controller = Controller(self.handler, hostname=self.host, port=self.port)
            self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def point(self, app: Flask) -> None:
        """Send the app's mail here."""
        app.config.update(
            MAIL_SERVER=self.host,
            MAIL_PORT=self.port,
            MAIL_BACKEND="smtp",
            MAIL_DEFAULT_SENDER=SENDER,
        )


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(app, smtp_server) -> SmtpServer:
    """The app's mail goes to `smtp_server`, which this returns."""
    smtp_server.point(app)
    return smtp_server
