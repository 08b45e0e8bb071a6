"""Leaving and deleting organisations, revoking and accepting invitations, a job's edits (hiring managers)
and archiving, a person's data export and a candidate's own erasure, over HTTP: the happy path, the role
and credential checks of REST's routes, another organisation's ids, and bad input. (Outsiders get
`organization-not-found` from every one of them: tests/graphql/test_recruiting.py's ORGANIZATION_WRITES.)"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from shortlist.context import AppContext
from shortlist.organization.policy import OrgRole
from tests.auth.credentials import session_headers
from tests.conftest import Register
from tests.graphql.conftest import api_key
from tests.graphql.helpers import codes, gql
from tests.graphql.recruiting import hiring
from tests.organization.helpers import invitation_token, person

PROBLEM = (
    "... on Problem { __typename code httpStatus detail } "
    "... on ConflictProblem { currentVersion } ... on ValidationProblem { errors { location } }"
)
POSTING = f"__typename ... on JobPosting {{ title location status version hiringManagerIds }} {PROBLEM}"
UPDATE = (
    "mutation($id: ID!, $input: JobPostingPatch!, $v: Int) { x: updateJobPosting(id: $id, input: $input, "
    + ("expectedVersion: $v) { " + POSTING + " } }")
)
ARCHIVE = "mutation($id: ID!) { x: archiveJobPosting(id: $id) { " + POSTING + " } }"
CLOSE = "mutation($id: ID!) { x: closeJobPosting(id: $id) { " + POSTING + " } }"
ORG = f"__typename ... on Organization {{ organizationId name myRole }} {PROBLEM}"


async def test_job_edits_change_hiring_managers_and_archiving_makes_it_read_only(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    h = await hiring(client, register, app_context)
    recruiter, viewer = h.team.headers(OrgRole.recruiter), h.team.headers(OrgRole.viewer)
    manager = h.team.people[OrgRole.hiring_manager]
    version = h.job["version"]

    stale = await gql(client, UPDATE, {"id": h.job_gid, "input": {"title": "X"}, "v": version - 1}, recruiter)
    assert stale["data"]["x"]["__typename"] == "ConflictProblem"
    assert stale["data"]["x"]["currentVersion"] == version
    by_viewer = await gql(client, UPDATE, {"id": h.job_gid, "input": {"title": "X"}}, viewer)
    assert by_viewer["data"] is None and codes(by_viewer) == ["organization-operation-forbidden"]
    stranger = await gql(
        client, UPDATE, {"id": h.job_gid, "input": {"hiringManagerIds": [str(h.outsider.user_id)]}}, recruiter
    )
    assert stranger["data"]["x"]["code"] == "job-invalid-hiring-manager"
    bad = await gql(client, UPDATE, {"id": h.job_gid, "input": {"workplace": "moon"}}, recruiter)
    assert bad["data"]["x"]["__typename"] == "ValidationProblem"
    assert ["input", "workplace"] in [e["location"] for e in bad["data"]["x"]["errors"]]

    assert (
        await client.get(f"/v1/organizations/{h.org_id}/jobs/{h.job['id']}", headers=manager.headers)
    ).is_success
    edited = await gql(
        client,
        UPDATE,
        {
            "id": h.job_gid,
            "input": {"title": "Staff Engineer", "location": None, "hiringManagerIds": []},
            "v": version,
        },
        recruiter,
    )
    job = edited["data"]["x"]
    assert (job["title"], job["location"], job["hiringManagerIds"]) == ("Staff Engineer", None, [])
    # A hiring manager sees only the jobs they are on: off this one, it is gone for them.
    gone = await client.get(f"/v1/organizations/{h.org_id}/jobs/{h.job['id']}", headers=manager.headers)
    assert gone.status_code == 404
    back = await gql(
        client, UPDATE, {"id": h.job_gid, "input": {"hiringManagerIds": [str(manager.user_id)]}}, recruiter
    )
    assert back["data"]["x"]["hiringManagerIds"] == [str(manager.user_id)]

    # An organisation's key with jobs:read may read jobs but not change them; with jobs:write it may.
    keys = f"/v1/organizations/{h.org_id}/api-keys"
    owner = h.team.headers(OrgRole.owner)
    reader = (await client.post(keys, json={"name": "r", "scopes": ["jobs:read"]}, headers=owner)).json()
    writer = (await client.post(keys, json={"name": "w", "scopes": ["jobs:write"]}, headers=owner)).json()
    refused = await gql(
        client, UPDATE, {"id": h.job_gid, "input": {"title": "K"}}, {"X-API-Key": reader["key"]}
    )
    assert refused["data"] is None and codes(refused) == ["organization-operation-forbidden"]
    allowed = await gql(
        client, UPDATE, {"id": h.job_gid, "input": {"title": "K"}}, {"X-API-Key": writer["key"]}
    )
    assert allowed["data"]["x"]["title"] == "K"

    still_open = await gql(client, ARCHIVE, {"id": h.job_gid}, recruiter)
    assert still_open["data"]["x"]["code"] == "job-invalid-transition"
    by_viewer = await gql(client, ARCHIVE, {"id": h.job_gid}, viewer)
    assert codes(by_viewer) == ["organization-operation-forbidden"]
    await gql(client, CLOSE, {"id": h.job_gid}, recruiter)
    archived = await gql(client, ARCHIVE, {"id": h.job_gid}, recruiter)
    assert archived["data"]["x"]["status"] == "ARCHIVED"
    frozen = await gql(client, UPDATE, {"id": h.job_gid, "input": {"title": "Again"}}, recruiter)
    assert frozen["data"]["x"]["code"] == "job-invalid-transition"
    assert frozen["data"]["x"]["httpStatus"] == 409


INVITE = (
    "mutation($org: UUID!, $email: String!, $key: String) { x: inviteMember(organizationId: $org, email: $email, "
    "idempotencyKey: $key) { __typename ... on Invitation { invitationId revokedAt } " + PROBLEM + " } }"
)
REVOKE = (
    "mutation($org: UUID!, $id: UUID!) { x: revokeInvitation(organizationId: $org, invitationId: $id) { "
    "__typename ... on Invitation { invitationId revokedAt } " + PROBLEM + " } }"
)
ACCEPT = (
    "mutation($t: String!, $key: String) { x: acceptInvitation(token: $t, idempotencyKey: $key) { "
    + ORG
    + " } }"
)


async def test_invitations_are_revoked_and_accepted_by_their_addressee(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    h = await hiring(client, register, app_context)
    owner, viewer = h.team.headers(OrgRole.owner), h.team.headers(OrgRole.viewer)
    outbox = app_context.settings.data_dir / "outbox"
    carol, dave = await person(client, register), await person(client, register)

    first = await gql(client, INVITE, {"org": str(h.org_id), "email": carol.email, "key": "inv-1"}, owner)
    again = await gql(client, INVITE, {"org": str(h.org_id), "email": carol.email, "key": "inv-1"}, owner)
    assert first["data"]["x"]["__typename"] == "Invitation"
    assert again["data"]["x"]["invitationId"] == first["data"]["x"]["invitationId"]
    token = invitation_token(outbox, carol.email)

    # Someone else, a malformed token: refused; the addressee joins, and a retry with the key replays.
    wrong_person = await gql(client, ACCEPT, {"t": token}, dave.headers)
    assert wrong_person["data"]["x"]["code"] == "invalid-invitation"
    short = await gql(client, ACCEPT, {"t": "sli_"}, carol.headers)
    assert short["data"]["x"]["__typename"] == "ValidationProblem"
    joined = await gql(client, ACCEPT, {"t": token, "key": "join"}, carol.headers)
    assert joined["data"]["x"] == {
        "__typename": "Organization",
        "organizationId": str(h.org_id),
        "name": joined["data"]["x"]["name"],
        "myRole": "recruiter",
    }
    replay = await gql(client, ACCEPT, {"t": token, "key": "join"}, carol.headers)
    assert replay["data"]["x"]["organizationId"] == str(h.org_id)
    used = await gql(client, ACCEPT, {"t": token}, carol.headers)
    assert used["data"]["x"]["code"] == "invalid-invitation"
    by_key = await gql(client, ACCEPT, {"t": token}, await api_key(client, carol.headers, "resumes:read"))
    assert codes(by_key) == ["credential-not-accepted"]

    pending = await gql(client, INVITE, {"org": str(h.org_id), "email": dave.email}, owner)
    invitation_id = pending["data"]["x"]["invitationId"]
    by_viewer = await gql(client, REVOKE, {"org": str(h.org_id), "id": invitation_id}, viewer)
    assert codes(by_viewer) == ["organization-operation-forbidden"]
    # Another organisation's owner, naming their own organisation and this invitation: unknown there.
    other = await gql(
        client,
        'mutation { createOrganization(input: {name: "Other", slug: "other-'
        + uuid.uuid4().hex[:8]
        + '"}) { ... on Organization { organizationId } } }',
        headers=h.outsider.headers,
    )
    other_id = other["data"]["createOrganization"]["organizationId"]
    crossed = await gql(client, REVOKE, {"org": other_id, "id": invitation_id}, h.outsider.headers)
    assert crossed["data"]["x"]["code"] == "invitation-not-found"
    revoked = await gql(client, REVOKE, {"org": str(h.org_id), "id": invitation_id}, owner)
    assert revoked["data"]["x"]["revokedAt"]
    refused = await gql(client, ACCEPT, {"t": invitation_token(outbox, dave.email)}, dave.headers)
    assert refused["data"]["x"]["code"] == "invalid-invitation"
    twice = await gql(client, REVOKE, {"org": str(h.org_id), "id": invitation_id}, owner)
    assert twice["data"]["x"]["__typename"] == "NotFoundProblem"


async def test_leaving_and_deleting_an_organisation(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    h = await hiring(client, register, app_context)
    owner, admin, recruiter = (h.team.headers(r) for r in (OrgRole.owner, OrgRole.admin, OrgRole.recruiter))
    org = str(h.org_id)
    leave = "mutation($org: UUID!) { x: leaveOrganization(organizationId: $org) { " + ORG + " } }"
    delete = (
        "mutation($org: UUID!, $v: Int) { x: deleteOrganization(organizationId: $org, expectedVersion: $v) { "
        + ORG
        + " } }"
    )

    owner_leaves = await gql(client, leave, {"org": org}, owner)
    assert owner_leaves["data"]["x"]["code"] == "organization-membership-conflict"
    left = await gql(client, leave, {"org": org}, recruiter)
    assert left["data"]["x"]["myRole"] == "recruiter"
    looked = await gql(
        client, "query($org: UUID!) { organization(organizationId: $org) { name } }", {"org": org}, recruiter
    )
    assert looked == {"data": {"organization": None}}
    gone_already = await gql(client, leave, {"org": org}, recruiter)
    assert gone_already["data"]["x"]["code"] == "organization-not-found"

    by_admin = await gql(client, delete, {"org": org}, admin)
    assert by_admin["data"] is None and codes(by_admin) == ["organization-operation-forbidden"]
    personal_key = await api_key(client, owner, "resumes:read")
    assert codes(await gql(client, delete, {"org": org}, personal_key)) == ["credential-not-accepted"]
    version = (await client.get(f"/v1/organizations/{org}", headers=owner)).json()["version"]
    stale = await gql(client, delete, {"org": org, "v": version + 1}, owner)
    assert stale["data"]["x"]["__typename"] == "ConflictProblem"
    deleted = await gql(client, delete, {"org": org, "v": version}, owner)
    assert deleted["data"]["x"]["organizationId"] == org
    assert (await client.get(f"/v1/organizations/{org}", headers=owner)).status_code == 404
    # The careers page went with it.
    assert (
        await gql(
            client, "query($org: UUID!) { organization(organizationId: $org) { name } }", {"org": org}, admin
        )
    ) == {"data": {"organization": None}}


EXPORT = (
    "mutation($org: UUID!, $email: String!) { x: exportCandidateData(organizationId: $org, email: $email) { "
    "__typename ... on CandidateDataExport { data } " + PROBLEM + " } }"
)
ERASE_MINE = (
    "mutation { x: eraseMyCandidateData { __typename ... on CandidateErasure { erasedApplications } "
    + PROBLEM
    + " } }"
)


async def test_a_persons_data_export_is_logged_and_a_candidate_erases_their_own(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    h = await hiring(client, register, app_context)
    owner, recruiter = h.team.headers(OrgRole.owner), h.team.headers(OrgRole.recruiter)
    grace_id = h.application_ids[0]

    by_recruiter = await gql(client, EXPORT, {"org": str(h.org_id), "email": "grace@example.org"}, recruiter)
    assert by_recruiter["data"] is None and codes(by_recruiter) == ["organization-operation-forbidden"]
    bad = await gql(client, EXPORT, {"org": str(h.org_id), "email": "not an address"}, owner)
    assert bad["data"]["x"]["__typename"] == "ValidationProblem"
    exported = await gql(client, EXPORT, {"org": str(h.org_id), "email": "grace@example.org"}, owner)
    document: dict[str, Any] = exported["data"]["x"]["data"]
    assert [a["id"] for a in document["applications"]] == [grace_id]
    assert "Carl" not in str(document)
    log = await client.get(f"/v1/organizations/{h.org_id}/candidate-data-access", headers=owner)
    entries = [(e["action"], e.get("application_id")) for e in log.json()["items"]]
    assert ("candidate_data.exported", grace_id) in entries, entries

    # Grace signs up with the address she applied with: her own erasure takes her application only.
    grace = await register("grace@example.org")
    # Before she erases it, she reads what is held about her: the same document as REST's.
    mine = await gql(client, "{ myCandidateData { data } }", headers=grace)
    rest = await client.get("/v1/candidate-data", headers=grace)
    assert rest.status_code == 200 and mine["data"]["myCandidateData"]["data"] == rest.json()
    assert [a["id"] for a in rest.json()["applications"]] == [grace_id]
    empty = await gql(client, "{ myCandidateData { data } }", headers=h.outsider.headers)
    assert empty["data"]["myCandidateData"]["data"]["applications"] == []
    key = await api_key(client, grace, "resumes:write")
    assert codes(await gql(client, ERASE_MINE, headers=key)) == ["credential-not-accepted"]
    grace_id_user = uuid.UUID((await client.get("/v1/users/me", headers=grace)).json()["id"])
    read_only = session_headers(app_context, grace_id_user, {"resumes:read"})
    assert codes(await gql(client, ERASE_MINE, headers=read_only)) == ["forbidden"]
    # Someone else's erasure of their own touches none of hers.
    nothing = await gql(client, ERASE_MINE, headers=h.outsider.headers)
    assert nothing["data"]["x"]["erasedApplications"] == 0
    erased = await gql(client, ERASE_MINE, headers=grace)
    assert erased["data"]["x"]["erasedApplications"] == 1
    left = await client.get(f"/v1/organizations/{h.org_id}/jobs/{h.job['id']}/applications", headers=owner)
    assert [a["id"] for a in left.json()["items"]] == [h.application_ids[1]]


NOTE = (
    "mutation($id: ID!, $body: String!, $key: String) { x: addApplicationNote(id: $id, body: $body, "
    "idempotencyKey: $key) { __typename ... on Note { noteId body } " + PROBLEM + " } }"
)


async def test_a_note_retried_with_its_key_is_written_once(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    h = await hiring(client, register, app_context)
    recruiter = h.team.headers(OrgRole.recruiter)
    first = await gql(client, NOTE, {"id": h.app_gid(0), "body": "Strong on SQL", "key": "n-1"}, recruiter)
    again = await gql(client, NOTE, {"id": h.app_gid(0), "body": "Strong on SQL", "key": "n-1"}, recruiter)
    assert first["data"]["x"]["__typename"] == "Note"
    assert again["data"]["x"]["noteId"] == first["data"]["x"]["noteId"]
    other = await gql(client, NOTE, {"id": h.app_gid(0), "body": "Different", "key": "n-1"}, recruiter)
    assert other["data"]["x"]["__typename"] == "ValidationProblem"
    empty = await gql(client, NOTE, {"id": h.app_gid(0), "body": "", "key": "n-2"}, recruiter)
    assert empty["data"]["x"]["__typename"] == "ValidationProblem"
    notes = await client.get(
        f"/v1/organizations/{h.org_id}/jobs/{h.job['id']}/applications/{h.application_ids[0]}/notes",
        headers=recruiter,
    )
    assert [n["body"] for n in notes.json()["items"]] == ["Strong on SQL"]
