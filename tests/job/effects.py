"""A job kind with a real side effect, for crash tests (imported by worker subprocesses via
SHORTLIST_JOB_MODULES). The effect is keyed by job id: the documented way to make a handler idempotent."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select

from shortlist.event import emit
from shortlist.job.registry import JobContext, register_job
from shortlist.models import Event


async def effect(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    steps = int(payload.get("steps", 4))
    pause = float(payload.get("pause", 0.05))
    for step in range(steps):
        await asyncio.sleep(pause)
        await ctx.progress(step * 50 // steps)
    async with ctx.database.writer() as session:
        done = await session.scalar(
            select(Event.seq).where(Event.name == "test.effect", Event.resource_id == ctx.job_id)
        )
        if done is None:
            emit(session, "test.effect", owner_id=ctx.owner_id, resource_type="job", resource_id=ctx.job_id)
            await session.commit()
    for step in range(steps):
        await asyncio.sleep(pause)
        await ctx.progress(50 + step * 50 // steps)
    return {"attempt": ctx.attempt}


register_job("test.effect", effect, timeout=60, max_attempts=100)
