"""A write that loses a race to a concurrent one is refused by the database's constraints: the client gets a 409
problem document it can act on, not a 500, and what was stored first stays as it was."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from shortlist.context import AppContext
from shortlist.http.errors import install_error_handlers, lost_a_race


def _app_inserting_twice(context: AppContext, second: str) -> FastAPI:
    """A route whose second insert breaks a constraint of a real table on the suite's own database."""
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/twice")
    async def twice() -> dict[str, str]:
        async with context.database.engine.connect() as connection:
            await connection.execute(
                text("CREATE TEMPORARY TABLE taken (name VARCHAR(20) PRIMARY KEY, n INT NOT NULL)")
            )
            await connection.execute(text("INSERT INTO taken VALUES ('first', 1)"))
            await connection.execute(text(second))
        return {"stored": "both"}

    return app


async def _post(app: FastAPI) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.post("/twice")


async def test_a_duplicate_value_is_a_conflict(context: AppContext) -> None:
    response = await _post(_app_inserting_twice(context, "INSERT INTO taken VALUES ('first', 2)"))
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert "at the same time" in response.json()["detail"]


async def test_a_broken_not_null_rule_stays_a_server_error(context: AppContext) -> None:
    # That is a bug in the code, not a race: it must be logged and seen, not passed off as the client's conflict.
    response = await _post(_app_inserting_twice(context, "INSERT INTO taken VALUES ('second', NULL)"))
    assert response.status_code == 500
    assert response.json()["title"] == "Internal server error"


async def test_only_integrity_errors_are_taken_for_a_lost_race() -> None:
    assert not lost_a_race(ValueError("UNIQUE constraint failed: x"))
