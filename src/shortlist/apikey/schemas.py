from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from shortlist.auth.scopes import Scope
from shortlist.kit.schemas import RequestModel, ResponseModel


class ApiKeyCreate(RequestModel):
    name: str = Field(min_length=1, max_length=100, examples=["CI export"])
    scopes: list[Scope] = Field(min_length=1, max_length=len(Scope), examples=[["resumes:read"]])
    expires_at: datetime | None = Field(default=None, description="Optional expiry (RFC 3339, with offset).")


class ApiKeyOut(ResponseModel):
    id: uuid.UUID
    name: str
    display_prefix: str = Field(description="The start of the key, to tell keys apart.")
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The key itself. Shown once: only its hash is stored.")
