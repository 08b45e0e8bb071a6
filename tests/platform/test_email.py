"""E-mail adapters: the development outbox and real SMTP (against a local SMTP server)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from shortlist.platform.email import OutboxMailer, SmtpMailer


class _Collector:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def smtp_server() -> Iterator[tuple[_Collector, int]]:
    collector = _Collector()
    port = _free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield collector, port
    finally:
        controller.stop()


async def test_smtp_delivers_to_a_real_server(smtp_server: tuple[_Collector, int]) -> None:
    collector, port = smtp_server
    mailer = SmtpMailer("127.0.0.1", port, "Shortlist <no-reply@shortlist.test>")
    await mailer.send("ada@example.com", "Hello ✓", "Body with ünïcode")
    for _ in range(50):
        if collector.messages:
            break
        await asyncio.sleep(0.02)
    sender, recipients, content = collector.messages[0]
    assert sender == "no-reply@shortlist.test" and recipients == ["ada@example.com"]
    message = message_from_bytes(content, policy=policy.default)
    assert message["Subject"] == "Hello ✓"
    assert isinstance(message, EmailMessage)
    body = message.get_body()
    assert body is not None and "ünïcode" in body.get_content()


async def test_smtp_failure_raises(tmp_path: Path) -> None:
    mailer = SmtpMailer("127.0.0.1", _free_port(), "x@shortlist.test", timeout=1)
    with pytest.raises(OSError):
        await mailer.send("a@example.com", "s", "b")


async def test_outbox_writes_eml_files(tmp_path: Path) -> None:
    mailer = OutboxMailer(tmp_path / "outbox", "x@shortlist.test")
    await mailer.send("a@example.com", "Subject line", "Body")
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1
    message = message_from_bytes(files[0].read_bytes())
    assert message["To"] == "a@example.com" and message["Subject"] == "Subject line"
