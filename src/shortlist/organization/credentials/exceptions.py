from __future__ import annotations

from shortlist.kit.problems import Forbidden, NotFound, UnprocessableContent


class CredentialNotFound(NotFound):
    slug = "organization-credential-not-found"
    title = "Credential not found"


class ScopeNotGrantable(Forbidden):
    slug = "organization-scope-not-grantable"
    title = "Scope not grantable by your role"


class CredentialLimitReached(UnprocessableContent):
    slug = "organization-credential-limit"
    title = "Too many credentials"


class InvalidExpiry(UnprocessableContent):
    slug = "invalid-expiry"
    title = "Invalid expiry"
