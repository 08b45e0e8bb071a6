"""Each domain declares its periodic tasks in its tasks module; the scheduler collects and runs them."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.config import Settings
from shortlist.context import AppContext
from shortlist.job.periodic import collect_periodic_tasks
from shortlist.job.runtime import job_services
from shortlist.job.scheduler import maintain_once, periodic_tasks
from shortlist.platform.periodic import PeriodicTask


async def _counts_seven(_settings: Settings, _session: AsyncSession, _now: datetime) -> int:
    return 7


@pytest.fixture
def declaring_module() -> Iterator[str]:
    name = "tests.job._declares_periodic"
    module = types.ModuleType(name)
    module.PERIODIC_TASKS = (PeriodicTask("sevens", _counts_seven),)  # type: ignore[attr-defined]
    sys.modules[name] = module
    yield name
    del sys.modules[name]


def test_the_scheduler_runs_every_domains_declared_retention() -> None:
    names = [task.name for task in periodic_tasks()]
    expected = ["idempotency_keys", "refresh_tokens", "action_tokens", "jobs", "events", "resumes"]
    assert names[: len(expected)] == expected
    assert {"applications", "ats_uploads"} <= set(names) and len(names) == len(set(names))


def test_collection_reads_the_modules_declarations_and_refuses_duplicate_names(declaring_module: str) -> None:
    assert [task.name for task in collect_periodic_tasks([declaring_module])] == ["sevens"]
    with pytest.raises(ValueError, match="sevens"):
        collect_periodic_tasks([declaring_module, declaring_module])


async def test_maintenance_runs_the_given_tasks_and_reports_each_count(
    app_context: AppContext, declaring_module: str
) -> None:
    tasks = collect_periodic_tasks([declaring_module])
    assert await maintain_once(job_services(app_context), tasks) == {"sevens": 7}
