"""Roles and scopes. Scopes are what a credential may do; a role is a named bundle of scopes."""

from __future__ import annotations

from enum import StrEnum


class Scope(StrEnum):
    profile_read = "profile:read"
    profile_write = "profile:write"
    resumes_read = "resumes:read"
    resumes_write = "resumes:write"
    api_keys_manage = "api_keys:manage"
    webhooks_manage = "webhooks:manage"
    jobs_read = "jobs:read"
    jobs_write = "jobs:write"
    admin = "admin"


class OrgScope(StrEnum):
    """What an organisation's own credential (an organisation API key or OAuth client) may do there.

    Held by organisation credentials only, never by a person's session, key or client, and checked on the
    organisation routes only: `jobs:read` here means the organisation's job postings, not background jobs.
    Each scope grants the role × operation entries named in organization/policy.py `SCOPE_OPERATIONS`.
    """

    organization_read = "organization:read"
    members_read = "members:read"
    jobs_read = "jobs:read"
    jobs_write = "jobs:write"
    applications_read = "applications:read"
    applications_write = "applications:write"
    candidate_data_export = "candidate_data:export"
    audit_read = "audit:read"
    webhooks_manage = "webhooks:manage"


class Role(StrEnum):
    user = "user"
    admin = "admin"


_USER_SCOPES = frozenset(
    {
        Scope.profile_read,
        Scope.profile_write,
        Scope.resumes_read,
        Scope.resumes_write,
        Scope.api_keys_manage,
        Scope.webhooks_manage,
        Scope.jobs_read,
        Scope.jobs_write,
    }
)

ROLE_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.user: _USER_SCOPES,
    Role.admin: _USER_SCOPES | {Scope.admin},
}


def scopes_for_role(role: str) -> frozenset[Scope]:
    try:
        return ROLE_SCOPES[Role(role)]
    except ValueError:
        return frozenset()
