"""A first run of `shortlist serve` as a newcomer starts it: the links it mails and the lines it logs."""

from __future__ import annotations

import json
import re
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import httpx
import pytest

from shortlist.config import served_url
from tests.support import running_server

FAST_HASHING = {"SHORTLIST_PASSWORD_TIME_COST": "1", "SHORTLIST_PASSWORD_MEMORY_COST_KIB": "64"}


def mailed(outbox: Path) -> list[Message]:
    return [message_from_bytes(path.read_bytes()) for path in sorted(outbox.glob("*.eml"))]


def body_of(message: Message) -> str:
    part = message.get_payload(decode=True) if not message.is_multipart() else None
    if isinstance(part, bytes):
        return part.decode()
    for sub in message.walk():
        if sub.get_content_type() == "text/plain":
            payload = sub.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode()
    raise AssertionError("no text part")


@pytest.mark.slow
def test_served_port_reaches_mailed_links_and_every_log_line_is_json(tmp_path: Path) -> None:
    log_path = tmp_path / "server.log"
    with (
        log_path.open("wb") as log,
        running_server(
            tmp_path, {**FAST_HASHING, "SHORTLIST_LOG_LEVEL": "INFO"}, inherit_settings=False, stdout=log
        ) as (base, _process),
    ):
        port = base.rsplit(":", 1)[1]
        assert port != "8000"
        registered = httpx.post(
            f"{base}/v1/auth/register", json={"email": "new@example.com", "password": "a long passphrase"}
        )
        assert registered.status_code == 201, registered.text
        (message,) = mailed(tmp_path / "outbox")
        links = re.findall(r"https?://\S+", body_of(message))
        assert links and all(link.startswith(f"http://127.0.0.1:{port}/") for link in links), links
        # The link opens on the served port, over real HTTP, as the page that completes the action.
        (confirm,) = [link for link in links if "/account/confirm-email?token=" in link]
        page = httpx.get(confirm)
        assert page.status_code == 200 and "Confirm my address" in page.text

    lines = [line for line in log_path.read_text().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # a plain-text line fails here
    startup = [r for r in records if r.get("logger", "").startswith("uvicorn")]
    assert any("Uvicorn running on" in r["event"] for r in startup), records
    assert all({"timestamp", "level", "event"} <= set(r) for r in records), records
    assert any(r["event"] == "http.request" for r in records)
    assert any(r.get("logger") == "alembic.runtime.migration" for r in records)  # the first migration
    assert not any(r.get("logger") == "alembic.runtime.plugins" for r in records)  # start-up noise


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "http://127.0.0.1:8123"),
        ("0.0.0.0", "http://127.0.0.1:8123"),  # noqa: S104 - the bind address under test
        ("::1", "http://[::1]:8123"),
        ("cv.example.com", "http://cv.example.com:8123"),
    ],
)
def test_served_url_is_reachable_from_this_machine(host: str, expected: str) -> None:
    assert served_url(host, 8123) == expected
