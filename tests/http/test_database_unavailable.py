"""A database that cannot be reached is a 503 with Retry-After, not a server error: the failures a real driver
raises are recognised, and nothing else is taken for them."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from shortlist.http.errors import database_unreachable
from shortlist.platform.db import create_database
from tests.support import free_port


async def _failure_of(url: str) -> BaseException:
    database = create_database(url)
    try:
        async with database.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as exc:
        return exc
    finally:
        await database.dispose()
    raise AssertionError("the connection should have failed")


async def test_a_refused_postgresql_connection_is_recognised() -> None:
    # Nothing listens on the port: asyncpg's own refusal, through SQLAlchemy's pool.
    failure = await _failure_of(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/none")
    assert database_unreachable(failure), repr(failure)


@pytest.mark.parametrize(
    "error",
    [ValueError("bad input"), TimeoutError("a render took too long"), KeyError("x")],
    ids=["value", "timeout-elsewhere", "key"],
)
async def test_other_failures_are_not_taken_for_an_outage(error: Exception) -> None:
    async def fail() -> None:
        raise error

    with pytest.raises(type(error)) as caught:
        await asyncio.wait_for(fail(), 5)
    assert not database_unreachable(caught.value)
