"""`/v1/oauth-clients`: register, list, rotate and revoke the integrations that use client credentials.

Managing clients is an account action: a signed-in session only (see auth/access.py).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from shortlist.auth.clients import repository, service
from shortlist.auth.clients.schemas import OAuthClientCreate, OAuthClientOut, OAuthClientWithSecret
from shortlist.auth.dependencies import AnySubject
from shortlist.http.deps import Context, Session
from shortlist.http.route import TransactionalRoute
from shortlist.kit.pagination import Page, clamp_limit, newest_first, page_of, set_next_link
from shortlist.kit.problems import NotFound
from shortlist.models import OAuthClient

router = APIRouter(prefix="/oauth-clients", tags=["oauth clients"], route_class=TransactionalRoute)


async def _owned(session: Session, subject_user: uuid.UUID, client_id: uuid.UUID) -> OAuthClient:
    client = await repository.owned(session, subject_user, client_id)
    if client is None:
        raise NotFound("No such OAuth client.")
    return client


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
async def list_oauth_clients(
    subject: AnySubject,
    context: Context,
    session: Session,
    request: Request,
    response: Response,
    limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> Page[OAuthClientOut]:
    """Your live clients, newest first."""
    size = clamp_limit(limit)
    scope = f"oauth-clients:{subject.user_id}"
    after = context.cursors.position(scope, cursor)
    statement = newest_first(
        repository.owned_statement(subject.user_id), OAuthClient.created_at, OAuthClient.id, after, size
    )
    items, more = page_of((await session.scalars(statement)).all(), size)
    next_cursor = context.cursors.encode(scope, items[-1].created_at, str(items[-1].id)) if more else None
    set_next_link(request.url, response.headers, next_cursor)
    return Page[OAuthClientOut](items=[service.describe(client) for client in items], next_cursor=next_cursor)


@router.post("/{client_id}/rotate-secret", operation_id="rotate_oauth_client_secret")
async def rotate_oauth_client_secret(
    client_id: uuid.UUID, subject: AnySubject, context: Context, session: Session
) -> OAuthClientWithSecret:
    """A new secret, shown once; the old secret and the tokens issued with it stop working at once."""
    client = await _owned(session, subject.user_id, client_id)
    secret = service.rotate_secret(context, session, client)
    await session.flush()
    return service.with_secret(client, secret)


@router.delete("/{client_id}", status_code=status.HTTP_204_NO_CONTENT, operation_id="revoke_oauth_client")
async def revoke_oauth_client(client_id: uuid.UUID, subject: AnySubject, session: Session) -> None:
    """Revoke the client and every token it holds, at once."""
    service.revoke(session, await _owned(session, subject.user_id, client_id))
