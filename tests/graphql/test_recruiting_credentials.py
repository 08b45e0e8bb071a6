"""An organisation's API key over GraphQL, as over REST: it reads and writes its own organisation's recruiter
fields within its scopes (role of the issuer AND a scope that grants the operation), never another
organisation's, never a personal field, never the organisation's settings or membership; and its reads are
on the access log under the key."""

from __future__ import annotations

import httpx

from shortlist.context import AppContext
from shortlist.models import OrganizationMember
from shortlist.organization.policy import OrgRole
from tests.conftest import Register
from tests.graphql.helpers import codes, gql
from tests.graphql.recruiting import RANKED, hiring, posting_gid
from tests.organization.test_credentials import issue_key, key_headers

DETAIL = "query($id: ID!) { node(id: $id) { ... on Application { applicationId name blinded resume { basics { name } } } } }"
MOVE = """
mutation($id: ID!) {
  moveApplication(id: $id, stage: "screening") { __typename ... on Application { stage { id } } ... on Problem { code } }
}
"""


async def test_an_organisation_key_within_its_scopes_and_its_organisation_only(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    h = await hiring(client, register, app_context)
    owner = h.team.people[OrgRole.owner]
    org = str(h.org_id)
    reader = key_headers(
        await issue_key(client, owner, org, ["organization:read", "jobs:read", "applications:read"])
    )
    writer = key_headers(await issue_key(client, owner, org, ["applications:write"]))

    # Reads within its scopes: every object on the path needs its own (organization, job, applications).
    only_applications = key_headers(await issue_key(client, owner, org, ["applications:read"]))
    partial = await gql(client, RANKED, {"org": org, "job": h.job["id"], "first": 10}, only_applications)
    assert codes(partial) == ["organization-operation-forbidden"] and partial["data"] == {
        "organization": None
    }
    ranked = await gql(client, RANKED, {"org": org, "job": h.job["id"], "first": 10}, reader)
    assert "errors" not in ranked, ranked
    assert len(ranked["data"]["organization"]["job"]["applications"]["edges"]) == 2
    detail = await gql(client, DETAIL, {"id": h.app_gid(0)}, reader)
    assert detail["data"]["node"]["applicationId"] == h.application_ids[0]
    # Its reads (the ranked page's two, the detail's one) are on the access log under the key, attributed
    # to its issuer.
    log = await client.get(f"/v1/organizations/{org}/candidate-data-access", headers=owner.headers)
    entries = log.json()["items"]
    assert [e["action"] for e in entries] == [
        "application.read",
        "applications.listed",
        "applications.listed",
    ]
    for entry in entries:
        assert (entry["credential"], entry["actor_id"]) == ("organization_key", str(owner.user_id))

    # Writes need a scope that grants them: the reader may not move, the writer may.
    refused = await gql(client, MOVE, {"id": h.app_gid(0)}, reader)
    assert codes(refused) == ["organization-operation-forbidden"] and refused["data"] is None
    moved = await gql(client, MOVE, {"id": h.app_gid(0)}, writer)
    assert moved["data"]["moveApplication"] == {"__typename": "Application", "stage": {"id": "screening"}}
    rescored = await gql(
        client,
        "mutation($id: ID!) { rescoreApplication(id: $id) { __typename } }",
        {"id": h.app_gid(1)},
        writer,
    )
    assert rescored["data"]["rescoreApplication"] == {"__typename": "Job"}

    # Never the settings or the membership, whatever its scopes: REST's session-only routes, refused alike.
    every = key_headers(
        await issue_key(
            client,
            owner,
            org,
            [
                "organization:read",
                "members:read",
                "jobs:read",
                "jobs:write",
                "applications:read",
                "applications:write",
                "candidate_data:export",
                "audit:read",
                "webhooks:manage",
            ],
        )
    )
    for mutation, variables in (
        ('updateOrganization(organizationId: $org, input: {name: "Keyed"})', {"org": org}),
        ('inviteMember(organizationId: $org, email: "k@example.org")', {"org": org}),
        (
            "changeMemberRole(organizationId: $org, memberId: $m, role: VIEWER)",
            {"org": org, "m": str(h.team.member_ids[OrgRole.recruiter])},
        ),
        (
            "transferOrganizationOwnership(organizationId: $org, userId: $m)",
            {"org": org, "m": str(h.team.people[OrgRole.admin].user_id)},
        ),
    ):
        declared = ", ".join(f"${k}: UUID!" for k in variables)
        answer = await gql(
            client, f"mutation({declared}) {{ x: {mutation} {{ __typename }} }}", variables, every
        )
        assert codes(answer) == ["credential-not-accepted"], (mutation, answer)
    # Personal fields and the personal organisation list refuse it outright.
    for personal in (
        "{ me { id } }",
        "{ organizations(first: 5) { nodes { name } } }",
        "{ myApplications(first: 5) { nodes { id } } }",
        "{ resumes(first: 5) { nodes { id } } }",
    ):
        assert codes(await gql(client, personal, None, every)) == ["credential-not-accepted"], personal
    created = await gql(
        client,
        'mutation { createOrganization(input: {name: "Keyed", slug: "keyed-org"}) { __typename } }',
        None,
        every,
    )
    assert codes(created) == ["credential-not-accepted"]
    # It may post a job (jobs:write), as over REST.
    posted = await gql(
        client,
        'mutation($org: UUID!) { createJobPosting(organizationId: $org, input: {title: "Keyed"}) { __typename } }',
        {"org": org},
        every,
    )
    assert posted["data"]["createJobPosting"] == {"__typename": "JobPosting"}

    # Another organisation, even one its issuer belongs to: nothing, as REST's 404.
    other = await hiring(client, register, app_context, people=[])
    async with app_context.database.writer() as session:
        session.add(
            OrganizationMember(organization_id=other.org_id, user_id=owner.user_id, role=OrgRole.admin)
        )
        await session.commit()
    elsewhere = await gql(
        client,
        "query($org: UUID!, $job: ID!) { organization(organizationId: $org) { name } node(id: $job) { __typename } }",
        {"org": str(other.org_id), "job": posting_gid(other.org_id, other.job["id"])},
        every,
    )
    assert elsewhere == {"data": {"organization": None, "node": None}}
    write_elsewhere = await gql(
        client,
        "mutation($job: ID!) { exportApplications(jobPostingId: $job) { ... on Problem { code } } }",
        {"job": posting_gid(other.org_id, other.job["id"])},
        every,
    )
    assert write_elsewhere == {"data": {"exportApplications": {"code": "organization-not-found"}}}
    # The person who issued it still sees the other organisation with their own session.
    mine = await gql(
        client,
        "query($org: UUID!) { organization(organizationId: $org) { name } }",
        {"org": str(other.org_id)},
        owner.headers,
    )
    assert mine["data"]["organization"] is not None


async def test_an_organisation_oauth_client_token_within_its_scopes(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    h = await hiring(client, register, app_context)
    owner = h.team.people[OrgRole.owner]
    org = str(h.org_id)
    made = await client.post(
        f"/v1/organizations/{org}/oauth-clients",
        json={"name": "Board sync", "scopes": ["organization:read", "jobs:read"]},
        headers=owner.headers,
    )
    assert made.status_code == 201, made.text
    registered = made.json()
    granted = await client.post(
        "/v1/auth/token",
        data={"grant_type": "client_credentials"},
        auth=(registered["client_id"], registered["client_secret"]),
    )
    bearer = {"Authorization": f"Bearer {granted.json()['access_token']}"}
    jobs = await gql(
        client,
        "query($org: UUID!) { organization(organizationId: $org) { jobs(first: 5) { nodes { title } } } }",
        {"org": org},
        bearer,
    )
    assert jobs == {"data": {"organization": {"jobs": {"nodes": [{"title": "Senior Backend Engineer"}]}}}}
    # Without applications:read the list is refused; with no scope for it, so is a write.
    listed = await gql(client, RANKED, {"org": org, "job": h.job["id"], "first": 5}, bearer)
    assert codes(listed) == ["organization-operation-forbidden"]
    assert listed["data"] == {"organization": {"job": {"applications": None}}}
    moved = await gql(client, MOVE, {"id": h.app_gid(0)}, bearer)
    assert codes(moved) == ["organization-operation-forbidden"]
    assert codes(await gql(client, "{ me { id } }", None, bearer)) == ["credential-not-accepted"]
