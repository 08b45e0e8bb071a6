"""Organisations over HTTP: creation, membership, invitations, leaving, removal, ownership transfer."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import func, select, update

from shortlist.context import AppContext
from shortlist.kit.db import utcnow
from shortlist.models import Organization, OrganizationInvitation, OrganizationMember
from tests.conftest import Register, assert_problem
from tests.organization.helpers import create_org, invitation_token, mails_to, person


async def _count(context: AppContext, model: type[object]) -> int:
    async with context.database.reader() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_create_read_update_with_etags(client: httpx.AsyncClient, register: Register) -> None:
    alice = await register()
    created = await client.post("/v1/organizations", json={"name": "Acme", "slug": "acme"}, headers=alice)
    assert created.status_code == 201, created.text
    org = created.json()
    assert created.headers["location"].endswith(f"/v1/organizations/{org['id']}")
    etag = created.headers["etag"]

    read = await client.get(f"/v1/organizations/{org['id']}", headers=alice)
    assert read.headers["etag"] == etag and read.json()["slug"] == "acme"
    assert (
        await client.get(f"/v1/organizations/{org['id']}", headers={**alice, "If-None-Match": etag})
    ).status_code == 304

    renamed = await client.patch(
        f"/v1/organizations/{org['id']}", json={"name": "Acme Ltd"}, headers={**alice, "If-Match": etag}
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "Acme Ltd"
    stale = await client.patch(
        f"/v1/organizations/{org['id']}", json={"name": "Lost"}, headers={**alice, "If-Match": etag}
    )
    assert_problem(stale, 412)
    mine = (await client.get("/v1/organizations", headers=alice)).json()["items"]
    assert [(o["name"], o["role"]) for o in mine] == [("Acme Ltd", "owner")]


async def test_bad_input_is_a_problem_and_stores_nothing(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    alice = await register()
    for body in (
        {"name": "Acme", "slug": "Not A Slug"},
        {"name": "", "slug": "acme"},
        {"name": "Acme"},
        {"name": "Acme", "slug": "acme", "owner_id": "00000000-0000-0000-0000-000000000000"},
    ):
        assert_problem(await client.post("/v1/organizations", json=body, headers=alice), 422)
    assert_problem(await client.post("/v1/organizations", json={"name": "x", "slug": "x"}), 401)
    assert await _count(app_context, Organization) == 0
    await create_org(client, alice, "taken")
    assert_problem(
        await client.post("/v1/organizations", json={"name": "B", "slug": "taken"}, headers=await register()),
        409,
        "organization-slug-taken",
    )


async def test_idempotent_create_replays(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    alice = await register()
    headers = {**alice, "Idempotency-Key": "org-1"}
    first = await client.post("/v1/organizations", json={"name": "A", "slug": "a-1"}, headers=headers)
    again = await client.post("/v1/organizations", json={"name": "A", "slug": "a-1"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true" and again.json()["id"] == first.json()["id"]
    assert await _count(app_context, Organization) == 1


async def test_invitation_flow_single_use_and_address_bound(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    outbox = app_context.settings.data_dir / "outbox"
    owner = await person(client, register)
    org_id = await create_org(client, owner.headers)
    colleague = await person(client, register)
    stranger = await person(client, register)

    sent = await client.post(
        f"/v1/organizations/{org_id}/invitations",
        json={"email": colleague.email.upper(), "role": "recruiter"},
        headers=owner.headers,
    )
    assert sent.status_code == 201, sent.text
    assert "sli_" not in sent.text  # the token travels by e-mail only
    token = invitation_token(outbox, colleague.email)
    async with app_context.database.reader() as session:
        stored = (await session.scalars(select(OrganizationInvitation))).one()
    assert token not in stored.token_hash and len(stored.token_hash) == 64

    wrong_person = await client.post(
        "/v1/invitations/accept", json={"token": token}, headers=stranger.headers
    )
    assert_problem(wrong_person, 422, "invalid-invitation")
    # A refused attempt by someone else does not burn the colleague's token (it rolled back).
    joined = await client.post("/v1/invitations/accept", json={"token": token}, headers=colleague.headers)
    assert joined.status_code == 200, joined.text
    assert joined.json()["role"] == "recruiter"
    reused = await client.post("/v1/invitations/accept", json={"token": token}, headers=colleague.headers)
    assert_problem(reused, 422, "invalid-invitation")
    assert_problem(
        await client.post(
            "/v1/invitations/accept", json={"token": "sli_garbage123"}, headers=colleague.headers
        ),
        422,
    )
    members = (await client.get(f"/v1/organizations/{org_id}/members", headers=colleague.headers)).json()
    assert sorted(m["role"] for m in members["items"]) == ["owner", "recruiter"]
    assert sum("sli_" in body for body in mails_to(outbox, colleague.email)) == 1


async def test_expired_and_revoked_invitations_fail(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    outbox = app_context.settings.data_dir / "outbox"
    owner = await person(client, register)
    org_id = await create_org(client, owner.headers)
    invitee = await person(client, register)
    url = f"/v1/organizations/{org_id}/invitations"
    await client.post(url, json={"email": invitee.email, "role": "viewer"}, headers=owner.headers)
    token = invitation_token(outbox, invitee.email)
    async with app_context.database.writer() as session:
        await session.execute(
            update(OrganizationInvitation).values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await session.commit()
    expired = await client.post("/v1/invitations/accept", json={"token": token}, headers=invitee.headers)
    assert_problem(expired, 422, "invalid-invitation")

    second = (await client.post(url, json={"email": invitee.email}, headers=owner.headers)).json()
    token = invitation_token(outbox, invitee.email)
    listed = (await client.get(url, headers=owner.headers)).json()["items"]
    assert listed[0]["id"] == second["id"]
    assert (await client.delete(f"{url}/{second['id']}", headers=owner.headers)).status_code == 204
    assert_problem(await client.delete(f"{url}/{second['id']}", headers=owner.headers), 404)
    revoked = await client.post("/v1/invitations/accept", json={"token": token}, headers=invitee.headers)
    assert_problem(revoked, 422, "invalid-invitation")
    assert await _count(app_context, OrganizationMember) == 1


async def test_leave_remove_transfer_and_several_organisations(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    outbox = app_context.settings.data_dir / "outbox"
    owner = await person(client, register)
    admin = await person(client, register)
    first = await create_org(client, owner.headers)
    second = await create_org(client, admin.headers)
    await client.post(
        f"/v1/organizations/{first}/invitations",
        json={"email": admin.email, "role": "admin"},
        headers=owner.headers,
    )
    token = invitation_token(outbox, admin.email)
    assert (
        await client.post("/v1/invitations/accept", json={"token": token}, headers=admin.headers)
    ).status_code == 200
    mine = (await client.get("/v1/organizations", headers=admin.headers)).json()["items"]
    assert sorted((o["id"], o["role"]) for o in mine) == sorted([(first, "admin"), (second, "owner")])
    lonely = await person(client, register)
    assert (await client.get("/v1/organizations", headers=lonely.headers)).json()["items"] == []

    members = (await client.get(f"/v1/organizations/{first}/members", headers=owner.headers)).json()["items"]
    owner_member = next(m for m in members if m["role"] == "owner")
    admin_member = next(m for m in members if m["role"] == "admin")
    # The owner cannot leave or be removed; an admin cannot touch the owner or promote to admin.
    assert_problem(await client.post(f"/v1/organizations/{first}/leave", headers=owner.headers), 409)
    assert_problem(
        await client.delete(f"/v1/organizations/{first}/members/{owner_member['id']}", headers=admin.headers),
        409,
    )
    # Transfer: the admin becomes owner, the old owner admin.
    transferred = await client.post(
        f"/v1/organizations/{first}/transfer-ownership",
        json={"user_id": str(admin.user_id)},
        headers=owner.headers,
    )
    assert transferred.status_code == 200, transferred.text
    assert transferred.json()["owner_id"] == str(admin.user_id)
    roles = {
        m["user_id"]: m["role"]
        for m in (await client.get(f"/v1/organizations/{first}/members", headers=owner.headers)).json()[
            "items"
        ]
    }
    assert roles == {str(admin.user_id): "owner", str(owner.user_id): "admin"}
    # The old owner (now admin) may leave; then the organisation is gone for them (404).
    assert (await client.post(f"/v1/organizations/{first}/leave", headers=owner.headers)).status_code == 204
    assert_problem(await client.get(f"/v1/organizations/{first}", headers=owner.headers), 404)
    # The new owner removes nobody else; the member list is just them.
    left = (await client.get(f"/v1/organizations/{first}/members", headers=admin.headers)).json()["items"]
    assert [m["id"] for m in left] == [admin_member["id"]]


async def test_role_changes_follow_the_grant_rules(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    outbox = app_context.settings.data_dir / "outbox"
    owner = await person(client, register)
    org_id = await create_org(client, owner.headers)
    people = {}
    for role in ("admin", "viewer"):
        who = await person(client, register)
        await client.post(
            f"/v1/organizations/{org_id}/invitations",
            json={"email": who.email, "role": role},
            headers=owner.headers,
        )
        token = invitation_token(outbox, who.email)
        await client.post("/v1/invitations/accept", json={"token": token}, headers=who.headers)
        people[role] = who
    members = {
        m["role"]: m
        for m in (await client.get(f"/v1/organizations/{org_id}/members", headers=owner.headers)).json()[
            "items"
        ]
    }
    viewer = members["viewer"]
    url = f"/v1/organizations/{org_id}/members/{viewer['id']}"
    # An admin may make a viewer a recruiter, not an admin.
    assert_problem(await client.patch(url, json={"role": "admin"}, headers=people["admin"].headers), 403)
    promoted = await client.patch(
        url, json={"role": "recruiter"}, headers={**people["admin"].headers, "If-Match": '"r1"'}
    )
    assert promoted.status_code == 200 and promoted.json()["role"] == "recruiter"
    assert_problem(
        await client.patch(url, json={"role": "viewer"}, headers={**owner.headers, "If-Match": '"r1"'}), 412
    )
    assert_problem(await client.patch(url, json={"role": "owner"}, headers=owner.headers), 403)
    assert_problem(await client.patch(url, json={"role": "boss"}, headers=owner.headers), 422)
    # An admin may not invite an admin either.
    assert_problem(
        await client.post(
            f"/v1/organizations/{org_id}/invitations",
            json={"email": "x@example.com", "role": "admin"},
            headers=people["admin"].headers,
        ),
        403,
    )
    assert (await client.delete(url, headers=people["admin"].headers)).status_code == 204
    assert_problem(await client.get(f"/v1/organizations/{org_id}", headers=people["viewer"].headers), 404)
