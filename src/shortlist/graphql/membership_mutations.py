"""Leaving and deleting an organisation, revoking and accepting invitations, a job's edits after creation
(hiring managers among them) and archiving it: the same service calls, access-table entries and role checks
as REST's routes (`organization/`, `posting/`), each in its own savepoint, with typed results."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.graphql.context import GraphInfo, authorized_as
from shortlist.graphql.organizations import Invitation, Organization
from shortlist.graphql.postings import JobPosting
from shortlist.graphql.recruiting_common import writer_access
from shortlist.graphql.recruiting_mutations import (
    BlindInput,
    ExpectedVersion,
    IdempotencyKey,
    InvitationResult,
    JobPostingResult,
    OrganizationResult,
    RequirementsInput,
    SalaryInput,
    _plain,
    _posting_for_write,
    _transition,
)
from shortlist.graphql.results import idempotent, run_mutation, validated
from shortlist.kit.conditional import check_expected_version
from shortlist.kit.merge_patch import changes_of
from shortlist.organization import service as organization_service
from shortlist.organization.policy import Operation
from shortlist.organization.schemas import InvitationAccept
from shortlist.posting import service as posting_service
from shortlist.posting.schemas import PostingStatus, PostingUpdate

InvitationToken = Annotated[str, strawberry.argument(description="The `sli_…` token from the e-mail.")]


@strawberry.input(
    description="Only the fields given change (a merge patch, as REST's PATCH): `location: null` clears "
    "it; a new title or description is read again into `extracted`."
)
class JobPostingPatch:
    title: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    location: str | None = strawberry.UNSET
    workplace: str | None = strawberry.UNSET
    employment_type: str | None = strawberry.UNSET
    salary: SalaryInput | None = strawberry.UNSET
    requirements: RequirementsInput | None = strawberry.UNSET
    blind: BlindInput | None = strawberry.UNSET
    hiring_manager_ids: list[uuid.UUID] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Replaces the job's hiring managers: members whose role is hiring_manager.",
    )
    scorecard_criteria: list[str] | None = strawberry.UNSET


def _given(patch: JobPostingPatch) -> dict[str, Any]:
    """The patch as the JSON body REST would receive: absent fields left out, explicit nulls kept."""
    return {
        name: _plain(getattr(patch, name))
        for name in JobPostingPatch.__dataclass_fields__
        if getattr(patch, name) is not strawberry.UNSET
    }


@strawberry.type
class MembershipMutations:
    @strawberry.mutation(
        description="Delete the organisation (owner only; a signed-in session). The careers page goes at "
        "once and the slug is freed. Answers the organisation as it was."
    )
    async def delete_organization(
        self, info: GraphInfo, organization_id: uuid.UUID, expected_version: ExpectedVersion = None
    ) -> OrganizationResult:
        authorized_as(info, "delete_organization")

        async def work(session: AsyncSession) -> Organization:
            access = await writer_access(info, session, organization_id, Operation.org_delete)
            organization = access.organization
            check_expected_version(
                organization.version, expected_version, organization_service.etag_of(organization)
            )
            gone = Organization.of(access)
            await organization_service.delete_organization(session, organization)
            return gone

        return await run_mutation(info, work)

    @strawberry.mutation(
        description="Leave the organisation (the owner transfers ownership first: a ConflictProblem). "
        "Answers the organisation as you left it."
    )
    async def leave_organization(self, info: GraphInfo, organization_id: uuid.UUID) -> OrganizationResult:
        authorized_as(info, "leave_organization")

        async def work(session: AsyncSession) -> Organization:
            access = await writer_access(info, session, organization_id, Operation.org_read)
            left = Organization.of(access)
            await organization_service.leave(access, session)
            return left

        return await run_mutation(info, work)

    @strawberry.mutation(
        description="Revoke a pending invitation (owner and admin); its token stops working."
    )
    async def revoke_invitation(
        self, info: GraphInfo, organization_id: uuid.UUID, invitation_id: uuid.UUID
    ) -> InvitationResult:
        authorized_as(info, "revoke_organization_invitation")

        async def work(session: AsyncSession) -> Invitation:
            access = await writer_access(info, session, organization_id, Operation.members_invite)
            invitation = await organization_service.get_invitation(
                session, access.organization, invitation_id
            )
            await organization_service.revoke_invitation(session, invitation)
            return Invitation.of(invitation)

        return await run_mutation(info, work)

    @strawberry.mutation(
        description="Join with the token from the e-mail, signed in with the address it was sent to. An "
        "unknown, used, revoked or expired token, or another address, is a ValidationProblem "
        "(`invalid-invitation`); already a member, a ConflictProblem."
    )
    async def accept_invitation(
        self, info: GraphInfo, token: InvitationToken, idempotency_key: IdempotencyKey = None
    ) -> OrganizationResult:
        subject = authorized_as(info, "accept_organization_invitation")
        app = info.context.app

        async def join(session: AsyncSession) -> uuid.UUID:
            body = validated(InvitationAccept, {"token": token})
            organization, _member = await organization_service.accept(app, session, subject, body.token)
            return organization.id

        async def read(session: AsyncSession, organization_id: uuid.UUID) -> Organization:
            return Organization.of(await organization_service.access(session, subject, organization_id))

        # The token is a secret: the stored fingerprint is a hash of the arguments, never the token itself.
        return await idempotent(info, idempotency_key, "acceptInvitation", {"token": token}, join, read)

    @strawberry.mutation(
        description="Change a job's fields: title, description, location, salary, requirements, blind "
        "screening, scorecard criteria, and its hiring managers (`hiringManagerIds` replaces them). An "
        "archived job is read-only (a ConflictProblem). A stale `expectedVersion` gets a ConflictProblem."
    )
    async def update_job_posting(
        self,
        info: GraphInfo,
        id: strawberry.ID,
        input: JobPostingPatch,
        expected_version: ExpectedVersion = None,
    ) -> JobPostingResult:
        authorized_as(info, "update_job_posting")
        raw = _given(input)

        async def work(session: AsyncSession) -> JobPosting:
            access, posting = await _posting_for_write(info, session, id, expected_version)
            body = validated(PostingUpdate, raw)
            await posting_service.update(session, access, posting, changes_of(body))
            return JobPosting.of(access, posting)

        return await run_mutation(info, work)

    @strawberry.mutation(description="Archive a draft or closed job: read-only from then on.")
    async def archive_job_posting(
        self, info: GraphInfo, id: strawberry.ID, expected_version: ExpectedVersion = None
    ) -> JobPostingResult:
        authorized_as(info, "archive_job_posting")
        return await _transition(info, id, PostingStatus.archived, expected_version)
