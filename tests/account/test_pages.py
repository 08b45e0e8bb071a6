"""The pages that e-mailed links open: they complete the action with a form post, no script needed."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from sqlalchemy import update

from shortlist.context import AppContext
from shortlist.kit.db import utcnow
from shortlist.models.action_token import ActionToken
from tests.conftest import Register, login

NEW_PASSWORD = "a brand new passphrase"


def mailed_link(outbox: Path, address: str, path: str) -> str:
    """The path and query of the newest link to ``path`` mailed to ``address``."""
    for mail in sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns, reverse=True):
        message = message_from_bytes(mail.read_bytes())
        body = message.get_payload(decode=True)
        assert isinstance(body, bytes)
        found = re.search(r"https?://\S+" + re.escape(path) + r"\?token=\S+", body.decode())
        if message["To"] == address and found:
            parts = urlsplit(found.group(0))
            return f"{parts.path}?{parts.query}"
    raise AssertionError(f"no link to {path} mailed to {address}")


def form_of(page: httpx.Response) -> tuple[str, dict[str, str]]:
    """The form's action and hidden fields, as a browser would submit them."""
    action = re.search(r'<form method="post" action="([^"]+)"', page.text)
    assert action, page.text
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page.text))
    return html.unescape(action.group(1)), {k: html.unescape(v) for k, v in hidden.items()}


def assert_safe_page(page: httpx.Response) -> None:
    assert page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "script-src" not in csp and "form-action 'self'" in csp
    assert "<script" not in page.text.lower()
    (style,) = re.findall(r"<style>(.*?)</style>", page.text, re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp  # the one inline style is the one the policy allows


async def test_confirmation_link_opens_a_page_that_confirms(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    headers = await register("confirm-page@example.com")
    link = mailed_link(
        app_context.settings.data_dir / "outbox", "confirm-page@example.com", "/account/confirm-email"
    )
    opened = await client.get(link)
    assert opened.status_code == 200
    assert_safe_page(opened)
    me = (await client.get("/v1/users/me", headers=headers)).json()
    assert me["email_verified_at"] is None  # opening the link (as a mail scanner would) changes nothing

    action, fields = form_of(opened)
    confirmed = await client.post(action, data=fields)
    assert confirmed.status_code == 200 and "confirm-page@example.com is confirmed" in confirmed.text
    assert_safe_page(confirmed)
    me = (await client.get("/v1/users/me", headers=headers)).json()
    assert me["email_verified_at"] is not None

    replayed = await client.post(action, data=fields)  # the token works once, as with the JSON API
    assert replayed.status_code == 422
    assert "Invalid or expired link" in replayed.text and "already used or expired" in replayed.text
    assert "/problems/invalid-token" in replayed.text
    assert_safe_page(replayed)


async def test_reset_link_opens_a_form_that_sets_the_password(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    await register("reset-page@example.com")
    old = await login(client, "reset-page@example.com")
    await client.post("/v1/auth/password-reset", json={"email": "reset-page@example.com"})
    link = mailed_link(
        app_context.settings.data_dir / "outbox", "reset-page@example.com", "/account/reset-password"
    )
    opened = await client.get(link)
    assert opened.status_code == 200 and 'type="password"' in opened.text
    assert_safe_page(opened)
    action, fields = form_of(opened)

    weak = await client.post(action, data={**fields, "new_password": "short"})
    assert weak.status_code == 422 and 'role="alert"' in weak.text and "at least" in weak.text
    assert_safe_page(weak)
    again_action, again_fields = form_of(weak)  # the form comes back, and the token was not spent
    done = await client.post(again_action, data={**again_fields, "new_password": NEW_PASSWORD})
    assert done.status_code == 200 and "Password changed" in done.text
    await login(client, "reset-page@example.com", NEW_PASSWORD)
    refreshed = await client.post("/v1/auth/refresh", json={"refresh_token": old["refresh_token"]})
    assert refreshed.status_code == 401  # every earlier sign-in is revoked, as with the JSON API

    replayed = await client.post(action, data={**fields, "new_password": "yet another passphrase"})
    assert replayed.status_code == 422 and "Invalid or expired link" in replayed.text
    await login(client, "reset-page@example.com", NEW_PASSWORD)


async def test_bad_links_read_as_pages(client: httpx.AsyncClient) -> None:
    for path in ("/account/confirm-email", "/account/reset-password"):
        bare = await client.get(path)
        assert bare.status_code == 422 and "has no token" in bare.text
        assert_safe_page(bare)
        forged = await client.post(path, data={"token": "sla_forged", "new_password": NEW_PASSWORD})
        assert forged.status_code == 422 and "Invalid or expired link" in forged.text
        assert "<script" not in forged.text
    escaped = await client.get("/account/confirm-email", params={"token": '"><script>alert(1)</script>'})
    assert "<script>" not in escaped.text and "&#34;&gt;&lt;script&gt;" in escaped.text


async def test_an_expired_link_reads_as_a_page_and_changes_nothing(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    await register("expired-page@example.com")
    await client.post("/v1/auth/password-reset", json={"email": "expired-page@example.com"})
    link = mailed_link(
        app_context.settings.data_dir / "outbox", "expired-page@example.com", "/account/reset-password"
    )
    async with app_context.database.writer() as session:
        await session.execute(update(ActionToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        await session.commit()
    action, fields = form_of(await client.get(link))  # the form still shows: a GET checks nothing
    expired = await client.post(action, data={**fields, "new_password": NEW_PASSWORD})
    assert expired.status_code == 422 and "Invalid or expired link" in expired.text
    assert "already used or expired" in expired.text and "/problems/invalid-token" in expired.text
    assert_safe_page(expired)
    refused = await client.post(
        "/v1/auth/token", data={"username": "expired-page@example.com", "password": NEW_PASSWORD}
    )
    assert refused.status_code == 401  # the password did not change
