"""Live recruiting in Chromium against a real `shortlist serve`: two recruiters on the same pipeline board see
each other's moves as they happen (the GraphQL subscription over WebSocket, no reload and well inside the 30 s
fallback poll), and an application's resume shown as the real document: PNG pages at the displayed resolution,
later pages loaded as they come into view, the PDF downloaded, the text one click away, an unreadable upload
explained. axe-core checks the board and the application with its page images."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pdfplumber
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, WebSocketRoute, expect

from tests.application.helpers import JOB_DESCRIPTION, resume_document
from tests.web.browser import assert_accessible, screenshot
from tests.web.test_recruiter import (
    Api,
    column,
    eventually,
    join,
    keyboard_move,
    person,
    sign_in,
    wait_scored,
)

pytestmark = pytest.mark.slow

expect.set_options(timeout=15_000)
# The board polls every 30 s while its socket is down: a move must show well inside that.
PUSHED_WITHIN_MS = 10_000


def _watch_csp(page: Page, refused: list[str]) -> None:
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )


@pytest.fixture
def contexts(browser: Browser, live_server: str) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def _page(
    browser: Browser, live_server: str, opened: list[BrowserContext], refused: list[str], **options: Any
) -> Page:
    context = browser.new_context(base_url=live_server, viewport={"width": 1500, "height": 950}, **options)
    opened.append(context)
    page = context.new_page()
    _watch_csp(page, refused)
    return page


def _hiring(live_server: str, server_dir: Path) -> tuple[Api, Api, dict[str, Any], str]:
    owner = person(live_server, "Olga Owner")
    org = owner.call(
        "POST", "/v1/organizations", 201, json={"name": "Live Ltd", "slug": f"live-{uuid.uuid4().hex[:6]}"}
    )
    colleague = person(live_server, "Carl Colleague")
    join(org["id"], owner, colleague, "recruiter", server_dir)
    jobs = f"/v1/organizations/{org['id']}/jobs"
    created = owner.call("POST", jobs, 201, json={"title": "Data Engineer", "description": JOB_DESCRIPTION})
    owner.call("POST", f"{jobs}/{created['id']}/open")
    return owner, colleague, org, str(created["id"])


def _apply(base: str, posting_id: str, name: str, document: dict[str, Any]) -> str:
    candidate = person(base, name)
    resume = candidate.call("POST", "/v1/resumes", 201, json={"title": "Mine", "content": document})
    applied = candidate.call(
        "POST", "/v1/applications", 201, json={"posting_id": posting_id, "resume_id": resume["id"]}
    )
    return str(applied["id"])


class _Link:
    """The page's sockets pass through here to the server; `cut` makes the server unreachable."""

    def __init__(self) -> None:
        self.cut = False
        self.open: list[WebSocketRoute] = []

    def route(self, socket: WebSocketRoute) -> None:
        if self.cut:
            socket.close(code=1013, reason="unreachable")
            return
        socket.connect_to_server()
        self.open.append(socket)


