"""Recruiter writes on organisations and job postings: the same service calls and role checks as the REST
routes (`organization/`, `posting/`), each in its own savepoint, with typed results to branch on."""

from __future__ import annotations

import uuid
from enum import Enum
from typing import Annotated, Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.graphql.context import GraphInfo, require, require_member
from shortlist.graphql.organizations import Invitation, Organization
from shortlist.graphql.postings import JobPosting
from shortlist.graphql.recruiting_common import recruiting_keys, writer_access
from shortlist.graphql.results import (
    ConflictProblem,
    NotFoundProblem,
    ValidationProblem,
    idempotent,
    run_mutation,
    validated,
)
from shortlist.http.route import on_after_commit
from shortlist.kit.conditional import check_expected_version
from shortlist.kit.merge_patch import changes_of
from shortlist.models import JobPosting as PostingRow
from shortlist.organization import service as organization_service
from shortlist.organization.policy import Operation, OrgRole
from shortlist.organization.schemas import InvitationCreate, OrganizationCreate
from shortlist.organization.service import Access
from shortlist.posting import service as posting_service
from shortlist.posting.schemas import PostingCreate, PostingStatus, PostingUpdate

ExpectedVersion = Annotated[
    int | None,
    strawberry.argument(description="The version you read (If-Match): a stale one gets a ConflictProblem."),
]
IdempotencyKey = Annotated[
    str | None,
    strawberry.argument(description="Makes a retry safe: the same key and arguments give the first result."),
]

OrganizationResult = Annotated[
    Organization | ValidationProblem | ConflictProblem | NotFoundProblem,
    strawberry.union("OrganizationResult"),
]
InvitationResult = Annotated[
    Invitation | ValidationProblem | ConflictProblem | NotFoundProblem, strawberry.union("InvitationResult")
]
JobPostingResult = Annotated[
    JobPosting | ValidationProblem | ConflictProblem | NotFoundProblem, strawberry.union("JobPostingResult")
]


@strawberry.enum(description="A member's role: what each may do is organization/policy.py's table.")
class OrganizationRole(Enum):
    OWNER = OrgRole.owner.value
    ADMIN = OrgRole.admin.value
    RECRUITER = OrgRole.recruiter.value
    HIRING_MANAGER = OrgRole.hiring_manager.value
    VIEWER = OrgRole.viewer.value


@strawberry.input
class OrganizationInput:
    name: str
    slug: str = strawberry.field(
        description="Lower-case letters, digits and hyphens; the careers page address."
    )


@strawberry.input
class SalaryInput:
    min: int | None = None
    max: int | None = None
    currency: str = "EUR"
    period: str = "year"


@strawberry.input(
    description="Recruiter-set requirements: a field given wins over the description's reading."
)
class RequirementsInput:
    required_skills: list[str] | None = None
    preferred_skills: list[str] | None = None
    years: float | None = None
    seniority: str | None = None
    education: str | None = None
    languages: list[str] | None = None


@strawberry.input
class BlindInput:
    enabled: bool = False
    hide_schools: bool = False


@strawberry.input(description="A new draft job.")
class JobPostingInput:
    title: str
    description: str = ""
    location: str | None = None
    workplace: str = "onsite"
    employment_type: str = "full_time"
    salary: SalaryInput | None = None
    requirements: RequirementsInput | None = None
    blind: BlindInput | None = None
    hiring_manager_ids: list[uuid.UUID] = strawberry.field(default_factory=list)
    scorecard_criteria: list[str] = strawberry.field(default_factory=list)


def _plain(value: Any) -> Any:
    """An input object as the JSON body REST would receive (None fields dropped)."""
    if hasattr(value, "__dataclass_fields__"):
        return {
            k: _plain(getattr(value, k)) for k in value.__dataclass_fields__ if getattr(value, k) is not None
        }
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


async def _posting_for_write(
    info: GraphInfo, session: AsyncSession, raw_id: str, expected_version: int | None
) -> tuple[Access, PostingRow]:
    organization_id, posting_id = recruiting_keys(raw_id, "JobPosting", 2)
    access = await writer_access(info, session, organization_id, Operation.jobs_write)
    posting = await posting_service.get(session, access, posting_id)
    check_expected_version(posting.version, expected_version, posting_service.etag_of(posting))
    return access, posting


async def _transition(
    info: GraphInfo, raw_id: str, target: PostingStatus, expected_version: int | None
) -> JobPosting | ValidationProblem | ConflictProblem | NotFoundProblem:
    async def work(session: AsyncSession) -> JobPosting:
        access, posting = await _posting_for_write(info, session, raw_id, expected_version)
        await posting_service.transition(session, access, posting, target)
        return JobPosting.of(access, posting)

    return await run_mutation(info, work)


