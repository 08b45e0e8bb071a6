"""`/v1/organizations/{org_id}/api-keys` and `/oauth-clients`: an organisation's own credentials.

Issuing and managing them is an owner's or admin's act, from a signed-in session (auth/access.py); the
credentials then call the organisation routes that the access table opens to them, with their scopes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.auth.clients import service as client_service
from shortlist.context import AppContext, request_context
from shortlist.http.route import TransactionalRoute, get_session
from shortlist.kit.pagination import Page, clamp_limit, page_of, set_next_link
from shortlist.models import OAuthClient
from shortlist.organization.access import CredentialsManager
from shortlist.organization.credentials import repository, service
from shortlist.organization.credentials.schemas import (
    OrganizationClientCreate,
    OrganizationClientOut,
    OrganizationClientWithSecret,
    OrganizationKeyCreate,
    OrganizationKeyCreated,
    OrganizationKeyOut,
)

# Issuing and rotating return a secret, so these routes take no Idempotency-Key (a replay would store it).
router = APIRouter(tags=["organization credentials"], route_class=TransactionalRoute)

Session = Annotated[AsyncSession, Depends(get_session)]
Context = Annotated[AppContext, Depends(request_context)]
Limit = Annotated[int | None, Query(ge=1, le=1000, description="Page size (clamped to 100).")]
Cursor = Annotated[str | None, Query(max_length=512, description="`next_cursor` of the previous page.")]
KEYS = "/organizations/{org_id}/api-keys"
CLIENTS = "/organizations/{org_id}/oauth-clients"


def _client(client: OAuthClient) -> OrganizationClientOut:
    return OrganizationClientOut.model_validate(
        {**client_service.describe(client).model_dump(), "created_by": client.created_by}
    )


@router.post(KEYS, status_code=status.HTTP_201_CREATED, operation_id="create_organization_api_key")
async def create_organization_api_key(
    body: OrganizationKeyCreate, access: CredentialsManager, context: Context, session: Session
) -> OrganizationKeyCreated:
    """Issue a key for the organisation with organisation scopes your role has. It acts for you (never beyond
    your role, and not once you leave). The key is in this response only."""
    key, plaintext = await service.issue_key(
        context, access, session, body.name, body.scopes, body.expires_at
    )
    return OrganizationKeyCreated.model_validate(
        {**OrganizationKeyOut.model_validate(key).model_dump(), "key": plaintext}
    )


@router.get(KEYS, operation_id="list_organization_api_keys")
async def list_organization_api_keys(
    access: CredentialsManager,
    context: Context,
    session: Session,
    request: Request,
    response: Response,
    limit: Limit = None,
    cursor: Cursor = None,
) -> Page[OrganizationKeyOut]:
    """The organisation's active keys, newest first."""
    size = clamp_limit(limit)
    scope = f"organization-keys:{access.organization.id}"
    after = context.cursors.position(scope, cursor)
    rows = await repository.keys_page(session, access.organization.id, limit=size, after=after)
    items, more = page_of(rows, size)
    next_cursor = context.cursors.encode(scope, items[-1].created_at, str(items[-1].id)) if more else None
    set_next_link(request.url, response.headers, next_cursor)
    return Page[OrganizationKeyOut](
        items=[OrganizationKeyOut.model_validate(k) for k in items], next_cursor=next_cursor
    )


@router.post(KEYS + "/{key_id}/rotate", operation_id="rotate_organization_api_key")
async def rotate_organization_api_key(
    key_id: uuid.UUID, access: CredentialsManager, context: Context, session: Session
) -> OrganizationKeyCreated:
    """A new secret for the key, shown once; the old secret stops working at once."""
    key = await service.get_key(session, access, key_id)
    plaintext = await service.rotate_key(context, session, key)
    return OrganizationKeyCreated.model_validate(
        {**OrganizationKeyOut.model_validate(key).model_dump(), "key": plaintext}
    )


@router.delete(
    KEYS + "/{key_id}", status_code=status.HTTP_204_NO_CONTENT, operation_id="revoke_organization_api_key"
)
async def revoke_organization_api_key(
    key_id: uuid.UUID, access: CredentialsManager, session: Session
) -> None:
    """Revoke the key at once."""
    await service.revoke_key(session, await service.get_key(session, access, key_id))


@router.post(CLIENTS, status_code=status.HTTP_201_CREATED, operation_id="create_organization_oauth_client")
async def create_organization_oauth_client(
    body: OrganizationClientCreate, access: CredentialsManager, context: Context, session: Session
) -> OrganizationClientWithSecret:
    """Register a client-credentials integration for the organisation (organisation scopes your role has;
    it acts for you). The secret is in this response only."""
    client, secret = await service.register_client(context, access, session, body.name, body.scopes)
    return OrganizationClientWithSecret.model_validate(
        {**_client(client).model_dump(), "client_secret": secret}
    )


@router.get(CLIENTS, operation_id="list_organization_oauth_clients")
async def list_organization_oauth_clients(
    access: CredentialsManager,
    context: Context,
    session: Session,
    request: Request,
    response: Response,
    limit: Limit = None,
    cursor: Cursor = None,
) -> Page[OrganizationClientOut]:
    """The organisation's live clients, newest first."""
    size = clamp_limit(limit)
    scope = f"organization-clients:{access.organization.id}"
    after = context.cursors.position(scope, cursor)
    rows = await repository.clients_page(session, access.organization.id, limit=size, after=after)
    items, more = page_of(rows, size)
    next_cursor = context.cursors.encode(scope, items[-1].created_at, str(items[-1].id)) if more else None
    set_next_link(request.url, response.headers, next_cursor)
    return Page[OrganizationClientOut](items=[_client(c) for c in items], next_cursor=next_cursor)


@router.post(CLIENTS + "/{client_id}/rotate-secret", operation_id="rotate_organization_oauth_client_secret")
async def rotate_organization_oauth_client_secret(
    client_id: uuid.UUID, access: CredentialsManager, context: Context, session: Session
) -> OrganizationClientWithSecret:
    """A new secret, shown once; the old secret and every token issued with it stop working at once."""
    client = await service.get_client(session, access, client_id)
    secret = await service.rotate_client_secret(context, session, client)
    return OrganizationClientWithSecret.model_validate(
        {**_client(client).model_dump(), "client_secret": secret}
    )


@router.delete(
    CLIENTS + "/{client_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="revoke_organization_oauth_client",
)
async def revoke_organization_oauth_client(
    client_id: uuid.UUID, access: CredentialsManager, session: Session
) -> None:
    """Revoke the client and every token it holds, at once."""
    await service.revoke_client(session, await service.get_client(session, access, client_id))
