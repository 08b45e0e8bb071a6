"""The recruiter side over GraphQL, over HTTP with real auth: organisations, invitations, job postings,
the ranked list (REST's cursors and filters), the pipeline and working together, roles and other
organisations (nulls and errors, never data)."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from shortlist.context import AppContext
from shortlist.graphql.ids import global_id
from shortlist.organization.policy import OrgRole
from tests.conftest import Register
from tests.graphql.helpers import codes, gql
from tests.graphql.recruiting import ORGANIZATION_WRITES, RANKED, hiring, posting_gid
from tests.organization.helpers import invitation_token, mails_to, person

ORGANIZATION = """
query Org($org: UUID!) {
  organization(organizationId: $org) {
    id name slug myRole version
    members(first: 10) { nodes { id userId email role } }
    invitations(first: 10) { nodes { email role } }
    jobs(first: 10) { nodes { id jobPostingId title status } pageInfo { hasNextPage } }
  }
}
"""

CREATE_JOB = """
mutation Job($org: UUID!, $input: JobPostingInput!) {
  createJobPosting(organizationId: $org, input: $input) {
    __typename
    ... on JobPosting {
      id jobPostingId status version title
      extracted { requiredSkills preferredSkills years }
      effective { requiredSkills years }
      requirements { requiredSkills years }
      unrecognisedSkills stages { id name } hiringManagerIds
    }
    ... on Problem { code httpStatus detail }
  }
}
"""

TRANSITION = """
mutation T($id: ID!, $v: Int) {
  open: openJobPosting(id: $id, expectedVersion: $v) {
    __typename ... on JobPosting { status version } ... on ConflictProblem { code currentVersion }
  }
}
"""

CORRECT = """
mutation C($id: ID!, $r: RequirementsInput!, $v: Int) {
  correctJobRequirements(id: $id, requirements: $r, expectedVersion: $v) {
    __typename
    ... on JobPosting { version requirements { requiredSkills years } effective { requiredSkills years } }
    ... on Problem { code }
  }
}
"""

MOVE = """
mutation M($id: ID!, $stage: String!, $v: Int, $reason: String) {
  moveApplication(id: $id, stage: $stage, expectedVersion: $v, reason: $reason) {
    __typename
    ... on Application { version stage { id name } moves { fromStage toStage reason } }
    ... on ConflictProblem { code currentVersion }
    ... on ValidationProblem { code }
    ... on NotFoundProblem { code }
  }
}
"""

DETAIL = """
query D($id: ID!) {
  node(id: $id) {
    ... on Application {
      applicationId name shortlisted overrideScore rankScore version tags
      stage { id } rating { average count mine }
      moves { fromStage toStage reason actorId }
      notes { body mentions authorId }
      scorecards { stage summary criteria { criterion score } }
      timeline { kind summary }
      resume { basics { name email } skills { name } }
    }
  }
}
"""


async def test_organisation_invitation_and_job_posting(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    created = await gql(
        client,
        'mutation { createOrganization(input: {name: "Acme", slug: "acme-gql"}, idempotencyKey: "o-1") {'
        " __typename ... on Organization { id organizationId slug myRole } ... on Problem { code } } }",
        headers=owner.headers,
    )
    organization = created["data"]["createOrganization"]
    assert organization["__typename"] == "Organization" and organization["myRole"] == "owner"
    org_id = organization["organizationId"]
    # The same key gives the same organisation; the same slug without a key is REST's conflict.
    again = await gql(
        client,
        'mutation { createOrganization(input: {name: "Acme", slug: "acme-gql"}, idempotencyKey: "o-1") {'
        " ... on Organization { organizationId } } }",
        headers=owner.headers,
    )
    assert again["data"]["createOrganization"]["organizationId"] == org_id
    taken = await gql(
        client,
        'mutation { createOrganization(input: {name: "B", slug: "acme-gql"}) { ... on Problem { code httpStatus } } }',
        headers=owner.headers,
    )
    assert taken["data"]["createOrganization"] == {"code": "organization-slug-taken", "httpStatus": 409}
    bad = await gql(
        client,
        'mutation { createOrganization(input: {name: "B", slug: "Not A Slug"}) { __typename } }',
        headers=owner.headers,
    )
    assert bad["data"]["createOrganization"]["__typename"] == "ValidationProblem"

    colleague = await person(client, register)
    invited = await gql(
        client,
        "mutation($org: UUID!, $email: String!) { inviteMember(organizationId: $org, email: $email, "
        "role: HIRING_MANAGER) { __typename ... on Invitation { email role } } }",
        {"org": org_id, "email": colleague.email},
        owner.headers,
    )
    assert invited["data"]["inviteMember"] == {
        "__typename": "Invitation",
        "email": colleague.email,
        "role": "hiring_manager",
    }
    outbox = app_context.settings.data_dir / "outbox"
    token = invitation_token(outbox, colleague.email)
    accepted = await client.post("/v1/invitations/accept", json={"token": token}, headers=colleague.headers)
    assert accepted.status_code == 200, accepted.text

    job = await gql(
        client,
        CREATE_JOB,
        {
            "org": org_id,
            "input": {
                "title": "Senior Backend Engineer",
                "description": "## Requirements\n- 5+ years of Python\n- PostgreSQL and Docker\n",
                "hiringManagerIds": [str(colleague.user_id)],
            },
        },
        owner.headers,
    )
    posting = job["data"]["createJobPosting"]
    assert posting["__typename"] == "JobPosting" and posting["status"] == "DRAFT"
    assert set(posting["extracted"]["requiredSkills"]) >= {"Python", "PostgreSQL", "Docker"}
    assert posting["extracted"]["years"] == 5 and posting["requirements"]["requiredSkills"] is None
    assert posting["hiringManagerIds"] == [str(colleague.user_id)]
    assert posting["stages"][0]["id"] == "applied"

    corrected = await gql(
        client,
        CORRECT,
        {
            "id": posting["id"],
            "r": {"requiredSkills": ["postgres", "Rust"], "years": 3},
            "v": posting["version"],
        },
        owner.headers,
    )
    fixed = corrected["data"]["correctJobRequirements"]
    # Normalised to the engine's spelling, and the recruiter's fields win in the effective requirements.
    assert fixed["requirements"] == {"requiredSkills": ["PostgreSQL", "Rust"], "years": 3.0}
    assert fixed["effective"] == {"requiredSkills": ["PostgreSQL", "Rust"], "years": 3.0}
    stale = await gql(client, TRANSITION, {"id": posting["id"], "v": posting["version"]}, owner.headers)
    assert stale["data"]["open"] == {
        "__typename": "ConflictProblem",
        "code": "precondition-failed",
        "currentVersion": fixed["version"],
    }
    opened = await gql(client, TRANSITION, {"id": posting["id"], "v": fixed["version"]}, owner.headers)
    assert opened["data"]["open"]["status"] == "OPEN"
    reopened = await gql(client, TRANSITION, {"id": posting["id"]}, owner.headers)
    assert reopened["data"]["open"]["__typename"] == "ConflictProblem"  # open → open is no transition

    read = await gql(client, ORGANIZATION, {"org": org_id}, owner.headers)
    org = read["data"]["organization"]
    assert {m["email"]: m["role"] for m in org["members"]["nodes"]} == {
        owner.email: "owner",
        colleague.email: "hiring_manager",
    }
    assert org["invitations"]["nodes"] == [{"email": colleague.email, "role": "hiring_manager"}]
    assert [j["title"] for j in org["jobs"]["nodes"]] == ["Senior Backend Engineer"]
    # node(id:) reaches the organisation, its member and its job; REST's own view agrees.
    member_id = next(m["id"] for m in org["members"]["nodes"] if m["email"] == colleague.email)
    nodes = await gql(
        client,
        "query($a: ID!, $b: ID!, $c: ID!) { a: node(id: $a) { ... on Organization { slug } } "
        "b: node(id: $b) { ... on Member { role } } c: node(id: $c) { ... on JobPosting { status } } }",
        {"a": org["id"], "b": member_id, "c": posting["id"]},
        owner.headers,
    )
    assert nodes["data"] == {
        "a": {"slug": "acme-gql"},
        "b": {"role": "hiring_manager"},
        "c": {"status": "OPEN"},
    }
    rest = await client.get(
        f"/v1/organizations/{org_id}/jobs/{posting['jobPostingId']}", headers=owner.headers
    )
    assert rest.json()["status"] == "open" and rest.json()["requirements"]["years"] == 3

    # The hiring manager sees the organisation but cannot see its invitations (owner and admin only).
    as_manager = await gql(client, ORGANIZATION, {"org": org_id}, colleague.headers)
    assert codes(as_manager) == ["organization-operation-forbidden"]
    assert as_manager["data"]["organization"]["invitations"] is None
    assert len(as_manager["data"]["organization"]["members"]["nodes"]) == 2
    assert "sli_" not in str(as_manager)


async def test_ranked_list_pipeline_and_collaboration(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    h = await hiring(client, register, app_context, scorecard_criteria=["Design"])
    recruiter = h.team.headers(OrgRole.recruiter)
    variables: dict[str, Any] = {"org": str(h.org_id), "job": h.job["id"], "first": 1}
    first = await gql(client, RANKED, variables, recruiter)
    page = first["data"]["organization"]["job"]["applications"]
    top = page["edges"][0]["node"]
    assert (
        top["name"] == "Grace Hopper"
        and top["score"] >= 80
        and top["stage"] == {"id": "applied", "name": "Applied"}
    )
    assert {m["skill"] for m in top["explanation"]["matchedRequired"]} >= {"Python", "PostgreSQL", "Docker"}
    assert all(m["evidence"] for m in top["explanation"]["matchedRequired"])
    assert top["explanation"]["yearsAsked"] == 5 and "years of experience" in top["explanation"]["seniority"]
    assert page["pageInfo"]["hasNextPage"] is True

    # GraphQL's endCursor is REST's cursor, and REST's next_cursor is GraphQL's `after`.
    apps = f"/v1/organizations/{h.org_id}/jobs/{h.job['id']}/applications"
    rest = await client.get(
        apps, params={"limit": 1, "cursor": page["pageInfo"]["endCursor"]}, headers=recruiter
    )
    assert rest.status_code == 200 and [a["name"] for a in rest.json()["items"]] == ["Carl Sales"]
    rest_first = (await client.get(apps, params={"limit": 1}, headers=recruiter)).json()
    second = await gql(client, RANKED, {**variables, "after": rest_first["next_cursor"]}, recruiter)
    assert [e["node"]["name"] for e in second["data"]["organization"]["job"]["applications"]["edges"]] == [
        "Carl Sales"
    ]
    # Filters as REST's; a cursor from another filter set is refused, as REST refuses it.
    strong = await gql(client, RANKED, {**variables, "first": 10, "minScore": 50}, recruiter)
    assert [e["node"]["name"] for e in strong["data"]["organization"]["job"]["applications"]["edges"]] == [
        "Grace Hopper"
    ]
    foreign = await gql(
        client, RANKED, {**variables, "minScore": 50, "after": page["pageInfo"]["endCursor"]}, recruiter
    )
    assert codes(foreign) == ["bad-request"] and foreign["data"]["organization"]["job"] == {
        "applications": None
    }
    out_of_range = await gql(client, RANKED, {**variables, "minScore": 101}, recruiter)
    assert codes(out_of_range) == ["validation-error"]

    grace = h.app_gid(0)
    stale = await gql(client, MOVE, {"id": grace, "stage": "screening", "v": top["version"] + 1}, recruiter)
    assert stale["data"]["moveApplication"] == {
        "__typename": "ConflictProblem",
        "code": "precondition-failed",
        "currentVersion": top["version"],
    }
    moved = await gql(
        client, MOVE, {"id": grace, "stage": "screening", "v": top["version"], "reason": "Strong"}, recruiter
    )
    assert moved["data"]["moveApplication"]["stage"] == {"id": "screening", "name": "Screening"}
    assert moved["data"]["moveApplication"]["moves"] == [
        {"fromStage": "applied", "toStage": "screening", "reason": "Strong"}
    ]
    unknown = await gql(client, MOVE, {"id": grace, "stage": "nowhere"}, recruiter)
    assert unknown["data"]["moveApplication"] == {"__typename": "ValidationProblem", "code": "unknown-stage"}
    bulk = await gql(
        client,
        "mutation($job: ID!, $ids: [UUID!]!) { bulkMoveApplications(jobPostingId: $job, applicationIds: $ids, "
        'stage: "interview") { __typename ... on BulkMoveOutcome { moved unchanged } ... on Problem { code } } }',
        {"job": h.job_gid, "ids": h.application_ids},
        recruiter,
    )
    assert sorted(bulk["data"]["bulkMoveApplications"]["moved"]) == sorted(h.application_ids)
    missing = await gql(
        client,
        "mutation($job: ID!, $ids: [UUID!]!) { bulkMoveApplications(jobPostingId: $job, applicationIds: $ids, "
        'stage: "offer") { __typename ... on Problem { code } } }',
        {"job": h.job_gid, "ids": [h.application_ids[0], str(uuid.uuid4())]},
        recruiter,
    )
    assert missing["data"]["bulkMoveApplications"] == {
        "__typename": "NotFoundProblem",
        "code": "application-not-found",
    }

    manager = h.team.people[OrgRole.hiring_manager]
    writes = await gql(
        client,
        "mutation($id: ID!, $body: String!) { "
        "note: addApplicationNote(id: $id, body: $body) { __typename ... on Note { body mentions } } "
        "rate: rateApplication(id: $id, rating: 4) { ... on RatingSummary { average count mine } } }",
        {"id": grace, "body": f"Great systems answers, cc @{manager.email}"},
        recruiter,
    )
    assert writes["data"]["note"]["mentions"] == [str(manager.user_id)]
    assert writes["data"]["rate"] == {"average": 4.0, "count": 1, "mine": 4}
    assert any(
        "mentioned you" in body for body in mails_to(app_context.settings.data_dir / "outbox", manager.email)
    )
    manager_rates = await gql(
        client,
        "mutation($id: ID!) { rateApplication(id: $id, rating: 2) { ... on RatingSummary { average mine } } }",
        {"id": grace},
        manager.headers,
    )
    assert manager_rates["data"]["rateApplication"] == {"average": 3.0, "mine": 2}
    tagged = await gql(
        client,
        'mutation($id: ID!) { setApplicationTags(id: $id, tags: ["python", "remote"]) { ... on Application { tags } } '
        "update: updateApplication(id: $id, input: {shortlisted: true, overrideScore: 99}) {"
        " ... on Application { shortlisted overrideScore rankScore } } }",
        {"id": grace},
        recruiter,
    )
    assert tagged["data"]["setApplicationTags"]["tags"] == ["python", "remote"]
    assert tagged["data"]["update"] == {"shortlisted": True, "overrideScore": 99, "rankScore": 99}
    card = await client.put(
        f"{apps}/{h.application_ids[0]}/scorecards/interview",
        json={"criteria": {"Design": 5}, "summary": "Clear designs"},
        headers=recruiter,
    )
    assert card.status_code == 200, card.text

    detail = (await gql(client, DETAIL, {"id": grace}, recruiter))["data"]["node"]
    assert detail["tags"] == ["python", "remote"] and detail["stage"] == {"id": "interview"}
    assert detail["rating"] == {"average": 3.0, "count": 2, "mine": 4}
    assert [(m["fromStage"], m["toStage"]) for m in detail["moves"]] == [
        ("applied", "screening"),
        ("screening", "interview"),
    ]
    assert detail["notes"][0]["body"].startswith("Great systems answers")
    assert detail["scorecards"] == [
        {"stage": "interview", "summary": "Clear designs", "criteria": [{"criterion": "Design", "score": 5}]}
    ]
    assert [e["kind"] for e in detail["timeline"]] == ["applied", "moved", "moved", "note"]
    assert detail["resume"]["basics"]["name"] == "Grace Hopper"
    assert {s["name"] for s in detail["resume"]["skills"]} >= {"Python"}
    # REST reads the same state.
    rest_detail = (await client.get(f"{apps}/{h.application_ids[0]}", headers=recruiter)).json()
    assert rest_detail["stage"] == "interview" and rest_detail["tags"] == ["python", "remote"]
    assert rest_detail["version"] == detail["version"]


async def test_roles_and_other_organisations_get_nulls_and_errors_never_data(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    h = await hiring(client, register, app_context)
    other_job = await gql(
        client,
        CREATE_JOB,
        {"org": str(h.org_id), "input": {"title": "Designer"}},
        h.team.headers(OrgRole.owner),
    )
    other_gid = other_job["data"]["createJobPosting"]["id"]
    grace = h.app_gid(0)
    viewer = h.team.headers(OrgRole.viewer)
    manager = h.team.headers(OrgRole.hiring_manager)
    recruiter = h.team.headers(OrgRole.recruiter)

    # A viewer reads, but may not move, tag, note or rate.
    read = await gql(client, DETAIL, {"id": grace}, viewer)
    assert read["data"]["node"]["applicationId"] == h.application_ids[0]
    for mutation in (
        'moveApplication(id: $id, stage: "screening") { __typename }',
        'setApplicationTags(id: $id, tags: ["x"]) { __typename }',
        'addApplicationNote(id: $id, body: "hi") { __typename }',
        "rateApplication(id: $id, rating: 3) { __typename }",
    ):
        refused = await gql(client, f"mutation($id: ID!) {{ {mutation} }}", {"id": grace}, viewer)
        assert codes(refused) == ["organization-operation-forbidden"], mutation
        assert refused["data"] is None
    # A recruiter may not invite; a hiring manager may not move.
    invite = await gql(
        client,
        'mutation($org: UUID!) { inviteMember(organizationId: $org, email: "x@example.org") { __typename } }',
        {"org": str(h.org_id)},
        recruiter,
    )
    assert codes(invite) == ["organization-operation-forbidden"]
    manager_move = await gql(client, MOVE, {"id": grace, "stage": "screening"}, manager)
    assert codes(manager_move) == ["organization-operation-forbidden"]
    # A hiring manager sees only the jobs they are on: the other job is null, and absent from the list.
    on_jobs = await gql(
        client,
        "query($org: UUID!, $other: ID!) { organization(organizationId: $org) { jobs(first: 10) { nodes { title } } } "
        "node(id: $other) { __typename } }",
        {"org": str(h.org_id), "other": other_gid},
        manager,
    )
    assert on_jobs["data"] == {
        "organization": {"jobs": {"nodes": [{"title": "Senior Backend Engineer"}]}},
        "node": None,
    }
    unchanged = await client.get(
        f"/v1/organizations/{h.org_id}/jobs/{h.job['id']}/applications/{h.application_ids[0]}",
        headers=recruiter,
    )
    assert unchanged.json()["stage"] == "applied" and unchanged.json()["tags"] == []

    # Someone from outside: null for every object, NotFoundProblem for every write, nothing else.
    outsider = h.outsider.headers
    looked = await gql(
        client,
        "query($org: UUID!, $job: ID!, $app: ID!, $orgId: ID!) { organization(organizationId: $org) { name } "
        "a: node(id: $job) { __typename } b: node(id: $app) { __typename } c: node(id: $orgId) { __typename } "
        "organizations(first: 10) { nodes { name } } }",
        {"org": str(h.org_id), "job": h.job_gid, "app": grace, "orgId": global_id("Organization", h.org_id)},
        outsider,
    )
    assert looked == {
        "data": {"organization": None, "a": None, "b": None, "c": None, "organizations": {"nodes": []}}
    }
    for name, call in ORGANIZATION_WRITES.items():
        values = {
            "app": grace,
            "job": h.job_gid,
            "org": str(h.org_id),
            "appId": h.application_ids[0],
            "memberId": str(h.team.member_ids[OrgRole.recruiter]),
            "userId": str(h.outsider.user_id),
            "anyId": str(uuid.uuid4()),
        }
        types = {
            "app": "ID!",
            "job": "ID!",
            "org": "UUID!",
            "appId": "UUID!",
            "memberId": "UUID!",
            "userId": "UUID!",
            "anyId": "UUID!",
        }
        used = [v for v in values if re.search(rf"\${v}\b", call)]
        declared = ", ".join(f"${v}: {types[v]}" for v in used)
        result = await gql(
            client,
            f"mutation({declared}) {{ x: {call} {{ ... on Problem {{ code }} }} }}",
            {v: values[v] for v in used},
            outsider,
        )
        assert result == {"data": {"x": {"code": "organization-not-found"}}}, (name, result)
    after = await client.get(
        f"/v1/organizations/{h.org_id}/jobs/{h.job['id']}/applications/{h.application_ids[0]}",
        headers=recruiter,
    )
    assert (after.json()["stage"], after.json()["tags"], after.json()["shortlisted"]) == (
        "applied",
        [],
        False,
    )
    assert after.json()["rating"]["count"] == 0
    organization = (await client.get(f"/v1/organizations/{h.org_id}", headers=recruiter)).json()
    assert organization["name"] != "Taken" and organization["owner_id"] == str(
        h.team.people[OrgRole.owner].user_id
    )
    members = (await client.get(f"/v1/organizations/{h.org_id}/members", headers=recruiter)).json()["items"]
    assert sorted(m["role"] for m in members) == sorted(str(r) for r in h.team.people)
    # An id naming another organisation's job with this organisation's id resolves nothing either.
    forged = posting_gid(uuid.uuid4(), h.job["id"])
    assert (await gql(client, "query($id: ID!) { node(id: $id) { __typename } }", {"id": forged}, recruiter))[
        "data"
    ] == {"node": None}
    # Without credentials: an error, no data.
    anonymous = await gql(client, RANKED, {"org": str(h.org_id), "job": h.job["id"], "first": 5})
    assert codes(anonymous) == ["unauthorized"] and anonymous["data"] == {"organization": None}


async def test_entities_resolve_organisations_and_job_postings_for_members_only(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    h = await hiring(client, register, app_context, people=[])
    query = (
        "query($r: [_Any!]!) { _entities(representations: $r) { "
        "... on Organization { name } ... on JobPosting { title } } }"
    )
    representations = [
        {"__typename": "Organization", "id": global_id("Organization", h.org_id)},
        {"__typename": "JobPosting", "id": h.job_gid},
    ]
    member = await gql(client, query, {"r": representations}, h.team.headers(OrgRole.viewer))
    assert member["data"]["_entities"][1] == {"title": "Senior Backend Engineer"}
    assert member["data"]["_entities"][0]["name"].startswith("Team ")
    outsider = await gql(client, query, {"r": representations}, h.outsider.headers)
    assert outsider == {"data": {"_entities": [None, None]}}
