"""Swagger UI's Authorize, with its default settings, in a real browser against `shortlist serve` (the run's
shared server, `tests/served.py`)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import async_playwright, expect

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORD = "a long swagger passphrase"


@pytest.fixture
def account(live_server: str) -> Iterator[tuple[str, str]]:
    """A new account on the shared server: (base URL, e-mail)."""
    email = f"swagger-{uuid.uuid4().hex[:8]}@example.com"
    registered = httpx.post(f"{live_server}/v1/auth/register", json={"email": email, "password": PASSWORD})
    assert registered.status_code == 201, registered.text
    yield live_server, email


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
async def test_authorize_and_try_it_out_with_default_settings(account: tuple[str, str]) -> None:
    served, email = account
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page()
            token_requests: list[dict[str, str]] = []
            page.on(
                "request",
                lambda request: (
                    token_requests.append(request.headers) if request.url.endswith("/token") else None
                ),
            )
            await page.goto(f"{served}/docs")
            await page.locator("button.authorize").first.click()
            dialog = page.locator(".modal-ux")
            await dialog.locator("#oauth_username").fill(email)
            await dialog.locator("#oauth_password").fill(PASSWORD)
            # Client id, secret and "Client credentials location" stay as Swagger UI sets them.
            await dialog.locator("button.modal-btn.auth.authorize").first.click()
            await expect(dialog.get_by_role("heading", name="Authorized")).to_be_visible()
            await expect(dialog.get_by_text("Auth Error")).to_have_count(0)
            await dialog.get_by_role("button", name="Close").first.click()

            operation = page.locator("#operations-users-get_me")
            await operation.locator(".opblock-summary").click()
            await operation.get_by_role("button", name="Try it out").click()
            await operation.get_by_role("button", name="Execute").click()
            status = operation.locator(".live-responses-table .response .response-col_status")
            await expect(status).to_have_text(re.compile(r"^\s*200"))
            await expect(
                operation.locator(".live-responses-table .response .response-col_description")
            ).to_contain_text(email)
        finally:
            await browser.close()
    # What made this fail before: Swagger's default client authentication, an empty id and secret in Basic.
    assert token_requests and token_requests[0].get("authorization") == "Basic Og=="
