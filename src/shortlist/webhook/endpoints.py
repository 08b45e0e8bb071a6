"""Webhook endpoints (CRUD, secret rotation, ping) and their delivery log."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status

from shortlist.auth.dependencies import WebhookManager
from shortlist.http.deps import Context, Paging, Session
from shortlist.http.idempotency import idempotency
from shortlist.http.route import TransactionalRoute
from shortlist.kit.conditional import check_if_match, not_modified
from shortlist.kit.merge_patch import changes_of
from shortlist.kit.pagination import Page, by_created
from shortlist.models import WebhookDelivery, WebhookEndpoint
from shortlist.webhook import events, repository, service
from shortlist.webhook.schemas import (
    DeliveryOut,
    DeliveryStatus,
    DeliverySummary,
    EventTypeOut,
    SecretRotated,
    WebhookCreate,
    WebhookCreated,
    WebhookOut,
    WebhookUpdate,
)

# Creation and rotation return a secret, so they take no Idempotency-Key (a replay would have to store it).
router = APIRouter(prefix="/webhooks", tags=["webhooks"], route_class=TransactionalRoute)

Idempotent = [Depends(idempotency)]


def endpoint_out(endpoint: WebhookEndpoint, response: Response) -> WebhookOut:
    """The endpoint as answered, with its ETag (shared with the organisation routes)."""
    response.headers["ETag"] = service.etag_of(endpoint)
    return WebhookOut.model_validate(endpoint)


def delivery_out(delivery: WebhookDelivery) -> DeliveryOut:
    """One delivery with its payload and attempt log (shared with the organisation routes)."""
    return DeliveryOut.model_validate(
        {
            **DeliverySummary.model_validate(delivery).model_dump(),
            "payload": service.payload_of(delivery),
            "attempt_log": delivery.attempt_log or [],
        }
    )


@router.get("/event-types", operation_id="list_webhook_event_types")
async def list_event_types(_subject: WebhookManager) -> list[EventTypeOut]:
    """The event types an endpoint can subscribe to."""
    return [EventTypeOut(name=name, description=text) for name, text in events.EVENT_TYPES.items()]


@router.post("", status_code=status.HTTP_201_CREATED, operation_id="create_webhook")
async def create_webhook(
    body: WebhookCreate,
    subject: WebhookManager,
    context: Context,
    session: Session,
    request: Request,
    response: Response,
) -> WebhookCreated:
    """Register a URL. The signing secret is in this response only; the URL must be publicly reachable."""
    endpoint, secret = await service.create_endpoint(
        context.settings,
        session,
        subject,
        context.keys.webhooks,
        context.webhook_egress,
        url=body.url,
        event_types=body.event_types,
        description=body.description,
        active=body.active,
    )
    response.headers["Location"] = str(request.url_for("get_webhook", webhook_id=endpoint.id))
    out = endpoint_out(endpoint, response)
    return WebhookCreated.model_validate({**out.model_dump(), "secret": secret})


@router.get("", operation_id="list_webhooks")
async def list_webhooks(subject: WebhookManager, session: Session, paging: Paging) -> Page[WebhookOut]:
    """Your webhook endpoints, newest first."""
    scope = service.list_cursor_scope(subject)
    rows = await repository.endpoints_page(session, subject, limit=paging.limit, after=paging.position(scope))
    return paging.page(scope, rows, WebhookOut, key=by_created)


@router.get("/{webhook_id}", operation_id="get_webhook", responses={304: {}})
async def get_webhook(
    webhook_id: uuid.UUID, subject: WebhookManager, session: Session, request: Request, response: Response
) -> Any:
    """One endpoint, with its health (failures, circuit breaker, why it was disabled)."""
    endpoint = await service.get_endpoint(session, subject, webhook_id)
    etag = service.etag_of(endpoint)
    if not_modified(request, etag):
        return Response(status_code=304, headers={"ETag": etag})
    return endpoint_out(endpoint, response)


@router.patch("/{webhook_id}", operation_id="update_webhook")
async def update_webhook(
    webhook_id: uuid.UUID,
    body: WebhookUpdate,
    subject: WebhookManager,
    context: Context,
    session: Session,
    request: Request,
    response: Response,
) -> WebhookOut:
    """Change url, event types, description or active. Setting `active: true` also resets the breaker."""
    changes = changes_of(body)
    service.check_changes(changes)
    endpoint = await service.get_endpoint(session, subject, webhook_id)
    check_if_match(request, service.etag_of(endpoint))
    await service.update_endpoint(session, endpoint, context.webhook_egress, changes)
    return endpoint_out(endpoint, response)


@router.delete("/{webhook_id}", status_code=status.HTTP_204_NO_CONTENT, operation_id="delete_webhook")
async def delete_webhook(
    webhook_id: uuid.UUID, subject: WebhookManager, session: Session, request: Request
) -> None:
    """Delete the endpoint and its delivery log; nothing more is sent to it."""
    endpoint = await service.get_endpoint(session, subject, webhook_id)
    check_if_match(request, service.etag_of(endpoint))
    await service.delete_endpoint(session, endpoint)


@router.post("/{webhook_id}/rotate-secret", operation_id="rotate_webhook_secret")
async def rotate_webhook_secret(
    webhook_id: uuid.UUID,
    subject: WebhookManager,
    context: Context,
    session: Session,
    response: Response,
    overlap_seconds: Annotated[
        int | None,
        Query(
            ge=0,
            le=service.MAX_SECRET_OVERLAP_SECONDS,
            description="How long the old secret keeps signing too (default: the service setting, 24 h).",
        ),
    ] = None,
) -> SecretRotated:
    """A new signing secret. Until `previous_secret_expires_at`, messages carry two signatures (new and old)."""
    endpoint = await service.get_endpoint(session, subject, webhook_id)
    overlap = service.rotation_overlap(context.settings, overlap_seconds)
    secret = service.rotate_secret(context.keys.webhooks, endpoint, overlap)
    await session.flush()
    response.headers["ETag"] = service.etag_of(endpoint)
    return SecretRotated(secret=secret, previous_secret_expires_at=endpoint.previous_secret_expires_at)


@router.post(
    "/{webhook_id}/ping",
    status_code=status.HTTP_202_ACCEPTED,
    operation_id="ping_webhook",
    dependencies=Idempotent,
)
async def ping_webhook(webhook_id: uuid.UUID, subject: WebhookManager, session: Session) -> DeliveryOut:
    """Queue a `webhook.ping` test event; follow it in the delivery log."""
    endpoint = await service.get_endpoint(session, subject, webhook_id)
    return delivery_out(await service.ping(session, endpoint))


@router.get("/{webhook_id}/deliveries", operation_id="list_webhook_deliveries")
async def list_deliveries(
    webhook_id: uuid.UUID,
    subject: WebhookManager,
    session: Session,
    paging: Paging,
    status_filter: Annotated[DeliveryStatus | None, Query(alias="status")] = None,
) -> Page[DeliverySummary]:
    """The delivery log, newest first: attempts, last status code, latency, error and next attempt."""
    endpoint = await service.get_endpoint(session, subject, webhook_id)
    scope = service.deliveries_cursor_scope(endpoint.id, status_filter)
    rows = await repository.deliveries_page(
        session, endpoint.id, limit=paging.limit, after=paging.position(scope), status=status_filter
    )
    return paging.page(scope, rows, DeliverySummary, key=by_created)


@router.get("/{webhook_id}/deliveries/{delivery_id}", operation_id="get_webhook_delivery")
async def get_delivery(
    webhook_id: uuid.UUID, delivery_id: uuid.UUID, subject: WebhookManager, session: Session
) -> DeliveryOut:
    """One delivery with its payload and its attempts."""
    endpoint = await service.get_endpoint(session, subject, webhook_id)
    return delivery_out(await service.get_delivery(session, endpoint, delivery_id))


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/redeliver",
    status_code=status.HTTP_202_ACCEPTED,
    operation_id="redeliver_webhook_delivery",
    dependencies=Idempotent,
)
async def redeliver(
    webhook_id: uuid.UUID, delivery_id: uuid.UUID, subject: WebhookManager, session: Session
) -> DeliveryOut:
    """Send a finished delivery again (same webhook-id, so receivers can tell it is the same message)."""
    endpoint = await service.get_endpoint(session, subject, webhook_id)
    delivery = await service.get_delivery(session, endpoint, delivery_id)
    await service.redeliver(session, endpoint, delivery)
    return delivery_out(delivery)
