"""The cached resume read answered before routing (http/fast_path.py) gives the answers FastAPI gives.

Each case is sent to two apps on one context: the app as built (with the fast route) and the same app built
without fast routes, which answers every request the long way. The fast path's counter says which way each
request went, so a case cannot pass by falling through unnoticed.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

import shortlist.main
from shortlist.auth.access import Credential
from shortlist.context import AppContext
from shortlist.http.fast_path import FAST_PATH_REQUESTS
from shortlist.main import create_app
from tests.auth.credentials import client_token_headers, credential_headers, new_account, session_headers
from tests.conftest import Register, assert_problem

# Differ between any two answers: the request's id, and the budget left and its reset time.
PER_REQUEST_HEADERS = {"x-request-id", "ratelimit", "date"}


@pytest.fixture
async def long_way(
    app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[httpx.AsyncClient]:
    """The same app and context with no fast route: every request goes through FastAPI's routing."""
    monkeypatch.setattr(shortlist.main, "FAST_ROUTES", ())
    transport = httpx.ASGITransport(app=create_app(context=app_context), client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def outcomes() -> dict[str, float]:
    return {
        outcome: FAST_PATH_REQUESTS.labels("get_resume", outcome)._value.get()
        for outcome in ("served", "passed")
    }


def went(before: dict[str, float]) -> dict[str, float]:
    """How many requests each way took since `before`."""
    return {outcome: count - before[outcome] for outcome, count in outcomes().items()}


def comparable(response: httpx.Response) -> tuple[int, dict[str, str], object]:
    headers = {name: value for name, value in response.headers.items() if name not in PER_REQUEST_HEADERS}
    if response.headers.get("content-type", "").startswith("application/problem+json"):
        body = response.json()
        body.pop("request_id")
        return response.status_code, headers, body
    return response.status_code, headers, response.content


async def new_resume(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    created = await client.post(
        "/v1/resumes", json={"title": "Fast", "content": {"basics": {"name": "Ada"}}}, headers=headers
    )
    assert created.status_code == 201, created.text
    return f"/v1/resumes/{created.json()['id']}"


async def test_a_cached_read_is_served_before_routing_with_the_same_answer(
    client: httpx.AsyncClient, long_way: httpx.AsyncClient, register: Register
) -> None:
    headers = await register()
    url = await new_resume(client, headers)
    before = outcomes()
    first = await client.get(url, headers=headers)  # a miss: the route loads and fills the cache
    assert first.status_code == 200 and went(before) == {"served": 0, "passed": 1}
    before = outcomes()
    fast = await client.get(url, headers=headers)
    assert went(before) == {"served": 1, "passed": 0}
    slow = await long_way.get(url, headers=headers)
    assert went(before) == {"served": 1, "passed": 0}
    assert comparable(fast) == comparable(slow) == comparable(first)
    assert fast.json()["title"] == "Fast"
    # The headers every middleware adds are there as on any answer.
    for name in ("etag", "ratelimit", "ratelimit-policy", "x-request-id", "cache-control", "x-frame-options"):
        assert name in fast.headers, name
    assert fast.headers["x-request-id"] != slow.headers["x-request-id"]

    before = outcomes()
    etag = {"If-None-Match": fast.headers["etag"]}
    fast_304 = await client.get(url, headers={**headers, **etag})
    slow_304 = await long_way.get(url, headers={**headers, **etag})
    assert fast_304.status_code == 304 and went(before) == {"served": 1, "passed": 0}
    assert comparable(fast_304) == comparable(slow_304)


async def test_problems_and_what_the_fast_path_cannot_answer_get_the_routes_answers(
    client: httpx.AsyncClient, long_way: httpx.AsyncClient, app_context: AppContext, register: Register
) -> None:
    owner = await register()
    url = await new_resume(client, owner)
    await client.get(url, headers=owner)
    user_id = uuid.UUID((await client.get("/v1/users/me", headers=owner)).json()["id"])
    stranger = session_headers(app_context, await new_account(client, app_context), {"resumes:read"})
    organization_key = await credential_headers(
        client, app_context, Credential.organization_key, {"organization:read"}
    )
    served, passed = {"served": 1, "passed": 0}, {"served": 0, "passed": 1}
    cases = {
        # Problems raised by the route's own caller check are answered before routing.
        "bad token": (url, {"Authorization": "Bearer nope"}, 401, served),
        "no credentials": (url, {}, 401, served),
        "basic auth": (url, {"Authorization": "Basic dXNlcjpwYXNz"}, 401, served),
        "lacks resumes:read": (url, session_headers(app_context, user_id, {"profile:read"}), 403, served),
        "an organisation's key": (url, organization_key, 403, served),
        # Another account's resume: its cache key names the owner, so nothing is fetched and the route says 404.
        "another's resume": (url, stranger, 404, passed),
        "not a resume id": ("/v1/resumes/not-a-uuid", owner, 422, passed),
    }
    for name, (path, headers, status, way) in cases.items():
        before = outcomes()
        fast = await client.get(path, headers=headers)
        slow = await long_way.get(path, headers=headers)
        assert_problem(fast, status)
        assert comparable(fast) == comparable(slow), name
        assert went(before) == way, name


async def test_api_keys_and_oauth_clients_are_served_before_routing_too(
    client: httpx.AsyncClient, long_way: httpx.AsyncClient, register: Register
) -> None:
    """A personal API key's state is cached like an account's, and the resume entry comes along with it, as
    it does with a personal OAuth client's account state."""
    owner = await register()
    url = await new_resume(client, owner)
    keys = {}
    for scope in ("resumes:read", "profile:read"):
        made = await client.post("/v1/api-keys", json={"name": scope, "scopes": [scope]}, headers=owner)
        keys[scope] = {"X-API-Key": made.json()["key"]}
    made = await client.post(
        "/v1/oauth-clients", json={"name": "c", "scopes": ["resumes:read"]}, headers=owner
    )
    callers = {
        "API key": keys["resumes:read"],
        "OAuth client": await client_token_headers(client, made.json()),
    }
    for name, caller in callers.items():
        # A key's first use loads it, records the use and fills the resume's entry; the second loads the key
        # again (its recorded use changed); after that its state is the cache's.
        for _ in range(2):
            assert (await client.get(url, headers=caller)).status_code == 200
        before = outcomes()
        fast = await client.get(url, headers=caller)
        slow = await long_way.get(url, headers=caller)
        assert fast.status_code == 200 and went(before) == {"served": 1, "passed": 0}, name
        assert comparable(fast) == comparable(slow), name
        assert fast.headers["ratelimit-policy"].startswith('"api_key"'), name

    await client.get(url, headers=keys["profile:read"])
    before = outcomes()
    refused = await client.get(url, headers=keys["profile:read"])
    assert "resumes:read" in assert_problem(refused, 403)["detail"]
    assert comparable(refused) == comparable(await long_way.get(url, headers=keys["profile:read"]))
    assert went(before) == {"served": 1, "passed": 0}


async def test_the_rate_limit_counts_each_request_once_whichever_way_it_goes(
    client: httpx.AsyncClient, app_context: AppContext, register: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = await register()
    url = await new_resume(client, headers)
    monkeypatch.setattr(app_context.settings, "rate_limit_user", "3/minute")
    await app_context.rate_limiter.reset()
    before = outcomes()
    # A miss passed on after its hit was counted, then a hit served: two of the three.
    statuses = [(await client.get(url, headers=headers)).status_code for _ in range(2)]
    assert statuses == [200, 200] and went(before) == {"served": 1, "passed": 1}
    last = await client.get(url, headers=headers)
    assert last.status_code == 200 and last.headers["ratelimit"].startswith('"user";r=0;')
    limited = await client.get(url, headers=headers)
    body = assert_problem(limited, 429, "rate-limited")
    assert "3 requests per 60 s" in body["detail"]
    assert int(limited.headers["retry-after"]) > 0
    assert went(before) == {"served": 3, "passed": 1}


async def test_a_write_is_seen_by_the_next_fast_read(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    url = await new_resume(client, headers)
    first = await client.get(url, headers=headers)
    await client.get(url, headers=headers)
    changed = await client.patch(
        url,
        json={"title": "Changed"},
        headers={
            **headers,
            "If-Match": first.headers["etag"],
            "Content-Type": "application/merge-patch+json",
        },
    )
    assert changed.status_code == 200, changed.text
    before = outcomes()
    after = await client.get(url, headers=headers)
    assert after.json()["title"] == "Changed" and after.headers["etag"] != first.headers["etag"]
    again = await client.get(url, headers=headers)
    assert again.content == after.content and went(before) == {"served": 1, "passed": 1}


async def test_an_unexpected_error_gets_the_applications_answer_once(
    app_context: AppContext, register: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error that is no problem document (a bug, a store gone) gets the 500 the route would give, and
    the fast path does not pass the request on to meet it a second time."""
    headers = await register()
    fast_app = create_app(context=app_context)
    monkeypatch.setattr(shortlist.main, "FAST_ROUTES", ())
    slow_app = create_app(context=app_context)
    calls = 0

    async def broken(*_args: object, **_kwargs: object) -> None:
        nonlocal calls
        calls += 1
        raise RuntimeError("the store is gone")

    monkeypatch.setattr(app_context.cache, "get_many", broken)
    url = f"/v1/resumes/{uuid.uuid4()}"
    answers = []
    for app, way in ((fast_app, {"served": 1, "passed": 0}), (slow_app, {"served": 0, "passed": 0})):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            before = outcomes()
            calls = 0
            answers.append(await http.get(url, headers=headers))
            assert calls == 1 and went(before) == way
    assert_problem(answers[0], 500)
    (fast_status, fast_headers, fast_body), (slow_status, slow_headers, slow_body) = map(comparable, answers)
    assert (fast_status, fast_body) == (slow_status, slow_body)
    # The long way's 500 is written by Starlette's outermost handler, past the security headers; the fast
    # path's passes through them.
    assert slow_headers.items() <= fast_headers.items()
    assert fast_headers["x-content-type-options"] == "nosniff"
