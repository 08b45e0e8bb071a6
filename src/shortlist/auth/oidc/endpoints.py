"""`/v1/auth/oidc/…` (sign in with a provider) and `/v1/auth/identities` (the account's linked sign-ins)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Cookie, Query, Response, status
from fastapi.responses import RedirectResponse

from shortlist.auth import service as auth_service
from shortlist.auth.dependencies import AnySubject
from shortlist.auth.oidc import repository, service
from shortlist.auth.oidc.exceptions import OidcSignInFailed
from shortlist.auth.oidc.schemas import IdentityOut, LinkStarted, ProviderOut
from shortlist.auth.repository import user_by_id
from shortlist.auth.schemas import TokenPair
from shortlist.context import AppContext
from shortlist.http.deps import Context, Session
from shortlist.http.route import TransactionalRoute
from shortlist.kit.problems import Unauthorized

router = APIRouter(prefix="/auth", tags=["auth"], route_class=TransactionalRoute)


def _remember_state(context: AppContext, response: Response, state: str) -> None:
    response.set_cookie(
        service.STATE_COOKIE,
        state,
        max_age=service.STATE_TTL_SECONDS,
        path="/v1/auth/oidc",
        httponly=True,
        secure=context.settings.public_url.startswith("https://"),
        samesite="lax",  # sent on the provider's top-level redirect back to us
    )


@router.get("/oidc/providers", operation_id="list_oidc_providers")
async def list_oidc_providers(context: Context) -> list[ProviderOut]:
    """The sign-in providers this service is configured with."""
    return [
        ProviderOut(
            name=provider.name,
            display_name=provider.display_name or provider.name,
            authorize_url=f"/v1/auth/oidc/{provider.name}/authorize",
        )
        for provider in context.settings.oidc_providers
    ]


@router.get(
    "/oidc/{provider}/authorize",
    status_code=status.HTTP_302_FOUND,
    response_class=RedirectResponse,
    operation_id="oidc_authorize",
)
async def oidc_authorize(provider: str, context: Context) -> RedirectResponse:
    """Start signing in: redirects the browser to the provider (authorization code flow with PKCE)."""
    url, state = await service.begin(context, provider)
    response = RedirectResponse(url, status_code=status.HTTP_302_FOUND)
    _remember_state(context, response, state)
    return response


@router.get("/oidc/{provider}/callback", operation_id="oidc_callback")
async def oidc_callback(
    provider: str,
    context: Context,
    session: Session,
    code: Annotated[str | None, Query(max_length=2048)] = None,
    state: Annotated[str | None, Query(max_length=512)] = None,
    error: Annotated[str | None, Query(max_length=256)] = None,
    error_description: Annotated[str | None, Query(max_length=1024)] = None,
    cookie_state: Annotated[str | None, Cookie(alias=service.STATE_COOKIE)] = None,
    *,
    response: Response,
) -> TokenPair:
    """Where the provider sends the browser back. Signs in (or links) and returns a token pair."""
    service.find_provider(context, provider)
    if error:
        raise OidcSignInFailed(f"The provider refused the sign-in: {error_description or error}.")
    if not code or not state:
        raise OidcSignInFailed("The provider's answer lacks `code` or `state`.")
    done = await service.complete(context, session, provider, code, state, cookie_state)
    response.delete_cookie(service.STATE_COOKIE, path="/v1/auth/oidc")
    return await auth_service.issue_pair(context, session, done.user)


@router.post("/oidc/{provider}/link", operation_id="oidc_link")
async def oidc_link(provider: str, subject: AnySubject, context: Context, response: Response) -> LinkStarted:
    """Start linking a provider to the signed-in account; open the URL in this same browser."""
    url, state = await service.begin(context, provider, link_user_id=subject.user_id)
    _remember_state(context, response, state)
    return LinkStarted(authorization_url=url)


@router.get("/identities", operation_id="list_identities")
async def list_identities(subject: AnySubject, session: Session) -> list[IdentityOut]:
    """The providers linked to this account."""
    return [IdentityOut.model_validate(row) for row in await repository.owned(session, subject.user_id)]


@router.delete(
    "/identities/{identity_id}", status_code=status.HTTP_204_NO_CONTENT, operation_id="unlink_identity"
)
async def unlink_identity(identity_id: uuid.UUID, subject: AnySubject, session: Session) -> None:
    """Unlink a provider. Refused when it is the account's last way to sign in."""
    user = await user_by_id(session, subject.user_id)
    if user is None:
        raise Unauthorized("The account no longer exists.")
    await service.unlink(session, user, identity_id)
