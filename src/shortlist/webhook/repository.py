"""All SQL for webhooks. Endpoint reads go through `readable_statement`, so tenancy is checked in one place."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, delete, func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from shortlist.auth.subject import Subject
from shortlist.kit.pagination import newest_first
from shortlist.models import WebhookDelivery, WebhookEndpoint

PENDING = "pending"
DELIVERING = "delivering"
SUCCEEDED = "succeeded"
FAILED = "failed"
FINISHED = (SUCCEEDED, FAILED)


def readable_statement(subject: Subject) -> Select[tuple[WebhookEndpoint]]:
    return select(WebhookEndpoint).where(WebhookEndpoint.owner_id == subject.user_id)


async def get_endpoint(
    session: AsyncSession, subject: Subject, endpoint_id: uuid.UUID
) -> WebhookEndpoint | None:
    statement = readable_statement(subject).where(WebhookEndpoint.id == endpoint_id)
    return (await session.scalars(statement)).one_or_none()


async def count_endpoints(session: AsyncSession, subject: Subject) -> int:
    return len(
        (await session.scalars(readable_statement(subject).with_only_columns(WebhookEndpoint.id))).all()
    )


async def endpoints_page(
    session: AsyncSession, subject: Subject, *, limit: int, after: tuple[datetime, uuid.UUID] | None
) -> list[WebhookEndpoint]:
    statement = newest_first(
        readable_statement(subject), WebhookEndpoint.created_at, WebhookEndpoint.id, after, limit
    )
    return list((await session.scalars(statement)).all())


async def active_endpoints(session: AsyncSession, owner_id: uuid.UUID) -> list[WebhookEndpoint]:
    statement = select(WebhookEndpoint).where(
        WebhookEndpoint.owner_id == owner_id, WebhookEndpoint.active.is_(True)
    )
    return list((await session.scalars(statement.order_by(WebhookEndpoint.id))).all())


def organization_statement(organization_id: uuid.UUID) -> Select[tuple[WebhookEndpoint]]:
    """An organisation's endpoints: the only rows its routes may see."""
    return select(WebhookEndpoint).where(WebhookEndpoint.organization_id == organization_id)


async def organization_endpoint(
    session: AsyncSession, organization_id: uuid.UUID, endpoint_id: uuid.UUID
) -> WebhookEndpoint | None:
    statement = organization_statement(organization_id).where(WebhookEndpoint.id == endpoint_id)
    return (await session.scalars(statement)).one_or_none()


async def count_organization_endpoints(session: AsyncSession, organization_id: uuid.UUID) -> int:
    statement = select(func.count()).select_from(organization_statement(organization_id).subquery())
    return int(await session.scalar(statement) or 0)


async def organization_endpoints_page(
    session: AsyncSession,
    organization_id: uuid.UUID,
    *,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
) -> list[WebhookEndpoint]:
    statement = newest_first(
        organization_statement(organization_id), WebhookEndpoint.created_at, WebhookEndpoint.id, after, limit
    )
    return list((await session.scalars(statement)).all())


async def active_organization_endpoints(
    session: AsyncSession, organization_id: uuid.UUID
) -> list[WebhookEndpoint]:
    statement = organization_statement(organization_id).where(WebhookEndpoint.active.is_(True))
    return list((await session.scalars(statement.order_by(WebhookEndpoint.id))).all())


async def existing_deliveries(
    session: AsyncSession, endpoint_ids: list[uuid.UUID], event_id: str
) -> dict[uuid.UUID, uuid.UUID]:
    """endpoint id -> delivery id for this event, for the endpoints that already have one."""
    if not endpoint_ids:
        return {}
    rows = await session.execute(
        select(WebhookDelivery.endpoint_id, WebhookDelivery.id).where(
            WebhookDelivery.endpoint_id.in_(endpoint_ids), WebhookDelivery.event_id == event_id
        )
    )
    return dict(rows.tuples().all())


async def get_delivery(
    session: AsyncSession, endpoint_id: uuid.UUID, delivery_id: uuid.UUID
) -> WebhookDelivery | None:
    statement = select(WebhookDelivery).where(
        WebhookDelivery.id == delivery_id, WebhookDelivery.endpoint_id == endpoint_id
    )
    return (await session.scalars(statement)).one_or_none()


async def deliveries_page(
    session: AsyncSession,
    endpoint_id: uuid.UUID,
    *,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
    status: str | None,
) -> list[WebhookDelivery]:
    statement = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)
    if status is not None:
        statement = statement.where(WebhookDelivery.status == status)
    statement = newest_first(statement, WebhookDelivery.created_at, WebhookDelivery.id, after, limit)
    return list((await session.scalars(statement)).all())


