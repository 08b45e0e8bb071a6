"""The candidate's side over GraphQL: apply with a Shortlist resume, follow the stage, withdraw."""

from __future__ import annotations

import httpx

from shortlist.context import AppContext
from shortlist.organization.policy import OrgRole
from tests.conftest import Register
from tests.graphql.conftest import api_key
from tests.graphql.helpers import RESUME_CONTENT, codes, create_resume, gql
from tests.graphql.recruiting import hiring

APPLY = """
mutation Apply($job: UUID!, $resume: UUID!, $key: String) {
  applyWithResume(jobPostingId: $job, resumeId: $resume, idempotencyKey: $key) {
    __typename
    ... on MyApplication { id applicationId jobTitle organization status stage stageName }
    ... on Problem { code httpStatus }
  }
}
"""
MINE = """
query { myApplications(first: 10) { nodes { applicationId jobTitle stage stageName status withdrawnAt } } }
"""
WITHDRAW = """
mutation W($id: ID!) {
  withdrawApplication(id: $id) { __typename ... on MyApplication { status withdrawnAt } ... on Problem { code } }
}
"""


async def test_apply_follow_and_withdraw(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    h = await hiring(client, register, app_context)
    candidate = await register()
    resume = await create_resume(client, candidate, content=RESUME_CONTENT)
    variables = {"job": h.job["id"], "resume": resume["resumeId"], "key": "apply-1"}
    applied = await gql(client, APPLY, variables, candidate)
    mine = applied["data"]["applyWithResume"]
    assert mine["__typename"] == "MyApplication"
    assert (mine["jobTitle"], mine["stage"], mine["stageName"], mine["status"]) == (
        "Senior Backend Engineer",
        "applied",
        "Applied",
        "ready",
    )
    # The same key replays the first answer; applying again without it is REST's duplicate.
    replay = await gql(client, APPLY, variables, candidate)
    assert replay["data"]["applyWithResume"]["applicationId"] == mine["applicationId"]
    duplicate = await gql(client, APPLY, {**variables, "key": None}, candidate)
    assert duplicate["data"]["applyWithResume"] == {
        "__typename": "ConflictProblem",
        "code": "duplicate-application",
        "httpStatus": 409,
    }
    # Someone else's resume is not found; a closed or unknown job is `job-not-open`.
    stranger = await register()
    not_theirs = await gql(client, APPLY, {**variables, "key": None}, stranger)
    assert not_theirs["data"]["applyWithResume"]["__typename"] == "NotFoundProblem"

    # The organisation moves it; the candidate sees the stage with its current name.
    recruiter = h.team.headers(OrgRole.recruiter)
    apps = f"/v1/organizations/{h.org_id}/jobs/{h.job['id']}/applications"
    moved = await client.post(
        f"{apps}/{mine['applicationId']}/move", json={"stage": "interview"}, headers=recruiter
    )
    assert moved.status_code == 200, moved.text
    listed = await gql(client, MINE, headers=candidate)
    assert listed["data"]["myApplications"]["nodes"] == [
        {
            "applicationId": mine["applicationId"],
            "jobTitle": "Senior Backend Engineer",
            "stage": "interview",
            "stageName": "Interview",
            "status": "ready",
            "withdrawnAt": None,
        }
    ]
    assert (await gql(client, MINE, headers=stranger))["data"]["myApplications"]["nodes"] == []
    node = await gql(
        client,
        "query($id: ID!) { node(id: $id) { ... on MyApplication { stage } } }",
        {"id": mine["id"]},
        candidate,
    )
    assert node["data"]["node"] == {"stage": "interview"}
    assert (
        await gql(client, "query($id: ID!) { node(id: $id) { __typename } }", {"id": mine["id"]}, stranger)
    )["data"] == {"node": None}

    # Scopes as REST: a key without resumes:read can neither list nor apply.
    narrow = await api_key(client, candidate, "profile:read")
    refused = await gql(client, MINE, headers=narrow)
    assert codes(refused) == ["forbidden"]

    # Withdrawing: only your own; twice is a conflict; it leaves the ranked list.
    assert (await gql(client, WITHDRAW, {"id": mine["id"]}, stranger))["data"]["withdrawApplication"] == {
        "__typename": "NotFoundProblem",
        "code": "application-not-found",
    }
    withdrawn = await gql(client, WITHDRAW, {"id": mine["id"]}, candidate)
    assert withdrawn["data"]["withdrawApplication"]["status"] == "withdrawn"
    again = await gql(client, WITHDRAW, {"id": mine["id"]}, candidate)
    assert again["data"]["withdrawApplication"] == {
        "__typename": "ConflictProblem",
        "code": "application-withdrawn",
    }
    ranked = (await client.get(apps, headers=recruiter)).json()
    assert mine["applicationId"] not in [a["id"] for a in ranked["items"]]
