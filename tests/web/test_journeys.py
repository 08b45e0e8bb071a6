"""Job seeker journeys in Chromium against a real `shortlist serve`: accounts, the dashboard, the editor,
design, ATS, exports, share links, imports, and their error paths. axe-core checks every screen."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.conftest import PASSWORD
from tests.web.browser import api_token, assert_accessible, mailed_token, screenshot
from tests.web.conftest import UPLOAD_LIMIT

pytestmark = pytest.mark.slow

# Generous: a shared CI machine can be slow; a real failure still fails, only later.
expect.set_options(timeout=15_000)


@pytest.fixture
def tab(browser: Browser, live_server: str) -> Iterator[BrowserContext]:
    tab = browser.new_context(
        base_url=live_server, accept_downloads=True, viewport={"width": 1400, "height": 900}
    )
    yield tab
    tab.close()


@pytest.fixture
def page(tab: BrowserContext) -> Iterator[Page]:
    page = tab.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield page
    assert not refused, refused  # the app runs under its CSP without a single blocked script or style


def sign_up(page: Page) -> str:
    email = f"seeker-{uuid.uuid4().hex[:8]}@example.com"
    page.goto("/sign-up")
    page.get_by_label("Your name").fill("Robin Example")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="My resumes")).to_be_visible()
    return email


def open_sample(page: Page) -> str:
    page.get_by_role("button", name="Start from a sample").click()
    expect(page.get_by_test_id("save-status")).to_have_text("All changes saved")
    expect(page.get_by_role("img", name="Page 1 of the resume")).to_be_visible()
    match = re.search(r"/app/resumes/([0-9a-f-]+)", page.url)
    assert match
    return match.group(1)


def test_account_journey_with_a_secure_cookie_session(
    page: Page, tab: BrowserContext, live_server: str
) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("shortlist")
    assert_accessible(page, "landing")
    screenshot(page, "landing")
    page.get_by_role("link", name="Create an account").first.click()
    assert_accessible(page, "sign-up")
    email = sign_up(page)
    assert_accessible(page, "empty dashboard")

    # The refresh token is an HttpOnly, Secure, SameSite=Strict cookie on the refresh path; Chromium keeps
    # and sends it over http://127.0.0.1 because loopback counts as a secure context.
    cookies = {c["name"]: c for c in tab.cookies()}
    refresh = cookies["shortlist_refresh"]
    assert refresh["httpOnly"] and refresh["secure"] and refresh["sameSite"] == "Strict"
    assert refresh["path"] == "/v1/auth/browser"
    assert "shortlist_refresh" not in page.evaluate("document.cookie")
    storage = page.evaluate("JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")
    assert "eyJ" not in storage and "slr_" not in storage  # no token outside memory
    page.reload()
    expect(
        page.get_by_role("heading", name="My resumes")
    ).to_be_visible()  # the cookie brought the session back

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Create your resume")).to_be_visible()
    page.goto("/app")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill("wrong password entirely")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Incorrect e-mail or password")
    assert_accessible(page, "sign-in with an error")
    screenshot(page, "sign-in-error")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My resumes")).to_be_visible()


def test_edit_design_check_export_and_share(page: Page, live_server: str) -> None:
    email = sign_up(page)
    resume_id = open_sample(page)
    headers = api_token(live_server, email, PASSWORD)
    preview = page.get_by_test_id("preview")

    # Typing autosaves with If-Match, and the preview is re-rendered by the API.
    before = preview.get_attribute("data-rendered")
    page.get_by_label("Full name").fill("Robin Q. Example")
    expect(page.get_by_test_id("save-status")).to_have_text("All changes saved")
    expect(preview).not_to_have_attribute("data-rendered", before or "")
    stored = httpx.get(f"{live_server}/v1/resumes/{resume_id}", headers=headers).json()
    assert stored["content"]["basics"]["name"] == "Robin Q. Example"
    assert_accessible(page, "editor")
    screenshot(page, "editor")

    # Undo puts the old name back, and that is saved too.
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_label("Full name")).to_have_value("Alex Morgan")
    expect(page.get_by_test_id("save-status")).to_have_text("All changes saved")
    page.get_by_role("button", name="Redo").click()
    expect(page.get_by_label("Full name")).to_have_value("Robin Q. Example")

    # Reorder work entries by keyboard: lift with space, move with an arrow, drop with space.
    handle = page.get_by_role("button", name=re.compile(r"^Drag Senior Product Engineer at Northwind"))
    handle.focus()
    for key in ("Space", "ArrowDown", "Space"):
        page.keyboard.press(key)
        page.wait_for_timeout(150)  # dnd-kit measures positions on the next animation frame
    work = page.get_by_role("list", name="Work experience entries")
    expect(work.locator("li").first).to_contain_text("Software Engineer at Brightline")
    # And with the move button.
    page.get_by_role("button", name="Move Software Engineer at Brightline Retail down").click()
    expect(work.locator("li").first).to_contain_text("Senior Product Engineer")
    page.get_by_role("button", name="Move Senior Product Engineer at Northwind Analytics down").click()
    expect(page.get_by_test_id("save-status")).to_have_text("All changes saved")
    stored = httpx.get(f"{live_server}/v1/resumes/{resume_id}", headers=headers).json()
    assert [w["name"] for w in stored["content"]["work"]] == ["Brightline Retail", "Northwind Analytics"]

    # Add and remove an entry.
    page.get_by_role("button", name="Add to languages").click()
    page.get_by_label("Language", exact=True).last.fill("French")
    expect(page.get_by_test_id("save-status")).to_have_text("All changes saved")
    page.get_by_role("button", name="Remove French").click()
    expect(page.get_by_test_id("save-status")).to_have_text("All changes saved")
    stored = httpx.get(f"{live_server}/v1/resumes/{resume_id}", headers=headers).json()
    assert [lang["language"] for lang in stored["content"]["languages"]] == ["English"]

    # Design: one click on a template keeps the other options and redraws the preview.
    page.get_by_role("tab", name="Design").click()
    page.get_by_label("Page size").select_option("letter")
    before = preview.get_attribute("data-rendered")
    page.get_by_text("Modern", exact=True).click()
    expect(preview).not_to_have_attribute("data-rendered", before or "")
    design = httpx.get(f"{live_server}/v1/resumes/{resume_id}/design", headers=headers).json()
    assert design["template"] == "modern" and design["page_size"] == "letter"
    assert_accessible(page, "design panel")
    screenshot(page, "design")

    # ATS: the score and checks, then a job to compare with.
    page.get_by_role("tab", name="ATS check").click()
    expect(page.get_by_label(re.compile(r"ATS score \d+ out of 100"))).to_be_visible()
    # A finding with a place in the document brings its page into view, outlined.
    page.get_by_role("button", name=re.compile(r"^Show on page 1 ")).first.click()
    expect(page.locator("img[data-highlighted=true]")).to_have_attribute("alt", "Page 1 of the resume")
    page.get_by_label("Check against a job: paste the posting").fill(
        "Senior Product Engineer. Required: TypeScript, React, PostgreSQL, Kubernetes. 5+ years."
    )
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_text(re.compile(r"Match: \d+/100"))).to_be_visible()
    expect(page.get_by_text("Missing:")).to_be_visible()
    assert_accessible(page, "ATS panel")
    screenshot(page, "ats")

    # Exports: a real PDF download.
    page.get_by_role("tab", name="Export & share").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="PDF").click()
    assert download.value.path().read_bytes()[:5] == b"%PDF-"

    # Share: create a link, open it anonymously, then revoke it.
    page.get_by_role("button", name="Create link").click()
    url = page.get_by_test_id("share-url").inner_text()
    shared = httpx.get(url)
    assert shared.status_code == 200 and "Robin Q. Example" in shared.text
    assert_accessible(page, "export and share")
    screenshot(page, "share")
    page.get_by_role("button", name=re.compile(r"^Revoke ")).click()
    expect(page.get_by_role("cell", name="revoked")).to_be_visible()
    assert httpx.get(url).status_code in (404, 410)

    page.get_by_role("link", name="My resumes").first.click()
    expect(page.get_by_role("img", name=re.compile(r"First page of"))).to_be_visible()
    assert_accessible(page, "dashboard")
    screenshot(page, "dashboard")


def test_stale_edit_shows_the_conflict_screen_and_a_network_failure_is_retried(
    page: Page, live_server: str
) -> None:
    email = sign_up(page)
    resume_id = open_sample(page)
    headers = api_token(live_server, email, PASSWORD)

    # Offline for a moment: the save fails visibly, then goes through once the network is back.
    page.route(
        "**/v1/resumes/*", lambda route: route.abort() if route.request.method == "PUT" else route.continue_()
    )
    page.get_by_label("Headline").fill("Offline edit")
    expect(page.get_by_test_id("save-status")).to_have_attribute("data-status", "error")
    page.unroute("**/v1/resumes/*")
    expect(page.get_by_test_id("save-status")).to_have_text("All changes saved", timeout=10_000)

    # Another tab saves first: our next save is refused with 412 and the conflict screen opens.
    current = httpx.get(f"{live_server}/v1/resumes/{resume_id}", headers=headers)
    content = current.json()["content"]
    content["basics"]["label"] = "Changed in another tab"
    changed = httpx.put(
        f"{live_server}/v1/resumes/{resume_id}",
        headers={**headers, "If-Match": current.headers["etag"]},
        json={"title": "Sample resume", "content": content},
    )
    assert changed.status_code == 200, changed.text
    page.get_by_label("City").fill("Leeds")
    dialog = page.get_by_role("dialog", name="This resume changed elsewhere")
    expect(dialog).to_be_visible()
    assert_accessible(page, "conflict screen")
    screenshot(page, "conflict")
    dialog.get_by_role("button", name="Load the latest version").click()
    expect(page.get_by_label("Headline")).to_have_value("Changed in another tab")
    expect(page.get_by_label("City")).to_have_value("Manchester")
    expect(page.get_by_test_id("save-status")).to_have_text("All changes saved")


def test_import_a_pdf_with_live_progress_and_review_and_refuse_a_huge_file(
    page: Page, live_server: str
) -> None:
    email = sign_up(page)
    headers = api_token(live_server, email, PASSWORD)
    # A real resume PDF, rendered by the service from a document of this account.
    seed = httpx.post(
        f"{live_server}/v1/resumes",
        headers=headers,
        json={
            "title": "Seed",
            "content": {
                "basics": {
                    "name": "Jordan Lee",
                    "email": "jordan.lee@example.com",
                    "phone": "+1 415 555 0100",
                },
                "work": [
                    {
                        "name": "Acme Corp",
                        "position": "Data Analyst",
                        "startDate": "2020-01",
                        "highlights": ["Built dashboards used by 200 managers"],
                    }
                ],
            },
        },
    ).json()
    pdf = httpx.get(f"{live_server}/v1/resumes/{seed['id']}/render?format=pdf", headers=headers).content
    page.goto("/app")

    too_big = b"%PDF-1.7\n" + b"0" * (UPLOAD_LIMIT + 300 * 1024)  # past the limit and the multipart allowance
    page.get_by_label("Resume file to import (PDF, DOCX or text)").set_input_files(
        {"name": "huge.pdf", "mimeType": "application/pdf", "buffer": too_big}
    )
    expect(page.get_by_role("alert")).to_contain_text(re.compile(r"too large|exceeds|limit", re.IGNORECASE))

    page.get_by_label("Resume file to import (PDF, DOCX or text)").set_input_files(
        {"name": "old-resume.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    expect(page.get_by_role("heading", name="Importing your resume")).to_be_visible()
    expect(page.get_by_role("heading", name="Review what we found")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Jordan Lee")).to_be_visible()
    assert_accessible(page, "import review")
    screenshot(page, "import-review")
    page.get_by_role("link", name="Open in the editor").click()
    expect(page.get_by_label("Full name")).to_have_value("Jordan Lee")

    # A JSON Resume file goes straight to the editor.
    page.goto("/app")
    page.get_by_label("JSON Resume file to import").set_input_files(
        {"name": "resume.json", "mimeType": "application/json", "buffer": b'{"basics": {"name": "Sam Json"}}'}
    )
    expect(page.get_by_label("Full name")).to_have_value("Sam Json")
    page.goto("/app")
    page.get_by_label("JSON Resume file to import").set_input_files(
        {"name": "broken.json", "mimeType": "application/json", "buffer": b"{not json"}
    )
    expect(page.get_by_role("alert")).to_contain_text("not valid JSON")


def test_history_trash_and_account_settings(page: Page, live_server: str) -> None:
    email = sign_up(page)
    resume_id = open_sample(page)
    page.get_by_label("Headline").fill("Engineering Lead")
    expect(page.get_by_test_id("save-status")).to_have_text("All changes saved")

    # Version history: look at the first version and bring it back as a new one.
    page.get_by_role("tab", name="History").click()
    page.get_by_role("button", name="Show version 1").click()
    expect(page.get_by_role("heading", name="Version 1: Sample resume")).to_be_visible()
    assert_accessible(page, "history")
    page.get_by_role("button", name="Restore version 1").click()
    page.get_by_role("tab", name="Content").click()
    expect(page.get_by_label("Headline")).to_have_value("Product Engineer")
    expect(page.get_by_test_id("save-status")).to_have_text("All changes saved")

    # The trash: delete, find it there, restore it.
    page.get_by_role("button", name="Move to trash").click()
    expect(page.get_by_role("heading", name="My resumes")).to_be_visible()
    expect(page.get_by_role("list", name="Resumes").locator("li")).to_have_count(0)
    page.get_by_role("link", name="Trash").click()
    assert_accessible(page, "trash")
    page.get_by_role("button", name="Restore Sample resume").click()
    expect(page.get_by_text("The trash is empty.")).to_be_visible()
    page.get_by_role("link", name="My resumes").first.click()
    expect(page.get_by_role("list", name="Resumes").locator("li")).to_have_count(1)

    # API keys: created here, working against the API, then revoked.
    page.get_by_role("link", name="Account").click()
    page.get_by_label("Key name").fill("Spreadsheet sync")
    page.get_by_role("button", name="Create key").click()
    key = page.get_by_test_id("api-key").inner_text()
    assert httpx.get(f"{live_server}/v1/resumes/{resume_id}", headers={"X-API-Key": key}).status_code == 200
    assert_accessible(page, "account")
    screenshot(page, "account")
    page.get_by_role("button", name="Revoke Spreadsheet sync").click()
    expect(page.get_by_role("button", name="Revoke Spreadsheet sync")).to_have_count(0)
    assert httpx.get(f"{live_server}/v1/resumes/{resume_id}", headers={"X-API-Key": key}).status_code == 401

    # Webhooks: a private address is refused with the reason; an allowed one is added with its secret.
    page.get_by_label("Endpoint URL").fill("http://10.1.2.3/hook")
    page.get_by_role("button", name="Add webhook").click()
    expect(page.get_by_role("alert")).to_contain_text("cannot receive webhooks")
    page.get_by_label("Endpoint URL").fill("http://127.0.0.1:9/shortlist-hook")
    page.get_by_role("button", name="Add webhook").click()
    expect(page.get_by_test_id("webhook-secret")).to_contain_text("whsec_")
    page.get_by_role("button", name="Delete webhook http://127.0.0.1:9/shortlist-hook").click()
    expect(page.get_by_role("list", name="Your webhooks").locator("li")).to_have_count(0)

    # A password change ends every sign-in; this browser signs in again and carries on.
    new_password = "an entirely new passphrase"
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password").fill(new_password)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Password changed.")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Account")).to_be_visible()

    # Export my data, then delete the account.
    with page.expect_download() as download:
        page.get_by_role("button", name="Export my data").click()
    exported = download.value.path().read_text()
    assert email in exported and "Alex Morgan" in exported
    page.get_by_label('Type "delete my account" to confirm').fill("delete my account")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("link", name="Create your resume")).to_be_visible()
    gone = httpx.post(f"{live_server}/v1/auth/token", data={"username": email, "password": new_password})
    assert gone.status_code == 401


def test_confirm_email_and_reset_a_forgotten_password(page: Page, server_dir: Path) -> None:
    email = sign_up(page)
    page.get_by_role("link", name="Account").click()
    page.get_by_label("Token from the confirmation e-mail").fill("sla_not-a-real-token")
    page.get_by_role("button", name="Confirm", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("token")
    page.get_by_label("Token from the confirmation e-mail").fill(
        mailed_token(server_dir / "outbox", email, "Confirm")
    )
    page.get_by_role("button", name="Confirm", exact=True).click()
    expect(page.get_by_text("(confirmed)")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.goto("/sign-in")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("E-mail").fill(email)
    page.get_by_role("button", name="Send the reset e-mail").click()
    expect(page.get_by_role("status")).to_contain_text("reset e-mail is on its way")
    assert_accessible(page, "password reset")
    page.get_by_label("Token from the e-mail").fill(mailed_token(server_dir / "outbox", email, "Reset"))
    page.get_by_label("New password").fill("a brand new passphrase")
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_role("heading", name="My resumes")).to_be_visible()