async def first_delivery_pages(
    session: AsyncSession, endpoint_ids: Sequence[uuid.UUID], *, limit: int, status: str | None
) -> list[WebhookDelivery]:
    """The first page of `deliveries_page` for many endpoints in one statement (GraphQL's loader): up to
    limit + 1 rows per endpoint, newest first. Callers pass endpoints they already checked."""
    if not endpoint_ids:
        return []
    rank = (
        func.row_number()
        .over(
            partition_by=WebhookDelivery.endpoint_id,
            order_by=(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc()),
        )
        .label("rank")
    )
    inner = select(WebhookDelivery.id, rank).where(WebhookDelivery.endpoint_id.in_(endpoint_ids))
    if status is not None:
        inner = inner.where(WebhookDelivery.status == status)
    ranked = inner.subquery()
    statement = (
        select(WebhookDelivery)
        .join(ranked, ranked.c.id == WebhookDelivery.id)
        .where(ranked.c.rank <= limit + 1)
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
    )
    return list((await session.scalars(statement)).all())


def _due(now: datetime) -> ColumnElement[bool]:
    # Pending and due, or claimed by a sender whose lease ran out (it crashed or hung mid-attempt).
    return or_(
        and_(WebhookDelivery.status == PENDING, WebhookDelivery.next_attempt_at <= now),
        and_(WebhookDelivery.status == DELIVERING, WebhookDelivery.claimed_until < now),
    )


async def due_delivery_ids(session: AsyncSession, now: datetime, limit: int) -> list[uuid.UUID]:
    statement = (
        select(WebhookDelivery.id)
        .where(_due(now))
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
    )
    return list((await session.scalars(statement)).all())


async def claim(
    session: AsyncSession, delivery_id: uuid.UUID, token: str, now: datetime, lease_until: datetime
) -> bool:
    """Take one attempt of a due delivery. A conditional UPDATE: of several claimers exactly one matches."""
    result = await session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, _due(now))
        .values(status=DELIVERING, claim_token=token, claimed_until=lease_until)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def take_probe(
    session: AsyncSession, endpoint_id: uuid.UUID, opened_until: datetime, probe_until: datetime
) -> bool:
    """Half-open breaker: the one caller that moves circuit_open_until on from the value it read probes."""
    result = await session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id, WebhookEndpoint.circuit_open_until == opened_until)
        .values(circuit_open_until=probe_until)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def purge_finished(session: AsyncSession, before: datetime, limit: int) -> int:
    """Delete up to ``limit`` deliveries that finished before ``before``; returns how many went."""
    doomed = (
        select(WebhookDelivery.id)
        .where(WebhookDelivery.status.in_(FINISHED), WebhookDelivery.completed_at < before)
        .limit(limit)
    )
    ids = list((await session.scalars(doomed)).all())
    if not ids:
        return 0
    result = await session.execute(
        delete(WebhookDelivery)
        .where(WebhookDelivery.id.in_(ids))
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount


async def lock_delivery(session: AsyncSession, delivery_id: uuid.UUID) -> WebhookDelivery | None:
    delivery: WebhookDelivery | None = await session.scalar(
        select(WebhookDelivery).where(WebhookDelivery.id == delivery_id).with_for_update()
    )
    return delivery


async def lock_endpoint(session: AsyncSession, endpoint_id: uuid.UUID) -> WebhookEndpoint | None:
    """The endpoint under a row lock, so concurrent failures count one by one."""
    endpoint: WebhookEndpoint | None = await session.scalar(
        select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id).with_for_update()
    )
    return endpoint


async def record_endpoint_success(
    session: AsyncSession, endpoint_id: uuid.UUID, now: datetime, stamp_resolution: timedelta
) -> None:
    """Reset the endpoint's health after a success. The common case takes no lock on the endpoint row (many
    deliveries to one endpoint finish at once): the health is reset only when there is something to reset,
    and last_success_at is refreshed at most once per ``stamp_resolution``."""
    await session.execute(
        update(WebhookEndpoint)
        .where(
            WebhookEndpoint.id == endpoint_id,
            or_(
                WebhookEndpoint.consecutive_failures != 0,
                WebhookEndpoint.circuit_open_until.is_not(None),
                WebhookEndpoint.failing_since.is_not(None),
                WebhookEndpoint.last_success_at.is_(None),
                WebhookEndpoint.last_success_at < now - stamp_resolution,
            ),
        )
        .values(consecutive_failures=0, circuit_open_until=None, failing_since=None, last_success_at=now)
        .execution_options(synchronize_session=False)
    )


async def set_endpoint_health(
    session: AsyncSession, endpoint_id: uuid.UUID, health: dict[str, object]
) -> None:
    await session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id)
        .values(**health)
        .execution_options(synchronize_session=False)
    )
