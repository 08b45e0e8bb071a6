"""An organisation's own API keys and OAuth clients: issued by an owner or admin, shown once, listed, rotated
and revoked; they call the organisation routes the access table opens to them, with their scopes, inside their
own organisation only, never beyond the issuing member's role, and never a personal route."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import update

from shortlist.auth.access import ROUTE_ACCESS, Credential
from shortlist.auth.scopes import OrgScope
from shortlist.context import AppContext
from shortlist.kit.db import utcnow
from shortlist.models import OrganizationApiKey
from shortlist.organization.policy import SCOPE_OPERATIONS, OrgRole
from tests.application.helpers import open_job, resume_document, seed_applications
from tests.conftest import Register, assert_problem
from tests.organization.helpers import Person, person, seed_team
from tests.organization.test_roles import BODIES, _fill, _ids, organization_routes

ALL = sorted(str(scope) for scope in OrgScope)


async def issue_key(
    client: httpx.AsyncClient, issuer: Person, org_id: uuid.UUID | str, scopes: list[str], **extra: Any
) -> dict[str, Any]:
    made = await client.post(
        f"/v1/organizations/{org_id}/api-keys",
        json={"name": "ATS sync", "scopes": scopes, **extra},
        headers=issuer.headers,
    )
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


def key_headers(key: dict[str, Any]) -> dict[str, str]:
    return {"X-API-Key": key["key"]}


def _url(path: str, ids: dict[str, str]) -> str:
    return "".join(ids.get(part, part) for part in re.split(r"{(\w+)}", path))


async def _everyone(client: httpx.AsyncClient, register: Register) -> dict[OrgRole, Person]:
    return {role: await person(client, register) for role in OrgRole}


async def test_every_organisation_route_for_every_key_scope(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    """Each route that accepts organisation keys answers a key holding exactly its scope, refuses a key
    holding every other scope (403), and the other organisation routes refuse keys outright."""
    actors = await _everyone(client, register)
    owner = actors[OrgRole.owner]
    shared = await seed_team(app_context, actors)
    shared_ids = await _ids(app_context, shared, owner, owner)
    all_scopes_key = key_headers(await issue_key(client, owner, shared.org_id, ALL))
    short_keys: dict[str, dict[str, str]] = {}
    exact_keys: dict[str, dict[str, str]] = {}
    checked = accepting = 0
    for method, path, operation_id, operation in organization_routes():
        access = ROUTE_ACCESS[operation_id]
        url = _url(path, shared_ids)
        body = _fill(BODIES[operation_id], shared_ids)
        checked += 1
        if Credential.organization_key not in access.credentials:
            refused = await client.request(method, url, json=body, headers=all_scopes_key)
            assert_problem(refused, 403, "credential-not-accepted")
            continue
        accepting += 1
        [scope] = access.organization_scopes
        # The table and the role × operation policy agree: the route's scope grants its operation.
        assert operation in SCOPE_OPERATIONS[scope], f"{operation_id}: {scope} does not grant {operation}"
        if scope not in short_keys:
            others = [s for s in ALL if s != scope]
            short_keys[scope] = key_headers(await issue_key(client, owner, shared.org_id, others))
            exact_keys[scope] = key_headers(await issue_key(client, owner, shared.org_id, [str(scope)]))
        short = await client.request(method, url, json=body, headers=short_keys[scope])
        assert scope in assert_problem(short, 403, "forbidden")["detail"], operation_id
        headers, ids = exact_keys[scope], shared_ids
        if method != "GET":
            # A fresh organisation per write: it may erase, delete or revoke what the others read.
            team = await seed_team(app_context, actors)
            ids = await _ids(app_context, team, owner, owner)
            headers = key_headers(await issue_key(client, owner, team.org_id, [str(scope)]))
        answer = await client.request(
            method, _url(path, ids), json=_fill(BODIES[operation_id], ids), headers=headers
        )
        label = f"{method} {path} with {scope}: {answer.status_code} {answer.text[:200]}"
        assert answer.status_code not in (401, 403, 404, 405) and answer.status_code < 500, label
    assert accepting >= 30 and checked == len(organization_routes())
    # The reads changed nothing of the shared organisation.
    org = (await client.get(f"/v1/organizations/{shared.org_id}", headers=owner.headers)).json()
    assert org["version"] == 1


async def test_a_key_of_one_organisation_finds_nothing_of_another(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    actors = await _everyone(client, register)
    owner = actors[OrgRole.owner]
    mine = await seed_team(app_context, actors)
    theirs = await seed_team(app_context, {**actors, OrgRole.owner: await person(client, register)})
    their_ids = await _ids(app_context, theirs, owner, owner)
    key = key_headers(await issue_key(client, owner, mine.org_id, ALL))
    checked = 0
    for method, path, operation_id, _operation in organization_routes():
        if Credential.organization_key not in ROUTE_ACCESS[operation_id].credentials:
            continue
        answer = await client.request(
            method, _url(path, their_ids), json=_fill(BODIES[operation_id], their_ids), headers=key
        )
        assert_problem(answer, 404, "organization-not-found")
        checked += 1
    assert checked >= 30
    # Even though the issuer is a member there too, the key stays in its own organisation.
    other_owner = await person(client, register)
    other = await seed_team(app_context, {OrgRole.owner: other_owner, OrgRole.admin: owner})
    assert_problem(await client.get(f"/v1/organizations/{other.org_id}", headers=key), 404)


async def test_issue_list_rotate_revoke_and_expiry(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    admin = await person(client, register)
    recruiter = await person(client, register)
    team = await seed_team(
        app_context, {OrgRole.owner: owner, OrgRole.admin: admin, OrgRole.recruiter: recruiter}
    )
    keys = f"/v1/organizations/{team.org_id}/api-keys"
    org_url = f"/v1/organizations/{team.org_id}"

    key = await issue_key(client, admin, team.org_id, ["organization:read"])
    assert key["key"].startswith("slo_") and key["created_by"] == str(admin.user_id)
    assert (await client.get(org_url, headers=key_headers(key))).status_code == 200

    # Listed without the secret, to any owner or admin; a recruiter may not manage keys.
    listed = (await client.get(keys, headers=owner.headers)).json()["items"]
    assert [k["id"] for k in listed] == [key["id"]] and "key" not in listed[0]
    assert key["key"] not in (await client.get(keys, headers=owner.headers)).text
    assert_problem(await client.get(keys, headers=recruiter.headers), 403, "organization-operation-forbidden")
    refused = await client.post(keys, json={"name": "x", "scopes": ["jobs:read"]}, headers=recruiter.headers)
    assert_problem(refused, 403, "organization-operation-forbidden")

    # A key cannot manage keys (a leaked key must not mint successors).
    minted = await client.post(keys, json={"name": "x", "scopes": ["jobs:read"]}, headers=key_headers(key))
    assert_problem(minted, 403, "credential-not-accepted")

    # Rotation: same key, new secret; the old one stops at once.
    rotated = await client.post(f"{keys}/{key['id']}/rotate", headers=owner.headers)
    assert rotated.status_code == 200 and rotated.json()["id"] == key["id"]
    assert rotated.json()["key"] != key["key"]
    assert_problem(await client.get(org_url, headers=key_headers(key)), 401)
    assert (await client.get(org_url, headers=key_headers(rotated.json()))).status_code == 200

    # Revocation: 401 at once, gone from the list, a second revoke is 404.
    assert (await client.delete(f"{keys}/{key['id']}", headers=owner.headers)).status_code == 204
    assert_problem(await client.get(org_url, headers=key_headers(rotated.json())), 401, "unauthorized")
    assert (await client.get(keys, headers=owner.headers)).json()["items"] == []
    assert_problem(await client.delete(f"{keys}/{key['id']}", headers=owner.headers), 404)

    # Expiry: a past date is refused at issue; a key past its expiry is refused at use.
    past = await client.post(
        keys,
        json={"name": "x", "scopes": ["jobs:read"], "expires_at": "2001-01-01T00:00:00Z"},
        headers=owner.headers,
    )
    assert_problem(past, 422, "invalid-expiry")
    expiring = await issue_key(client, owner, team.org_id, ["organization:read"])
    async with app_context.database.writer() as session:
        await session.execute(
            update(OrganizationApiKey)
            .where(OrganizationApiKey.id == uuid.UUID(expiring["id"]))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await session.commit()
    assert (
        "expired" in assert_problem(await client.get(org_url, headers=key_headers(expiring)), 401)["detail"]
    )

    # Bad input: unknown scopes, personal-only scopes and unknown fields are problems, and nothing is stored.
    for body in (
        {"name": "x", "scopes": ["resumes:read"]},
        {"name": "x", "scopes": []},
        {"name": "x", "scopes": ["jobs:read"], "owner": "me"},
        {"name": "", "scopes": ["jobs:read"]},
    ):
        assert_problem(await client.post(keys, json=body, headers=owner.headers), 422)
    assert len((await client.get(keys, headers=owner.headers)).json()["items"]) == 1
    assert_problem(await client.get(org_url, headers={"X-API-Key": "slo_not-a-key"}), 401)


async def test_a_key_acts_within_its_issuers_role_and_not_beyond_the_organisation(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    admin = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner, OrgRole.admin: admin})
    job = await open_job(client, owner.headers, team.org_id, blind={"enabled": True})
    name, email = "Zenobia Marchetti", "zenobia@example.org"
    [application_id] = await seed_applications(
        app_context, team.org_id, job["id"], [(name, email, resume_document(name, email, strong=True))]
    )
    app_url = f"/v1/organizations/{team.org_id}/jobs/{job['id']}/applications/{application_id}"
    key = key_headers(
        await issue_key(client, admin, team.org_id, ["applications:read", "applications:write"])
    )

    # Role-equivalent: even an admin's key reads a blind job blind (identities are never a key's to see).
    detail = await client.get(app_url, headers=key)
    assert detail.status_code == 200 and detail.json()["blinded"] is True
    assert name not in detail.text and email not in detail.text
    assert (await client.get(app_url, headers=admin.headers)).json()["name"] == name
    assert_problem(await client.get(f"{app_url}/file", headers=key), 403)

    moved = await client.post(f"{app_url}/move", json={"stage": "screening"}, headers=key)
    assert moved.status_code == 200, moved.text

    # Personal routes refuse an organisation's key whatever it holds.
    for path in (
        "/v1/users/me",
        "/v1/resumes",
        "/v1/api-keys",
        "/v1/jobs",
        "/v1/webhooks",
        "/v1/organizations",
    ):
        assert_problem(await client.get(path, headers=key), 403, "credential-not-accepted")

    # The issuer demoted: the key keeps only what the new role allows.
    members = (await client.get(f"/v1/organizations/{team.org_id}/members", headers=owner.headers)).json()
    admin_member = next(m for m in members["items"] if m["user_id"] == str(admin.user_id))
    demoted = await client.patch(
        f"/v1/organizations/{team.org_id}/members/{admin_member['id']}",
        json={"role": "viewer"},
        headers=owner.headers,
    )
    assert demoted.status_code == 200, demoted.text
    refused = await client.post(f"{app_url}/move", json={"stage": "interview"}, headers=key)
    assert_problem(refused, 403, "organization-operation-forbidden")
    assert (await client.get(app_url, headers=key)).status_code == 200

    # The issuer removed: the key stops altogether.
    removed = await client.delete(
        f"/v1/organizations/{team.org_id}/members/{admin_member['id']}", headers=owner.headers
    )
    assert removed.status_code == 204
    assert_problem(await client.get(app_url, headers=key), 401, "organization-credential-orphaned")


async def test_organisation_oauth_clients_carry_organisation_scopes(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner})
    other = await seed_team(app_context, {OrgRole.owner: owner})
    job = await open_job(client, owner.headers, team.org_id)
    clients = f"/v1/organizations/{team.org_id}/oauth-clients"
    made = await client.post(clients, json={"name": "Sync", "scopes": ["jobs:read"]}, headers=owner.headers)
    assert made.status_code == 201, made.text
    registered = made.json()
    assert registered["created_by"] == str(owner.user_id) and registered["scopes"] == ["jobs:read"]

    async def token(secret: str, scope: str | None = None) -> httpx.Response:
        data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
        return await client.post("/v1/auth/token", data=data, auth=(registered["client_id"], secret))

    granted = await token(registered["client_secret"])
    assert granted.status_code == 200 and granted.json()["scope"] == "jobs:read"
    bearer = {"Authorization": f"Bearer {granted.json()['access_token']}"}
    jobs = await client.get(f"/v1/organizations/{team.org_id}/jobs", headers=bearer)
    assert jobs.status_code == 200 and [j["id"] for j in jobs.json()["items"]] == [job["id"]]
    # Its scope and nothing else; its organisation and no other; no personal route.
    assert (await token(registered["client_secret"], "applications:read")).json()["error"] == "invalid_scope"
    assert_problem(
        await client.get(f"/v1/organizations/{team.org_id}/jobs/{job['id']}/applications", headers=bearer),
        403,
    )
    assert_problem(await client.get(f"/v1/organizations/{other.org_id}/jobs", headers=bearer), 404)
    assert_problem(await client.get("/v1/resumes", headers=bearer), 403, "credential-not-accepted")
    # Personal listings do not show it; the organisation's do.
    assert (await client.get("/v1/oauth-clients", headers=owner.headers)).json()["items"] == []
    assert [c["id"] for c in (await client.get(clients, headers=owner.headers)).json()["items"]] == [
        registered["id"]
    ]

    # Rotation ends the old secret and its tokens; revocation ends the client.
    rotated = await client.post(f"{clients}/{registered['id']}/rotate-secret", headers=owner.headers)
    assert rotated.status_code == 200
    assert_problem(await client.get(f"/v1/organizations/{team.org_id}/jobs", headers=bearer), 401)
    assert (await token(registered["client_secret"])).status_code == 401
    fresh = await token(rotated.json()["client_secret"])
    bearer = {"Authorization": f"Bearer {fresh.json()['access_token']}"}
    assert (await client.get(f"/v1/organizations/{team.org_id}/jobs", headers=bearer)).status_code == 200
    assert (await client.delete(f"{clients}/{registered['id']}", headers=owner.headers)).status_code == 204
    assert_problem(await client.get(f"/v1/organizations/{team.org_id}/jobs", headers=bearer), 401)
    # A personal scope cannot go on an organisation's client.
    bad = await client.post(clients, json={"name": "x", "scopes": ["resumes:read"]}, headers=owner.headers)
    assert_problem(bad, 422)
