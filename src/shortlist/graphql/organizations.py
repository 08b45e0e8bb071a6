"""Organisations, their members, invitations and jobs, for their members. A non-member gets null (the
organisation does not exist for them, as REST's 404); a member whose role lacks the operation gets the
`organization-operation-forbidden` error (REST's 403). Lists use REST's signed cursors and scopes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import strawberry

from shortlist.graphql.context import GraphInfo, require
from shortlist.graphql.postings import JobPosting, JobPostingStatus, posting_for
from shortlist.graphql.recruiting_common import member_access, recruiting_id, recruiting_keys
from shortlist.graphql.types import Connection, Edge, Node, PageInfo, page_size
from shortlist.kit.pagination import page_of
from shortlist.models import Organization as OrganizationRow
from shortlist.models import OrganizationInvitation, OrganizationMember
from shortlist.models import User as UserRow
from shortlist.organization import repository as organization_repository
from shortlist.organization import service as organization_service
from shortlist.organization.policy import Operation
from shortlist.organization.service import Access
from shortlist.posting import repository as posting_repository
from shortlist.posting.schemas import PostingStatus

First = Annotated[int | None, strawberry.argument(description="Page size (at most 100).")]
After = Annotated[str | None, strawberry.argument(description="`endCursor` of the previous page.")]


@strawberry.type(description="A member of an organisation and their role.")
class Member(Node):
    id: strawberry.ID
    member_id: uuid.UUID = strawberry.field(description="The id REST uses in its paths.")
    user_id: uuid.UUID
    email: str
    name: str | None
    role: str = strawberry.field(description="owner, admin, recruiter, hiring_manager or viewer.")
    version: int
    created_at: datetime

    @classmethod
    def of(cls, member: OrganizationMember, user: UserRow) -> Member:
        return cls(
            id=recruiting_id("OrganizationMember", member.organization_id, member.id),
            member_id=member.id,
            user_id=member.user_id,
            email=user.email,
            name=user.name,
            role=str(member.role),
            version=member.version,
            created_at=member.created_at,
        )


@strawberry.type(description="An invitation (the token is only ever in the e-mail).")
class Invitation(Node):
    id: strawberry.ID
    invitation_id: uuid.UUID
    email: str
    role: str
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, row: OrganizationInvitation) -> Invitation:
        return cls(
            id=recruiting_id("OrganizationInvitation", row.organization_id, row.id),
            invitation_id=row.id,
            email=row.email,
            role=str(row.role),
            created_at=row.created_at,
            expires_at=row.expires_at,
            accepted_at=row.accepted_at,
            revoked_at=row.revoked_at,
        )


@strawberry.federation.type(keys=["id"], description="An organisation you belong to.")
class Organization(Node):
    id: strawberry.ID
    organization_id: uuid.UUID = strawberry.field(description="The id REST uses in its paths.")
    name: str
    slug: str = strawberry.field(description="The careers page address.")
    owner_id: uuid.UUID
    retention_months: int | None
    version: int
    etag: str
    created_at: datetime
    updated_at: datetime
    my_role: str = strawberry.field(description="Your role in it.")
    access: strawberry.Private[Access]

    @classmethod
    def of(cls, access: Access, row: OrganizationRow | None = None) -> Organization:
        row = row or access.organization
        return cls(
            id=recruiting_id("Organization", row.id),
            organization_id=row.id,
            name=row.name,
            slug=row.slug,
            owner_id=row.owner_id,
            retention_months=row.retention_months,
            version=row.version,
            etag=organization_service.etag_of(row),
            created_at=row.created_at,
            updated_at=row.updated_at,
            my_role=str(access.role),
            access=access,
        )

    @strawberry.field(description="Members, newest first.")
    async def members(
        self, info: GraphInfo, first: First = None, after: After = None
    ) -> Connection[Member] | None:
        self.access.require(Operation.members_read)
        size = page_size(first)
        cursors = info.context.app.cursors
        scope = f"members:{self.organization_id}"
        position = cursors.position(scope, after)
        async with info.context.gate.use() as session:
            rows = await organization_repository.members_page(
                session, self.organization_id, limit=size, after=position
            )
        items, more = page_of(rows, size)
        edges = [
            Edge(cursor=cursors.encode(scope, m.created_at, str(m.id)), node=Member.of(m, u))
            for m, u in items
        ]
        return Connection(
            edges=edges,
            page_info=PageInfo(has_next_page=more, end_cursor=edges[-1].cursor if more and edges else None),
        )

    @strawberry.field(description="Invitations, newest first (owner and admin).")
    async def invitations(
        self, info: GraphInfo, first: First = None, after: After = None
    ) -> Connection[Invitation] | None:
        self.access.require(Operation.members_invite)
        size = page_size(first)
        cursors = info.context.app.cursors
        scope = f"invitations:{self.organization_id}"
        position = cursors.position(scope, after)
        async with info.context.gate.use() as session:
            rows = await organization_repository.invitations_page(
                session, self.organization_id, limit=size, after=position
            )
        items, more = page_of(rows, size)
        edges = [
            Edge(cursor=cursors.encode(scope, i.created_at, str(i.id)), node=Invitation.of(i)) for i in items
        ]
        return Connection(
            edges=edges,
            page_info=PageInfo(has_next_page=more, end_cursor=edges[-1].cursor if more and edges else None),
        )

    @strawberry.field(
        description="Jobs, most recently changed first (a hiring manager sees the jobs they are on)."
    )
    async def jobs(
        self,
        info: GraphInfo,
        first: First = None,
        after: After = None,
        status: JobPostingStatus | None = None,
    ) -> Connection[JobPosting] | None:
        self.access.require(Operation.jobs_read)
        wanted = PostingStatus(status.value) if status is not None else None
        size = page_size(first)
        cursors = info.context.app.cursors
        scope = f"jobs:{self.organization_id}:{self.access.user_id}:{wanted or ''}"
        position = cursors.position(scope, after)
        async with info.context.gate.use() as session:
            rows = await posting_repository.page(
                session, self.access, limit=size, after=position, status=wanted
            )
        items, more = page_of(rows, size)
        edges = [
            Edge(cursor=cursors.encode(scope, p.updated_at, str(p.id)), node=JobPosting.of(self.access, p))
            for p in items
        ]
        return Connection(
            edges=edges,
            page_info=PageInfo(has_next_page=more, end_cursor=edges[-1].cursor if more and edges else None),
        )

    @strawberry.field(description="One job by the id REST uses; null when there is none for you.")
    async def job(self, info: GraphInfo, job_posting_id: uuid.UUID) -> JobPosting | None:
        self.access.require(Operation.jobs_read)
        return await posting_for(info, self.access, job_posting_id)

    @classmethod
    async def resolve_reference(cls, info: GraphInfo, id: strawberry.ID) -> Organization | None:
        [organization_id] = recruiting_keys(id, "Organization", 1)
        access = await member_access(info, organization_id, Operation.org_read)
        return cls.of(access) if access is not None else None


async def member_node(info: GraphInfo, raw_id: str) -> Member | None:
    organization_id, member_id = recruiting_keys(raw_id, "OrganizationMember", 2)
    access = await member_access(info, organization_id, Operation.members_read)
    if access is None:
        return None
    async with info.context.gate.use() as session:
        found = await organization_repository.member(session, organization_id, member_id)
    return Member.of(*found) if found is not None else None


@strawberry.type
class OrganizationQuery:
    @strawberry.field(description="The organisations you belong to, newest membership first.")
    async def organizations(
        self, info: GraphInfo, first: First = None, after: After = None
    ) -> Connection[Organization]:
        subject = require(info)
        size = page_size(first)
        cursors = info.context.app.cursors
        scope = f"organizations:{subject.user_id}"
        position = cursors.position(scope, after)
        async with info.context.gate.use() as session:
            rows = await organization_repository.my_organizations_page(
                session, subject.user_id, limit=size, after=position
            )
        items, more = page_of(rows, size)
        edges = []
        for organization, membership in items:
            access = Access(organization, membership, subject)
            info.context.recruiting.access.prime(organization.id, access)
            edges.append(
                Edge(
                    cursor=cursors.encode(scope, membership.created_at, str(membership.id)),
                    node=Organization.of(access),
                )
            )
        return Connection(
            edges=edges,
            page_info=PageInfo(has_next_page=more, end_cursor=edges[-1].cursor if more and edges else None),
        )

    @strawberry.field(description="One organisation by the id REST uses; null when you are not a member.")
    async def organization(self, info: GraphInfo, organization_id: uuid.UUID) -> Organization | None:
        access = await member_access(info, organization_id, Operation.org_read)
        return Organization.of(access) if access is not None else None
