"""Every organisation route × every role: the answer is 403 exactly when the role × operation table says no.

Routes are read from the application, and each must declare its operation through one `Permits`
dependency, so a new organisation route cannot go unchecked."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

import httpx
from fastapi.routing import APIRoute, iter_route_contexts

from shortlist.context import AppContext
from shortlist.kit.db import utcnow
from shortlist.main import create_app
from shortlist.models import (
    Application,
    ApplicationFile,
    Job,
    JobPosting,
    JobPostingManager,
    OAuthClient,
    OrganizationApiKey,
    OrganizationInvitation,
    WebhookEndpoint,
)
from shortlist.organization.access import Permits
from shortlist.organization.policy import PERMISSIONS, Operation, OrgRole
from shortlist.posting.service import DEFAULT_STAGES
from shortlist.webhook.service import seal_secret
from tests.conftest import Register
from tests.organization.helpers import Person, Team, person, seed_team

# A valid body per operation, so that a role check cannot hide behind a 422.
BODIES: dict[str, dict[str, Any] | None] = {
    "get_organization": None,
    "update_organization": {"name": "Renamed"},
    "delete_organization": None,
    "list_organization_members": None,
    "update_organization_member": {"role": "recruiter"},
    "remove_organization_member": None,
    "leave_organization": None,
    "transfer_organization_ownership": {"user_id": "<target_user>"},
    "create_organization_invitation": {"email": "new@example.com", "role": "viewer"},
    "list_organization_invitations": None,
    "revoke_organization_invitation": None,
    "create_job_posting": {"title": "Engineer"},
    "list_job_postings": None,
    "get_job_posting": None,
    "update_job_posting": {"title": "Renamed"},
    "open_job_posting": None,
    "close_job_posting": None,
    "archive_job_posting": None,
    "list_applications": None,
    "export_applications": None,
    "download_application_export": None,
    "export_candidate_data": {"email": "ada@example.com"},
    "erase_candidate_data": {"email": "ada@example.com"},
    "replace_application_tags": {"tags": ["python"]},
    "rate_application": {"rating": 4},
    "create_application_note": {"body": "Looks good"},
    "list_application_notes": None,
    "put_application_scorecard": {"criteria": {"Design": 4}, "summary": "fine"},
    "list_application_scorecards": None,
    "get_application_timeline": None,
    "get_application": None,
    "update_application": {"shortlisted": True},
    "move_application": {"stage": "screening", "reason": "looks good"},
    "bulk_move_applications": {"application_ids": ["<application_id>"], "stage": "screening"},
    "rescore_application": None,
    "download_application_file": None,
    "render_application_resume": None,
    "create_organization_api_key": {"name": "sync", "scopes": ["jobs:read"]},
    "list_organization_api_keys": None,
    "rotate_organization_api_key": None,
    "revoke_organization_api_key": None,
    "create_organization_oauth_client": {"name": "sync", "scopes": ["jobs:read"]},
    "list_organization_oauth_clients": None,
    "rotate_organization_oauth_client_secret": None,
    "revoke_organization_oauth_client": None,
    "list_candidate_data_access": None,
    "create_organization_webhook": {"url": "https://hooks.example.com/x", "event_types": ["job.opened"]},
    "list_organization_webhooks": None,
    "get_organization_webhook": None,
    "update_organization_webhook": {"description": "renamed"},
    "delete_organization_webhook": None,
    "rotate_organization_webhook_secret": None,
    "ping_organization_webhook": None,
    "list_organization_webhook_deliveries": None,
    "replace_job_stages": {
        "stages": [
            {"id": "applied", "name": "New"},
            {"id": "hired", "name": "Hired"},
            {"id": "rejected", "name": "No"},
        ]
    },
}


def organization_routes() -> list[tuple[str, str, str, Operation]]:
    routes = []
    for context in iter_route_contexts(create_app().routes):
        route = context.original_route
        path = context.path_format or ""
        if not isinstance(route, APIRoute) or not path.startswith("/v1/organizations/{org_id}"):
            continue
        operations = [
            dep.call.operation for dep in route.dependant.dependencies if isinstance(dep.call, Permits)
        ]
        assert len(operations) == 1, f"{route.operation_id} must declare exactly one Permits(...)"
        for method in sorted(route.methods or ()):
            routes.append((method, path, route.operation_id or route.name, operations[0]))
    return routes


async def _ids(context: AppContext, team: Team, target: Person, actor: Person) -> dict[str, str]:
    async with context.database.writer() as session:
        invitation = OrganizationInvitation(
            organization_id=team.org_id,
            email="pending@example.com",
            role="viewer",
            token_hash=uuid.uuid4().hex + uuid.uuid4().hex,
            expires_at=utcnow() + timedelta(days=1),
        )
        session.add(invitation)
        posting = JobPosting(
            organization_id=team.org_id,
            title="Engineer",
            requirements={},
            extracted={},
            stages={"stages": DEFAULT_STAGES, "criteria": ["Design"]},
            blind={},
        )
        session.add(posting)
        await session.flush()
        application = Application(
            organization_id=team.org_id,
            posting_id=posting.id,
            name="Ada Quill",
            email=f"ada-{uuid.uuid4().hex[:8]}@example.com",
            source="upload",
            status="ready",
            stage="applied",
        )
        session.add(application)
        await session.flush()
        session.add(
            ApplicationFile(
                application_id=application.id, file_type="txt", size=3, sha256="0" * 64, content=b"Ada"
            )
        )
        # A finished export of the job by the acting member (an export is readable by whoever made it).
        export = Job(
            kind="application.export",
            status="succeeded",
            owner_id=actor.user_id,
            resource_id=posting.id,
            payload={"posting_id": str(posting.id)},
            max_attempts=1,
            result={"rows": 0, "csv": "application_id\n"},
        )
        session.add(export)
        # The organisation's own credentials and webhook endpoint.
        key = OrganizationApiKey(
            organization_id=team.org_id,
            created_by=team.people[OrgRole.owner].user_id,
            name="sync",
            display_prefix="slo_probe",
            key_hash=uuid.uuid4().hex + uuid.uuid4().hex,
            scopes=["jobs:read"],
        )
        client = OAuthClient(
            organization_id=team.org_id,
            created_by=team.people[OrgRole.owner].user_id,
            name="sync",
            scopes=["jobs:read"],
            secret_hash=uuid.uuid4().hex + uuid.uuid4().hex,
            secret_prefix="slc_probe",
        )
        endpoint_id = uuid.uuid4()
        endpoint = WebhookEndpoint(
            id=endpoint_id,
            organization_id=team.org_id,
            url="https://hooks.example.com/x",
            event_types=["*"],
            active=True,
            secret_sealed=seal_secret(context.keys.webhooks, endpoint_id, "whsec_probe"),
            consecutive_failures=0,
            version=1,
        )
        session.add_all([key, client, endpoint])
        # The team's hiring manager is on the job (they see only the jobs they are on).
        session.add(
            JobPostingManager(posting_id=posting.id, user_id=team.people[OrgRole.hiring_manager].user_id)
        )
        await session.commit()
    return {
        "org_id": str(team.org_id),
        "member_id": str(team.member_ids[OrgRole.viewer]),
        "invitation_id": str(invitation.id),
        "target_user": str(target.user_id),
        "posting_id": str(posting.id),
        "application_id": str(application.id),
        "export_id": str(export.id),
        "key_id": str(key.id),
        "client_id": str(client.id),
        "webhook_id": str(endpoint.id),
        "stage": "screening",
    }


def _fill(body: Any, ids: dict[str, str]) -> Any:
    if isinstance(body, dict):
        return {k: _fill(v, ids) for k, v in body.items()}
    if isinstance(body, list):
        return [_fill(v, ids) for v in body]
    if isinstance(body, str) and body.startswith("<") and body.endswith(">"):
        return ids[body[1:-1]]
    return body


async def test_every_organisation_route_for_every_role(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    routes = organization_routes()
    uncovered = sorted({op for _, _, op, _ in routes} - set(BODIES))
    assert not uncovered, f"add a body for: {uncovered}"
    actors = {role: await person(client, register) for role in OrgRole}
    target = await person(client, register)
    # Reads and refused calls must change nothing, so they run against one organisation (checked at the end).
    shared = await seed_team(app_context, actors)
    shared_ids = await _ids(app_context, shared, target, actors[OrgRole.owner])
    checked = 0
    for method, path, operation_id, operation in routes:
        for role in OrgRole:
            expected_allowed = role in PERMISSIONS[operation]
            ids = shared_ids
            # An export is readable only by whoever made it: that read gets its own organisation too.
            own_export = operation_id == "download_application_export"
            if expected_allowed and (method != "GET" or own_export):
                # A fresh organisation per allowed write: it may delete, transfer, leave or erase.
                people = {**{r: actors[r] for r in OrgRole if r is not role}, role: actors[role]}
                if role is not OrgRole.viewer:
                    people[OrgRole.viewer] = target
                ids = await _ids(app_context, await seed_team(app_context, people), target, actors[role])
            url = "".join(ids.get(part, part) for part in re.split(r"{(\w+)}", path))
            body = _fill(BODIES[operation_id], ids)
            response = await client.request(method, url, json=body, headers=actors[role].headers)
            label = f"{method} {path} as {role}: {response.status_code} {response.text[:200]}"
            if expected_allowed:
                assert response.status_code not in (403, 404, 405) and response.status_code < 500, label
            else:
                assert response.status_code == 403, label
                assert response.json()["type"].endswith("organization-operation-forbidden"), label
            checked += 1
    owner = actors[OrgRole.owner].headers
    org = (await client.get(f"/v1/organizations/{shared.org_id}", headers=owner)).json()
    assert org["version"] == 1 and org["owner_id"] == str(actors[OrgRole.owner].user_id)
    members = (await client.get(f"/v1/organizations/{shared.org_id}/members", headers=owner)).json()["items"]
    assert sorted(m["role"] for m in members) == sorted(OrgRole)
    job = await client.get(
        f"/v1/organizations/{shared.org_id}/jobs/{shared_ids['posting_id']}", headers=owner
    )
    assert job.json()["version"] == 1 and job.json()["status"] == "draft"
    assert checked == len(routes) * len(OrgRole)
