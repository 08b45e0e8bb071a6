from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from shortlist.health.probes import check_database, check_rate_limit_store
from shortlist.http.deps import Context

router = APIRouter(tags=["health"])

_CHECK_TIMEOUT_SECONDS = 2.0


@router.get("/livez", operation_id="livez")
async def livez() -> dict[str, str]:
    """The process is up and serving (no dependency is checked: a restart would not fix them)."""
    return {"status": "ok"}


@router.get("/readyz", operation_id="readyz", responses={503: {"description": "A dependency is down."}})
async def readyz(context: Context) -> JSONResponse:
    """Ready to take traffic: the database and (when configured) Redis answer."""
    checks: dict[str, Any] = {}
    probes = {"database": check_database}
    if context.settings.redis_url:
        probes["redis"] = check_rate_limit_store
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
