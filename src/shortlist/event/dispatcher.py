"""Delivers outbox events to subscribers, in `seq` order, each in its own transaction, and pushes them to
the live channels (WebSocket clients): the owner's, and for an organisation's events that organisation's."""

from __future__ import annotations

import structlog
from sqlalchemy import select, update

from shortlist.event.outbox import DomainEvent
from shortlist.event.subscribers import matching
from shortlist.job.runtime import JobServices
from shortlist.kit.db import utcnow
from shortlist.models import Event
from shortlist.platform.pubsub import organization_channel, user_channel

log = structlog.get_logger(__name__)

MAX_ATTEMPTS = 10


async def dispatch_pending(services: JobServices, *, limit: int = 200) -> int:
    """One pass over undelivered events; returns how many were dispatched (or parked)."""
    database = services.database
    async with database.reader() as session:
        seqs = list(
            (
                await session.scalars(
                    select(Event.seq).where(Event.dispatched_at.is_(None)).order_by(Event.seq).limit(limit)
                )
            ).all()
        )
    done = 0
    for seq in seqs:
        delivered: DomainEvent | None = None
        try:
            async with database.writer() as session:
                # The conditional mark is the claim: a second dispatcher finds nothing to do.
                claimed = await session.execute(
                    update(Event)
                    .where(Event.seq == seq, Event.dispatched_at.is_(None))
                    .values(dispatched_at=utcnow())
                )
                if claimed.rowcount != 1:  # type: ignore[attr-defined]
                    await session.rollback()
                    continue
                row = (await session.scalars(select(Event).where(Event.seq == seq))).one()
                event = DomainEvent.of(row)
                for handler in matching(event.name):
                    await handler(session, event)
                await session.commit()
                delivered = event
            await services.after_commit(session)
        except Exception as exc:
            log.warning("events.subscriber_failed", seq=seq, exc_info=True)
            await _record_failure(services, seq, exc)
            continue
        done += 1
        if delivered is not None:
            for channel in live_channels(delivered):
                try:
                    await services.pubsub.publish(channel, {"type": "event", "event": delivered.to_json()})
                except Exception:
                    log.warning("events.live_publish_failed", seq=seq, channel=channel, exc_info=True)
    return done


def live_channels(event: DomainEvent) -> list[str]:
    """Where an event is pushed live. An organisation's event also goes to the organisation's channel, so every
    member who may see it hears it, whoever owns the organisation at the time. Events hold ids and what changed,
    never a candidate's identity, so blind screening holds on that channel."""
    channels = [user_channel(event.owner_id)] if event.owner_id is not None else []
    organization_id = event.data.get("organization_id")
    if isinstance(organization_id, str):
        channels.append(organization_channel(organization_id))
    return channels


async def _record_failure(services: JobServices, seq: int, exc: Exception) -> None:
    async with services.database.writer() as session:
        row = (await session.scalars(select(Event).where(Event.seq == seq))).one_or_none()
        if row is None or row.dispatched_at is not None:
            return
        row.attempts += 1
        row.last_error = f"{type(exc).__name__}: {exc}"[:500]
        if row.attempts >= MAX_ATTEMPTS:
            # Parked: kept with its error for inspection, no longer blocking the loop.
            row.dispatched_at = utcnow()
            log.error("events.parked", seq=seq, name=row.name)
        await session.commit()
