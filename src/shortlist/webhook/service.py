"""Webhook rules: endpoints, secrets and rotation, enqueueing events. Takes the session; never commits."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.auth.subject import Subject
from shortlist.config import Settings
from shortlist.kit.crypto import seal, unseal
from shortlist.kit.db import utcnow
from shortlist.kit.ids import new_id
from shortlist.kit.problems import ValidationFailed
from shortlist.models import WebhookDelivery, WebhookEndpoint
from shortlist.platform.safehttp import EgressPolicy
from shortlist.webhook import events, repository
from shortlist.webhook.exceptions import (
    DeliveryInProgress,
    DeliveryNotFound,
    UnknownEventType,
    WebhookInactive,
    WebhookLimitReached,
    WebhookNotFound,
    WebhookUrlRefused,
)
from shortlist.webhook.policy import url_problem
from shortlist.webhook.signing import generate_secret


def etag_of(endpoint: WebhookEndpoint) -> str:
    return f'"w{endpoint.version}"'


# --- secrets -----------------------------------------------------------------------------------------------


def seal_secret(key: bytes, endpoint_id: uuid.UUID, secret: str) -> str:
    # The endpoint id is bound in as associated data: a sealed secret copied to another row will not open.
    return seal(key, secret.encode(), endpoint_id.bytes)


def signing_secrets(key: bytes, endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    """The secrets that sign a message now: the current one, plus the previous one during a rotation."""
    secrets = [unseal(key, endpoint.secret_sealed, endpoint.id.bytes).decode()]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret_sealed and expires is not None and expires > now:
        secrets.append(unseal(key, endpoint.previous_secret_sealed, endpoint.id.bytes).decode())
    return secrets


def rotate_secret(key: bytes, endpoint: WebhookEndpoint, overlap: timedelta) -> str:
    """A new current secret; the old one keeps signing for ``overlap`` (an older previous one is dropped)."""
    secret = generate_secret()
    now = utcnow()
    if overlap > timedelta(0):
        endpoint.previous_secret_sealed = endpoint.secret_sealed
        endpoint.previous_secret_expires_at = now + overlap
    else:
        endpoint.previous_secret_sealed = None
        endpoint.previous_secret_expires_at = None
    endpoint.secret_sealed = seal_secret(key, endpoint.id, secret)
    _touch(endpoint)
    return secret


# --- endpoints ---------------------------------------------------------------------------------------------


def _check_event_types(names: Sequence[str]) -> list[str]:
    unknown = events.unknown_event_types(names)
    if unknown:
        raise UnknownEventType(
            f"Unknown event type(s): {', '.join(unknown)}. Use '*' or one of: {', '.join(events.EVENT_TYPES)}."
        )
    return sorted(set(names))


async def check_url(url: str, policy: EgressPolicy) -> None:
    reason = await url_problem(url, policy)
    if reason is not None:
        raise WebhookUrlRefused(f"The URL cannot receive webhooks: {reason}.", extensions={"reason": reason})


def _touch(endpoint: WebhookEndpoint) -> None:
    endpoint.version += 1
    endpoint.updated_at = utcnow()


async def create_endpoint(
    settings: Settings,
    session: AsyncSession,
    subject: Subject,
    key: bytes,
    policy: EgressPolicy,
    *,
    url: str,
    event_types: Sequence[str],
    description: str | None,
    active: bool,
) -> tuple[WebhookEndpoint, str]:
    """The new endpoint and its secret in plain text (shown to the caller once, stored sealed)."""
    types = _check_event_types(event_types)
    if await repository.count_endpoints(session, subject) >= settings.webhook_max_per_user:
        raise WebhookLimitReached(
            f"An account can have at most {settings.webhook_max_per_user} webhook endpoints."
        )
    return await add_endpoint(
        session,
        key,
        policy,
        owner_id=subject.user_id,
        organization_id=None,
        url=url,
        event_types=types,
        description=description,
        active=active,
    )


async def add_endpoint(
    session: AsyncSession,
    key: bytes,
    policy: EgressPolicy,
    *,
    owner_id: uuid.UUID | None,
    organization_id: uuid.UUID | None,
    url: str,
    event_types: list[str],
    description: str | None,
    active: bool,
) -> tuple[WebhookEndpoint, str]:
    """A checked URL stored with a new secret, sealed, for one owner: a person or an organisation."""
    await check_url(url, policy)
    endpoint_id = new_id()
    secret = generate_secret()
    endpoint = WebhookEndpoint(
        id=endpoint_id,
        owner_id=owner_id,
        organization_id=organization_id,
        url=url,
        description=description,
        event_types=event_types,
        active=active,
        secret_sealed=seal_secret(key, endpoint_id, secret),
        consecutive_failures=0,
        version=1,
    )
    session.add(endpoint)
    await session.flush()
    return endpoint, secret


async def get_endpoint(session: AsyncSession, subject: Subject, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    endpoint = await repository.get_endpoint(session, subject, endpoint_id)
    if endpoint is None:
        raise WebhookNotFound()
    return endpoint


def list_cursor_scope(subject: Subject) -> str:
    return f"webhooks:{subject.user_id}"


DELIVERY_STATUSES = ("pending", "delivering", "succeeded", "failed")


def deliveries_cursor_scope(endpoint_id: uuid.UUID, status: str | None) -> str:
    return f"webhook-deliveries:{endpoint_id}:{status or ''}"


def check_delivery_status(status: str | None) -> None:
    if status is not None and status not in DELIVERY_STATUSES:
        raise ValidationFailed(
            f"status must be one of {', '.join(DELIVERY_STATUSES)}.",
            [{"location": ["status"], "message": "unknown status", "type": "literal_error"}],
        )


def check_changes(changes: Mapping[str, Any]) -> None:
    """url, event_types and active can be changed, never cleared."""
    nulls = sorted(k for k in ("url", "event_types", "active") if k in changes and changes[k] is None)
    if nulls:
        raise ValidationFailed.for_fields(
            f"{', '.join(nulls)} cannot be null.", nulls, "may not be null", "none_forbidden"
        )


# The longest a previous secret may keep signing after a rotation (REST bounds its parameter with it too).
MAX_SECRET_OVERLAP_SECONDS = 7 * 24 * 3600


def rotation_overlap(settings: Settings, overlap_seconds: int | None) -> timedelta:
    """How long the previous secret keeps signing: the caller's choice, else the service setting."""
    if overlap_seconds is None:
        return timedelta(hours=settings.webhook_secret_overlap_hours)
    if not 0 <= overlap_seconds <= MAX_SECRET_OVERLAP_SECONDS:
        raise ValidationFailed(
            f"The overlap must be between 0 and {MAX_SECRET_OVERLAP_SECONDS} seconds.",
            [{"location": ["overlap_seconds"], "message": "out of range", "type": "range"}],
        )
    return timedelta(seconds=overlap_seconds)


