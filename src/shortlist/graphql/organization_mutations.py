"""Organisation settings, members' roles and ownership, and a person's erasure: the same service calls and
role checks as REST's `/v1/organizations/{org_id}…` routes (`organization/`, `application/privacy.py`),
each in its own savepoint, with typed results to branch on."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.scalars import JSON

from shortlist.application import privacy
from shortlist.application.schemas import Person
from shortlist.graphql.context import GraphInfo, authorized_as
from shortlist.graphql.organizations import Member, Organization
from shortlist.graphql.recruiting_common import writer_access
from shortlist.graphql.recruiting_mutations import ExpectedVersion, OrganizationResult, OrganizationRole
from shortlist.graphql.results import (
    ConflictProblem,
    NotFoundProblem,
    ValidationProblem,
    run_mutation,
    validated,
)
from shortlist.kit.conditional import check_expected_version
from shortlist.kit.merge_patch import changes_of
from shortlist.organization import service as organization_service
from shortlist.organization.policy import Operation
from shortlist.organization.schemas import MemberUpdate, OrganizationUpdate, OwnershipTransfer

MemberResult = Annotated[
    Member | ValidationProblem | ConflictProblem | NotFoundProblem, strawberry.union("MemberResult")
]


@strawberry.type(description="What an erasure removed.")
class CandidateErasure:
    erased_applications: int = strawberry.field(
        description="Applications erased, with their files, parsed resumes, notes, ratings and index entries."
    )


@strawberry.type(description="Everything the organisation holds about one person, as REST's JSON export.")
class CandidateDataExport:
    data: JSON = strawberry.field(
        description="REST's document: `applications`, each with its stage, moves, notes, ratings, tags, "
        "scorecards and the resume as submitted."
    )


CandidateDataExportResult = Annotated[
    CandidateDataExport | ValidationProblem | ConflictProblem | NotFoundProblem,
    strawberry.union("CandidateDataExportResult"),
]
CandidateErasureResult = Annotated[
    CandidateErasure | ValidationProblem | ConflictProblem | NotFoundProblem,
    strawberry.union("CandidateErasureResult"),
]


@strawberry.input(description="Only the fields given change (a merge patch, as REST's PATCH).")
class OrganizationPatch:
    name: str | None = strawberry.UNSET
    slug: str | None = strawberry.UNSET
    retention_months: int | None = strawberry.field(
        default=strawberry.UNSET,
        description="Erase rejected applications this many months after the rejection; null keeps them.",
    )


def _given(patch: OrganizationPatch) -> dict[str, object]:
    return {
        name: getattr(patch, name)
        for name in ("name", "slug", "retention_months")
        if getattr(patch, name) is not strawberry.UNSET
    }


@strawberry.type
class OrganizationMutations:
    @strawberry.mutation(
        description="Rename, change the slug or the retention (owner and admin). A stale `expectedVersion` "
        "gets a ConflictProblem."
    )
    async def update_organization(
        self,
        info: GraphInfo,
        organization_id: uuid.UUID,
        input: OrganizationPatch,
        expected_version: ExpectedVersion = None,
    ) -> OrganizationResult:
        async def work(session: AsyncSession) -> Organization:
            access = await writer_access(info, session, organization_id, Operation.org_update)
            organization = access.organization
            check_expected_version(
                organization.version, expected_version, organization_service.etag_of(organization)
            )
            body = validated(OrganizationUpdate, _given(input))
            await organization_service.update(session, organization, changes_of(body))
            return Organization.of(access)

        return await run_mutation(info, work)

    @strawberry.mutation(
        description="Change a member's role: an admin manages recruiters, hiring managers and viewers; the "
        "owner also admins. The owner's role changes only by `transferOrganizationOwnership`."
    )
    async def change_member_role(
        self,
        info: GraphInfo,
        organization_id: uuid.UUID,
        member_id: uuid.UUID,
        role: OrganizationRole,
        expected_version: ExpectedVersion = None,
    ) -> MemberResult:
        async def work(session: AsyncSession) -> Member:
            access = await writer_access(info, session, organization_id, Operation.members_manage)
            member, user = await organization_service.get_member(session, access.organization, member_id)
            check_expected_version(member.version, expected_version, organization_service.etag_of(member))
            body = validated(MemberUpdate, {"role": role.value})
            await organization_service.change_role(access, session, member, body.role)
            return Member.of(member, user)

        return await run_mutation(info, work)

    @strawberry.mutation(
        description="Remove a member (their job assignments go too). Not the owner: transfer ownership first."
    )
    async def remove_member(
        self, info: GraphInfo, organization_id: uuid.UUID, member_id: uuid.UUID
    ) -> MemberResult:
        async def work(session: AsyncSession) -> Member:
            access = await writer_access(info, session, organization_id, Operation.members_manage)
            member, user = await organization_service.get_member(session, access.organization, member_id)
            removed = Member.of(member, user)
            await organization_service.remove_member(access, session, member)
            return removed

        return await run_mutation(info, work)

    @strawberry.mutation(
        description="Hand ownership to another member (by their user id); you stay on as admin. Owner only."
    )
    async def transfer_organization_ownership(
        self, info: GraphInfo, organization_id: uuid.UUID, user_id: uuid.UUID
    ) -> OrganizationResult:
        async def work(session: AsyncSession) -> Organization:
            access = await writer_access(info, session, organization_id, Operation.ownership_transfer)
            body = validated(OwnershipTransfer, {"user_id": str(user_id)})
            await organization_service.transfer_ownership(access, session, body.user_id)
            return Organization.of(access)

        return await run_mutation(info, work)

    @strawberry.mutation(
        description="Erase one person's applications to this organisation (by the address they applied with) "
        "and everything derived from them, for a data request (owner and admin). Each is on the "
        "candidate-data access log."
    )
    async def erase_candidate_data(
        self, info: GraphInfo, organization_id: uuid.UUID, email: str
    ) -> CandidateErasureResult:
        async def work(session: AsyncSession) -> CandidateErasure:
            access = await writer_access(info, session, organization_id, Operation.candidate_data_export)
            body = validated(Person, {"email": email})
            erased = await privacy.erase_for_organization(session, access, str(body.email))
            return CandidateErasure(erased_applications=erased)

        return await run_mutation(info, work)

    @strawberry.mutation(
        description="Everything this organisation holds about one person (by the address they applied with), "
        "for a data-access request (owner and admin). Each application is on the candidate-data access log, "
        "and the export is a `candidate_data.exported` event."
    )
    async def export_candidate_data(
        self, info: GraphInfo, organization_id: uuid.UUID, email: str
    ) -> CandidateDataExportResult:
        authorized_as(info, "export_candidate_data")

        async def work(session: AsyncSession) -> CandidateDataExport:
            access = await writer_access(info, session, organization_id, Operation.candidate_data_export)
            body = validated(Person, {"email": email})
            document = await privacy.export_for_organization(session, access, str(body.email))
            return CandidateDataExport(data=JSON(document))

        return await run_mutation(info, work)
