"""The declaration of periodic work: each domain lists its `PeriodicTask`s as `PERIODIC_TASKS` in its
`tasks.py`, and the scheduler collects them (job/periodic.py).

A task deletes or expires what its own domain keeps past retention and returns how many rows it touched. It
runs in the scheduler's maintenance transaction and must be idempotent: several schedulers may run at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.config import Settings


@dataclass(frozen=True)
class PeriodicTask:
    # The key of the task's count in the maintenance log line ("resumes", "refresh_tokens").
    name: str
    run: Callable[[Settings, AsyncSession, datetime], Awaitable[int]]
