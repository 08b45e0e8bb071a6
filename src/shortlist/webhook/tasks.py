"""Domain events become webhook deliveries: a subscriber to the event outbox.

Listed in the job registry's task modules, so every process that dispatches events (the worker, the
scheduler, or `serve` in the embedded mode) has it registered.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.event import DomainEvent, subscribe
from shortlist.webhook import events
from shortlist.webhook.service import enqueue_deliveries, enqueue_organization_deliveries


async def deliver_event(session: AsyncSession, event: DomainEvent) -> None:
    """Runs in the dispatcher's transaction: the deliveries exist exactly when the event is marked sent.

    An event goes to its owner's endpoints and, for a recruiting event, to its organisation's endpoints."""
    if event.name not in events.EVENT_TYPES:
        return
    data = {key: value for key, value in event.data.items() if events.is_scalar(value)}
    if event.resource_id is not None and event.resource_type:
        data.setdefault(f"{event.resource_type}_id", str(event.resource_id))
    if event.owner_id is not None:
        await enqueue_deliveries(session, event.name, str(event.id), event.occurred_at, event.owner_id, data)
    organization_id = _organization_of(event)
    if organization_id is not None and event.name in events.ORGANIZATION_EVENT_TYPES:
        await enqueue_organization_deliveries(
            session, event.name, str(event.id), event.occurred_at, organization_id, data
        )


def _organization_of(event: DomainEvent) -> uuid.UUID | None:
    value = event.data.get("organization_id")
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


subscribe("*", deliver_event, name="webhooks")
