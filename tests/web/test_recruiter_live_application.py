"""An open application follows colleagues live, and board cards carry their tags. In Chromium against a real
`shortlist serve`: a colleague (through the API, as another tool would) tags, notes, overrides the score and
moves the stage; the board's card and then the open application show each change without a reload, over the
one socket the page keeps for the job, well inside the 30 s fallback poll. axe-core checks both screens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, WebSocket, expect

from tests.application.helpers import resume_document
from tests.web.browser import assert_accessible, screenshot
from tests.web.test_recruiter import column, sign_in, wait_scored
from tests.web.test_recruiter_live import PUSHED_WITHIN_MS, _apply, _hiring, _page

pytestmark = pytest.mark.slow


@pytest.fixture
def contexts() -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def test_an_open_application_and_the_board_follow_colleagues(
    browser: Browser, live_server: str, server_dir: Path, contexts: list[BrowserContext]
) -> None:
    owner, colleague, org, posting = _hiring(live_server, server_dir)
    sam = _apply(
        live_server, posting, "Sam Strong", resume_document("Sam Strong", "sam@example.com", strong=True)
    )
    wait_scored(owner, org["id"], posting, 1)
    refused: list[str] = []
    page = _page(browser, live_server, contexts, refused)
    sockets: list[WebSocket] = []
    page.on("websocket", lambda socket: sockets.append(socket))
    sign_in(page, owner.email)
    page.goto(f"/app/orgs/{org['id']}/jobs/{posting}/pipeline")
    status = page.get_by_test_id("live-status")
    expect(status).to_have_attribute("data-state", "live")
    card = column(page, "applied").get_by_test_id("card").filter(has_text="Sam Strong")
    expect(card.get_by_role("list", name="Tags of Sam Strong")).to_have_count(0)

    # Tags on the card, as a colleague sets them: the first ones, then how many more (named for screen readers).
    application = f"/v1/organizations/{org['id']}/jobs/{posting}/applications/{sam}"
    colleague.call(
        "PUT", f"{application}/tags", json={"tags": ["senior", "remote", "kafka", "python", "on-call"]}
    )
    stored: list[str] = owner.call("GET", application)["tags"]
    tags = card.get_by_role("list", name="Tags of Sam Strong")
    expect(tags.get_by_role("listitem")).to_have_count(3, timeout=PUSHED_WITHIN_MS)
    expect(tags.get_by_role("listitem").nth(0)).to_have_text(stored[0])
    expect(tags.get_by_role("listitem").nth(1)).to_have_text(stored[1])
    expect(tags.get_by_role("listitem").nth(2)).to_have_text(f"+3and {', '.join(stored[2:])}")
    expect(tags.get_by_role("listitem").nth(2)).to_have_attribute("title", ", ".join(stored[2:]))
    assert_accessible(page, "pipeline with tagged cards")
    screenshot(page, "recruiter-pipeline-tags")

    # The application, opened from the card: the same socket serves it (no second one for the job).
    card.get_by_role("link", name="Sam Strong").click()
    expect(page.get_by_role("heading", name="Sam Strong")).to_be_visible()
    expect(status).to_have_attribute("data-state", "live")
    expect(status).to_contain_text("Live: colleagues' changes show as they happen.")
    expect(page.get_by_role("list", name="Tags of this application").get_by_role("listitem")).to_have_count(5)

    colleague.call("POST", f"{application}/notes", 201, json={"body": "Strong on Kafka; ask about on-call."})
    expect(page.get_by_test_id("notes")).to_contain_text("Strong on Kafka", timeout=PUSHED_WITHIN_MS)
    expect(page.get_by_test_id("timeline")).to_contain_text("Strong on Kafka", timeout=PUSHED_WITHIN_MS)

    colleague.call("PUT", f"{application}/tags", json={"tags": ["remote"]})
    expect(page.get_by_role("list", name="Tags of this application").get_by_role("listitem")).to_have_text(
        ["remote×"], timeout=PUSHED_WITHIN_MS
    )

    etag = httpx.get(live_server + application, headers=colleague.headers).headers["ETag"]
    colleague.call("PATCH", application, json={"override_score": 88}, headers={"If-Match": etag})
    expect(page.get_by_test_id("score-detail")).to_contain_text("88", timeout=PUSHED_WITHIN_MS)

    colleague.call("POST", f"{application}/move", json={"stage": "screening"})
    expect(page.get_by_text("Stage: Screening")).to_be_visible(timeout=PUSHED_WITHIN_MS)
    expect(page.get_by_label("Move to")).to_have_value("screening")
    assert_accessible(page, "live application")

    # Back on the board (still the one socket): the card moved and carries the one tag left.
    page.go_back()
    moved = column(page, "screening").get_by_test_id("card").filter(has_text="Sam Strong")
    expect(moved.get_by_role("list", name="Tags of Sam Strong").get_by_role("listitem")).to_have_text(
        ["remote"]
    )
    assert len(sockets) == 1, [s.url for s in sockets]
    assert not refused, refused
