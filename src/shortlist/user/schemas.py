from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from shortlist.kit.schemas import RequestModel, ResponseModel


class UserOut(ResponseModel):
    id: uuid.UUID
    email: str
    name: str | None
    role: str
    email_verified_at: datetime | None = Field(description="When the e-mail address was confirmed.")
    created_at: datetime


class UserPatch(RequestModel):
    name: str | None = Field(default=None, max_length=200)


class PasswordChange(RequestModel):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)
