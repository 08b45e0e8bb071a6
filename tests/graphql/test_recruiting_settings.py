"""The recruiter writes beside the pipeline, over HTTP with real auth: organisation settings, members' roles,
removal and ownership, stages, scorecards, rescoring, the CSV export and erasure — each through REST's
service and role table (a role without the operation is refused; another organisation's ids are
tests/graphql/test_recruiting.py's `ORGANIZATION_WRITES`)."""

from __future__ import annotations

from typing import Any

import httpx

from shortlist.context import AppContext
from shortlist.organization.policy import OrgRole
from tests.conftest import Register
from tests.graphql.helpers import codes, gql
from tests.graphql.recruiting import hiring, posting_gid

UPDATE_ORG = """
mutation U($org: UUID!, $input: OrganizationPatch!, $v: Int) {
  updateOrganization(organizationId: $org, input: $input, expectedVersion: $v) {
    __typename
    ... on Organization { name slug retentionMonths version }
    ... on ConflictProblem { code currentVersion }
    ... on ValidationProblem { code errors { location } }
  }
}
"""

ROLE = """
mutation R($org: UUID!, $member: UUID!, $role: OrganizationRole!, $v: Int) {
  changeMemberRole(organizationId: $org, memberId: $member, role: $role, expectedVersion: $v) {
    __typename ... on Member { role version } ... on Problem { code httpStatus }
  }
}
"""

REMOVE = """
mutation X($org: UUID!, $member: UUID!) {
  removeMember(organizationId: $org, memberId: $member) { __typename ... on Member { email } ... on Problem { code } }
}
"""

TRANSFER = """
mutation T($org: UUID!, $user: UUID!) {
  transferOrganizationOwnership(organizationId: $org, userId: $user) {
    __typename ... on Organization { ownerId myRole } ... on Problem { code }
  }
}
"""

STAGES = """
mutation S($id: ID!, $stages: [StageInput!]!, $v: Int) {
  replaceJobStages(id: $id, stages: $stages, expectedVersion: $v) {
    __typename
    ... on JobPosting { version stages { id name } }
    ... on ConflictProblem { code currentVersion }
    ... on ValidationProblem { code }
  }
}
"""

SCORECARD = """
mutation C($id: ID!, $stage: String!, $criteria: [CriterionScoreInput!]!, $summary: String) {
  setApplicationScorecard(id: $id, stage: $stage, criteria: $criteria, summary: $summary) {
    __typename
    ... on Scorecard { stage summary userId criteria { criterion score } }
    ... on Problem { code httpStatus }
  }
}
"""

RESCORE = """
mutation R($id: ID!, $key: String) {
  rescoreApplication(id: $id, idempotencyKey: $key) {
    __typename ... on Job { id jobId kind status } ... on Problem { code detail }
  }
}
"""

EXPORT = """
mutation E($job: ID!) {
  exportApplications(jobPostingId: $job) { __typename ... on Job { jobId kind status } ... on Problem { code detail } }
}
"""

ERASE = """
mutation E($org: UUID!, $email: String!) {
  eraseCandidateData(organizationId: $org, email: $email) {
    __typename ... on CandidateErasure { erasedApplications } ... on ValidationProblem { code }
  }
}
"""


def _data(result: dict[str, Any], field: str) -> dict[str, Any]:
    assert "errors" not in result, result
    value: dict[str, Any] = result["data"][field]
    return value


