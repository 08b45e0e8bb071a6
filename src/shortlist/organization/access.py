"""The organisation route dependency: membership (404 for non-members) and the role check of one operation."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.auth.dependencies import AnySubject
from shortlist.http.route import get_session
from shortlist.organization import service
from shortlist.organization.policy import Operation
from shortlist.organization.service import Access

OrgId = Annotated[uuid.UUID, Path(description="The organization's id.")]


class Permits:
    """`Depends(Permits(Operation.x))`: the caller is a member whose role allows `x`.

    The operation stays readable on the route (the role × route test reads it from here)."""

    def __init__(self, operation: Operation) -> None:
        self.operation = operation

    async def __call__(self, org_id: OrgId, subject: AnySubject, request: Request) -> Access:
        session: AsyncSession = await get_session(request)
        found = await service.access(session, subject, org_id)
        found.require(self.operation)
        # Kept for what runs after the handler (the candidate-data access log names the actor).
        request.state.organization_access = found
        return found


OrgReader = Annotated[Access, Depends(Permits(Operation.org_read))]
OrgUpdater = Annotated[Access, Depends(Permits(Operation.org_update))]
OrgDeleter = Annotated[Access, Depends(Permits(Operation.org_delete))]
MembersReader = Annotated[Access, Depends(Permits(Operation.members_read))]
MembersInviter = Annotated[Access, Depends(Permits(Operation.members_invite))]
MembersManager = Annotated[Access, Depends(Permits(Operation.members_manage))]
OwnershipTransferrer = Annotated[Access, Depends(Permits(Operation.ownership_transfer))]
JobsReader = Annotated[Access, Depends(Permits(Operation.jobs_read))]
JobsWriter = Annotated[Access, Depends(Permits(Operation.jobs_write))]
ApplicationsReader = Annotated[Access, Depends(Permits(Operation.applications_read))]
ApplicationsWriter = Annotated[Access, Depends(Permits(Operation.applications_write))]
ApplicationsCommenter = Annotated[Access, Depends(Permits(Operation.applications_comment))]
CandidateDataExporter = Annotated[Access, Depends(Permits(Operation.candidate_data_export))]
CredentialsManager = Annotated[Access, Depends(Permits(Operation.credentials_manage))]
AuditReader = Annotated[Access, Depends(Permits(Operation.audit_read))]
OrgWebhooksManager = Annotated[Access, Depends(Permits(Operation.webhooks_manage))]
