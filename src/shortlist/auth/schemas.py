from __future__ import annotations

from pydantic import BaseModel, EmailStr, Field

from shortlist.kit.schemas import RequestModel

Password = Field(min_length=1, max_length=1024, description="At least the configured minimum length.")


class RegisterRequest(RequestModel):
    email: EmailStr = Field(max_length=320, examples=["ada@example.com"])
    password: str = Field(min_length=1, max_length=1024, examples=["correct horse battery staple"])
    name: str | None = Field(default=None, max_length=200, examples=["Ada Lovelace"])


class TokenPair(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")
    refresh_token: str
    refresh_expires_in: int
    scope: str


class RefreshRequest(RequestModel):
    refresh_token: str = Field(min_length=1, max_length=512)


class RevokeRequest(RequestModel):
    token: str = Field(min_length=1, max_length=512)
    token_type_hint: str | None = Field(default=None, max_length=32)


class PasswordResetRequest(RequestModel):
    email: EmailStr = Field(max_length=320)


class PasswordResetConfirm(RequestModel):
    token: str = Field(min_length=1, max_length=512)
    new_password: str = Field(min_length=1, max_length=1024)


class EmailVerificationConfirm(RequestModel):
    token: str = Field(min_length=1, max_length=512)


class Accepted(BaseModel):
    detail: str
