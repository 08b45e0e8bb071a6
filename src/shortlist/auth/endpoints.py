from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import JSONResponse

from shortlist.auth import service
from shortlist.auth.clients import service as client_service
from shortlist.auth.clients.schemas import ClientAccessToken
from shortlist.auth.dependencies import AnySubject
from shortlist.auth.oauth import (
    GRANT_CLIENT_CREDENTIALS,
    GRANT_PASSWORD,
    ClientAuthentication,
    OAuthError,
    TokenRequest,
    client_authentication,
    invalid_client,
    invalid_request,
)
from shortlist.auth.repository import user_by_id
from shortlist.auth.schemas import (
    Accepted,
    EmailVerificationConfirm,
    PasswordResetConfirm,
    PasswordResetRequest,
    RefreshRequest,
    RegisterRequest,
    RevokeRequest,
    TokenPair,
)
from shortlist.context import AppContext
from shortlist.http.deps import Context, Session
from shortlist.http.ratelimit import client_address
from shortlist.http.route import TransactionalRoute
from shortlist.kit.crypto import keyed_hash
from shortlist.kit.problems import TooManyRequests, Unauthorized
from shortlist.user.schemas import UserOut

router = APIRouter(prefix="/auth", tags=["auth"], route_class=TransactionalRoute)


@router.post("/register", status_code=status.HTTP_201_CREATED, operation_id="register")
async def register(body: RegisterRequest, context: Context, session: Session) -> UserOut:
    """Create an account. A confirmation e-mail is sent to the address."""
    user = await service.register(context, session, body.email, body.password, body.name)
    await service.send_verification_email(context, session, user)
    return UserOut.model_validate(user)


async def _guard_login(context: Context, request: Request, email: str) -> tuple[str, str]:
    settings = context.settings
    limiter = context.rate_limiter
    ip = client_address(request)
    # Account key is a keyed hash: the limiter's store never holds e-mail addresses.
    account = keyed_hash(context.keys.action_tokens, email.lower())
    for policy, limit, identity in (
        ("login_ip", settings.rate_limit_login_per_ip, ip),
        ("login_account", settings.rate_limit_login_per_account, account),
    ):
        result = await limiter.peek(policy, limit, identity)
        if not result.allowed:
            raise TooManyRequests(
                f"Too many sign-in attempts; retry in {max(1, result.reset_after)} s.",
                headers=result.headers(),
            )
    return ip, account


@router.post("/token", operation_id="issue_token")
async def issue_token(
    form: Annotated[TokenRequest, Form()],
    request: Request,
    context: Context,
    session: Session,
) -> TokenPair | ClientAccessToken:
    """OAuth2 token endpoint.

    **Password grant** (`grant_type=password`, the default): form fields `username` (the e-mail) and
    `password`; returns an access and a refresh token. A public client may name itself with HTTP Basic and an
    empty secret, as Swagger UI's Authorize does (`Authorization: Basic Og==`).

    **Client-credentials grant** (`grant_type=client_credentials`): a registered OAuth client authenticates
    with its id and secret (HTTP Basic, or the form fields `client_id` and `client_secret`) and gets a
    short-lived access token with its scopes (optionally narrowed by `scope`); no refresh token.
    """
    grant = form.grant_type or GRANT_PASSWORD
    client = client_authentication(request, form)
    if grant == GRANT_CLIENT_CREDENTIALS:
        return await _client_credentials(context, request, session, client, form.scope)
    if grant != GRANT_PASSWORD:
        raise OAuthError(
            "unsupported_grant_type",
            f"Unsupported grant_type {grant!r}; use 'password' or 'client_credentials'.",
        )
    if client is not None and not client.public:
        raise invalid_client(
            "The password grant takes a public client only: leave the client secret empty.",
            basic=client.method == "basic",
        )
    if not form.username or form.password is None:
        raise invalid_request("The password grant needs the form fields 'username' (e-mail) and 'password'.")
    ip, account = await _guard_login(context, request, form.username)
    settings = context.settings
    await context.rate_limiter.hit("login_ip", settings.rate_limit_login_per_ip, ip)
    try:
        return await service.sign_in(context, session, form.username, form.password)
    except Unauthorized:
        await context.rate_limiter.hit("login_account", settings.rate_limit_login_per_account, account)
        raise


async def _client_credentials(
    context: AppContext,
    request: Request,
    session: Session,
    client: ClientAuthentication | None,
    scope: str,
) -> ClientAccessToken:
    # Guessing secrets is limited like guessing passwords: per address, and per client id.
    ip, account = await _guard_login(context, request, "client:" + (client.client_id if client else ""))
    settings = context.settings
    await context.rate_limiter.hit("login_ip", settings.rate_limit_login_per_ip, ip)
    try:
        return await client_service.exchange(context, session, client, scope)
    except OAuthError:
        await context.rate_limiter.hit("login_account", settings.rate_limit_login_per_account, account)
        raise


@router.post("/refresh", operation_id="refresh_token")
async def refresh_token(body: RefreshRequest, context: Context, session: Session) -> TokenPair:
    """Exchange a refresh token for a new pair. Each refresh token works once; reusing an old one revokes
    every token of that sign-in."""
    return await service.refresh(context, session, body.refresh_token)


@router.post("/revoke", operation_id="revoke_token")
async def revoke_token(body: RevokeRequest, context: Context, session: Session) -> JSONResponse:
    """RFC 7009 token revocation: revokes the refresh token and its family. Always answers 200."""
    await service.revoke(context, session, body.token)
    return JSONResponse({}, status_code=200)


@router.post("/logout-all", status_code=status.HTTP_204_NO_CONTENT, operation_id="logout_all")
async def logout_all(subject: AnySubject, session: Session) -> None:
    """Revoke every refresh token and every access token issued so far for this account."""
    user = await user_by_id(session, subject.user_id)
    if user is None:
        raise Unauthorized("The account no longer exists.")
    await service.logout_all(session, user)


@router.post("/password-reset", status_code=status.HTTP_202_ACCEPTED, operation_id="request_password_reset")
async def request_password_reset(body: PasswordResetRequest, context: Context, session: Session) -> Accepted:
    """E-mail a single-use reset token. The answer is the same whether or not the account exists."""
    await service.request_password_reset(context, session, body.email)
    return Accepted(detail="If an account exists for this address, a reset e-mail is on its way.")


@router.post(
    "/password-reset/confirm", status_code=status.HTTP_204_NO_CONTENT, operation_id="confirm_password_reset"
)
async def confirm_password_reset(body: PasswordResetConfirm, context: Context, session: Session) -> None:
    """Set a new password with the e-mailed token; every existing sign-in is revoked."""
    await service.confirm_password_reset(context, session, body.token, body.new_password)


@router.post(
    "/verify-email/request", status_code=status.HTTP_202_ACCEPTED, operation_id="request_verification"
)
async def request_verification(subject: AnySubject, context: Context, session: Session) -> Accepted:
    """Send the confirmation e-mail again."""
    user = await user_by_id(session, subject.user_id)
    if user is None:
        raise Unauthorized("The account no longer exists.")
    if user.email_verified_at is None:
        await service.send_verification_email(context, session, user)
    return Accepted(detail="A confirmation e-mail is on its way unless the address is already confirmed.")


@router.post("/verify-email", operation_id="verify_email")
async def verify_email(body: EmailVerificationConfirm, context: Context, session: Session) -> UserOut:
    """Confirm the e-mail address with the token from the confirmation e-mail."""
    return UserOut.model_validate(await service.confirm_email(context, session, body.token))
