"""Auth tests talk to the application over a real socket (uvicorn on a free loopback port)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from shortlist.context import AppContext
from shortlist.main import create_app
from tests.job.live_server import served


@pytest.fixture
async def http(app_context: AppContext) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        served(create_app(context=app_context)) as address,
        httpx.AsyncClient(base_url=f"http://{address}", timeout=30) as client,
    ):
        yield client
