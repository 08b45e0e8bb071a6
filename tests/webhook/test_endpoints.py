"""The /v1/webhooks API: CRUD, secrets, URL checks at creation, tenancy and scopes."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import httpx
import pytest

from shortlist.config import Environment
from shortlist.context import AppContext
from shortlist.main import create_app
from shortlist.webhook.signing import decode_secret
from tests.conftest import Register, assert_problem

from .conftest import context_with
from .helpers import pending
from .receiver import Receiver


class FakeDns:
    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers

    async def __call__(self, host: str, port: int) -> Sequence[str]:
        if host not in self.answers:
            raise OSError(f"no such host {host}")
        return self.answers[host]


async def test_create_shows_secret_once_then_read_update_delete(
    fast_client: httpx.AsyncClient, auth: dict[str, str], receiver: Receiver, fast_context: AppContext
) -> None:
    created = await fast_client.post(
        "/v1/webhooks",
        json={"url": receiver.url(), "event_types": ["resume.created"], "description": "CRM sync"},
        headers=auth,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["secret"].startswith("whsec_") and len(decode_secret(body["secret"])) == 32
    assert body["event_types"] == ["resume.created"] and body["active"] is True
    assert created.headers["location"].endswith(f"/v1/webhooks/{body['id']}")

    fetched = await fast_client.get(f"/v1/webhooks/{body['id']}", headers=auth)
    assert fetched.status_code == 200 and "secret" not in fetched.json()
    assert body["secret"] not in fetched.text
    etag = fetched.headers["etag"]
    assert (
        await fast_client.get(f"/v1/webhooks/{body['id']}", headers={**auth, "If-None-Match": etag})
    ).status_code == 304

    listed = (await fast_client.get("/v1/webhooks", headers=auth)).json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    assert body["secret"] not in str(listed)

    patched = await fast_client.patch(
        f"/v1/webhooks/{body['id']}",
        json={"event_types": ["*"], "active": False},
        headers={**auth, "If-Match": etag},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["event_types"] == ["*"] and patched.json()["active"] is False
    stale = await fast_client.patch(
        f"/v1/webhooks/{body['id']}", json={"description": "x"}, headers={**auth, "If-Match": etag}
    )
    assert_problem(stale, 412)
    nulled = await fast_client.patch(f"/v1/webhooks/{body['id']}", json={"url": None}, headers=auth)
    assert_problem(nulled, 422)

    await fast_client.patch(f"/v1/webhooks/{body['id']}", json={"active": True}, headers=auth)
    ping = await fast_client.post(f"/v1/webhooks/{body['id']}/ping", headers=auth)
    assert ping.status_code == 202
    deleted = await fast_client.delete(f"/v1/webhooks/{body['id']}", headers=auth)
    assert deleted.status_code == 204
    # The delivery log goes with the endpoint (nothing is left to send to a deleted URL).
    assert not await pending(fast_context)
    assert_problem(
        await fast_client.get(f"/v1/webhooks/{body['id']}", headers=auth), 404, "webhook-not-found"
    )


async def test_event_types_are_checked(
    fast_client: httpx.AsyncClient, auth: dict[str, str], receiver: Receiver
) -> None:
    listed = (await fast_client.get("/v1/webhooks/event-types", headers=auth)).json()
    assert {"resume.created", "resume.updated", "resume.deleted", "job.succeeded", "job.failed"} <= {
        e["name"] for e in listed
    }
    refused = await fast_client.post(
        "/v1/webhooks", json={"url": receiver.url(), "event_types": ["resume.eaten"]}, headers=auth
    )
    assert "resume.eaten" in assert_problem(refused, 422, "unknown-event-type")["detail"]
    empty = await fast_client.post(
        "/v1/webhooks", json={"url": receiver.url(), "event_types": []}, headers=auth
    )
    assert_problem(empty, 422)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:8080/hook", "loopback"),
        ("https://10.1.2.3/hook", "private network"),
        ("https://169.254.169.254/latest/meta-data", "link-local"),
        ("https://100.64.0.1/hook", "carrier-grade NAT"),
        ("https://[::ffff:127.0.0.1]/hook", "loopback"),
        ("https://[fd00::1]/hook", "unique local"),
        ("https://2130706433/hook", "loopback"),
        ("https://internal.example.com/hook", "private network"),
        ("https://nowhere.example.com/hook", "cannot resolve"),
        ("ftp://93.184.215.14/hook", "scheme"),
        ("https://user:pw@93.184.215.14/hook", "credentials"),
        ("not a url", ""),
    ],
)
async def test_creation_refuses_unsafe_urls(
    app_context: AppContext, register: Register, url: str, reason: str
) -> None:
    # The default policy: no allow-listed hosts. DNS answers come from the policy's resolver hook.
    dns = FakeDns({"internal.example.com": ["93.184.215.14", "10.0.0.7"]})
    context = dataclasses.replace(
        app_context, webhook_egress=dataclasses.replace(app_context.webhook_egress, resolver=dns)
    )
    transport = httpx.ASGITransport(app=create_app(context=context))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        headers = await _register(client)
        response = await client.post("/v1/webhooks", json={"url": url}, headers=headers)
    body = assert_problem(response, 422)
    assert body["type"].endswith("webhook-url-refused") or body["type"].endswith("validation-error")
    assert reason in body["detail"]


async def _register(client: httpx.AsyncClient) -> dict[str, str]:
    import uuid

    email = f"u-{uuid.uuid4().hex[:8]}@example.com"
    await client.post("/v1/auth/register", json={"email": email, "password": "correct horse battery staple"})
    token = await client.post(
        "/v1/auth/token", data={"username": email, "password": "correct horse battery staple"}
    )
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


async def test_production_takes_https_only(app_context: AppContext) -> None:
    context = context_with(app_context, environment=Environment.production)
    transport = httpx.ASGITransport(app=create_app(context=context))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        headers = await _register(client)
        plain = await client.post("/v1/webhooks", json={"url": "http://93.184.215.14/hook"}, headers=headers)
        assert "scheme 'http' not allowed" in assert_problem(plain, 422, "webhook-url-refused")["detail"]
        odd_port = await client.post(
            "/v1/webhooks", json={"url": "https://93.184.215.14:2375/hook"}, headers=headers
        )
        assert "port 2375" in assert_problem(odd_port, 422)["detail"]
        ok = await client.post("/v1/webhooks", json={"url": "https://93.184.215.14/hook"}, headers=headers)
        assert ok.status_code == 201, ok.text


async def test_deliveries_of_another_endpoint_are_hidden(
    fast_client: httpx.AsyncClient, auth: dict[str, str], receiver: Receiver
) -> None:
    first = (await fast_client.post("/v1/webhooks", json={"url": receiver.url()}, headers=auth)).json()
    second = (await fast_client.post("/v1/webhooks", json={"url": receiver.url("/b")}, headers=auth)).json()
    ping = (await fast_client.post(f"/v1/webhooks/{first['id']}/ping", headers=auth)).json()
    assert ping["status"] == "pending" and ping["event_type"] == "webhook.ping"
    # The right owner, the wrong endpoint: still 404.
    wrong = await fast_client.get(f"/v1/webhooks/{second['id']}/deliveries/{ping['id']}", headers=auth)
    assert_problem(wrong, 404, "webhook-delivery-not-found")
    redeliver = await fast_client.post(
        f"/v1/webhooks/{second['id']}/deliveries/{ping['id']}/redeliver", headers=auth
    )
    assert_problem(redeliver, 404)
    # A delivery still pending cannot be redelivered.
    busy = await fast_client.post(
        f"/v1/webhooks/{first['id']}/deliveries/{ping['id']}/redeliver", headers=auth
    )
    assert_problem(busy, 409, "webhook-delivery-in-progress")


async def test_scope_and_limits(
    fast_client: httpx.AsyncClient, auth: dict[str, str], fast_context: AppContext, receiver: Receiver
) -> None:
    key = (
        await fast_client.post("/v1/api-keys", json={"name": "ro", "scopes": ["resumes:read"]}, headers=auth)
    ).json()["key"]
    forbidden = await fast_client.get("/v1/webhooks", headers={"X-API-Key": key})
    assert "webhooks:manage" in assert_problem(forbidden, 403)["detail"]
    manager = (
        await fast_client.post(
            "/v1/api-keys", json={"name": "wh", "scopes": ["webhooks:manage"]}, headers=auth
        )
    ).json()["key"]
    assert (await fast_client.get("/v1/webhooks", headers={"X-API-Key": manager})).status_code == 200

    limit = fast_context.settings.webhook_max_per_user
    for i in range(limit):
        made = await fast_client.post("/v1/webhooks", json={"url": receiver.url(f"/{i}")}, headers=auth)
        assert made.status_code == 201
    over = await fast_client.post("/v1/webhooks", json={"url": receiver.url()}, headers=auth)
    assert_problem(over, 422, "webhook-limit")
    page = await fast_client.get("/v1/webhooks", params={"limit": 7}, headers=auth)
    assert len(page.json()["items"]) == 7 and 'rel="next"' in page.headers["link"]
    rest = await fast_client.get(
        "/v1/webhooks", params={"limit": 100, "cursor": page.json()["next_cursor"]}, headers=auth
    )
    assert len(rest.json()["items"]) == limit - 7


async def test_inactive_endpoint_cannot_be_pinged(
    fast_client: httpx.AsyncClient, auth: dict[str, str], receiver: Receiver
) -> None:
    hook = (
        await fast_client.post("/v1/webhooks", json={"url": receiver.url(), "active": False}, headers=auth)
    ).json()
    assert_problem(
        await fast_client.post(f"/v1/webhooks/{hook['id']}/ping", headers=auth), 409, "webhook-inactive"
    )
