"""Running the engine from the API: CPU-bound work off the event loop, behind one bounded limiter.

Untrusted uploads are never parsed here: the upload routes queue a job, and the worker parses the file in
a limited child process (ats/tasks.py). The API parses only PDFs it rendered itself, in its render workers
(ats/service.py: report_on_rendered_pdf).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from starlette.requests import Request

from shortlist.ats.engine.files import Limits
from shortlist.ats.exceptions import ats_problems
from shortlist.config import Settings
from shortlist.context import get_context

T = TypeVar("T")


class AtsRunner:
    """One per application: bounds how many parses (each a child process or a thread) run at once."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.limits = Limits(max_bytes=settings.ats_upload_max_bytes)
        # Created on first use, inside the running event loop.
        self._limiter: anyio.CapacityLimiter | None = None

    @property
    def limiter(self) -> anyio.CapacityLimiter:
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.settings.ats_parse_concurrency)
        return self._limiter

    async def run(self, call: Callable[[], T]) -> T:
        """Run CPU-bound engine work in a worker thread; engine errors become problem documents."""
        with ats_problems():
            return await anyio.to_thread.run_sync(call, limiter=self.limiter)


async def get_runner(request: Request) -> AtsRunner:
    """The application's runner, made on first use (it needs no start-up or shutdown). `async def` so that
    FastAPI does not send this dependency to the thread pool."""
    state: Any = request.app.state
    runner: AtsRunner | None = getattr(state, "ats_runner", None)
    if runner is None:
        runner = AtsRunner(get_context(request).settings)
        state.ats_runner = runner
    return runner
