from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from sqlalchemy import text

from shortlist.context import AppContext, request_context

router = APIRouter(tags=["health"])

_CHECK_TIMEOUT_SECONDS = 2.0


@router.get("/livez", operation_id="livez")
async def livez() -> dict[str, str]:
    """The process is up and serving (no dependency is checked: a restart would not fix them)."""
    return {"status": "ok"}


async def _check_database(context: AppContext) -> None:
    async with context.database.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def _check_rate_limit_store(context: AppContext) -> None:
    if not await context.rate_limiter.ping():
        raise ConnectionError("rate-limit store did not answer")


@router.get("/readyz", operation_id="readyz", responses={503: {"description": "A dependency is down."}})
async def readyz(context: Annotated[AppContext, Depends(request_context)]) -> JSONResponse:
    """Ready to take traffic: the database and (when configured) Redis answer."""
    checks: dict[str, Any] = {}
    probes = {"database": _check_database}
    if context.settings.redis_url:
        probes["redis"] = _check_rate_limit_store
    healthy = True
    for name, probe in probes.items():
        try:
            await asyncio.wait_for(probe(context), _CHECK_TIMEOUT_SECONDS)
            checks[name] = "ok"
        except Exception as exc:
            checks[name] = f"failing: {type(exc).__name__}"
            healthy = False
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    return JSONResponse(body, status_code=200 if healthy else 503, headers={"Cache-Control": "no-store"})