async def update_endpoint(
    session: AsyncSession, endpoint: WebhookEndpoint, policy: EgressPolicy, changes: Mapping[str, Any]
) -> WebhookEndpoint:
    if "url" in changes and changes["url"] != endpoint.url:
        await check_url(changes["url"], policy)
        endpoint.url = changes["url"]
    if "event_types" in changes:
        endpoint.event_types = _check_event_types(changes["event_types"])
    if "description" in changes:
        endpoint.description = changes["description"]
    if "active" in changes and changes["active"] != endpoint.active:
        endpoint.active = changes["active"]
        if endpoint.active:
            # Turned back on by its owner: start with a clean bill of health.
            endpoint.disabled_reason = None
            endpoint.consecutive_failures = 0
            endpoint.circuit_open_until = None
            endpoint.failing_since = None
    _touch(endpoint)
    await session.flush()
    return endpoint


async def delete_endpoint(session: AsyncSession, endpoint: WebhookEndpoint) -> None:
    await session.delete(endpoint)
    await session.flush()


# --- deliveries --------------------------------------------------------------------------------------------


def _new_delivery(
    endpoint: WebhookEndpoint, event_type: str, event_id: str, payload: str, now: datetime
) -> WebhookDelivery:
    return WebhookDelivery(
        id=new_id(),
        endpoint_id=endpoint.id,
        owner_id=endpoint.owner_id,
        event_type=event_type,
        event_id=event_id,
        message_id=events.message_id(endpoint.id, event_id),
        payload=payload,
        status=repository.PENDING,
        attempts=0,
        round_attempts=0,
        next_attempt_at=now,
        attempt_log=[],
    )


