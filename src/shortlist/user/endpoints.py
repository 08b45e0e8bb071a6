from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.auth import service as auth_service
from shortlist.auth.dependencies import ProfileReader, ProfileWriter
from shortlist.auth.repository import user_by_id
from shortlist.auth.subject import Subject, user_state_key
from shortlist.context import AppContext, request_context
from shortlist.http.route import TransactionalRoute, get_session
from shortlist.kit.problems import Forbidden, Unauthorized
from shortlist.models import User
from shortlist.platform.stale import mark_stale
from shortlist.user.schemas import PasswordChange, UserOut, UserPatch

router = APIRouter(prefix="/users", tags=["users"], route_class=TransactionalRoute)

Session = Annotated[AsyncSession, Depends(get_session)]
Context = Annotated[AppContext, Depends(request_context)]


async def _me(session: AsyncSession, subject: Subject) -> User:
    user = await user_by_id(session, subject.user_id)
    if user is None:
        raise Unauthorized("The account no longer exists.")
    return user


@router.get("/me", operation_id="get_me")
async def get_me(subject: ProfileReader, session: Session) -> UserOut:
    return UserOut.model_validate(await _me(session, subject))


@router.patch("/me", operation_id="update_me")
async def update_me(body: UserPatch, subject: ProfileWriter, session: Session) -> UserOut:
    user = await _me(session, subject)
    if "name" in body.model_fields_set:
        user.name = body.name
    await session.flush()
    return UserOut.model_validate(user)


@router.post("/me/password", status_code=status.HTTP_204_NO_CONTENT, operation_id="change_password")
async def change_password(
    body: PasswordChange, subject: ProfileWriter, context: Context, session: Session
) -> None:
    """Change the password; every sign-in (refresh and access tokens) is revoked."""
    if subject.api_key_id is not None:
        raise Forbidden("Passwords can only be changed with a signed-in session, not an API key.")
    user = await _me(session, subject)
    await auth_service.change_password(context, session, user, body.current_password, body.new_password)


@router.delete("/me", status_code=status.HTTP_204_NO_CONTENT, operation_id="delete_me")
async def delete_me(subject: ProfileWriter, session: Session) -> None:
    """Delete the account with its resumes, tokens and API keys."""
    if subject.api_key_id is not None:
        raise Forbidden("An account can only be deleted with a signed-in session, not an API key.")
    await session.delete(await _me(session, subject))
    mark_stale(session, user_state_key(subject.user_id))
