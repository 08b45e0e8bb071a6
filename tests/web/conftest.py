from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from shortlist.web.spa import DIST
from tests.served import UPLOAD_LIMIT
from tests.web.browser import CHROMIUM, launch

__all__ = ["UPLOAD_LIMIT"]


@pytest.fixture
def live_server(live_server: str) -> str:
    """The run's shared server (tests/served.py), once the browser app is built."""
    if not (DIST / "index.html").is_file():
        pytest.skip("the browser app is not built (make web)")
    return live_server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Per module, not per run: sync Playwright holds an event loop on this thread while it runs, and the
    # suite's async tests that follow need the thread's loop to themselves.
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (.ci/run installs it)")
    yield from launch()