def test_two_recruiters_see_each_others_moves_live(
    browser: Browser, live_server: str, server_dir: Path, contexts: list[BrowserContext]
) -> None:
    owner, colleague, org, posting = _hiring(live_server, server_dir)
    for name in ("Sam Strong", "Kim Keen"):
        _apply(
            live_server,
            posting,
            name,
            resume_document(name, f"{uuid.uuid4().hex[:6]}@example.com", strong=True),
        )
    wait_scored(owner, org["id"], posting, 2)
    board = f"/app/orgs/{org['id']}/jobs/{posting}/pipeline"

    refused: list[str] = []
    mine = _page(browser, live_server, contexts, refused)
    theirs = _page(browser, live_server, contexts, refused)
    link = _Link()
    mine.route_web_socket("**/graphql", link.route)
    for page, who in ((mine, owner), (theirs, colleague)):
        sign_in(page, who.email)
        page.goto(board)
        expect(column(page, "applied").get_by_test_id("card")).to_have_count(2)
        # Subscribed: the board says so (and stops its fallback polling).
        expect(page.get_by_test_id("live-status")).to_have_attribute("data-state", "live")
    expect(mine.get_by_test_id("live-status")).to_have_text("Live: colleagues' changes show as they happen.")
    assert_accessible(mine, "live pipeline")

    # The colleague moves a card on their board: it moves on mine, without a reload.
    keyboard_move(theirs, "Sam Strong", "Screening")
    expect(column(mine, "screening")).to_contain_text("Sam Strong", timeout=PUSHED_WITHIN_MS)
    # ... and the other way round.
    keyboard_move(mine, "Kim Keen", "Screening")
    expect(column(theirs, "screening")).to_contain_text("Kim Keen", timeout=PUSHED_WITHIN_MS)

    # A move through the API (another tool, a script) and a new application arrive the same way.
    apps = f"/v1/organizations/{org['id']}/jobs/{posting}/applications"
    kim = next(a for a in owner.call("GET", apps)["items"] if a["name"] == "Kim Keen")
    colleague.call("POST", f"{apps}/{kim['id']}/move", json={"stage": "offer"})
    expect(column(mine, "offer")).to_contain_text("Kim Keen", timeout=PUSHED_WITHIN_MS)
    expect(column(theirs, "offer")).to_contain_text("Kim Keen", timeout=PUSHED_WITHIN_MS)
    _apply(live_server, posting, "Nia New", resume_document("Nia New", "nia@example.com", strong=False))
    expect(column(mine, "applied")).to_contain_text("Nia New", timeout=PUSHED_WITHIN_MS)
    eventually(
        lambda: sorted(a["stage"] for a in owner.call("GET", apps)["items"]),
        ["applied", "offer", "screening"],
    )

    # The ranked list is live too.
    mine.get_by_role("link", name="Ranked list").click()
    expect(mine.get_by_test_id("live-status")).to_have_attribute("data-state", "live")
    nia = next(a for a in owner.call("GET", apps)["items"] if a["name"] == "Nia New")
    colleague.call("POST", f"{apps}/{nia['id']}/move", json={"stage": "interview"})
    nia_row = mine.get_by_test_id("ranked-row").filter(has_text="Nia New")
    expect(nia_row).to_contain_text("Interview", timeout=PUSHED_WITHIN_MS)
    screenshot(theirs, "recruiter-pipeline-live")

    # The socket drops and the server cannot be reached: the list says so (and polls slowly); once it can
    # be reached again the page reconnects by itself and catches up with what happened meanwhile.
    link.cut = True
    for socket in link.open:
        socket.close(code=1001, reason="gone")
    expect(mine.get_by_test_id("live-status")).to_have_attribute("data-state", "down")
    expect(mine.get_by_test_id("live-status")).to_contain_text("refreshes every 30 seconds meanwhile")
    sam = next(a for a in owner.call("GET", apps)["items"] if a["name"] == "Sam Strong")
    colleague.call("POST", f"{apps}/{sam['id']}/move", json={"stage": "hired"})
    link.cut = False
    expect(mine.get_by_test_id("live-status")).to_have_attribute("data-state", "live")
    expect(mine.get_by_test_id("ranked-row").filter(has_text="Sam Strong")).to_contain_text(
        "Hired", timeout=PUSHED_WITHIN_MS
    )
    assert not refused, refused


def _long_resume(name: str, email: str) -> dict[str, Any]:
    """A resume that runs over three pages."""
    document = resume_document(name, email, strong=True)
    document["work"] += [
        {
            "name": f"Company {i}",
            "position": "Backend Engineer",
            "startDate": f"{2005 + i}-01",
            "endDate": f"{2006 + i}-01",
            "highlights": [
                f"Cut the nightly batch from {4 + i} hours to {i + 1} by partitioning PostgreSQL tables",
                f"Led {3 + i} engineers through the move of the billing platform to Kubernetes",
                "Designed the event schema that every downstream analytics service reads",
            ],
        }
        for i in range(24)
    ]
    return document


