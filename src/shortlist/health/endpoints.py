from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from shortlist.context import AppContext
from shortlist.health.exceptions import NotReady
from shortlist.health.probes import check_broker, check_database, check_rate_limit_store
from shortlist.http.deps import Context

router = APIRouter(tags=["health"])

_CHECK_TIMEOUT_SECONDS = 2.0

Probe = Callable[[AppContext], Awaitable[None]]


@router.get("/livez", operation_id="livez")
async def livez() -> dict[str, str]:
    """The process is up and serving (no dependency is checked: a restart would not fix them)."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    operation_id="readyz",
    responses={503: {"description": "A dependency is down: a problem document whose `failing` names it."}},
)
async def readyz(context: Context) -> JSONResponse:
    """Ready to take traffic: the database and (when configured) Redis and the job broker answer."""
    probes: dict[str, Probe] = {"database": check_database}
    if context.settings.redis_url:
        probes["redis"] = check_rate_limit_store
    if context.settings.broker_url:
        probes["broker"] = check_broker
    # Concurrently: one dependency that hangs must not eat the others' share of the probe's timeout.
    outcomes = await asyncio.gather(*(_check(probe, context) for probe in probes.values()))
    checks = dict(zip(probes, outcomes, strict=True))
    if any(state != "ok" for state in checks.values()):
        raise NotReady(checks)
    return JSONResponse({"status": "ok", "checks": checks}, headers={"Cache-Control": "no-store"})


async def _check(probe: Probe, context: AppContext) -> str:
    try:
        await asyncio.wait_for(probe(context), _CHECK_TIMEOUT_SECONDS)
    except TimeoutError:
        return f"failing: no answer within {_CHECK_TIMEOUT_SECONDS:g} s"
    except Exception as exc:
        return f"failing: {type(exc).__name__}"
    return "ok"
