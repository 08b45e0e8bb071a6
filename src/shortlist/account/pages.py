"""The pages e-mailed links open: /account/confirm-email and /account/reset-password.

A GET only shows a form (mail scanners follow links; a GET must not change anything); the form's POST
carries the token and completes the action through the same service calls as the JSON API, with the same
outcomes: an unknown, used or expired token is a 422 "invalid-token" problem, shown as a readable page.
No script runs: the page's only inline style is allowed by its hash in the Content-Security-Policy.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from shortlist.auth import service
from shortlist.auth.exceptions import InvalidActionToken
from shortlist.context import AppContext
from shortlist.http.deps import Context, Session
from shortlist.http.ratelimit import rate_limit
from shortlist.http.route import TransactionalRoute
from shortlist.kit.problems import AppError

CONFIRM_EMAIL_PATH = "/account/confirm-email"
RESET_PASSWORD_PATH = "/account/reset-password"

_CSS = (
    "body{font:16px/1.5 system-ui,sans-serif;color:#1f2933;background:#f5f7fa;margin:0}"
    "main{max-width:28rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:.5rem;"
    "box-shadow:0 1px 3px rgba(0,0,0,.15)}"
    "h1{font-size:1.4rem;margin-top:0}label{display:block;font-weight:600;margin:1rem 0 .25rem}"
    "input[type=password]{box-sizing:border-box;width:100%;padding:.5rem;font:inherit}"
    "button{margin-top:1rem;padding:.6rem 1.2rem;font:inherit;border:0;border-radius:.3rem;"
    "background:#0b6e4f;color:#fff;cursor:pointer}"
    ".error{color:#a61b1b;font-weight:600}.fine{font-size:.85rem;color:#52606d}"
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(_CSS.encode()).digest()).decode()
PAGE_CSP = (
    f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)

router = APIRouter(
    prefix="/account",
    route_class=TransactionalRoute,
    include_in_schema=False,
    dependencies=[Depends(rate_limit)],
)

Token = Annotated[str, Form(max_length=512)]
LinkToken = Annotated[str, Query(max_length=512)]


def _page(template: str, heading: str, status: int = 200, **values: Any) -> HTMLResponse:
    html = _templates.get_template(template).render(heading=heading, css=_CSS, **values)
    return HTMLResponse(
        html,
        status_code=status,
        headers={"Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-store"},
    )


def _problem_page(exc: AppError, hint: str) -> HTMLResponse:
    return _page("outcome.html", exc.title, exc.status, detail=exc.detail, problem=exc.type_uri(), hint=hint)


def _missing_token() -> HTMLResponse:
    return _problem_page(
        InvalidActionToken("The link has no token: open the link from the e-mail as it was sent."),
        hint="",
    )


@router.get("/confirm-email")
async def confirm_email_form(request: Request, token: LinkToken = "") -> HTMLResponse:
    if not token:
        return _missing_token()
    return _page(
        "confirm_email.html",
        "Confirm your e-mail address",
        action=request.url_for("confirm_email_page").path,
        token=token,
    )


@router.post("/confirm-email", name="confirm_email_page")
async def confirm_email(token: Token, context: Context, session: Session) -> HTMLResponse:
    try:
        user = await service.confirm_email(context, session, token)
    except AppError as exc:
        await session.rollback()
        return _problem_page(exc, "Sign in and ask for a new confirmation e-mail.")
    return _page("outcome.html", "Address confirmed", detail=f"{user.email} is confirmed. Thank you.")


@router.get("/reset-password")
async def reset_password_form(request: Request, context: Context, token: LinkToken = "") -> HTMLResponse:
    if not token:
        return _missing_token()
    return _reset_form(request, context, token)


def _reset_form(
    request: Request, context: AppContext, token: str, *, error: str = "", status: int = 200
) -> HTMLResponse:
    return _page(
        "reset_password.html",
        "Choose a new password",
        status,
        action=request.url_for("reset_password_page").path,
        token=token,
        error=error,
        min_length=context.settings.password_min_length,
    )


@router.post("/reset-password", name="reset_password_page")
async def reset_password(
    request: Request,
    token: Token,
    new_password: Annotated[str, Form(max_length=1024)],
    context: Context,
    session: Session,
) -> HTMLResponse:
    try:
        await service.confirm_password_reset(context, session, token, new_password)
    except InvalidActionToken as exc:
        await session.rollback()
        return _problem_page(exc, "Ask for a new reset e-mail: each link works once, for a limited time.")
    except AppError as exc:
        # A password the rules refuse: the token was not spent (rolled back), so the form is shown again.
        await session.rollback()
        return _reset_form(request, context, token, error=exc.detail, status=exc.status)
    return _page(
        "outcome.html",
        "Password changed",
        detail="Your new password is set, and every device was signed out. Sign in with the new password.",
    )