def test_the_application_shows_the_resume_as_the_real_document(
    browser: Browser, live_server: str, server_dir: Path, contexts: list[BrowserContext]
) -> None:
    owner, _, org, posting = _hiring(live_server, server_dir)
    strong = _apply(live_server, posting, "Sam Strong", _long_resume("Sam Strong", "sam@example.com"))
    wait_scored(owner, org["id"], posting, 1)
    # A guest's upload that cannot be read: the API has no document for it (409 resume-not-ready).
    guest = httpx.post(
        f"{live_server}/v1/applications/upload",
        data={"posting_id": posting, "name": "Gail Guest", "email": "gail@example.com"},
        files={"file": ("cv.pdf", b"%PDF-1.4\n1 0 obj broken", "application/pdf")},
    )
    assert guest.status_code == 202, guest.text
    apps = f"/v1/organizations/{org['id']}/jobs/{posting}/applications"
    eventually(
        lambda: {
            a["name"]: a["status"] for a in owner.call("GET", f"{apps}?include_withdrawn=true")["items"]
        }.get("Gail Guest"),
        "failed",
        seconds=60,
    )

    refused: list[str] = []
    resume = f"{apps}/{strong}/resume"
    count = int(
        httpx.get(f"{live_server}{resume}?format=png&page=1&ppi=36", headers=owner.headers).headers[
            "X-Page-Count"
        ]
    )
    assert count >= 3
    page = _page(browser, live_server, contexts, refused, device_scale_factor=2, accept_downloads=True)
    rendered: list[str] = []
    page.on("request", lambda request: rendered.append(request.url) if "/resume?" in request.url else None)
    sign_in(page, owner.email)
    page.goto(f"/app/orgs/{org['id']}/jobs/{posting}/applications/{strong}")

    pages = page.get_by_test_id("resume-pages")
    first = pages.get_by_role("img", name=f"Page 1 of {count} of Sam Strong's resume (the text is below)")
    expect(first).to_be_visible()
    expect(page.get_by_role("status").filter(has_text=f"{count} pages")).to_be_visible()
    # Sharp on this 2× screen: the raster covers the displayed width in device pixels.
    natural, shown, ratio = first.evaluate(
        "img => [img.naturalWidth, img.clientWidth, window.devicePixelRatio]"
    )
    assert ratio == 2 and shown * ratio <= natural <= (shown + 12 * 8.27) * ratio, (natural, shown)
    assert all("ppi=" in url for url in rendered)
    # The last page waits until it comes near the view (a screen ahead), then loads.
    last = pages.locator(f"[data-page='{count}']")
    expect(last).to_be_attached()
    assert last.evaluate("el => el.tagName") == "DIV" and not [u for u in rendered if f"page={count}&" in u]
    last.scroll_into_view_if_needed()
    expect(
        pages.get_by_role("img", name=f"Page {count} of {count} of Sam Strong's resume (the text is below)")
    ).to_be_visible()
    assert [url for url in rendered if f"page={count}&" in url]
    assert_accessible(page, "application with resume pages")
    screenshot(page, "recruiter-application-resume")

    # The whole PDF, as downloaded: the real document, with her experience in it.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    assert download.value.suggested_filename == "Sam Strong.pdf"
    with pdfplumber.open(io.BytesIO(Path(download.value.path()).read_bytes())) as pdf:
        assert len(pdf.pages) == count
        assert "Acme Payments" in (pdf.pages[0].extract_text() or "")

    # The text stays available (screen readers, copying).
    page.get_by_text("The resume as text").click()
    expect(page.get_by_test_id("resume-preview")).to_contain_text("Acme Payments")
    expect(page.get_by_test_id("resume-preview")).to_be_visible()

    # The unreadable upload: said plainly, no broken image, no download offered.
    gail = next(a for a in owner.call("GET", apps)["items"] if a["name"] == "Gail Guest")
    page.goto(f"/app/orgs/{org['id']}/jobs/{posting}/applications/{gail['id']}")
    expect(
        page.get_by_text("The uploaded file could not be read, so there is no document to show.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Download PDF")).to_be_disabled()
    expect(page.get_by_test_id("resume-pages").get_by_role("img")).to_have_count(0)
    assert_accessible(page, "application without a readable resume")
    assert not refused, refused
