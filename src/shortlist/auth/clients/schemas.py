from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from shortlist.auth.scopes import Scope
from shortlist.kit.schemas import RequestModel, ResponseModel


class OAuthClientCreate(RequestModel):
    name: str = Field(min_length=1, max_length=100, examples=["Nightly export"])
    scopes: list[Scope] = Field(min_length=1, max_length=len(Scope), examples=[["resumes:read"]])


class OAuthClientOut(ResponseModel):
    id: uuid.UUID
    client_id: str = Field(description="The client id to authenticate with (HTTP Basic user name).")
    name: str
    scopes: list[str]
    secret_prefix: str = Field(description="The start of the current secret, to tell secrets apart.")
    created_at: datetime
    last_used_at: datetime | None


class OAuthClientWithSecret(OAuthClientOut):
    client_secret: str = Field(description="The secret itself. Shown once: only its hash is stored.")


class ClientAccessToken(BaseModel):
    """The answer to the client-credentials grant: an access token, and no refresh token (RFC 6749 §4.4.3)."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")
    scope: str
