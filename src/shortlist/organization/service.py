"""Organisation rules: creation, membership, invitations, ownership. Takes the session; never commits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.auth.subject import Subject
from shortlist.context import AppContext
from shortlist.event.outbox import emit
from shortlist.kit.crypto import generate_token, keyed_hash, token_has_valid_shape
from shortlist.kit.db import utcnow
from shortlist.models import (
    Organization,
    OrganizationInvitation,
    OrganizationMember,
    User,
)
from shortlist.organization import repository
from shortlist.organization.exceptions import (
    InvalidInvitation,
    InvitationNotFound,
    IssuerLeft,
    MemberNotFound,
    MembershipConflict,
    OperationNotPermitted,
    OrganizationNotFound,
    SlugTaken,
)
from shortlist.organization.policy import GRANTABLE_BY, Operation, OrgRole, allowed, operations_of

INVITATION_PREFIX = "sli"


@dataclass(frozen=True)
class Access:
    """The caller's standing in one organisation, resolved once per request."""

    organization: Organization
    member: OrganizationMember
    subject: Subject
    # For an organisation's key or client: the operations its scopes grant (within the member's role).
    credential_operations: frozenset[Operation] | None = None

    @property
    def role(self) -> OrgRole:
        return OrgRole(self.member.role)

    @property
    def user_id(self) -> uuid.UUID:
        return self.member.user_id

    def can(self, operation: Operation) -> bool:
        if self.credential_operations is not None and operation not in self.credential_operations:
            return False
        return allowed(self.role, operation)

    def require(self, operation: Operation) -> None:
        if not allowed(self.role, operation):
            raise OperationNotPermitted(f"Your role ({self.role}) does not allow {operation}.")
        if not self.can(operation):
            raise OperationNotPermitted(f"This credential's scopes do not allow {operation}.")


def etag_of(row: Organization | OrganizationMember) -> str:
    return f'"r{row.version}"'


async def access(session: AsyncSession, subject: Subject, organization_id: uuid.UUID) -> Access:
    if subject.organization_id is not None and subject.organization_id != organization_id:
        # An organisation's credential exists in its own organisation only.
        raise OrganizationNotFound()
    found = await repository.membership(session, organization_id, subject.user_id)
    if found is None:
        if subject.organization_id is not None:
            raise IssuerLeft()
        raise OrganizationNotFound()
    if subject.organization_id is None:
        return Access(found[0], found[1], subject)
    return Access(found[0], found[1], subject, operations_of(subject.organization_scopes))


async def create(session: AsyncSession, subject: Subject, name: str, slug: str) -> Organization:
    if await repository.slug_exists(session, slug):
        raise SlugTaken(f"The slug '{slug}' is taken; choose another.")
    organization = Organization(name=name, slug=slug, owner_id=subject.user_id)
    session.add(organization)
    await session.flush()
    session.add(
        OrganizationMember(organization_id=organization.id, user_id=subject.user_id, role=OrgRole.owner)
    )
    emit(
        session,
        "organization.created",
        owner_id=subject.user_id,
        resource_type="organization",
        resource_id=organization.id,
        data={"organization_id": str(organization.id)},
    )
    await session.flush()
    return organization


async def update(session: AsyncSession, organization: Organization, changes: dict[str, object]) -> None:
    slug = changes.get("slug")
    if isinstance(slug, str) and slug != organization.slug and await repository.slug_exists(session, slug):
        raise SlugTaken(f"The slug '{slug}' is taken; choose another.")
    for field in ("name", "slug"):
        value = changes.get(field)
        if isinstance(value, str):
            setattr(organization, field, value)
    if "retention_months" in changes:
        months = changes["retention_months"]
        organization.retention_months = months if isinstance(months, int) else None
    await session.flush()


async def delete_organization(session: AsyncSession, organization: Organization) -> None:
    organization.deleted_at = utcnow()
    # The slug is freed for someone else; the rows go with the organisation's retention purge.
    organization.slug = f"deleted-{organization.id.hex}"[:64]
    await session.flush()


# --- members ------------------------------------------------------------------------------------------------


async def get_member(
    session: AsyncSession, organization: Organization, member_id: uuid.UUID
) -> tuple[OrganizationMember, User]:
    found = await repository.member(session, organization.id, member_id)
    if found is None:
        raise MemberNotFound()
    return found


def _check_grant(actor: Access, role: OrgRole) -> None:
    grantable = GRANTABLE_BY.get(actor.role, frozenset())
    if role not in grantable:
        raise OperationNotPermitted(f"A {actor.role} cannot grant or take away the role {role}.")