@strawberry.type
class RecruitingMutations:
    @strawberry.mutation(description="Create an organisation; you become its owner.")
    async def create_organization(
        self, info: GraphInfo, input: OrganizationInput, idempotency_key: IdempotencyKey = None
    ) -> OrganizationResult:
        subject = require(info)

        async def create(session: AsyncSession) -> uuid.UUID:
            body = validated(OrganizationCreate, {"name": input.name, "slug": input.slug})
            organization = await organization_service.create(session, subject, body.name, body.slug)
            return organization.id

        async def read(session: AsyncSession, organization_id: uuid.UUID) -> Organization:
            access = await organization_service.access(session, subject, organization_id)
            return Organization.of(access)

        arguments = {"name": input.name, "slug": input.slug}
        return await idempotent(info, idempotency_key, "createOrganization", arguments, create, read)

    @strawberry.mutation(
        description="E-mail an invitation (owner and admin). The token is in the e-mail only: single use, "
        "expiring, stored hashed."
    )
    async def invite_member(
        self,
        info: GraphInfo,
        organization_id: uuid.UUID,
        email: str,
        role: OrganizationRole = OrganizationRole.RECRUITER,
        idempotency_key: IdempotencyKey = None,
    ) -> InvitationResult:
        context = info.context

        async def create(session: AsyncSession) -> uuid.UUID:
            access = await writer_access(info, session, organization_id, Operation.members_invite)
            body = validated(InvitationCreate, {"email": email, "role": role.value})
            invitation, token = await organization_service.invite(
                context.app, access, session, str(body.email), body.role
            )
            subject, text = organization_service.invitation_mail(context.app, access.organization, token)
            address = invitation.email

            async def send() -> None:
                await context.app.mailer.send(address, subject, text)

            on_after_commit(context.request, send)
            return invitation.id

        async def read(session: AsyncSession, invitation_id: uuid.UUID) -> Invitation:
            access = await writer_access(info, session, organization_id, Operation.members_invite)
            return Invitation.of(
                await organization_service.get_invitation(session, access.organization, invitation_id)
            )

        arguments = {"organizationId": str(organization_id), "email": email, "role": role.value}
        return await idempotent(info, idempotency_key, "inviteMember", arguments, create, read)

    @strawberry.mutation(
        description="A draft job. The description is read into requirements (`extracted`); what you set in "
        "`requirements` wins."
    )
    async def create_job_posting(
        self,
        info: GraphInfo,
        organization_id: uuid.UUID,
        input: JobPostingInput,
        idempotency_key: IdempotencyKey = None,
    ) -> JobPostingResult:
        subject = require_member(info)  # an organisation's key with jobs:write may post, as over REST
        raw = _plain(input)

        async def create(session: AsyncSession) -> uuid.UUID:
            access = await writer_access(info, session, organization_id, Operation.jobs_write)
            body = validated(PostingCreate, raw)
            posting = await posting_service.create(session, access, body)
            return posting.id

        async def read(session: AsyncSession, posting_id: uuid.UUID) -> JobPosting:
            access = await organization_service.access(session, subject, organization_id)
            return JobPosting.of(access, await posting_service.get(session, access, posting_id))

        arguments = {"organizationId": str(organization_id), "input": raw}
        return await idempotent(info, idempotency_key, "createJobPosting", arguments, create, read)

    @strawberry.mutation(description="Publish on the careers page (from draft or closed); emits job.opened.")
    async def open_job_posting(
        self, info: GraphInfo, id: strawberry.ID, expected_version: ExpectedVersion = None
    ) -> JobPostingResult:
        return await _transition(info, id, PostingStatus.open, expected_version)

    @strawberry.mutation(description="Stop taking applications; emits job.closed.")
    async def close_job_posting(
        self, info: GraphInfo, id: strawberry.ID, expected_version: ExpectedVersion = None
    ) -> JobPostingResult:
        return await _transition(info, id, PostingStatus.closed, expected_version)

    @strawberry.mutation(
        description="Correct the requirements: every field given wins over the description's reading (skill "
        "names are normalised to the engine's spelling). Rescore applications to apply it to them."
    )
    async def correct_job_requirements(
        self,
        info: GraphInfo,
        id: strawberry.ID,
        requirements: RequirementsInput,
        expected_version: ExpectedVersion = None,
    ) -> JobPostingResult:
        async def work(session: AsyncSession) -> JobPosting:
            access, posting = await _posting_for_write(info, session, id, expected_version)
            body = validated(PostingUpdate, {"requirements": _plain(requirements)})
            await posting_service.update(session, access, posting, changes_of(body))
            return JobPosting.of(access, posting)

        return await run_mutation(info, work)
