from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from shortlist.apikey import service
from shortlist.apikey.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyOut
from shortlist.auth.dependencies import ApiKeyManager
from shortlist.http.deps import Context, Paging, Session
from shortlist.http.route import TransactionalRoute
from shortlist.kit.pagination import Page, by_created

router = APIRouter(prefix="/api-keys", tags=["api keys"], route_class=TransactionalRoute)


@router.post("", status_code=status.HTTP_201_CREATED, operation_id="create_api_key")
async def create_api_key(
    body: ApiKeyCreate, subject: ApiKeyManager, context: Context, session: Session
) -> ApiKeyCreated:
    """Create a key with a subset of your own scopes. The key is in this response only."""
    scopes = {scope.value for scope in body.scopes}
    row, plaintext = await service.create(
        session, subject, context.keys.api_keys, body.name, scopes, body.expires_at
    )
    return ApiKeyCreated.model_validate({**ApiKeyOut.model_validate(row).model_dump(), "key": plaintext})


@router.get("", operation_id="list_api_keys")
async def list_api_keys(subject: ApiKeyManager, session: Session, paging: Paging) -> Page[ApiKeyOut]:
    """Your active keys, newest first."""
    scope = service.list_cursor_scope(subject)
    rows = await service.list_page(session, subject, paging.position(scope), paging.limit)
    return paging.page(scope, rows, ApiKeyOut, key=by_created)


@router.delete("/{key_id}", status_code=status.HTTP_204_NO_CONTENT, operation_id="revoke_api_key")
async def revoke_api_key(key_id: uuid.UUID, subject: ApiKeyManager, session: Session) -> None:
    """Revoke a key at once."""
    await service.revoke(session, subject, key_id)
