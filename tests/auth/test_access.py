"""Function-level authorisation: every route is in the access table, and each accepts exactly the
credential kinds and scopes its entry names (checked over real HTTP, route by route)."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from typing import Any

import httpx
import pytest
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import Mount
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from shortlist.auth.access import ROUTE_ACCESS, Access, Credential, route_key
from shortlist.auth.dependencies import LimitedCaller
from shortlist.context import AppContext
from shortlist.main import create_app
from tests.auth.credentials import ALL_USER_SCOPES, ORGANIZATION_KINDS, all_scopes, credential_headers
from tests.conftest import assert_problem

# Path parameters that must name something real for the request to reach past validation.
KNOWN_PARAMETERS = {"number": "1", "slug": "classic", "profile_id": "python-backend"}
PROBED_KINDS = tuple(Credential)


def _routes() -> list[tuple[str, str, str, Any]]:
    """(method, path template, table key, route) for every route of the application."""
    found = []
    for context in iter_route_contexts(create_app().routes):
        route = context.original_route
        key = route_key(route)
        assert key is not None, f"a route without a name or operation id: {context.path_format}"
        methods = sorted((getattr(route, "methods", None) or {"WS"}) - {"HEAD"})
        for method in methods:
            found.append((method, context.path_format or "", key, route))
    return found


def _url(path: str) -> str:
    return re.sub(r"{(\w+)}", lambda m: KNOWN_PARAMETERS.get(m.group(1), str(uuid.uuid4())), path)


def test_every_route_is_in_the_access_table() -> None:
    keys = {key for _, _, key, _ in _routes()}
    missing = sorted(keys - set(ROUTE_ACCESS))
    assert not missing, f"add these routes to shortlist.auth.access.ROUTE_ACCESS: {missing}"
    stale = sorted(set(ROUTE_ACCESS) - keys)
    assert not stale, f"the access table names routes that do not exist: {stale}"


def _limited_caller(route: Any) -> LimitedCaller | None:
    """The hot-route dependency of a route, if it takes one (it declares its scopes itself)."""
    dependant = getattr(route, "dependant", None)
    for dependency in getattr(dependant, "dependencies", []):
        if isinstance(dependency.call, LimitedCaller):
            return dependency.call
    return None


def test_scopes_declared_on_handlers_match_the_table() -> None:
    """The handlers' `Security(scopes=...)` (what FastAPI alone would document) agree with the table, and so
    do the scopes of the hot routes' one dependency."""
    app = create_app()
    raw = get_openapi(title="t", version="1", routes=app.routes)
    routes = {key: route for _, _, key, route in _routes()}
    for operations in raw["paths"].values():
        for operation in operations.values():
            access = ROUTE_ACCESS[operation["operationId"]]
            limited = _limited_caller(routes[operation["operationId"]])
            if limited is not None:
                assert not access.public and set(limited.scopes) == set(access.scopes), operation
                continue
            declared: set[str] = set()
            for requirement in operation.get("security", []):
                declared.update(requirement.get("OAuth2PasswordBearer", []))
            if access.public:
                assert "security" not in operation, operation["operationId"]
            else:
                assert "security" in operation, f"{operation['operationId']} declares no credentials"
                assert declared == set(access.scopes), operation["operationId"]


def test_openapi_security_comes_from_the_table() -> None:
    schema = create_app().openapi()
    logout = schema["paths"]["/v1/auth/logout-all"]["post"]
    assert logout["x-credentials"] == ["session"]
    assert logout["security"] == [{"OAuth2PasswordBearer": []}]
    read = schema["paths"]["/v1/resumes/{resume_id}"]["get"]
    assert {"APIKeyHeader": []} in read["security"]
    assert {"OAuth2PasswordBearer": ["resumes:read"]} in read["security"]
    assert "security" not in schema["paths"]["/v1/auth/token"]["post"]


async def _call(http: httpx.AsyncClient, method: str, url: str, headers: dict[str, str]) -> httpx.Response:
    body: dict[str, Any] | None = {} if method in ("POST", "PUT", "PATCH") else None
    return await http.request(method, url, json=body, headers=headers)


# Accepted calls to these end the caller's own credentials: each gets an account of its own.
ENDS_ITS_OWN_CREDENTIALS = {"logout_all", "delete_me"}


class _Probes:
    """One credential per kind and scope set, shared by the routes: probes that are refused never reach a
    handler, and accepted ones carry empty bodies and unknown ids, so they change nothing of the caller's
    (apart from the routes above)."""

    def __init__(self, http: httpx.AsyncClient, app_context: AppContext) -> None:
        self.http, self.app_context = http, app_context
        self._made: dict[tuple[Credential, frozenset[str]], dict[str, str]] = {}

    async def shared(self, kind: Credential, scopes: frozenset[str]) -> dict[str, str]:
        if (kind, scopes) not in self._made:
            self._made[kind, scopes] = await self.fresh(kind, scopes)
        return self._made[kind, scopes]

    async def fresh(self, kind: Credential, scopes: frozenset[str]) -> dict[str, str]:
        return await credential_headers(self.http, self.app_context, kind, scopes)


