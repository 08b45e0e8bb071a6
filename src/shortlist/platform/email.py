"""Outgoing e-mail: written to a local outbox by default, sent over SMTP when a host is configured."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

import anyio.to_thread

from shortlist.kit.ids import new_id


class Mailer(Protocol):
    async def send(self, to: str, subject: str, body: str) -> None: ...


def _message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


class OutboxMailer:
    """Development default: every message lands as an .eml file a developer can open."""

    def __init__(self, directory: Path, sender: str) -> None:
        self.directory = directory
        self._sender = sender

    async def send(self, to: str, subject: str, body: str) -> None:
        message = _message(self._sender, to, subject, body)
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{new_id()}.eml"
        await anyio.to_thread.run_sync(path.write_bytes, bytes(message))


class SmtpMailer:
    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 10.0,
    ) -> None:
        self._host, self._port, self._sender = host, port, sender
        self._username, self._password = username, password
        self._starttls, self._timeout = starttls, timeout

    def _send_blocking(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self._host, self._port, timeout=self._timeout) as client:
            if self._starttls:
                client.starttls()
            if self._username and self._password:
                client.login(self._username, self._password)
            client.send_message(message)

    async def send(self, to: str, subject: str, body: str) -> None:
        await anyio.to_thread.run_sync(self._send_blocking, _message(self._sender, to, subject, body))
