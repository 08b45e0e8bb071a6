"""A live board whose connection dies silently (no close frame, no reset: the path just stops carrying
anything) notices within a bounded time through graphql-ws's ping/pong, says so and polls, then reconnects
by itself once the server can be reached again and catches up. The browser reaches the server through a
TCP proxy that stops forwarding; the server, the browser and the page are all real."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.application.helpers import resume_document
from tests.web.stall import StallingProxy
from tests.web.test_recruiter import column, sign_in, wait_scored
from tests.web.test_recruiter_live import _apply, _hiring

pytestmark = pytest.mark.slow

# web/src/recruiter/live.tsx: a ping 10 s after the last pong (KEEPALIVE_MS), its pong due within 5 s
# (PONG_TIMEOUT_MS): a dead socket is given up within their sum.
KEEPALIVE_S, PONG_TIMEOUT_S = 10.0, 5.0
# Timers and the status check's own polling add a little.
SLACK_S = 3.0


@pytest.fixture
def proxy(live_server: str) -> Iterator[StallingProxy]:
    proxy = StallingProxy(live_server)
    yield proxy
    proxy.close()


@pytest.fixture
def tab(browser: Browser, proxy: StallingProxy) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=proxy.url, viewport={"width": 1500, "height": 950})
    yield context
    context.close()


def test_a_silently_dead_socket_is_noticed_and_replaced(
    tab: BrowserContext, proxy: StallingProxy, live_server: str, server_dir: Path
) -> None:
    owner, colleague, org, posting = _hiring(live_server, server_dir)
    _apply(live_server, posting, "Sam Strong", resume_document("Sam Strong", "sam@example.com", strong=True))
    wait_scored(owner, org["id"], posting, 1)
    page = tab.new_page()
    sign_in(page, owner.email)
    page.goto(f"/app/orgs/{org['id']}/jobs/{posting}/pipeline")
    status = page.get_by_test_id("live-status")
    expect(status).to_have_attribute("data-state", "live", timeout=15_000)
    expect(column(page, "applied")).to_contain_text("Sam Strong")

    # The path dies: nothing closes, the browser has no idea.
    stalled_at = time.monotonic()
    proxy.stall()
    expect(status).not_to_have_attribute(
        "data-state", "live", timeout=(KEEPALIVE_S + PONG_TIMEOUT_S + SLACK_S) * 1000
    )
    noticed = time.monotonic() - stalled_at
    # Not before a ping went unanswered (no close event told the page), and within the bound.
    assert PONG_TIMEOUT_S - 0.5 <= noticed <= KEEPALIVE_S + PONG_TIMEOUT_S + SLACK_S, noticed
    expect(status).to_have_attribute("data-state", "down")
    expect(status).to_contain_text("refreshes every 30 seconds meanwhile")

    # Meanwhile a colleague moves the card; the reconnected board shows it without a reload.
    apps = f"/v1/organizations/{org['id']}/jobs/{posting}/applications"
    sam = owner.call("GET", apps)["items"][0]
    colleague.call("POST", f"{apps}/{sam['id']}/move", json={"stage": "screening"})
    expect(column(page, "applied")).to_contain_text("Sam Strong")
    proxy.heal()
    expect(status).to_have_attribute("data-state", "live", timeout=20_000)
    expect(column(page, "screening")).to_contain_text("Sam Strong", timeout=10_000)
    print(f"dead socket noticed after {noticed:.1f} s")