async def _check_route(
    http: httpx.AsyncClient, probes: _Probes, method: str, path: str, key: str, access: Access
) -> None:
    url = _url(path)
    anonymous = await _call(http, method, url, {})
    if access.public:
        if anonymous.status_code == 403:
            # The browser sign-in routes refuse a request from another origin (CSRF), not a missing credential.
            assert_problem(anonymous, 403, "cross-origin-refused")
            return
        assert anonymous.status_code != 401, f"{key}: public, yet 401"
        return
    assert_problem(anonymous, 401)
    for kind in PROBED_KINDS:
        if kind not in access.credentials:
            # Refused whatever its scopes: the credential holds every scope its kind can have.
            headers = await probes.shared(kind, all_scopes(kind))
            refused = await _call(http, method, url, headers)
            assert_problem(refused, 403, "credential-not-accepted")
            continue
        needed = access.organization_scopes if kind in ORGANIZATION_KINDS else access.scopes
        scopes = frozenset(str(scope) for scope in needed) or all_scopes(kind)
        fresh = key in ENDS_ITS_OWN_CREDENTIALS
        headers = await (probes.fresh(kind, scopes) if fresh else probes.shared(kind, scopes))
        accepted = await _call(http, method, url, headers)
        assert accepted.status_code not in (401, 403), f"{key} refused {kind}: {accepted.text}"
        if needed:
            headers = await probes.shared(kind, all_scopes(kind) - scopes)
            short = assert_problem(await _call(http, method, url, headers), 403, "forbidden")
            assert all(scope in short["detail"] for scope in needed), short["detail"]


async def _socket_answer(url: str, headers: dict[str, str]) -> dict[str, Any]:
    """Connect with the credential (an API key as the upgrade's header, a token in the first message) and
    return the server's first answer that is not a ping: `ready` once the credential is accepted."""
    api_key = headers.get("X-API-Key")
    token = headers.get("Authorization", "").removeprefix("Bearer ")
    async with connect(url, additional_headers={"X-API-Key": api_key} if api_key else None) as socket:
        if not api_key:
            await socket.send(json.dumps({"type": "auth", "token": token}))
        while True:
            try:
                message: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), 5))
            except ConnectionClosed as closed:
                return {"type": "closed", "code": closed.rcvd.code if closed.rcvd else None}
            if message["type"] != "ping":
                return message


async def _check_websocket(probes: _Probes, path: str, key: str, access: Access) -> None:
    url = "ws://" + str(probes.http.base_url).removeprefix("http://").rstrip("/") + path
    for kind in PROBED_KINDS:
        scopes = frozenset(str(scope) for scope in access.scopes) or ALL_USER_SCOPES
        if kind not in access.credentials:
            refused = await _socket_answer(url, await probes.shared(kind, all_scopes(kind)))
            assert refused["type"] == "error" and refused["error"]["type"].endswith(
                "/credential-not-accepted"
            )
            continue
        accepted = await _socket_answer(url, await probes.shared(kind, scopes))
        assert accepted["type"] == "ready", f"{key} refused {kind}: {accepted}"
        if access.scopes:
            short = await _socket_answer(url, await probes.shared(kind, ALL_USER_SCOPES - scopes))
            assert short["type"] == "error" and short["error"]["type"].endswith("/forbidden"), short


async def test_each_route_accepts_exactly_the_credentials_in_its_entry(
    http: httpx.AsyncClient, app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every client probe exchanges a secret: more than the sign-in limit per address allows.
    monkeypatch.setattr(app_context.settings, "rate_limit_login_per_ip", "100000/minute")
    checked = 0
    probes = _Probes(http, app_context)
    for method, path, key, route in _routes():
        if isinstance(route, Mount):
            continue  # static files
        if method == "WS" and ROUTE_ACCESS[key].public:
            continue  # GraphQL's socket checks credentials per subscription (tests/graphql)
        if method == "WS":
            await _check_websocket(probes, path, key, ROUTE_ACCESS[key])
            checked += 1
            continue
        assert isinstance(route, APIRoute) or key == "openapi", key
        await _check_route(http, probes, method, path, key, ROUTE_ACCESS[key])
        checked += 1
    assert checked >= 60


async def test_a_read_only_api_key_cannot_sign_its_owner_out_or_send_mail(
    http: httpx.AsyncClient, app_context: AppContext
) -> None:
    key = await credential_headers(http, app_context, Credential.api_key, {"resumes:read"})
    for path in ("/v1/auth/logout-all", "/v1/auth/verify-email/request"):
        body = assert_problem(await http.post(path, headers=key), 403, "credential-not-accepted")
        assert "signed-in session" in body["detail"]
    # The key itself still works where its scope applies.
    assert (await http.get("/v1/resumes", headers=key)).status_code == 200
