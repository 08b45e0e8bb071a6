"""Swagger UI's Authorize, with its default settings, in a real browser against `shortlist serve`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import async_playwright, expect

from tests.support import running_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
EMAIL = "swagger@example.com"
PASSWORD = "a long swagger passphrase"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    env = {"SHORTLIST_PASSWORD_TIME_COST": "1", "SHORTLIST_PASSWORD_MEMORY_COST_KIB": "64"}
    with running_server(tmp_path, env, inherit_settings=False) as (base, _process):
        registered = httpx.post(f"{base}/v1/auth/register", json={"email": EMAIL, "password": PASSWORD})
        assert registered.status_code == 201, registered.text
        yield base


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
async def test_authorize_and_try_it_out_with_default_settings(served: str) -> None:
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
            await dialog.locator("#oauth_username").fill(EMAIL)
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
            ).to_contain_text(EMAIL)
        finally:
            await browser.close()
    # What made this fail before: Swagger's default client authentication, an empty id and secret in Basic.
    assert token_requests and token_requests[0].get("authorization") == "Basic Og=="
