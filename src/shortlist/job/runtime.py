"""What the worker, scheduler and dispatcher share: settings, database, queue and live fan-out."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.config import Settings
from shortlist.context import AppContext
from shortlist.job.service import job_json, take_pending
from shortlist.models import Job
from shortlist.platform.db import Database
from shortlist.platform.pubsub import PubSub, user_channel
from shortlist.platform.queue import JobQueue

log = structlog.get_logger(__name__)


@dataclass
class JobServices:
    settings: Settings
    database: Database
    queue: JobQueue
    pubsub: PubSub

    async def publish(self, job_ids: Iterable[uuid.UUID]) -> None:
        """Best effort: a publication lost here is redone by the sweeper from the jobs table."""

        async def one(job_id: uuid.UUID) -> None:
            try:
                await self.queue.publish(job_id)
            except Exception:
                log.warning("jobs.publish_failed", job_id=str(job_id), exc_info=True)

        # Concurrent, so a batch waits for one round of broker confirms rather than one per job.
        await asyncio.gather(*(one(job_id) for job_id in job_ids))

    async def after_commit(self, session: AsyncSession) -> None:
        await self.publish(take_pending(session))

    async def notify(self, job: Job | None) -> None:
        if job is None or job.owner_id is None:
            return
        try:
            await self.pubsub.publish(user_channel(job.owner_id), {"type": "job", "job": job_json(job)})
        except Exception:
            log.warning("jobs.notify_failed", job_id=str(job.id), exc_info=True)


def job_services(context: AppContext) -> JobServices:
    return JobServices(context.settings, context.database, context.queue, context.pubsub)
