"""Cross-tenant access (BOLA): user B gets 404 on every object route with user A's ids.

The routes come from the application itself, so a new object route without an entry here fails.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
from fastapi.routing import APIRoute, iter_route_contexts

from shortlist.context import AppContext
from shortlist.job import service as job_service
from shortlist.job import tasks  # noqa: F401 - registers the system.* kinds
from shortlist.main import create_app
from shortlist.models import UserIdentity
from tests.conftest import Register, assert_problem

# A valid body per operation, so that a 404 cannot hide behind a 422 for a malformed request.
BODIES: dict[str, dict[str, Any] | None] = {
    "get_resume": None,
    "replace_resume": {"title": "stolen", "content": {}},
    "patch_resume": {"title": "stolen"},
    "delete_resume": None,
    "restore_resume": None,
    "duplicate_resume": None,
    "export_resume": None,
    "list_resume_versions": None,
    "get_resume_version": None,
    "restore_resume_version": None,
    "revoke_api_key": None,
    "rotate_oauth_client_secret": None,
    "unlink_identity": None,
    "revoke_oauth_client": None,
    "get_resume_design": None,
    "replace_resume_design": {"color": "navy"},
    "patch_resume_design": {"color": "navy"},
    "render_resume": None,
    "create_resume_share": {},
    "list_resume_shares": None,
    "revoke_resume_share": None,
    "get_webhook": None,
    "update_webhook": {"description": "stolen"},
    "delete_webhook": None,
    "rotate_webhook_secret": None,
    "ping_webhook": None,
    "list_webhook_deliveries": None,
    "get_webhook_delivery": None,
    "redeliver_webhook_delivery": None,
    "get_job": None,
    "cancel_job": None,
    "stream_job": None,
    "resume_ats_report": None,
    "score_resume_profile": None,
    "get_organization": None,
    "list_candidate_data_access": None,
    "create_organization_api_key": {"name": "stolen", "scopes": ["jobs:read"]},
    "list_organization_api_keys": None,
    "rotate_organization_api_key": None,
    "revoke_organization_api_key": None,
    "create_organization_oauth_client": {"name": "stolen", "scopes": ["jobs:read"]},
    "list_organization_oauth_clients": None,
    "rotate_organization_oauth_client_secret": None,
    "revoke_organization_oauth_client": None,
    "create_organization_webhook": {"url": "https://93.184.215.14/stolen"},
    "list_organization_webhooks": None,
    "get_organization_webhook": None,
    "update_organization_webhook": {"description": "stolen"},
    "delete_organization_webhook": None,
    "rotate_organization_webhook_secret": None,
    "ping_organization_webhook": None,
    "list_organization_webhook_deliveries": None,
    "update_organization": {"name": "stolen"},
    "delete_organization": None,
    "list_organization_members": None,
    "update_organization_member": {"role": "viewer"},
    "remove_organization_member": None,
    "leave_organization": None,
    "transfer_organization_ownership": {"user_id": "00000000-0000-0000-0000-000000000000"},
    "create_organization_invitation": {"email": "bob@example.com", "role": "viewer"},
    "list_organization_invitations": None,
    "revoke_organization_invitation": None,
    "create_job_posting": {"title": "stolen"},
    "list_job_postings": None,
    "get_job_posting": None,
    "update_job_posting": {"title": "stolen"},
    "open_job_posting": None,
    "close_job_posting": None,
    "archive_job_posting": None,
    "list_applications": None,
    "export_applications": None,
    "download_application_export": None,
    "export_candidate_data": {"email": "alice@example.com"},
    "erase_candidate_data": {"email": "alice@example.com"},
    "replace_application_tags": {"tags": ["python"]},
    "rate_application": {"rating": 4},
    "create_application_note": {"body": "Looks good"},
    "list_application_notes": None,
    "put_application_scorecard": {"criteria": {"Design": 4}, "summary": "fine"},
    "list_application_scorecards": None,
    "get_application_timeline": None,
    "get_application": None,
    "update_application": {"shortlisted": True},
    "move_application": {"stage": "screening"},
    "bulk_move_applications": {
        "application_ids": ["00000000-0000-0000-0000-000000000000"],
        "stage": "screening",
    },
    "rescore_application": None,
    "download_application_file": None,
    "render_application_resume": None,
    "get_my_application": None,
    "withdraw_my_application": None,
    "replace_job_stages": {
        "stages": [
            {"id": "applied", "name": "A"},
            {"id": "hired", "name": "H"},
            {"id": "rejected", "name": "R"},
        ]
    },
}

# Routes with a path parameter that hold no one's objects: they must answer anyone, signed in or not.
PUBLIC = {"get_template", "get_template_thumbnail"}
# Routes whose path parameter names configuration, not an object: an unknown name is 404 for everyone.
CONFIGURATION = {"oidc_authorize": "GET", "oidc_callback": "GET", "oidc_link": "POST"}


def object_routes() -> list[tuple[str, str, str]]:
    app = create_app()
    routes = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        path = context.path_format or ""
        if not isinstance(route, APIRoute) or "{" not in path or not path.startswith("/v1/"):
            continue
        for method in sorted(route.methods or ()):
            routes.append((method, path, route.operation_id or route.name))
    return routes


async def test_every_object_route_hides_other_tenants_objects(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    alice = await register()
    bob = await register()
    resume = (
        await client.post(
            "/v1/resumes", json={"title": "Alice", "content": {"basics": {"name": "A"}}}, headers=alice
        )
    ).json()
    key = (
        await client.post("/v1/api-keys", json={"name": "a", "scopes": ["resumes:read"]}, headers=alice)
    ).json()
    oauth_client = (
        await client.post("/v1/oauth-clients", json={"name": "a", "scopes": ["resumes:read"]}, headers=alice)
    ).json()
    trashed = (await client.post("/v1/resumes", json={"title": "Trash", "content": {}}, headers=alice)).json()
    await client.delete(f"/v1/resumes/{trashed['id']}", headers=alice)
    share = (await client.post(f"/v1/resumes/{resume['id']}/shares", json={}, headers=alice)).json()
    # A public address literal: accepted without DNS, and nothing is sent in this test.
    hook = (
        await client.post("/v1/webhooks", json={"url": "https://93.184.215.14/hook"}, headers=alice)
    ).json()
    ping = (await client.post(f"/v1/webhooks/{hook['id']}/ping", headers=alice)).json()
    alice_id = uuid.UUID((await client.get("/v1/users/me", headers=alice)).json()["id"])
    async with app_context.database.writer() as session:
        job = await job_service.enqueue(session, "system.noop", {"echo": "Alice"}, owner_id=alice_id)
        identity = UserIdentity(
            user_id=alice_id, provider="acme", issuer="https://idp.example", subject="alice"
        )
        session.add(identity)
        await session.commit()
    org = (
        await client.post("/v1/organizations", json={"name": "Alice Org", "slug": "alice-org"}, headers=alice)
    ).json()
    # Bob runs an organisation of his own: a member elsewhere still sees nothing of Alice's.
    await client.post("/v1/organizations", json={"name": "Bob Org", "slug": "bob-org"}, headers=bob)
    [alice_member] = (await client.get(f"/v1/organizations/{org['id']}/members", headers=alice)).json()[
        "items"
    ]
    invitation = (
        await client.post(
            f"/v1/organizations/{org['id']}/invitations", json={"email": "carol@example.com"}, headers=alice
        )
    ).json()
    posting = (
        await client.post(f"/v1/organizations/{org['id']}/jobs", json={"title": "Alice job"}, headers=alice)
    ).json()
    await client.post(f"/v1/organizations/{org['id']}/jobs/{posting['id']}/open", headers=alice)
    # Alice applies to her own organisation's job: the candidate-side ids are hers, the job-side ones too.
    applied = (
        await client.post(
            "/v1/applications", json={"posting_id": posting["id"], "resume_id": resume["id"]}, headers=alice
        )
    ).json()
    export = await client.post(
        f"/v1/organizations/{org['id']}/jobs/{posting['id']}/applications/export", headers=alice
    )
    ids = {
        "export_id": export.json()["id"],
        "stage": "screening",
        "application_id": applied["id"],
        "org_id": org["id"],
        "posting_id": posting["id"],
        "member_id": alice_member["id"],
        "invitation_id": invitation["id"],
        "resume_id": resume["id"],
        "key_id": key["id"],
        "client_id": oauth_client["id"],
        "number": "1",
        "share_id": share["id"],
        "slug": "classic",
        "webhook_id": hook["id"],
        "delivery_id": ping["id"],
        "job_id": str(job.id),
        "profile_id": "python-backend",
        "provider": "no-such-provider",
        "identity_id": str(identity.id),
    }

    routes = object_routes()
    assert len(routes) >= len(BODIES) + len(PUBLIC)
    uncovered = [
        op for _, _, op in routes if op not in BODIES and op not in PUBLIC and op not in CONFIGURATION
    ]
    assert not uncovered, f"add a cross-tenant case for: {uncovered}"
    for method, path, operation in routes:
        params = re.findall(r"{(\w+)}", path)
        missing = [p for p in params if p not in ids]
        assert not missing, f"{operation}: no id for path parameter(s) {missing}"
        targets = [path.format(**ids)]
        if operation in CONFIGURATION:
            assert_problem(await client.request(method, targets[0], headers=bob), 404)
            continue
        if operation in PUBLIC:
            assert method == "GET", operation
            assert (await client.get(targets[0])).status_code == 200, operation
            continue
        if operation == "restore_resume":
            targets = [path.format(**{**ids, "resume_id": trashed["id"]})]
        for url in targets:
            body = BODIES[operation]
            response = await client.request(method, url, json=body, headers=bob)
            assert_problem(response, 404)
            assert "Alice" not in response.text

    # Nothing of Alice's changed.
    still = (await client.get(f"/v1/resumes/{resume['id']}", headers=alice)).json()
    assert still["title"] == "Alice" and still["version"] == 1
    assert (await client.get("/v1/resumes", params={"deleted": "true"}, headers=alice)).json()["items"][0][
        "id"
    ] == trashed["id"]
    assert len((await client.get("/v1/api-keys", headers=alice)).json()["items"]) == 1
    [alice_client] = (await client.get("/v1/oauth-clients", headers=alice)).json()["items"]
    assert alice_client["secret_prefix"] == oauth_client["secret_prefix"]
    assert (await client.get(f"/v1/jobs/{job.id}", headers=alice)).json()["status"] == "queued"
    assert (await client.get("/v1/jobs", headers=bob)).json()["items"] == []
    assert [row["id"] for row in (await client.get("/v1/auth/identities", headers=alice)).json()] == [
        str(identity.id)
    ]
    assert (await client.get("/v1/resumes", headers=bob)).json()["items"] == []
    [alice_share] = (await client.get(f"/v1/resumes/{resume['id']}/shares", headers=alice)).json()
    assert alice_share["status"] == "active"
    assert (await client.get(f"/v1/resumes/{resume['id']}/design", headers=alice)).headers["etag"] == '"d0"'
    assert (await client.get(f"/s/{share['token']}")).status_code == 200
    mine = (await client.get(f"/v1/webhooks/{hook['id']}", headers=alice)).json()
    assert mine["description"] is None and mine["previous_secret_expires_at"] is None
    # Bob's ping and redelivery attempts added nothing (Alice's own events may be fanned out meanwhile).
    deliveries = (await client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=alice)).json()["items"]
    assert [d["id"] for d in deliveries if d["event_type"] == ping["event_type"]] == [ping["id"]]
    assert (await client.get("/v1/webhooks", headers=bob)).json()["items"] == []
    still_org = (await client.get(f"/v1/organizations/{org['id']}", headers=alice)).json()
    assert still_org["name"] == "Alice Org" and still_org["version"] == 1
    assert (
        len((await client.get(f"/v1/organizations/{org['id']}/invitations", headers=alice)).json()["items"])
        == 1
    )
    mine_now = (await client.get(f"/v1/applications/{applied['id']}", headers=alice)).json()
    assert mine_now["status"] == "ready" and mine_now["stage"] == "applied"
    assert (await client.get("/v1/applications", headers=bob)).json()["items"] == []
    assert [o["name"] for o in (await client.get("/v1/organizations", headers=bob)).json()["items"]] == [
        "Bob Org"
    ]
