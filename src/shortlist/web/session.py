"""Browser sessions: the refresh token lives in an HttpOnly cookie scoped to these routes, never in script.

The page keeps only the short-lived access token, in memory. Every route here changes state on the strength
of a cookie, so each one checks that the request comes from the app's own origin (SameSite=Strict is the
first line, the Origin header the second). Rotation and reuse detection are the auth service's own.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request, Response, status

from shortlist.auth import service
from shortlist.auth.endpoints import _guard_login
from shortlist.auth.schemas import TokenPair
from shortlist.context import AppContext
from shortlist.http.deps import Context, Session
from shortlist.http.route import TransactionalRoute
from shortlist.kit.problems import Unauthorized
from shortlist.web.exceptions import CrossOriginRefused, NoBrowserSession
from shortlist.web.schemas import BrowserAccess, BrowserSignIn

SESSION_PATH = "/v1/auth/browser"
REFRESH_COOKIE = "shortlist_refresh"


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def allowed_origins(context: AppContext, request: Request) -> set[str]:
    """The service's own origin as the browser sees it, the configured public URL and the CORS allow-list."""
    own = f"{request.url.scheme}://{request.headers.get('host', '')}".lower()
    configured = {_origin_of(context.settings.public_url)}
    return {own, *configured, *(origin.lower() for origin in context.settings.cors_origins)}


async def same_origin(request: Request, context: Context) -> None:
    origin = request.headers.get("origin")
    if origin is None:
        # Browsers send Origin on every POST from script; a request without it is not the app's.
        raise CrossOriginRefused("Browser session requests must carry an Origin header.")
    if origin.lower() not in allowed_origins(context, request):
        raise CrossOriginRefused(f"Requests from {origin} may not use the browser session.")


router = APIRouter(
    prefix="/auth/browser",
    tags=["auth"],
    route_class=TransactionalRoute,
    dependencies=[Depends(same_origin)],
)


def _set_refresh_cookie(response: Response, pair: TokenPair) -> BrowserAccess:
    response.set_cookie(
        REFRESH_COOKIE,
        pair.refresh_token,
        max_age=pair.refresh_expires_in,
        path=SESSION_PATH,
        secure=True,
        httponly=True,
        samesite="strict",
    )
    response.headers["Cache-Control"] = "no-store"
    return BrowserAccess(access_token=pair.access_token, expires_in=pair.expires_in)


@router.post("/sign-in", operation_id="browser_sign_in")
async def sign_in(
    body: BrowserSignIn, request: Request, response: Response, context: Context, session: Session
) -> BrowserAccess:
    """Sign in from the browser app: the access token in the body, the refresh token in an HttpOnly cookie."""
    ip, account = await _guard_login(context, request, body.email)
    settings = context.settings
    await context.rate_limiter.hit("login_ip", settings.rate_limit_login_per_ip, ip)
    try:
        pair = await service.sign_in(context, session, body.email, body.password)
    except Unauthorized:
        await context.rate_limiter.hit("login_account", settings.rate_limit_login_per_account, account)
        raise
    return _set_refresh_cookie(response, pair)


@router.post("/refresh", operation_id="browser_refresh")
async def refresh(request: Request, response: Response, context: Context, session: Session) -> BrowserAccess:
    """A new access token from the session cookie; the cookie's refresh token is rotated. Replaying an old
    one revokes the whole sign-in."""
    token = request.cookies.get(REFRESH_COOKIE)
    if not token:
        raise NoBrowserSession()
    return _set_refresh_cookie(response, await service.refresh(context, session, token))


@router.post("/sign-out", status_code=status.HTTP_204_NO_CONTENT, operation_id="browser_sign_out")
async def sign_out(request: Request, response: Response, context: Context, session: Session) -> None:
    """Revoke this browser's sign-in and forget its cookie."""
    token = request.cookies.get(REFRESH_COOKIE)
    if token:
        await service.revoke(context, session, token)
    response.delete_cookie(REFRESH_COOKIE, path=SESSION_PATH, secure=True, httponly=True, samesite="strict")
