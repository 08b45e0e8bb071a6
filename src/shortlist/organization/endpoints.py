"""Organisations, their members and invitations. Every route under /organizations/{org_id} resolves the
caller's membership first: a non-member gets 404, a member whose role lacks the operation 403."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request, Response, status

from shortlist.auth.dependencies import AnySubject
from shortlist.http.deps import Context, Paging, Session
from shortlist.http.idempotency import idempotency
from shortlist.http.route import TransactionalRoute, on_after_commit
from shortlist.kit.conditional import check_if_match, not_modified
from shortlist.kit.merge_patch import changes_of
from shortlist.kit.pagination import Page, by_created
from shortlist.models import Organization, OrganizationMember, User
from shortlist.organization import repository, service
from shortlist.organization.access import (
    MembersInviter,
    MembersManager,
    MembersReader,
    OrgDeleter,
    OrgReader,
    OrgUpdater,
    OwnershipTransferrer,
)
from shortlist.organization.policy import OrgRole
from shortlist.organization.schemas import (
    InvitationAccept,
    InvitationCreate,
    InvitationOut,
    MemberOut,
    MemberUpdate,
    MyOrganization,
    OrganizationCreate,
    OrganizationOut,
    OrganizationUpdate,
    OwnershipTransfer,
)

router = APIRouter(
    tags=["organizations"], route_class=TransactionalRoute, dependencies=[Depends(idempotency)]
)

ORG = "/organizations/{org_id}"


def _org(organization: Organization, response: Response) -> OrganizationOut:
    response.headers["ETag"] = service.etag_of(organization)
    return OrganizationOut.model_validate(organization)


def _member(member: OrganizationMember, user: User) -> MemberOut:
    return MemberOut(
        id=member.id,
        user_id=member.user_id,
        email=user.email,
        name=user.name,
        role=OrgRole(member.role),
        version=member.version,
        created_at=member.created_at,
    )


@router.post("/organizations", status_code=status.HTTP_201_CREATED, operation_id="create_organization")
async def create_organization(
    body: OrganizationCreate, subject: AnySubject, session: Session, request: Request, response: Response
) -> OrganizationOut:
    """Create an organisation; you become its owner. Send `Idempotency-Key` to make retries safe."""
    organization = await service.create(session, subject, body.name, body.slug)
    response.headers["Location"] = str(request.url_for("get_organization", org_id=organization.id))
    return _org(organization, response)


@router.get("/organizations", operation_id="list_organizations")
async def list_organizations(subject: AnySubject, session: Session, paging: Paging) -> Page[MyOrganization]:
    """The organisations you belong to, with your role in each (newest membership first)."""
    scope = f"organizations:{subject.user_id}"
    rows = await repository.my_organizations_page(
        session, subject.user_id, limit=paging.limit, after=paging.position(scope)
    )
    return paging.page(
        scope,
        rows,
        MyOrganization,
        key=lambda row: by_created(row[1]),
        item=lambda row: {**OrganizationOut.model_validate(row[0]).model_dump(), "role": row[1].role},
    )


@router.get(ORG, operation_id="get_organization", responses={304: {}})
async def get_organization(access: OrgReader, request: Request, response: Response) -> Any:
    etag = service.etag_of(access.organization)
    if not_modified(request, etag):
        return Response(status_code=304, headers={"ETag": etag})
    return _org(access.organization, response)


@router.patch(ORG, operation_id="update_organization")
async def update_organization(
    body: OrganizationUpdate, access: OrgUpdater, session: Session, request: Request, response: Response
) -> OrganizationOut:
    """Rename, change the slug or the retention. Send `If-Match` with the ETag you read."""
    check_if_match(request, service.etag_of(access.organization))
    await service.update(session, access.organization, changes_of(body))
    return _org(access.organization, response)


@router.delete(ORG, status_code=status.HTTP_204_NO_CONTENT, operation_id="delete_organization")
async def delete_organization(access: OrgDeleter, session: Session, request: Request) -> None:
    """Owner only. The careers page goes at once; the slug is freed."""
    check_if_match(request, service.etag_of(access.organization))
    await service.delete_organization(session, access.organization)


@router.get(ORG + "/members", operation_id="list_organization_members")
async def list_members(access: MembersReader, session: Session, paging: Paging) -> Page[MemberOut]:
    scope = f"members:{access.organization.id}"
    rows = await repository.members_page(
        session, access.organization.id, limit=paging.limit, after=paging.position(scope)
    )
    return paging.page(
        scope, rows, MemberOut, key=lambda row: by_created(row[0]), item=lambda row: _member(*row)
    )


@router.patch(ORG + "/members/{member_id}", operation_id="update_organization_member")
async def update_member(
    member_id: uuid.UUID,
    body: MemberUpdate,
    access: MembersManager,
    session: Session,
    request: Request,
    response: Response,
) -> MemberOut:
    """Change a member's role (an admin manages recruiters, hiring managers and viewers; the owner also
    admins). Send `If-Match` with the member's ETag."""
    member, user = await service.get_member(session, access.organization, member_id)
    check_if_match(request, service.etag_of(member))
    await service.change_role(access, session, member, body.role)
    response.headers["ETag"] = service.etag_of(member)
    return _member(member, user)


