"""`GET /v1/organizations/{org_id}/candidate-data-access`: the log of who read or exported candidate data."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.application.audit import service
from shortlist.application.audit.schemas import CandidateDataAccessOut
from shortlist.application.audit.service import AccessAction
from shortlist.context import AppContext, request_context
from shortlist.http.route import TransactionalRoute, get_session
from shortlist.kit.pagination import Page, clamp_limit, page_of, set_next_link
from shortlist.organization.access import AuditReader

router = APIRouter(tags=["organizations"], route_class=TransactionalRoute)

Session = Annotated[AsyncSession, Depends(get_session)]
Context = Annotated[AppContext, Depends(request_context)]
Credential = Literal["session", "organization_key", "organization_client"]


@router.get("/organizations/{org_id}/candidate-data-access", operation_id="list_candidate_data_access")
async def list_candidate_data_access(
    access: AuditReader,
    context: Context,
    session: Session,
    request: Request,
    response: Response,
    action: AccessAction | None = None,
    actor_id: uuid.UUID | None = None,
    credential: Credential | None = None,
    application_id: uuid.UUID | None = None,
    person_id: uuid.UUID | None = None,
    since: Annotated[
        datetime | None, Query(description="From this instant (inclusive, with offset).")
    ] = None,
    until: Annotated[datetime | None, Query(description="Before this instant (with offset).")] = None,
    limit: Annotated[int | None, Query(ge=1, le=1000, description="Page size (clamped to 100).")] = None,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> Page[CandidateDataAccessOut]:
    """Who read, downloaded, exported or erased candidate data here, newest first (ids only)."""
    filters = service.filters(
        action=action,
        actor_id=actor_id,
        credential=credential,
        application_id=application_id,
        person_id=person_id,
        since=since,
        until=until,
    )
    size = clamp_limit(limit)
    scope = f"candidate-data-access:{access.organization.id}:{filters.key()}"
    after = context.cursors.position(scope, cursor)
    rows = await service.page(session, access, filters, limit=size, after=after)
    items, more = page_of(rows, size)
    next_cursor = context.cursors.encode(scope, items[-1].created_at, str(items[-1].id)) if more else None
    set_next_link(request.url, response.headers, next_cursor)
    return Page[CandidateDataAccessOut](
        items=[CandidateDataAccessOut.model_validate(row) for row in items], next_cursor=next_cursor
    )
