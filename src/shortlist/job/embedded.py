"""Run the worker and the scheduler as tasks of the current event loop (`serve` without a broker, tests)."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

from shortlist.job.registry import load_task_modules
from shortlist.job.runtime import JobServices
from shortlist.job.scheduler import run_scheduler
from shortlist.job.worker import Worker


@dataclass
class JobRunner:
    services: JobServices
    worker: bool = True
    scheduler: bool = True
    concurrency: int | None = None
    stop_event: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    async def start(self) -> JobRunner:
        load_task_modules(self.services.settings.job_modules)
        if self.worker:
            worker = Worker(self.services, self.concurrency or self.services.settings.worker_concurrency)
            self._tasks.append(asyncio.create_task(worker.run(self.stop_event)))
        if self.scheduler:
            self._tasks.append(asyncio.create_task(run_scheduler(self.services, self.stop_event)))
        return self

    async def stop(self) -> None:
        self.stop_event.set()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()

    async def __aenter__(self) -> JobRunner:
        return await self.start()

    async def __aexit__(self, *_: object) -> None:
        await self.stop()
