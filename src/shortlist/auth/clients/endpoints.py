"""`/v1/oauth-clients`: register, list, rotate and revoke the integrations that use client credentials.

Managing clients is an account action: a signed-in session only (see auth/access.py).
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from shortlist.auth.clients import repository, service
from shortlist.auth.clients.schemas import OAuthClientCreate, OAuthClientOut, OAuthClientWithSecret
from shortlist.auth.dependencies import AnySubject
from shortlist.http.deps import Context, Paging, Session
from shortlist.http.route import TransactionalRoute
from shortlist.kit.pagination import Page, by_created

router = APIRouter(prefix="/oauth-clients", tags=["oauth clients"], route_class=TransactionalRoute)


@router.post("", status_code=status.HTTP_201_CREATED, operation_id="create_oauth_client")
async def create_oauth_client(
    body: OAuthClientCreate, subject: AnySubject, context: Context, session: Session
) -> OAuthClientWithSecret:
    """Register a client with a subset of your scopes. The secret is in this response only."""
    client, secret = await service.register(
        context, session, subject.user_id, subject.scopes, body.name, {scope.value for scope in body.scopes}
    )
    return service.with_secret(client, secret)


@router.get("", operation_id="list_oauth_clients")
async def list_oauth_clients(subject: AnySubject, session: Session, paging: Paging) -> Page[OAuthClientOut]:
    """Your live clients, newest first."""
    scope = f"oauth-clients:{subject.user_id}"
    rows = await repository.owned_page(session, subject.user_id, paging.position(scope), paging.limit)
    return paging.page(scope, rows, OAuthClientOut, key=by_created, item=service.describe)


@router.post("/{client_id}/rotate-secret", operation_id="rotate_oauth_client_secret")
async def rotate_oauth_client_secret(
    client_id: uuid.UUID, subject: AnySubject, context: Context, session: Session
) -> OAuthClientWithSecret:
    """A new secret, shown once; the old secret and the tokens issued with it stop working at once."""
    client = await service.owned(session, subject.user_id, client_id)
    secret = service.rotate_secret(context, session, client)
    await session.flush()
    return service.with_secret(client, secret)


@router.delete("/{client_id}", status_code=status.HTTP_204_NO_CONTENT, operation_id="revoke_oauth_client")
async def revoke_oauth_client(client_id: uuid.UUID, subject: AnySubject, session: Session) -> None:
    """Revoke the client and every token it holds, at once."""
    service.revoke(session, await service.owned(session, subject.user_id, client_id))
