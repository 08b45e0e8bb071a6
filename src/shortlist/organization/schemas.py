from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import EmailStr, Field, StringConstraints

from shortlist.kit.schemas import RequestModel, ResponseModel
from shortlist.organization.policy import OrgRole

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class OrganizationCreate(RequestModel):
    name: Name
    slug: Slug = Field(description="Lower-case letters, digits and hyphens; the careers page address.")


class OrganizationUpdate(RequestModel):
    name: Name | None = None
    slug: Slug | None = None
    retention_months: int | None = Field(
        default=None, ge=1, le=120, description="Delete rejected applications after this many months."
    )


class OrganizationOut(ResponseModel):
    id: uuid.UUID
    name: str
    slug: str
    owner_id: uuid.UUID
    retention_months: int | None
    version: int
    created_at: datetime
    updated_at: datetime


class MyOrganization(OrganizationOut):
    role: OrgRole


class MemberOut(ResponseModel):
    id: uuid.UUID
    user_id: uuid.UUID
    email: str
    name: str | None
    role: OrgRole
    version: int
    created_at: datetime


class MemberUpdate(RequestModel):
    role: OrgRole


class InvitationCreate(RequestModel):
    email: EmailStr
    role: OrgRole = OrgRole.recruiter


class InvitationOut(ResponseModel):
    id: uuid.UUID
    email: str
    role: OrgRole
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None


class InvitationAccept(RequestModel):
    token: Annotated[str, StringConstraints(min_length=8, max_length=200)]


class OwnershipTransfer(RequestModel):
    user_id: uuid.UUID = Field(description="A current member; they become owner, you become admin.")
