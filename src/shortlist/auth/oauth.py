"""The token endpoint's OAuth2 plumbing (RFC 6749): its form, client authentication and error documents."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

from fastapi import Request
from pydantic import BaseModel, Field

from shortlist.kit.problems import AppError

GRANT_PASSWORD = "password"
GRANT_CLIENT_CREDENTIALS = "client_credentials"


class TokenRequest(BaseModel):
    """The form of `POST /v1/auth/token` (`application/x-www-form-urlencoded`)."""

    grant_type: str | None = Field(
        default=None,
        max_length=64,
        description="`password` (the default) or `client_credentials`.",
        examples=["password"],
    )
    username: str | None = Field(default=None, max_length=320, description="Password grant: the e-mail.")
    password: str | None = Field(default=None, max_length=1024, description="Password grant: the password.")
    scope: str = Field(default="", max_length=1024, description="Space-separated scopes to narrow to.")
    client_id: str | None = Field(
        default=None, max_length=128, description="Client authentication in the body (else HTTP Basic)."
    )
    client_secret: str | None = Field(default=None, max_length=256)


class OAuthError(AppError):
    """An RFC 6749 §5.2 error as a problem document; `error` carries the OAuth error code."""

    status = 400
    slug = "oauth-error"
    title = "OAuth request refused"

    def __init__(self, error: str, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail, headers=headers, extensions={"error": error, "error_description": detail})


class InvalidClient(OAuthError):
    status = 401
    slug = "invalid-client"
    title = "Client authentication failed"

    def __init__(self, detail: str, *, basic: bool) -> None:
        # RFC 6749 §5.2: a client that tried HTTP Basic is told which scheme to use.
        super().__init__(
            "invalid_client",
            detail,
            headers={"WWW-Authenticate": 'Basic realm="shortlist"'} if basic else None,
        )


def invalid_request(detail: str) -> OAuthError:
    return OAuthError("invalid_request", detail)


def invalid_client(detail: str, *, basic: bool) -> InvalidClient:
    return InvalidClient(detail, basic=basic)


@dataclass(frozen=True)
class ClientAuthentication:
    client_id: str
    client_secret: str
    method: Literal["basic", "body"]

    @property
    def public(self) -> bool:
        """No secret: a public client naming itself (Swagger UI sends `Basic Og==`, an empty id and secret)."""
        return not self.client_secret


def client_authentication(request: Request, form: TokenRequest) -> ClientAuthentication | None:
    """The client's credentials from HTTP Basic or from the form, never both (RFC 6749 §2.3.1)."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic":
        if form.client_secret:
            raise invalid_request("Send the client's credentials in one place: HTTP Basic or the form.")
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise invalid_client(
                "The HTTP Basic client credentials are not valid base64.", basic=True
            ) from exc
        client_id, colon, secret = decoded.partition(":")
        if not colon:
            raise invalid_client("HTTP Basic client credentials are 'client_id:client_secret'.", basic=True)
        # The id and secret are form-urlencoded before base64 (RFC 6749 §2.3.1).
        return ClientAuthentication(unquote(client_id.replace("+", " ")), unquote(secret), "basic")
    if form.client_id is not None or form.client_secret is not None:
        return ClientAuthentication(form.client_id or "", form.client_secret or "", "body")
    return None
