from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.apikey.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyOut
from shortlist.auth.dependencies import ApiKeyManager
from shortlist.auth.subject import API_KEY_PREFIX
from shortlist.context import AppContext, request_context
from shortlist.http.route import TransactionalRoute, get_session
from shortlist.kit.crypto import generate_token, keyed_hash
from shortlist.kit.db import utcnow
from shortlist.kit.pagination import Page, clamp_limit, newest_first, page_of, set_next_link
from shortlist.kit.problems import Forbidden, NotFound, UnprocessableContent
from shortlist.models import ApiKey

router = APIRouter(prefix="/api-keys", tags=["api keys"], route_class=TransactionalRoute)

Session = Annotated[AsyncSession, Depends(get_session)]
Context = Annotated[AppContext, Depends(request_context)]
MAX_KEYS_PER_USER = 50


@router.post("", status_code=status.HTTP_201_CREATED, operation_id="create_api_key")
async def create_api_key(
    body: ApiKeyCreate, subject: ApiKeyManager, context: Context, session: Session
) -> ApiKeyCreated:
    """Create a key with a subset of your own scopes. The key is in this response only."""
    wanted = {scope.value for scope in body.scopes}
    if not wanted <= subject.scopes:
        raise Forbidden(
            "A key cannot carry scopes its creator lacks: " + ", ".join(sorted(wanted - subject.scopes))
        )
    if body.expires_at is not None:
        if body.expires_at.tzinfo is None:
            raise UnprocessableContent("expires_at needs a UTC offset, e.g. 2030-01-01T00:00:00Z.")
        if body.expires_at <= utcnow():
            raise UnprocessableContent("expires_at must be in the future.")
    count = len(
        (
            await session.scalars(
                select(ApiKey.id).where(ApiKey.user_id == subject.user_id, ApiKey.revoked_at.is_(None))
            )
        ).all()
    )
    if count >= MAX_KEYS_PER_USER:
        raise UnprocessableContent(f"An account can hold at most {MAX_KEYS_PER_USER} active keys.")
    plaintext = generate_token(API_KEY_PREFIX)
    row = ApiKey(
        user_id=subject.user_id,
        name=body.name,
        display_prefix=plaintext[:12],
        key_hash=keyed_hash(context.keys.api_keys, plaintext),
        scopes=sorted(wanted),
        expires_at=body.expires_at,
    )
    session.add(row)
    await session.flush()
    return ApiKeyCreated.model_validate({**ApiKeyOut.model_validate(row).model_dump(), "key": plaintext})


@router.get("", operation_id="list_api_keys")
async def list_api_keys(
    subject: ApiKeyManager,
    context: Context,
    session: Session,
    request: Request,
    response: Response,
    limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> Page[ApiKeyOut]:
    """Your active keys, newest first."""
    size = clamp_limit(limit)
    statement = select(ApiKey).where(ApiKey.user_id == subject.user_id, ApiKey.revoked_at.is_(None))
    scope = f"api-keys:{subject.user_id}"
    after = context.cursors.position(scope, cursor)
    rows = (await session.scalars(newest_first(statement, ApiKey.created_at, ApiKey.id, after, size))).all()
    items, more = page_of(rows, size)
    next_cursor = context.cursors.encode(scope, items[-1].created_at, str(items[-1].id)) if more else None
    set_next_link(request.url, response.headers, next_cursor)
    return Page[ApiKeyOut](items=[ApiKeyOut.model_validate(row) for row in items], next_cursor=next_cursor)


@router.delete("/{key_id}", status_code=status.HTTP_204_NO_CONTENT, operation_id="revoke_api_key")
async def revoke_api_key(key_id: uuid.UUID, subject: ApiKeyManager, session: Session) -> None:
    """Revoke a key at once."""
    row = await session.scalar(
        select(ApiKey).where(
            ApiKey.id == key_id, ApiKey.user_id == subject.user_id, ApiKey.revoked_at.is_(None)
        )
    )
    if row is None:
        raise NotFound("No such API key.")
    row.revoked_at = utcnow()
