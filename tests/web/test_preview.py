"""The editor's live preview in Chromium: the pages in view come first, at the resolution they are shown at,
and a refresh keeps the reader where they were."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, Request, expect

from tests.conftest import PASSWORD
from tests.web.browser import api_token

pytestmark = pytest.mark.slow

expect.set_options(timeout=15_000)

WORK = [
    {
        "name": f"Company {i}",
        "position": "Senior Engineer",
        "startDate": f"{2010 + i}-01",
        "highlights": [f"Led {4 + i} engineers through the billing migration, on schedule"] * 3,
    }
    for i in range(9)
]


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    # A device pixel ratio of 2: the preview must ask for twice the raster a 1x screen gets.
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1400, "height": 900}, device_scale_factor=2
    )
    yield context.new_page()
    context.close()


def test_refresh_renders_the_page_in_view_first_and_keeps_the_scroll(page: Page, live_server: str) -> None:
    email = f"preview-{uuid.uuid4().hex[:8]}@example.com"
    assert httpx.post(
        f"{live_server}/v1/auth/register", json={"email": email, "password": PASSWORD}
    ).is_success
    headers = api_token(live_server, email, PASSWORD)
    content = {"basics": {"name": "Pat Preview", "summary": "Builds things."}, "work": WORK}
    created = httpx.post(
        f"{live_server}/v1/resumes", headers=headers, json={"title": "Two pages", "content": content}
    )
    assert created.status_code == 201, created.text
    resume_id = created.json()["id"]

    page.goto("/sign-in")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="My resumes").wait_for()
    page.goto(f"/app/resumes/{resume_id}")
    second = page.get_by_role("img", name="Page 2 of the resume")
    expect(second).to_be_visible()
    preview = page.get_by_test_id("preview")

    # The raster covers the displayed width in device pixels (A4 is 8.27 in wide), and no more than a step.
    shown = second.evaluate("img => [img.clientWidth, img.naturalWidth]")
    assert shown[1] >= shown[0] * 2 - 2 and shown[1] <= (shown[0] * 2) * 1.25, shown

    # Scroll the pane to the end: only page 2 is in view.
    preview.evaluate("el => { el.scrollTop = el.scrollHeight; }")
    page.wait_for_timeout(300)  # the IntersectionObserver reports on the next frame
    scrolled = preview.evaluate("el => el.scrollTop")
    assert scrolled > 0

    asked: list[str] = []

    def record(request: Request) -> None:
        if "/render?" in request.url:
            asked.append(request.url)

    page.on("request", record)
    before = preview.get_attribute("data-rendered")
    summary = page.get_by_label("Summary").first
    summary.focus()
    page.keyboard.press("End")
    page.keyboard.type("!")
    expect(preview).not_to_have_attribute("data-rendered", before or "")
    expect(page.get_by_test_id("save-status")).to_have_text("All changes saved")
    expect(preview).to_have_attribute("data-rendered-all", preview.get_attribute("data-rendered") or "-")

    pages_asked = [int(m.group(1)) for url in asked if (m := re.search(r"[?&]page=(\d+)", url))]
    assert pages_asked[:1] == [2], asked  # the page in view first, then the other one from the cache
    assert sorted(set(pages_asked)) == [1, 2], asked
    assert all(re.search(r"[?&]ppi=\d+", url) for url in asked), asked
    assert abs(preview.evaluate("el => el.scrollTop") - scrolled) <= 1  # the reader stays where they were
    stored = httpx.get(f"{live_server}/v1/resumes/{resume_id}", headers=headers).json()
    assert stored["content"]["basics"]["summary"] == "Builds things.!"