async def test_organisation_settings_roles_removal_and_ownership(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    h = await hiring(client, register, app_context, people=[])
    org = str(h.org_id)
    owner, admin, recruiter = (h.team.headers(r) for r in (OrgRole.owner, OrgRole.admin, OrgRole.recruiter))
    before = (await client.get(f"/v1/organizations/{org}", headers=owner)).json()
    read = await gql(
        client,
        "query($o: UUID!) { organization(organizationId: $o) { version members(first: 10) { nodes { memberId version } } } }",
        {"o": org},
        owner,
    )
    org_version = read["data"]["organization"]["version"]
    member_versions = {m["memberId"]: m["version"] for m in read["data"]["organization"]["members"]["nodes"]}

    # Settings: an admin renames and sets the retention; a stale version and bad input change nothing.
    changed = _data(
        await gql(
            client,
            UPDATE_ORG,
            {"org": org, "input": {"name": "Acme Hiring", "retentionMonths": 12}, "v": org_version},
            admin,
        ),
        "updateOrganization",
    )
    assert changed["__typename"] == "Organization", changed
    assert (changed["name"], changed["retentionMonths"], changed["slug"]) == (
        "Acme Hiring",
        12,
        before["slug"],
    )
    stale = _data(
        await gql(client, UPDATE_ORG, {"org": org, "input": {"name": "Old"}, "v": org_version}, admin),
        "updateOrganization",
    )
    assert stale == {
        "__typename": "ConflictProblem",
        "code": "precondition-failed",
        "currentVersion": changed["version"],
    }
    bad = _data(
        await gql(
            client, UPDATE_ORG, {"org": org, "input": {"slug": "Not A Slug", "retentionMonths": 0}}, admin
        ),
        "updateOrganization",
    )
    assert bad["__typename"] == "ValidationProblem" and len(bad["errors"]) == 2
    cleared = _data(
        await gql(client, UPDATE_ORG, {"org": org, "input": {"retentionMonths": None}}, owner),
        "updateOrganization",
    )
    assert (cleared["name"], cleared["retentionMonths"]) == ("Acme Hiring", None)
    refused = await gql(client, UPDATE_ORG, {"org": org, "input": {"name": "Mine"}}, recruiter)
    assert codes(refused) == ["organization-operation-forbidden"] and refused["data"] is None
    rest = (await client.get(f"/v1/organizations/{org}", headers=owner)).json()
    assert (rest["name"], rest["retention_months"]) == ("Acme Hiring", None)

    # Roles: an admin makes the recruiter a viewer; a recruiter may not; nobody changes the owner's role
    # this way, and an admin cannot make another admin (REST's grant table).
    recruiter_member = str(h.team.member_ids[OrgRole.recruiter])
    demoted = _data(
        await gql(
            client,
            ROLE,
            {
                "org": org,
                "member": recruiter_member,
                "role": "VIEWER",
                "v": member_versions[recruiter_member],
            },
            admin,
        ),
        "changeMemberRole",
    )
    assert demoted["role"] == "viewer"
    stale_role = _data(
        await gql(
            client,
            ROLE,
            {
                "org": org,
                "member": recruiter_member,
                "role": "RECRUITER",
                "v": member_versions[recruiter_member],
            },
            admin,
        ),
        "changeMemberRole",
    )
    assert stale_role["code"] == "precondition-failed"
    as_viewer = await gql(client, ROLE, {"org": org, "member": recruiter_member, "role": "ADMIN"}, recruiter)
    assert codes(as_viewer) == ["organization-operation-forbidden"]
    owner_member = str(h.team.member_ids[OrgRole.owner])
    on_owner = _data(
        await gql(client, ROLE, {"org": org, "member": owner_member, "role": "VIEWER"}, admin),
        "changeMemberRole",
    )
    assert on_owner["__typename"] == "ConflictProblem" and on_owner["httpStatus"] == 409
    grant_admin = await gql(client, ROLE, {"org": org, "member": recruiter_member, "role": "ADMIN"}, admin)
    assert codes(grant_admin) == ["organization-operation-forbidden"]
    unknown = _data(
        await gql(client, ROLE, {"org": org, "member": str(h.outsider.user_id), "role": "VIEWER"}, admin),
        "changeMemberRole",
    )
    assert unknown["__typename"] == "NotFoundProblem"
    members = (await client.get(f"/v1/organizations/{org}/members", headers=owner)).json()["items"]
    roles = {m["user_id"]: m["role"] for m in members}
    assert roles[str(h.team.people[OrgRole.recruiter].user_id)] == "viewer"

    # Removal: the viewer goes, and no longer sees the organisation; the owner cannot be removed.
    viewer_member = str(h.team.member_ids[OrgRole.viewer])
    removed = _data(await gql(client, REMOVE, {"org": org, "member": viewer_member}, admin), "removeMember")
    assert removed == {"__typename": "Member", "email": h.team.people[OrgRole.viewer].email}
    gone = await gql(
        client,
        "query($o: UUID!) { organization(organizationId: $o) { name } }",
        {"o": org},
        h.team.headers(OrgRole.viewer),
    )
    assert gone == {"data": {"organization": None}}
    not_owner = _data(await gql(client, REMOVE, {"org": org, "member": owner_member}, admin), "removeMember")
    assert not_owner["__typename"] == "ConflictProblem"

    # Ownership: only the owner hands it over, to a member; they stay on as admin.
    admin_user = str(h.team.people[OrgRole.admin].user_id)
    by_admin = await gql(client, TRANSFER, {"org": org, "user": admin_user}, admin)
    assert codes(by_admin) == ["organization-operation-forbidden"]
    to_stranger = _data(
        await gql(client, TRANSFER, {"org": org, "user": str(h.outsider.user_id)}, owner),
        "transferOrganizationOwnership",
    )
    assert to_stranger["__typename"] == "NotFoundProblem"
    handed = _data(
        await gql(client, TRANSFER, {"org": org, "user": admin_user}, owner), "transferOrganizationOwnership"
    )
    assert handed == {"__typename": "Organization", "ownerId": admin_user, "myRole": "admin"}
    assert (await client.get(f"/v1/organizations/{org}", headers=admin)).json()["owner_id"] == admin_user


async def test_stages_scorecards_rescoring_and_export(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    h = await hiring(client, register, app_context, scorecard_criteria=["Design", "Communication"])
    recruiter, manager, viewer = (
        h.team.headers(r) for r in (OrgRole.recruiter, OrgRole.hiring_manager, OrgRole.viewer)
    )
    job_url = f"/v1/organizations/{h.org_id}/jobs/{h.job['id']}"
    version = (await client.get(job_url, headers=recruiter)).json()["version"]

    # Stages: rename, reorder and add, as REST's PUT …/stages.
    stages = [
        {"id": "applied", "name": "Applied"},
        {"id": "take_home", "name": "Take-home task"},
        {"id": "screening", "name": "Phone screen"},
        {"id": "interview", "name": "Interview"},
        {"id": "offer", "name": "Offer"},
        {"id": "hired", "name": "Hired"},
        {"id": "rejected", "name": "Rejected"},
    ]
    replaced = _data(
        await gql(client, STAGES, {"id": h.job_gid, "stages": stages, "v": version}, recruiter),
        "replaceJobStages",
    )
    assert replaced["__typename"] == "JobPosting" and replaced["stages"] == stages
    assert (await client.get(job_url, headers=recruiter)).json()["stages"] == stages
    stale = _data(
        await gql(client, STAGES, {"id": h.job_gid, "stages": stages, "v": version}, recruiter),
        "replaceJobStages",
    )
    assert stale == {
        "__typename": "ConflictProblem",
        "code": "precondition-failed",
        "currentVersion": replaced["version"],
    }
    duplicate = _data(
        await gql(
            client, STAGES, {"id": h.job_gid, "stages": [*stages, {"id": "offer", "name": "x"}]}, recruiter
        ),
        "replaceJobStages",
    )
    assert duplicate["__typename"] == "ValidationProblem"
    without_applied = _data(
        await gql(client, STAGES, {"id": h.job_gid, "stages": stages[1:]}, recruiter), "replaceJobStages"
    )
    assert without_applied["__typename"] == "ValidationProblem"
    refused = await gql(client, STAGES, {"id": h.job_gid, "stages": stages}, viewer)
    assert codes(refused) == ["organization-operation-forbidden"] and refused["data"] is None
    assert (await client.get(job_url, headers=recruiter)).json()["version"] == replaced["version"]

    # Scorecards: a hiring manager on the job scores; a viewer may not; unknown criteria are refused.
    grace = h.app_gid(0)
    card = _data(
        await gql(
            client,
            SCORECARD,
            {
                "id": grace,
                "stage": "take_home",
                "criteria": [{"criterion": "Design", "score": 4}],
                "summary": "Tidy",
            },
            manager,
        ),
        "setApplicationScorecard",
    )
    assert card == {
        "__typename": "Scorecard",
        "stage": "take_home",
        "summary": "Tidy",
        "userId": str(h.team.people[OrgRole.hiring_manager].user_id),
        "criteria": [{"criterion": "Design", "score": 4}],
    }
    cards = await client.get(f"{job_url}/applications/{h.application_ids[0]}/scorecards", headers=recruiter)
    assert [(c["stage"], c["criteria"]) for c in cards.json()] == [("take_home", {"Design": 4})]
    for criteria, stage in (
        ([{"criterion": "Charm", "score": 5}], "take_home"),
        ([{"criterion": "Design", "score": 6}], "take_home"),
        ([{"criterion": "Design", "score": 3}], "nowhere"),
    ):
        wrong = _data(
            await gql(client, SCORECARD, {"id": grace, "stage": stage, "criteria": criteria}, manager),
            "setApplicationScorecard",
        )
        assert wrong["__typename"] == "ValidationProblem" and wrong["httpStatus"] == 422, (criteria, stage)
    as_viewer = await gql(
        client,
        SCORECARD,
        {"id": grace, "stage": "applied", "criteria": [{"criterion": "Design", "score": 1}]},
        viewer,
    )
    assert codes(as_viewer) == ["organization-operation-forbidden"]

    # Rescoring: a job on the worker, once per idempotency key; a hiring manager may not.
    first = _data(
        await gql(client, RESCORE, {"id": grace, "key": "rescore-1"}, recruiter), "rescoreApplication"
    )
    assert first["__typename"] == "Job", first
    assert (first["kind"], first["status"]) == ("application.score", "queued")
    again = _data(
        await gql(client, RESCORE, {"id": grace, "key": "rescore-1"}, recruiter), "rescoreApplication"
    )
    assert again["jobId"] == first["jobId"]
    other = _data(await gql(client, RESCORE, {"id": grace}, recruiter), "rescoreApplication")
    assert other["jobId"] != first["jobId"]
    followed = await gql(client, "query($id: ID!) { job(id: $id) { kind } }", {"id": first["id"]}, recruiter)
    assert followed["data"]["job"] == {"kind": "application.score"}
    assert codes(await gql(client, RESCORE, {"id": grace}, manager)) == ["organization-operation-forbidden"]

    # Export: any reader of the job's applications; a hiring manager not on another job finds no job.
    exported = _data(await gql(client, EXPORT, {"job": h.job_gid}, viewer), "exportApplications")
    assert (exported["kind"], exported["status"]) == ("application.export", "queued")
    other_job = await client.post(
        f"/v1/organizations/{h.org_id}/jobs", json={"title": "Designer"}, headers=recruiter
    )
    hidden = _data(
        await gql(client, EXPORT, {"job": posting_gid(h.org_id, other_job.json()["id"])}, manager),
        "exportApplications",
    )
    assert (hidden["__typename"], hidden["code"]) == ("NotFoundProblem", "job-not-found")
    log = await client.get(
        f"/v1/organizations/{h.org_id}/candidate-data-access",
        params={"action": "applications.export_requested"},
        headers=h.team.headers(OrgRole.owner),
    )
    [entry] = log.json()["items"]
    assert (
        entry["actor_id"] == str(h.team.people[OrgRole.viewer].user_id) and entry["posting_id"] == h.job["id"]
    )


async def test_erasure_of_a_person_by_the_organisation(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    h = await hiring(client, register, app_context)
    owner = h.team.headers(OrgRole.owner)
    org = str(h.org_id)
    refused = await gql(
        client, ERASE, {"org": org, "email": "grace@example.org"}, h.team.headers(OrgRole.recruiter)
    )
    assert codes(refused) == ["organization-operation-forbidden"]
    invalid = _data(
        await gql(client, ERASE, {"org": org, "email": "not an address"}, owner), "eraseCandidateData"
    )
    assert invalid["__typename"] == "ValidationProblem"
    erased = _data(
        await gql(client, ERASE, {"org": org, "email": "grace@example.org"}, owner), "eraseCandidateData"
    )
    assert erased == {"__typename": "CandidateErasure", "erasedApplications": 1}
    apps = f"/v1/organizations/{org}/jobs/{h.job['id']}/applications"
    assert (await client.get(f"{apps}/{h.application_ids[0]}", headers=owner)).status_code == 404
    assert (await client.get(f"{apps}/{h.application_ids[1]}", headers=owner)).status_code == 200
    again = _data(
        await gql(client, ERASE, {"org": org, "email": "grace@example.org"}, owner), "eraseCandidateData"
    )
    assert again["erasedApplications"] == 0
    log = await client.get(
        f"/v1/organizations/{org}/candidate-data-access",
        params={"action": "candidate_data.erased"},
        headers=owner,
    )
    assert [e["application_id"] for e in log.json()["items"]][-1] == h.application_ids[0]
