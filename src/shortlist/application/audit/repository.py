"""All SQL for the candidate-data access log; reads are scoped to one organisation."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.kit.pagination import newest_first
from shortlist.models import Application, CandidateDataAccess


@dataclass(frozen=True)
class AccessFilters:
    action: str | None = None
    actor_id: uuid.UUID | None = None
    credential: str | None = None
    application_id: uuid.UUID | None = None
    person_id: uuid.UUID | None = None
    since: datetime | None = None
    until: datetime | None = None

    def key(self) -> str:
        """The filters as text, to bind a cursor to the query it came from."""
        return "|".join("" if v is None else str(v) for v in self.__dict__.values())


def add(session: AsyncSession, entries: Sequence[CandidateDataAccess]) -> None:
    session.add_all(entries)


async def insert_rows(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Entries as column values, in one statement (no unit of work: nothing reads them back). Core's
    insert: the ORM's bulk insert would split the rows by which values are null."""
    if rows:
        table = CandidateDataAccess.__table__
        assert isinstance(table, Table)
        await session.execute(insert(table), list(rows))


async def candidates_of(
    session: AsyncSession, organization_id: uuid.UUID, application_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID | None]:
    """application id -> the candidate's account id (None for a guest), for the organisation's applications."""
    if not application_ids:
        return {}
    rows = await session.execute(
        select(Application.id, Application.candidate_id).where(
            Application.organization_id == organization_id, Application.id.in_(application_ids)
        )
    )
    return dict(rows.tuples().all())


async def page(
    session: AsyncSession,
    organization_id: uuid.UUID,
    filters: AccessFilters,
    *,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
) -> list[CandidateDataAccess]:
    statement = select(CandidateDataAccess).where(CandidateDataAccess.organization_id == organization_id)
    exact = {
        CandidateDataAccess.action: filters.action,
        CandidateDataAccess.actor_id: filters.actor_id,
        CandidateDataAccess.credential: filters.credential,
        CandidateDataAccess.application_id: filters.application_id,
        CandidateDataAccess.person_id: filters.person_id,
    }
    for column, value in exact.items():
        if value is not None:
            statement = statement.where(column == value)
    if filters.since is not None:
        statement = statement.where(CandidateDataAccess.created_at >= filters.since)
    if filters.until is not None:
        statement = statement.where(CandidateDataAccess.created_at < filters.until)
    statement = newest_first(statement, CandidateDataAccess.created_at, CandidateDataAccess.id, after, limit)
    return list((await session.scalars(statement)).all())


async def purge_before(session: AsyncSession, before: datetime) -> int:
    result = await session.execute(
        delete(CandidateDataAccess)
        .where(CandidateDataAccess.created_at < before)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return int(result.rowcount or 0)
