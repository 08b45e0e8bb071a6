from __future__ import annotations

from shortlist.kit.problems import Conflict, Forbidden, NotFound, Unauthorized, UnprocessableContent


class OrganizationNotFound(NotFound):
    slug = "organization-not-found"
    title = "Organization not found"

    def __init__(self) -> None:
        super().__init__("No such organization (or you are not a member of it).")


class MemberNotFound(NotFound):
    slug = "organization-member-not-found"
    title = "Member not found"

    def __init__(self) -> None:
        super().__init__("This organization has no such member.")


class InvitationNotFound(NotFound):
    slug = "invitation-not-found"
    title = "Invitation not found"

    def __init__(self) -> None:
        super().__init__("This organization has no such pending invitation.")


class OperationNotPermitted(Forbidden):
    slug = "organization-operation-forbidden"
    title = "Not permitted by your role"


class SlugTaken(Conflict):
    slug = "organization-slug-taken"
    title = "Organization slug taken"


class MembershipConflict(Conflict):
    slug = "organization-membership-conflict"
    title = "Membership conflict"


class InvalidInvitation(UnprocessableContent):
    slug = "invalid-invitation"
    title = "Invalid invitation token"


class IssuerLeft(Unauthorized):
    slug = "organization-credential-orphaned"
    title = "Credential without its issuer"

    def __init__(self) -> None:
        super().__init__(
            "The member who issued this credential is no longer in the organization; ask an owner or admin "
            "for a new one."
        )
