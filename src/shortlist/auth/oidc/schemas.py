from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from shortlist.kit.schemas import ResponseModel


class ProviderOut(BaseModel):
    name: str
    display_name: str
    authorize_url: str = Field(description="Open this in the browser to sign in with the provider.")


class IdentityOut(ResponseModel):
    id: uuid.UUID
    provider: str
    email: str | None
    created_at: datetime
    last_used_at: datetime | None


class LinkStarted(BaseModel):
    authorization_url: str = Field(description="Open this in the same browser to link the provider.")