async def change_role(
    actor: Access, session: AsyncSession, target: OrganizationMember, role: OrgRole
) -> None:
    actor.require(Operation.members_manage)
    if target.role == OrgRole.owner:
        raise MembershipConflict("The owner's role changes only by transferring ownership.")
    _check_grant(actor, OrgRole(target.role))
    _check_grant(actor, role)
    target.role = role
    await session.flush()


async def _drop_member(session: AsyncSession, target: OrganizationMember) -> None:
    await repository.forget_job_assignments(session, target.organization_id, target.user_id)
    await session.delete(target)
    await session.flush()


async def remove_member(actor: Access, session: AsyncSession, target: OrganizationMember) -> None:
    actor.require(Operation.members_manage)
    if target.role == OrgRole.owner:
        raise MembershipConflict("The owner cannot be removed; transfer ownership first.")
    _check_grant(actor, OrgRole(target.role))
    await _drop_member(session, target)


async def leave(actor: Access, session: AsyncSession) -> None:
    if actor.role is OrgRole.owner:
        raise MembershipConflict("The owner cannot leave; transfer ownership to another member first.")
    await _drop_member(session, actor.member)


async def transfer_ownership(actor: Access, session: AsyncSession, new_owner_id: uuid.UUID) -> None:
    actor.require(Operation.ownership_transfer)
    target = await repository.member_by_user(session, actor.organization.id, new_owner_id)
    if target is None:
        raise MemberNotFound()
    if target.id == actor.member.id:
        raise MembershipConflict("You already own this organization.")
    actor.member.role = OrgRole.admin
    target.role = OrgRole.owner
    actor.organization.owner_id = target.user_id
    await session.flush()


# --- invitations --------------------------------------------------------------------------------------------


async def invite(
    context: AppContext, actor: Access, session: AsyncSession, email: str, role: OrgRole
) -> tuple[OrganizationInvitation, str]:
    actor.require(Operation.members_invite)
    if role is OrgRole.owner:
        raise OperationNotPermitted("Nobody is invited as owner; invite, then transfer ownership.")
    _check_grant(actor, role)
    token = generate_token(INVITATION_PREFIX)
    invitation = OrganizationInvitation(
        organization_id=actor.organization.id,
        email=email.lower(),
        role=role,
        token_hash=keyed_hash(context.keys.action_tokens, token),
        invited_by=actor.user_id,
        expires_at=utcnow() + timedelta(hours=context.settings.organization_invitation_hours),
    )
    session.add(invitation)
    await session.flush()
    return invitation, token


def invitation_mail(context: AppContext, organization: Organization, token: str) -> tuple[str, str]:
    hours = context.settings.organization_invitation_hours
    subject = " ".join(f"You are invited to join {organization.name} on Shortlist".split())
    body = (
        f"You were invited to join {organization.name} on Shortlist.\n\n"
        "Sign in with this e-mail address and send this token to "
        f"POST {context.settings.public_url}/v1/invitations/accept:\n\n{token}\n\n"
        f"It works once and expires in {hours:g} hours."
    )
    return subject, body


async def get_invitation(
    session: AsyncSession, organization: Organization, invitation_id: uuid.UUID
) -> OrganizationInvitation:
    invitation = await repository.invitation(session, organization.id, invitation_id)
    if invitation is None or invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise InvitationNotFound()
    return invitation


async def accept(
    context: AppContext, session: AsyncSession, subject: Subject, token: str
) -> tuple[Organization, OrganizationMember]:
    if not token_has_valid_shape(token, INVITATION_PREFIX):
        raise InvalidInvitation("The invitation token is malformed.")
    user = await repository.user_by_id(session, subject.user_id)
    digest = keyed_hash(context.keys.action_tokens, token)
    invitation = await repository.consume_invitation(session, digest, subject.user_id, utcnow())
    if invitation is None or user is None:
        raise InvalidInvitation("The invitation is unknown, already used, revoked or expired.")
    if invitation.email != user.email.lower():
        raise InvalidInvitation("This invitation was sent to another e-mail address.")
    organization = await session.get(Organization, invitation.organization_id)
    if organization is None or organization.deleted_at is not None:
        raise InvalidInvitation("The organization no longer exists.")
    if await repository.member_by_user(session, organization.id, user.id) is not None:
        raise MembershipConflict("You are already a member of this organization.")
    member = OrganizationMember(organization_id=organization.id, user_id=user.id, role=invitation.role)
    session.add(member)
    await session.flush()
    return organization, member


async def revoke_invitation(session: AsyncSession, invitation: OrganizationInvitation) -> None:
    invitation.revoked_at = utcnow()
    await session.flush()
