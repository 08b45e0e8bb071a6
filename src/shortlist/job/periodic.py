"""Collects the periodic tasks the domains declare (`PERIODIC_TASKS` in each module of TASK_MODULES)."""

from __future__ import annotations

import importlib

from shortlist.job.registry import TASK_MODULES
from shortlist.platform.periodic import PeriodicTask


def collect_periodic_tasks(modules: list[str] | None = None) -> list[PeriodicTask]:
    """Every `PERIODIC_TASKS` declared by the task modules, in module order; names must be unique."""
    tasks: list[PeriodicTask] = []
    for name in modules if modules is not None else TASK_MODULES:
        declared: tuple[PeriodicTask, ...] = getattr(importlib.import_module(name), "PERIODIC_TASKS", ())
        tasks.extend(declared)
    names = [task.name for task in tasks]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"periodic task names must be unique: {', '.join(duplicates)}")
    return tasks
