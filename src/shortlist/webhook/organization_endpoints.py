"""`/v1/organizations/{org_id}/webhooks`: an organisation's webhook endpoints and their delivery log.

Owners and admins manage them (and the organisation's own keys and clients with `webhooks:manage`); they
receive the organisation's recruiting events with ids and blind-safe fields only (docs/webhooks.md)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status

from shortlist.http.deps import Context, Paging, Session
from shortlist.http.idempotency import idempotency
from shortlist.http.route import TransactionalRoute
from shortlist.kit.conditional import check_if_match, not_modified
from shortlist.kit.merge_patch import changes_of
from shortlist.kit.pagination import Page, by_created
from shortlist.organization.access import OrgWebhooksManager
from shortlist.webhook import organization, repository, service
from shortlist.webhook.endpoints import delivery_out, endpoint_out
from shortlist.webhook.schemas import (
    DeliveryOut,
    DeliveryStatus,
    DeliverySummary,
    SecretRotated,
    WebhookCreate,
    WebhookCreated,
    WebhookOut,
    WebhookUpdate,
)

# Creation and rotation return a secret, so they take no Idempotency-Key (a replay would have to store it).
router = APIRouter(tags=["organization webhooks"], route_class=TransactionalRoute)

HOOKS = "/organizations/{org_id}/webhooks"
HOOK = HOOKS + "/{webhook_id}"


@router.post(HOOKS, status_code=status.HTTP_201_CREATED, operation_id="create_organization_webhook")
async def create_organization_webhook(
    body: WebhookCreate,
    access: OrgWebhooksManager,
    context: Context,
    session: Session,
    request: Request,
    response: Response,
) -> WebhookCreated:
    """Register a URL for the organisation's events (`job.opened`, `job.closed`, `application.created`,
    `application.scored`, `application.stage_changed`, or `*`). The signing secret is in this response only."""
    endpoint, secret = await organization.create_endpoint(
        context.settings,
        session,
        access.organization.id,
        context.keys.webhooks,
        context.webhook_egress,
        url=body.url,
        event_types=body.event_types,
        description=body.description,
        active=body.active,
    )
    response.headers["Location"] = str(
        request.url_for("get_organization_webhook", org_id=access.organization.id, webhook_id=endpoint.id)
    )
    return WebhookCreated.model_validate({**endpoint_out(endpoint, response).model_dump(), "secret": secret})


@router.get(HOOKS, operation_id="list_organization_webhooks")
async def list_organization_webhooks(
    access: OrgWebhooksManager,
    session: Session,
    paging: Paging,
) -> Page[WebhookOut]:
    """The organisation's webhook endpoints, newest first."""
    scope = organization.cursor_scope(access.organization.id)
    rows = await repository.organization_endpoints_page(
        session, access.organization.id, limit=paging.limit, after=paging.position(scope)
    )
    return paging.page(scope, rows, WebhookOut, key=by_created)


@router.get(HOOK, operation_id="get_organization_webhook", responses={304: {}})
async def get_organization_webhook(
    webhook_id: uuid.UUID, access: OrgWebhooksManager, session: Session, request: Request, response: Response
) -> Any:
    """One endpoint, with its health."""
    endpoint = await organization.get_endpoint(session, access.organization.id, webhook_id)
    etag = service.etag_of(endpoint)
    if not_modified(request, etag):
        return Response(status_code=304, headers={"ETag": etag})
    return endpoint_out(endpoint, response)


@router.patch(HOOK, operation_id="update_organization_webhook")
async def update_organization_webhook(
    webhook_id: uuid.UUID,
    body: WebhookUpdate,
    access: OrgWebhooksManager,
    context: Context,
    session: Session,
    request: Request,
    response: Response,
) -> WebhookOut:
    """Change url, event types, description or active. Send `If-Match` with the ETag you read."""
    endpoint = await organization.get_endpoint(session, access.organization.id, webhook_id)
    check_if_match(request, service.etag_of(endpoint))
    changes = changes_of(body)
    await organization.update_endpoint(session, endpoint, context.webhook_egress, changes)
    return endpoint_out(endpoint, response)


@router.delete(HOOK, status_code=status.HTTP_204_NO_CONTENT, operation_id="delete_organization_webhook")
async def delete_organization_webhook(
    webhook_id: uuid.UUID, access: OrgWebhooksManager, session: Session, request: Request
) -> None:
    """Delete the endpoint and its delivery log."""
    endpoint = await organization.get_endpoint(session, access.organization.id, webhook_id)
    check_if_match(request, service.etag_of(endpoint))
    await service.delete_endpoint(session, endpoint)


@router.post(HOOK + "/rotate-secret", operation_id="rotate_organization_webhook_secret")
async def rotate_organization_webhook_secret(
    webhook_id: uuid.UUID,
    access: OrgWebhooksManager,
    context: Context,
    session: Session,
    response: Response,
    overlap_seconds: Annotated[int | None, Query(ge=0, le=service.MAX_SECRET_OVERLAP_SECONDS)] = None,
) -> SecretRotated:
    """A new signing secret; the old one keeps signing too until `previous_secret_expires_at`."""
    endpoint = await organization.get_endpoint(session, access.organization.id, webhook_id)
    secret = service.rotate_secret(
        context.keys.webhooks, endpoint, service.rotation_overlap(context.settings, overlap_seconds)
    )
    await session.flush()
    response.headers["ETag"] = service.etag_of(endpoint)
    return SecretRotated(secret=secret, previous_secret_expires_at=endpoint.previous_secret_expires_at)


@router.post(
    HOOK + "/ping",
    status_code=status.HTTP_202_ACCEPTED,
    operation_id="ping_organization_webhook",
    dependencies=[Depends(idempotency)],
)
async def ping_organization_webhook(
    webhook_id: uuid.UUID, access: OrgWebhooksManager, session: Session
) -> DeliveryOut:
    """Queue a `webhook.ping` test event; follow it in the delivery log."""
    endpoint = await organization.get_endpoint(session, access.organization.id, webhook_id)
    return delivery_out(await service.ping(session, endpoint))


@router.get(HOOK + "/deliveries", operation_id="list_organization_webhook_deliveries")
async def list_organization_webhook_deliveries(
    webhook_id: uuid.UUID,
    access: OrgWebhooksManager,
    session: Session,
    paging: Paging,
    status_filter: Annotated[DeliveryStatus | None, Query(alias="status")] = None,
) -> Page[DeliverySummary]:
    """The delivery log, newest first."""
    endpoint = await organization.get_endpoint(session, access.organization.id, webhook_id)
    scope = service.deliveries_cursor_scope(endpoint.id, status_filter)
    rows = await repository.deliveries_page(
        session, endpoint.id, limit=paging.limit, after=paging.position(scope), status=status_filter
    )
    return paging.page(scope, rows, DeliverySummary, key=by_created)
