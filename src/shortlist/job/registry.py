"""Job kinds: a `domain.event` name bound to a handler and its limits. Domains register at import time;
the worker imports every module listed in TASK_MODULES before it consumes, the scheduler collects their
periodic tasks."""

from __future__ import annotations

import importlib
import inspect
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from shortlist.config import Settings
from shortlist.platform.db import Database

JsonObject = dict[str, Any]

# Modules that register job kinds or declare periodic tasks (job/periodic.py); a new domain adds its tasks
# module here.
TASK_MODULES: list[str] = [
    "shortlist.http.tasks",
    "shortlist.auth.tasks",
    "shortlist.job.tasks",
    "shortlist.event.tasks",
    "shortlist.resume.tasks",
    "shortlist.webhook.tasks",
    "shortlist.ats.tasks",
    "shortlist.application.tasks",
]


class JobContext(Protocol):
    """What an async handler may know and do about its job."""

    job_id: uuid.UUID
    kind: str
    attempt: int
    owner_id: uuid.UUID | None
    resource_id: uuid.UUID | None

    @property
    def database(self) -> Database:
        """For reading inputs and writing effects; make effects idempotent (key them by job_id)."""
        ...

    @property
    def settings(self) -> Settings:
        """The process's settings (limits, timeouts)."""
        ...

    async def progress(self, percent: int) -> None:
        """Record progress (0–100); followers see it live."""
        ...


AsyncHandler = Callable[[JobContext, JsonObject], Awaitable[JsonObject | None]]
# CPU-bound handlers are plain functions of the payload, run in a child process with limits. They must be
# defined at module level (the child imports them by name).
CpuHandler = Callable[[JsonObject], JsonObject | None]


class JobFailed(Exception):
    """Raise from a handler for a failure that retrying cannot fix: the job ends `failed` at once.

    `slug`, `title` and `status` let a domain report its own problem type (an unreadable upload is the same
    `encrypted-document` problem whether a request or a job found it)."""

    def __init__(
        self, detail: str, *, slug: str = "job-failed", title: str = "Job failed", status: int | None = None
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.slug = slug
        self.title = title
        self.status = status


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: AsyncHandler | CpuHandler
    cpu_bound: bool
    timeout: float | None
    max_attempts: int | None
    memory_limit_mb: int | None


_kinds: dict[str, JobKind] = {}


def register_job(
    name: str,
    handler: AsyncHandler | CpuHandler,
    *,
    cpu_bound: bool = False,
    timeout: float | None = None,
    max_attempts: int | None = None,
    memory_limit_mb: int | None = None,
) -> JobKind:
    """Bind `name` ("resume.rendered") to `handler`. None limits fall back to the settings.

    Handlers must be idempotent: a job can run again after a worker died mid-way.
    """
    if name.count(".") < 1 or len(name) > 100:
        raise ValueError(f"job kind names look like 'domain.event', not {name!r}")
    is_async = inspect.iscoroutinefunction(handler)
    if cpu_bound == is_async:
        raise ValueError(
            f"{name}: CPU-bound handlers are plain functions of the payload; others are async (ctx, payload)"
        )
    kind = JobKind(name, handler, cpu_bound, timeout, max_attempts, memory_limit_mb)
    _kinds[name] = kind
    return kind


def get_kind(name: str) -> JobKind | None:
    return _kinds.get(name)


def kind_names() -> list[str]:
    return sorted(_kinds)


def load_task_modules(extra: list[str] | None = None) -> None:
    for module in [*TASK_MODULES, *(extra or [])]:
        importlib.import_module(module)
