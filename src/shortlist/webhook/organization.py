"""An organisation's webhook endpoints: the same signing, delivery and retries as a person's, owned by the
organisation (`organization_id`, never also an account) and fed only with that organisation's recruiting
events, with blind-safe payloads (`events.blind_safe`). Takes the session; never commits."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.config import Settings
from shortlist.models import WebhookEndpoint
from shortlist.platform.safehttp import EgressPolicy
from shortlist.webhook import events, repository, service
from shortlist.webhook.exceptions import UnknownEventType, WebhookLimitReached, WebhookNotFound

DEFAULT_EVENT_TYPES = [events.WILDCARD]


def check_event_types(names: Sequence[str]) -> list[str]:
    unknown = events.unknown_organization_event_types(names)
    if unknown:
        raise UnknownEventType(
            f"An organization's endpoint cannot subscribe to: {', '.join(unknown)}. Use '*' or one of: "
            f"{', '.join(sorted(events.ORGANIZATION_EVENT_TYPES))}."
        )
    return sorted(set(names))


async def create_endpoint(
    settings: Settings,
    session: AsyncSession,
    organization_id: uuid.UUID,
    key: bytes,
    policy: EgressPolicy,
    *,
    url: str,
    event_types: Sequence[str],
    description: str | None,
    active: bool,
) -> tuple[WebhookEndpoint, str]:
    """The new endpoint and its secret in plain text (shown once, stored sealed)."""
    types = check_event_types(event_types)
    if (
        await repository.count_organization_endpoints(session, organization_id)
        >= settings.webhook_max_per_user
    ):
        raise WebhookLimitReached(
            f"An organization can have at most {settings.webhook_max_per_user} webhook endpoints."
        )
    return await service.add_endpoint(
        session,
        key,
        policy,
        owner_id=None,
        organization_id=organization_id,
        url=url,
        event_types=types,
        description=description,
        active=active,
    )


async def get_endpoint(
    session: AsyncSession, organization_id: uuid.UUID, endpoint_id: uuid.UUID
) -> WebhookEndpoint:
    endpoint = await repository.organization_endpoint(session, organization_id, endpoint_id)
    if endpoint is None:
        raise WebhookNotFound()
    return endpoint


async def update_endpoint(
    session: AsyncSession, endpoint: WebhookEndpoint, policy: EgressPolicy, changes: Mapping[str, Any]
) -> WebhookEndpoint:
    service.check_changes(changes)
    if changes.get("event_types") is not None:
        check_event_types(changes["event_types"])
    return await service.update_endpoint(session, endpoint, policy, changes)


def cursor_scope(organization_id: uuid.UUID) -> str:
    return f"organization-webhooks:{organization_id}"
