"""`GET /v1/organizations/{org_id}/candidate-data-access`: the log of who read or exported candidate data."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from shortlist.application.audit import service
from shortlist.application.audit.schemas import CandidateDataAccessOut
from shortlist.application.audit.service import AccessAction
from shortlist.http.deps import Paging, Session
from shortlist.http.route import TransactionalRoute
from shortlist.kit.pagination import Page, by_created
from shortlist.organization.access import AuditReader

router = APIRouter(tags=["organizations"], route_class=TransactionalRoute)

Credential = Literal["session", "organization_key", "organization_client"]


@router.get("/organizations/{org_id}/candidate-data-access", operation_id="list_candidate_data_access")
async def list_candidate_data_access(
    access: AuditReader,
    session: Session,
    paging: Paging,
    action: AccessAction | None = None,
    actor_id: uuid.UUID | None = None,
    credential: Credential | None = None,
    application_id: uuid.UUID | None = None,
    person_id: uuid.UUID | None = None,
    since: Annotated[
        datetime | None, Query(description="From this instant (inclusive, with offset).")
    ] = None,
    until: Annotated[datetime | None, Query(description="Before this instant (with offset).")] = None,
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
    scope = f"candidate-data-access:{access.organization.id}:{filters.key()}"
    rows = await service.page(session, access, filters, limit=paging.limit, after=paging.position(scope))
    return paging.page(scope, rows, CandidateDataAccessOut, key=by_created)
