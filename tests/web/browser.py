"""A real `shortlist serve` and Debian's Chromium for the browser app's end-to-end tests."""

from __future__ import annotations

import email
import os
import re
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any

import httpx
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# `make screenshots` points this at docs/screenshots: the README's pictures come from these runs.
SCREENSHOTS = os.environ.get("SHORTLIST_SCREENSHOTS_DIR")

_axe = Axe()


def launch() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def assert_accessible(page: Page, where: str) -> None:
    """axe-core on the page as it stands: no serious or critical violation."""
    results: Any = _axe.run(page)
    bad = [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']][:3]}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{where}: {bad}"


def screenshot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))


def api_token(base: str, email: str, password: str) -> dict[str, str]:
    response = httpx.post(f"{base}/v1/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def mailed_token(outbox: Path, to: str, subject_contains: str) -> str:
    """The action token in the newest e-mail to `to` whose subject matches (the outbox mailer's .eml files)."""
    for path in sorted(outbox.glob("*.eml"), reverse=True):
        message: Message = email.message_from_bytes(path.read_bytes())
        if message["To"] == to and subject_contains in str(message["Subject"]):
            payload = message.get_payload(decode=True)
            assert isinstance(payload, bytes)
            found = re.search(r"sla_[A-Za-z0-9_-]+", payload.decode())
            assert found, payload
            return found.group(0)
    raise AssertionError(f"no e-mail to {to} about {subject_contains!r}")
