from __future__ import annotations

from pydantic import BaseModel, EmailStr, Field

from shortlist.kit.schemas import RequestModel


class BrowserSignIn(RequestModel):
    email: EmailStr = Field(max_length=320, examples=["ada@example.com"])
    password: str = Field(min_length=1, max_length=1024)


class BrowserAccess(BaseModel):
    """An access token for the page's memory; the refresh token travels only in the HttpOnly cookie."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")