@router.delete(
    ORG + "/members/{member_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="remove_organization_member",
)
async def remove_member(member_id: uuid.UUID, access: MembersManager, session: Session) -> None:
    member, _user = await service.get_member(session, access.organization, member_id)
    await service.remove_member(access, session, member)


@router.post(ORG + "/leave", status_code=status.HTTP_204_NO_CONTENT, operation_id="leave_organization")
async def leave_organization(access: OrgReader, session: Session) -> None:
    """Leave the organisation (the owner transfers ownership first)."""
    await service.leave(access, session)


@router.post(ORG + "/transfer-ownership", operation_id="transfer_organization_ownership")
async def transfer_ownership(
    body: OwnershipTransfer, access: OwnershipTransferrer, session: Session, response: Response
) -> OrganizationOut:
    """Hand ownership to another member; you stay on as admin."""
    await service.transfer_ownership(access, session, body.user_id)
    return _org(access.organization, response)


@router.post(
    ORG + "/invitations", status_code=status.HTTP_201_CREATED, operation_id="create_organization_invitation"
)
async def create_invitation(
    body: InvitationCreate,
    access: MembersInviter,
    context: Context,
    session: Session,
    request: Request,
) -> InvitationOut:
    """E-mail an invitation. The token is in the e-mail only: single use, expiring, stored hashed."""
    invitation, token = await service.invite(context, access, session, str(body.email), body.role)
    subject, text = service.invitation_mail(context, access.organization, token)
    address = invitation.email

    async def send() -> None:
        await context.mailer.send(address, subject, text)

    on_after_commit(request, send)
    return InvitationOut.model_validate(invitation)


@router.get(ORG + "/invitations", operation_id="list_organization_invitations")
async def list_invitations(access: MembersInviter, session: Session, paging: Paging) -> Page[InvitationOut]:
    scope = f"invitations:{access.organization.id}"
    rows = await repository.invitations_page(
        session, access.organization.id, limit=paging.limit, after=paging.position(scope)
    )
    return paging.page(scope, rows, InvitationOut, key=by_created)


@router.delete(
    ORG + "/invitations/{invitation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="revoke_organization_invitation",
)
async def revoke_invitation(invitation_id: uuid.UUID, access: MembersInviter, session: Session) -> None:
    invitation = await service.get_invitation(session, access.organization, invitation_id)
    await service.revoke_invitation(session, invitation)


@router.post("/invitations/accept", operation_id="accept_organization_invitation")
async def accept_invitation(
    body: InvitationAccept, subject: AnySubject, context: Context, session: Session
) -> MyOrganization:
    """Join with the token from the e-mail, signed in with the address it was sent to."""
    organization, member = await service.accept(context, session, subject, body.token)
    return MyOrganization.model_validate(
        {**OrganizationOut.model_validate(organization).model_dump(), "role": member.role}
    )
