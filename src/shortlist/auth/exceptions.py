from __future__ import annotations

from shortlist.kit.problems import Conflict, Forbidden, Unauthorized, UnprocessableContent


class InvalidCredentials(Unauthorized):
    slug = "invalid-credentials"
    title = "Invalid credentials"

    def __init__(self) -> None:
        # One message for an unknown e-mail and a wrong password: nothing to enumerate accounts with.
        super().__init__("Incorrect e-mail or password.", error="invalid_grant")


class InvalidGrant(Unauthorized):
    slug = "invalid-grant"
    title = "Invalid grant"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, error="invalid_grant")


class RefreshTokenReused(InvalidGrant):
    # The family's revocation must survive the error response.
    commit_transaction = True

    def __init__(self) -> None:
        super().__init__(
            "This refresh token was already used; every token of its sign-in has been revoked. Sign in again."
        )


class EmailTaken(Conflict):
    slug = "email-taken"
    title = "E-mail already registered"


class WeakPassword(UnprocessableContent):
    slug = "weak-password"
    title = "Password too weak"


class InvalidActionToken(UnprocessableContent):
    slug = "invalid-token"
    title = "Invalid or expired link"


class CredentialNotAccepted(Forbidden):
    """The credential is valid, but this kind of credential may not call the route (whatever its scopes)."""

    slug = "credential-not-accepted"
    title = "Credential kind not accepted"
