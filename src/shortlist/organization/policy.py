"""Who may do what in an organisation: one role × operation table, read by every organisation route."""

from __future__ import annotations

from enum import StrEnum

from shortlist.auth.scopes import OrgScope


class OrgRole(StrEnum):
    owner = "owner"
    admin = "admin"
    recruiter = "recruiter"
    hiring_manager = "hiring_manager"
    viewer = "viewer"


class Operation(StrEnum):
    org_read = "org:read"
    org_update = "org:update"
    org_delete = "org:delete"
    members_read = "members:read"
    members_invite = "members:invite"
    members_manage = "members:manage"
    ownership_transfer = "ownership:transfer"
    jobs_read = "jobs:read"
    jobs_write = "jobs:write"
    applications_read = "applications:read"
    applications_write = "applications:write"
    applications_comment = "applications:comment"
    # See candidates' identities on a blind-screened job before they are shortlisted.
    identity_read = "identity:read"
    candidate_data_export = "candidate_data:export"
    # Issue, list, rotate and revoke the organisation's API keys and OAuth clients.
    credentials_manage = "credentials:manage"
    # Read the log of who read or exported candidate data.
    audit_read = "audit:read"
    webhooks_manage = "webhooks:manage"


_O, _A, _R, _H, _V = OrgRole.owner, OrgRole.admin, OrgRole.recruiter, OrgRole.hiring_manager, OrgRole.viewer
_EVERYONE = frozenset(OrgRole)

# Read a row as "this operation is allowed for these roles". A hiring manager's job-level operations are
# further limited to the jobs they were added to (checked where the job is loaded).
PERMISSIONS: dict[Operation, frozenset[OrgRole]] = {
    Operation.org_read: _EVERYONE,
    Operation.org_update: frozenset({_O, _A}),
    Operation.org_delete: frozenset({_O}),
    Operation.members_read: _EVERYONE,
    Operation.members_invite: frozenset({_O, _A}),
    Operation.members_manage: frozenset({_O, _A}),
    Operation.ownership_transfer: frozenset({_O}),
    Operation.jobs_read: _EVERYONE,
    Operation.jobs_write: frozenset({_O, _A, _R}),
    Operation.applications_read: _EVERYONE,
    Operation.applications_write: frozenset({_O, _A, _R}),
    Operation.applications_comment: frozenset({_O, _A, _R, _H}),
    Operation.identity_read: frozenset({_O, _A}),
    Operation.candidate_data_export: frozenset({_O, _A}),
    Operation.credentials_manage: frozenset({_O, _A}),
    Operation.audit_read: frozenset({_O, _A}),
    Operation.webhooks_manage: frozenset({_O, _A}),
}

# What an organisation credential's scopes grant: a key or client may do an operation only when a scope
# grants it AND the issuing member's role allows it. Never granted to a credential: changing the organisation
# or its membership, transferring ownership, managing credentials, and seeing identities on a blind job.
SCOPE_OPERATIONS: dict[OrgScope, frozenset[Operation]] = {
    OrgScope.organization_read: frozenset({Operation.org_read}),
    OrgScope.members_read: frozenset({Operation.members_read}),
    OrgScope.jobs_read: frozenset({Operation.jobs_read}),
    OrgScope.jobs_write: frozenset({Operation.jobs_write}),
    OrgScope.applications_read: frozenset({Operation.applications_read}),
    OrgScope.applications_write: frozenset({Operation.applications_write, Operation.applications_comment}),
    OrgScope.candidate_data_export: frozenset({Operation.candidate_data_export}),
    OrgScope.audit_read: frozenset({Operation.audit_read}),
    OrgScope.webhooks_manage: frozenset({Operation.webhooks_manage}),
}


def operations_of(scopes: frozenset[str]) -> frozenset[Operation]:
    granted: set[Operation] = set()
    for scope in OrgScope:
        if scope.value in scopes:
            granted |= SCOPE_OPERATIONS[scope]
    return frozenset(granted)


def grantable_scopes(role: OrgRole) -> frozenset[OrgScope]:
    """The scopes a member of `role` may put on a credential: those whose operations the role has."""
    return frozenset(
        scope for scope, operations in SCOPE_OPERATIONS.items() if all(allowed(role, op) for op in operations)
    )


# Roles an admin may hand out or take away; only the owner touches admins, and "owner" moves only by transfer.
GRANTABLE_BY: dict[OrgRole, frozenset[OrgRole]] = {
    _O: frozenset({_A, _R, _H, _V}),
    _A: frozenset({_R, _H, _V}),
}


def allowed(role: OrgRole, operation: Operation) -> bool:
    return role in PERMISSIONS[operation]


def job_scoped(role: OrgRole) -> bool:
    """Roles that see only the jobs they were added to."""
    return role is OrgRole.hiring_manager