async def enqueue_deliveries(
    session: AsyncSession,
    event_type: str,
    event_id: str,
    occurred_at: datetime,
    owner_id: uuid.UUID,
    data: Mapping[str, Any],
) -> list[uuid.UUID]:
    """One delivery per active endpoint of ``owner_id`` that subscribes to ``event_type``, in the caller's
    transaction (so the deliveries exist exactly when the change that caused the event commits).

    Idempotent per (endpoint, event_id): calling again for the same event returns the existing deliveries.
    ``data`` must be a flat object of ids and scalars; resume contents never go into a webhook.
    """
    if event_type not in events.EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type!r}")
    if not 1 <= len(event_id) <= 100:
        raise ValueError("event_id must be 1-100 characters")
    payload = events.encode_payload(event_type, occurred_at, events.check_thin_data(data))
    endpoints = [
        e
        for e in await repository.active_endpoints(session, owner_id)
        if events.subscribes_to(e.event_types, event_type)
    ]
    return await _enqueue_to(session, endpoints, event_type, event_id, payload)


async def enqueue_organization_deliveries(
    session: AsyncSession,
    event_type: str,
    event_id: str,
    occurred_at: datetime,
    organization_id: uuid.UUID,
    data: Mapping[str, Any],
) -> list[uuid.UUID]:
    """`enqueue_deliveries` for an organisation's endpoints, with the blind-safe fields of ``data`` only."""
    if event_type not in events.ORGANIZATION_EVENT_TYPES:
        raise ValueError(f"{event_type!r} is not an organisation event")
    if not 1 <= len(event_id) <= 100:
        raise ValueError("event_id must be 1-100 characters")
    thin = events.check_thin_data(events.blind_safe(data))
    payload = events.encode_payload(event_type, occurred_at, thin)
    endpoints = [
        e
        for e in await repository.active_organization_endpoints(session, organization_id)
        if events.subscribes_to(e.event_types, event_type)
    ]
    return await _enqueue_to(session, endpoints, event_type, event_id, payload)


async def _enqueue_to(
    session: AsyncSession, endpoints: list[WebhookEndpoint], event_type: str, event_id: str, payload: str
) -> list[uuid.UUID]:
    existing = await repository.existing_deliveries(session, [e.id for e in endpoints], event_id)
    now = utcnow()
    ids: list[uuid.UUID] = []
    for endpoint in endpoints:
        if endpoint.id in existing:
            ids.append(existing[endpoint.id])
            continue
        delivery = _new_delivery(endpoint, event_type, event_id, payload, now)
        try:
            # A savepoint: a concurrent enqueue of the same event must not abort the caller's transaction.
            async with session.begin_nested():
                session.add(delivery)
        except IntegrityError:
            found = await repository.existing_deliveries(session, [endpoint.id], event_id)
            ids.append(found[endpoint.id])
            continue
        ids.append(delivery.id)
    return ids


async def ping(session: AsyncSession, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A test event for one endpoint, whatever it subscribes to."""
    if not endpoint.active:
        raise WebhookInactive()
    now = utcnow()
    event_id = f"ping_{new_id().hex}"
    payload = events.encode_payload(events.PING, now, {"endpoint_id": str(endpoint.id)})
    delivery = _new_delivery(endpoint, events.PING, event_id, payload, now)
    session.add(delivery)
    await session.flush()
    return delivery


async def get_delivery(
    session: AsyncSession, endpoint: WebhookEndpoint, delivery_id: uuid.UUID
) -> WebhookDelivery:
    delivery = await repository.get_delivery(session, endpoint.id, delivery_id)
    if delivery is None:
        raise DeliveryNotFound()
    return delivery


async def redeliver(session: AsyncSession, endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> None:
    """Send a finished delivery again, from the start of the retry schedule, with the same webhook-id."""
    if not endpoint.active:
        raise WebhookInactive()
    if delivery.status not in repository.FINISHED:
        raise DeliveryInProgress()
    delivery.status = repository.PENDING
    delivery.round_attempts = 0
    delivery.next_attempt_at = utcnow()
    delivery.completed_at = None
    delivery.claim_token = None
    delivery.claimed_until = None
    await session.flush()


def payload_of(delivery: WebhookDelivery) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(delivery.payload)
    return body
