from __future__ import annotations

from shortlist.kit.problems import AppError, Conflict


class OidcSignInFailed(AppError):
    status = 400
    slug = "oidc-sign-in-failed"
    title = "Sign-in with the provider failed"


class AccountExistsUnverified(Conflict):
    slug = "oidc-link-refused"
    title = "Account exists; link refused"


class LastSignInMethod(Conflict):
    slug = "last-sign-in-method"
    title = "Last way to sign in"
