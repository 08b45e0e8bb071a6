"""GraphQL reads of candidate data are on the candidate-data access log, as REST's are: one `application.read`
per application read one by one or whose resume is read, once per request, and one `applications.listed` per
application on a ranked page, with the reader, the ids and the request id; a miss and an outsider record
nothing."""

from __future__ import annotations

from typing import Any

import httpx

from shortlist.context import AppContext
from shortlist.organization.policy import OrgRole
from tests.conftest import Register
from tests.graphql.helpers import gql
from tests.graphql.recruiting import RANKED, application_gid, hiring

NODE = "query($id: ID!) { node(id: $id) { ... on Application { applicationId name } } }"
RESUMES = """
query($org: UUID!, $job: UUID!, $id: ID!) {
  organization(organizationId: $org) {
    job(jobPostingId: $job) { applications(first: 10) { nodes { applicationId resume { basics { name } } } } }
  }
  again: node(id: $id) { ... on Application { resume { basics { name } } } }
}
"""
ONE = """
query($org: UUID!, $job: UUID!, $app: UUID!) {
  organization(organizationId: $org) { job(jobPostingId: $job) { application(applicationId: $app) { score } } }
}
"""
MOVE = """
mutation($id: ID!) {
  moveApplication(id: $id, stage: "screening") { ... on Application { resume { basics { name } } } }
}
"""


async def test_detail_and_resume_reads_are_recorded_once_per_request(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    h = await hiring(client, register, app_context)
    owner, recruiter, viewer = (h.team.headers(r) for r in (OrgRole.owner, OrgRole.recruiter, OrgRole.viewer))
    grace, carl = h.application_ids

    async def log(action: str = "application.read") -> list[dict[str, Any]]:
        response = await client.get(
            f"/v1/organizations/{h.org_id}/candidate-data-access",
            params={"limit": 100, "action": action},
            headers=owner,
        )
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    # The ranked list discloses its page: one `applications.listed` per application, from one request; it
    # reads no detail. An outsider and an unknown application disclose nothing.
    response = await client.post(
        "/graphql",
        json={"query": RANKED, "variables": {"org": str(h.org_id), "job": h.job["id"], "first": 10}},
        headers=recruiter,
    )
    assert len(response.json()["data"]["organization"]["job"]["applications"]["edges"]) == 2
    listed = await log("applications.listed")
    assert sorted(e["application_id"] for e in listed) == sorted([grace, carl])
    assert {(e["posting_id"], e["request_id"], e["actor_id"]) for e in listed} == {
        (h.job["id"], response.headers["X-Request-ID"], str(h.team.people[OrgRole.recruiter].user_id))
    }
    outsider = await gql(client, NODE, {"id": h.app_gid(0)}, h.outsider.headers)
    assert outsider == {"data": {"node": None}}
    missing = application_gid(h.org_id, h.job["id"], "00000000-0000-4000-8000-000000000000")
    assert (await gql(client, NODE, {"id": missing}, recruiter)) == {"data": {"node": None}}
    assert await log() == [] and len(await log("applications.listed")) == 2

    # One application by its id: one entry, with the request's id.
    response = await client.post(
        "/graphql", json={"query": NODE, "variables": {"id": h.app_gid(0)}}, headers=recruiter
    )
    assert response.json()["data"]["node"]["applicationId"] == grace
    [entry] = await log()
    assert entry["action"] == "application.read" and entry["credential"] == "session"
    assert (entry["actor_id"], entry["application_id"], entry["posting_id"]) == (
        str(h.team.people[OrgRole.recruiter].user_id),
        grace,
        h.job["id"],
    )
    assert entry["request_id"] == response.headers["X-Request-ID"]

    # Every resume of a page, and Grace's again in the same request: one entry per application.
    pages = await gql(client, RESUMES, {"org": str(h.org_id), "job": h.job["id"], "id": h.app_gid(0)}, viewer)
    names = {
        n["resume"]["basics"]["name"] for n in pages["data"]["organization"]["job"]["applications"]["nodes"]
    }
    assert names == {"Grace Hopper", "Carl Sales"}
    entries = await log()
    assert len(entries) == 3
    by_viewer = [e for e in entries if e["actor_id"] == str(h.team.people[OrgRole.viewer].user_id)]
    assert sorted(e["application_id"] for e in by_viewer) == sorted([grace, carl])
    assert len({e["request_id"] for e in by_viewer}) == 1

    # JobPosting.application, and a mutation that answers with the resume (in its own transaction).
    one = await gql(client, ONE, {"org": str(h.org_id), "job": h.job["id"], "app": carl}, recruiter)
    assert one["data"]["organization"]["job"]["application"] is not None
    moved = await gql(client, MOVE, {"id": h.app_gid(0)}, recruiter)
    assert moved["data"]["moveApplication"]["resume"]["basics"]["name"] == "Grace Hopper"
    latest = await log()
    assert len(latest) == 5
    assert [e["application_id"] for e in latest[:2]] == [grace, carl]
    # A move without reading the resume discloses nothing new: no entry.
    await gql(
        client,
        'mutation($id: ID!) { moveApplication(id: $id, stage: "interview") { __typename } }',
        {"id": h.app_gid(0)},
        recruiter,
    )
    assert len(await log()) == 5
