"""`/v1/organizations/{org_id}/api-keys` and `/oauth-clients`: an organisation's own credentials.

Issuing and managing them is an owner's or admin's act, from a signed-in session (auth/access.py); the
credentials then call the organisation routes that the access table opens to them, with their scopes."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from shortlist.auth.clients import service as client_service
from shortlist.http.deps import Context, Paging, Session
from shortlist.http.route import TransactionalRoute
from shortlist.kit.pagination import Page, by_created
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
    session: Session,
    paging: Paging,
) -> Page[OrganizationKeyOut]:
    """The organisation's active keys, newest first."""
    scope = f"organization-keys:{access.organization.id}"
    rows = await repository.keys_page(
        session, access.organization.id, limit=paging.limit, after=paging.position(scope)
    )
    return paging.page(scope, rows, OrganizationKeyOut, key=by_created)


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
    session: Session,
    paging: Paging,
) -> Page[OrganizationClientOut]:
    """The organisation's live clients, newest first."""
    scope = f"organization-clients:{access.organization.id}"
    rows = await repository.clients_page(
        session, access.organization.id, limit=paging.limit, after=paging.position(scope)
    )
    return paging.page(scope, rows, OrganizationClientOut, key=by_created, item=_client)


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
