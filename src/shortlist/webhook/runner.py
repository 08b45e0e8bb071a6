"""The embedded delivery loop: polls for due deliveries and attempts them, bounded in concurrency.

Several loops (replicas of `serve`) may run against one database: each attempt is claimed with a
conditional UPDATE first, so a delivery attempt is never sent twice. When the jobs worker takes over
delivery, set `SHORTLIST_WEBHOOK_DELIVERY_EMBEDDED=false` and run `attempt_delivery` from a job instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from datetime import timedelta

import structlog

from shortlist.context import AppContext
from shortlist.kit.db import utcnow
from shortlist.webhook import repository
from shortlist.webhook.delivery import DeliveryOutcome, attempt_delivery

log = structlog.get_logger(__name__)

PURGE_EVERY_SECONDS = 3600.0
PURGE_BATCH = 1000


class DeliveryRunner:
    def __init__(
        self,
        context: AppContext,
        *,
        poll_interval: float | None = None,
        concurrency: int | None = None,
        batch_size: int | None = None,
    ) -> None:
        settings = context.settings
        self.context = context
        self.poll_interval = poll_interval or settings.webhook_poll_interval_seconds
        self.concurrency = concurrency or settings.webhook_delivery_concurrency
        self.batch_size = batch_size or self.concurrency * 4
        self._semaphore = asyncio.Semaphore(self.concurrency)
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._next_purge = time.monotonic()

    async def due(self) -> list[uuid.UUID]:
        async with self.context.database.reader() as session:
            return await repository.due_delivery_ids(session, utcnow(), self.batch_size)

    async def _attempt(self, delivery_id: uuid.UUID) -> DeliveryOutcome:
        async with self._semaphore:
            try:
                return await attempt_delivery(self.context, delivery_id)
            except Exception as exc:
                # One broken delivery must not stop the loop; its claim lapses and it is tried again.
                log.exception("webhook.attempt_crashed", delivery_id=str(delivery_id))
                return DeliveryOutcome(delivery_id, "skipped", error=type(exc).__name__)

    async def run_once(self) -> list[DeliveryOutcome]:
        """One poll: attempt every due delivery (up to batch_size). Returns the outcomes, skipped ones too."""
        ids = await self.due()
        return list(await asyncio.gather(*(self._attempt(i) for i in ids)))

    async def purge(self) -> int:
        """Delete finished deliveries older than the retention period, in small batches."""
        days = self.context.settings.webhook_delivery_retention_days
        before = utcnow() - timedelta(days=days)
        total = 0
        while True:
            async with self.context.database.writer() as session:
                removed = await repository.purge_finished(session, before, PURGE_BATCH)
                await session.commit()
            total += removed
            if removed < PURGE_BATCH:
                return total

    async def run_forever(self) -> None:
        while True:
            try:
                if time.monotonic() >= self._next_purge:
                    self._next_purge = time.monotonic() + PURGE_EVERY_SECONDS
                    await self.purge()
                outcomes = await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("webhook.poll_failed")
                outcomes = []
            if len(outcomes) >= self.batch_size:
                continue  # a backlog: poll again at once
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_interval)

    def wake(self) -> None:
        """Poll now instead of at the next interval (e.g. right after an event was enqueued)."""
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self.run_forever(), name="webhook-delivery")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
