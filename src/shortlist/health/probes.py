"""What readiness checks: each probe raises when its dependency does not answer."""

from __future__ import annotations

from sqlalchemy import text

from shortlist.context import AppContext


async def check_database(context: AppContext) -> None:
    async with context.database.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def check_rate_limit_store(context: AppContext) -> None:
    if not await context.rate_limiter.ping():
        raise ConnectionError("rate-limit store did not answer")


async def check_broker(context: AppContext) -> None:
    await context.queue.ping()
