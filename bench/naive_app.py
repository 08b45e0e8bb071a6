"""Baselines for bench/api_bench.py, written the usual template way.

- ``GET /resumes/{resume_id}``: FastAPI + SQLAlchemy async ORM, a session per request from a dependency,
  ``session.get`` by primary key, a Pydantic response model. No auth, no middleware.
- ``GET /noio/resume``: FastAPI returning the same resume document as the reads above, through the same
  Pydantic response model, from memory: no I/O at all. The document (our API's answer for the resume the
  bench reads) comes in ``BENCH_NOIO_DOCUMENT`` as JSON when the process starts.
- ``GET /noio``: FastAPI returning a 10-field Pydantic model, no I/O at all: a smaller payload still.

Run as ``uvicorn bench.naive_app:create_app --factory`` with ``SHORTLIST_DATABASE_URL`` pointing at the
database the API uses (the same ``resumes`` table).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel, ConfigDict
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from shortlist.models import Resume


class ResumeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str
    version: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None
    content: dict[str, Any]


class Pong(BaseModel):
    id: int
    name: str
    email: str
    active: bool
    score: float
    tags: list[str]
    created_at: datetime
    note: str | None
    count: int
    ratio: float


_EMPTY = {
    "id": uuid.UUID(int=0),
    "title": "",
    "version": 1,
    "created_at": datetime(2026, 1, 1, tzinfo=UTC),
    "updated_at": datetime(2026, 1, 1, tzinfo=UTC),
    "content": {},
}

_sessions: async_sessionmaker[AsyncSession] | None = None


async def get_db() -> AsyncIterator[AsyncSession]:
    assert _sessions is not None
    async with _sessions() as session:
        yield session


def create_app() -> FastAPI:
    global _sessions
    _sessions = async_sessionmaker(
        create_async_engine(os.environ["SHORTLIST_DATABASE_URL"]), expire_on_commit=False
    )
    app = FastAPI()

    @app.get("/resumes/{resume_id}")
    async def read_resume(resume_id: uuid.UUID, db: Annotated[AsyncSession, Depends(get_db)]) -> ResumeOut:
        resume = await db.get(Resume, resume_id)
        if resume is None:
            raise HTTPException(404)
        return ResumeOut.model_validate(resume)

    document = ResumeOut.model_validate(json.loads(os.environ.get("BENCH_NOIO_DOCUMENT") or "null") or _EMPTY)

    @app.get("/noio/resume")
    async def noio_resume() -> ResumeOut:
        return document

    created = datetime(2026, 1, 1, tzinfo=UTC)

    @app.get("/noio")
    async def noio() -> Pong:
        return Pong(
            id=1,
            name="Ada",
            email="ada@example.org",
            active=True,
            score=9.5,
            tags=["a", "b"],
            created_at=created,
            note=None,
            count=3,
            ratio=0.5,
        )

    return app
