from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from shortlist.auth.clients.schemas import OAuthClientOut
from shortlist.auth.scopes import OrgScope
from shortlist.kit.schemas import RequestModel, ResponseModel

Scopes = Field(min_length=1, max_length=len(OrgScope), examples=[["jobs:read", "applications:read"]])


class OrganizationKeyCreate(RequestModel):
    name: str = Field(min_length=1, max_length=100, examples=["ATS sync"])
    scopes: list[OrgScope] = Scopes
    expires_at: datetime | None = Field(default=None, description="Optional expiry (RFC 3339, with offset).")


class OrganizationKeyOut(ResponseModel):
    id: uuid.UUID
    name: str
    display_prefix: str = Field(description="The start of the key, to tell keys apart.")
    scopes: list[str]
    created_by: uuid.UUID = Field(description="The member the key acts for; it stops if they leave.")
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


class OrganizationKeyCreated(OrganizationKeyOut):
    key: str = Field(
        description="The key itself (send it as X-API-Key). Shown once: only its hash is stored."
    )


class OrganizationClientCreate(RequestModel):
    name: str = Field(min_length=1, max_length=100, examples=["Nightly ATS sync"])
    scopes: list[OrgScope] = Scopes


class OrganizationClientOut(OAuthClientOut):
    created_by: uuid.UUID | None = Field(
        description="The member the client acts for; it stops if they leave."
    )


class OrganizationClientWithSecret(OrganizationClientOut):
    client_secret: str = Field(description="The secret itself. Shown once: only its hash is stored.")
