from __future__ import annotations

from fastapi import APIRouter, status

from shortlist.auth.dependencies import ProfileReader, ProfileWriter
from shortlist.http.deps import Context, Session
from shortlist.http.route import TransactionalRoute
from shortlist.kit.merge_patch import changes_of
from shortlist.user import service
from shortlist.user.schemas import PasswordChange, UserOut, UserPatch

router = APIRouter(prefix="/users", tags=["users"], route_class=TransactionalRoute)


@router.get("/me", operation_id="get_me")
async def get_me(subject: ProfileReader, session: Session) -> UserOut:
    return UserOut.model_validate(await service.me(session, subject))


@router.patch("/me", operation_id="update_me")
async def update_me(body: UserPatch, subject: ProfileWriter, session: Session) -> UserOut:
    return UserOut.model_validate(await service.update(session, subject, changes_of(body)))


@router.post("/me/password", status_code=status.HTTP_204_NO_CONTENT, operation_id="change_password")
async def change_password(
    body: PasswordChange, subject: ProfileWriter, context: Context, session: Session
) -> None:
    """Change the password; every sign-in (refresh and access tokens) is revoked."""
    await service.change_password(context, session, subject, body.current_password, body.new_password)


@router.delete("/me", status_code=status.HTTP_204_NO_CONTENT, operation_id="delete_me")
async def delete_me(subject: ProfileWriter, session: Session) -> None:
    """Delete the account with its resumes, tokens and API keys."""
    await service.delete(session, subject)
