"""Application events over a GraphQL subscription: a member of the organisation hears an application to
the job being created, scored, moved and changed (notes, tags, ratings, scorecards, the override: the kind
of change, never its content); someone from outside is refused."""

from __future__ import annotations

import json

import httpx

from shortlist.context import AppContext
from shortlist.job.embedded import JobRunner
from shortlist.main import create_app
from shortlist.organization.policy import OrgRole
from tests.conftest import Register
from tests.graphql.helpers import RESUME_CONTENT, create_resume, gql
from tests.graphql.recruiting import application_gid, hiring
from tests.graphql.wsclient import graphql_socket, next_message, subscribe
from tests.job.live_server import served

EVENTS = """
subscription($job: ID!) {
  applicationEvents(jobPostingId: $job) { event applicationId applicationGlobalId score fromStage toStage }
}
"""


async def test_members_hear_applications_created_scored_and_moved(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, job_runner: JobRunner
) -> None:
    h = await hiring(client, register, app_context, people=[])
    recruiter = h.team.headers(OrgRole.recruiter)
    candidate = await register()
    resume = await create_resume(client, candidate, content=RESUME_CONTENT)
    async with served(create_app(context=app_context)) as address:
        url = f"ws://{address}/graphql"
        async with graphql_socket(url, {"authorization": recruiter["Authorization"]}) as socket:
            await subscribe(socket, "apps", EVENTS, {"job": h.job_gid})
            applied = await gql(
                client,
                "mutation($job: UUID!, $resume: UUID!) { applyWithResume(jobPostingId: $job, resumeId: $resume) "
                "{ ... on MyApplication { applicationId } } }",
                {"job": h.job["id"], "resume": resume["resumeId"]},
                candidate,
            )
            application_id = applied["data"]["applyWithResume"]["applicationId"]
            heard: dict[str, dict[str, object]] = {}
            while "application.scored" not in heard or "application.created" not in heard:
                message = await next_message(socket, 30)
                assert message["type"] == "next", message
                event = message["payload"]["data"]["applicationEvents"]
                heard[event["event"]] = event
            assert heard["application.created"]["applicationId"] == application_id
            assert isinstance(heard["application.scored"]["score"], int)
            gid = application_gid(h.org_id, h.job["id"], application_id)
            assert heard["application.created"]["applicationGlobalId"] == gid
            moved = await gql(
                client,
                'mutation($id: ID!) { moveApplication(id: $id, stage: "screening") { __typename } }',
                {"id": gid},
                recruiter,
            )
            assert moved["data"]["moveApplication"] == {"__typename": "Application"}
            message = await next_message(socket, 30)
            assert message["payload"]["data"]["applicationEvents"] == {
                "event": "application.stage_changed",
                "applicationId": application_id,
                "applicationGlobalId": gid,
                "score": None,
                "fromStage": "applied",
                "toStage": "screening",
            }
            # Ownership changes hands: the socket keeps hearing the organisation's events.
            owner = h.team.headers(OrgRole.owner)
            new_owner = str(h.team.people[OrgRole.recruiter].user_id)
            handed = await client.post(
                f"/v1/organizations/{h.org_id}/transfer-ownership", json={"user_id": new_owner}, headers=owner
            )
            assert handed.status_code == 200, handed.text
            moved = await gql(
                client,
                'mutation($id: ID!) { moveApplication(id: $id, stage: "interview") { __typename } }',
                {"id": gid},
                recruiter,
            )
            assert moved["data"]["moveApplication"] == {"__typename": "Application"}
            message = await next_message(socket, 30)
            assert message["payload"]["data"]["applicationEvents"]["toStage"] == "interview"
        # Someone from outside cannot listen: the organisation does not exist for them.
        async with graphql_socket(url, {"authorization": h.outsider.headers["Authorization"]}) as socket:
            await subscribe(socket, "apps", EVENTS, {"job": h.job_gid})
            refused = await next_message(socket)
            errors = refused["payload"]["errors"] if refused["type"] == "next" else refused["payload"]
            assert "organization" in json.dumps(errors).lower(), refused


async def test_members_hear_notes_tags_ratings_scorecards_and_overrides_without_their_content(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, job_runner: JobRunner
) -> None:
    h = await hiring(client, register, app_context, scorecard_criteria=["Communication"])
    recruiter = h.team.headers(OrgRole.recruiter)
    application_id = h.application_ids[0]
    rest = f"/v1/organizations/{h.org_id}/jobs/{h.job['id']}/applications/{application_id}"
    async with served(create_app(context=app_context)) as address:
        socket_url = f"ws://{address}/graphql"
        async with graphql_socket(socket_url, {"authorization": recruiter["Authorization"]}) as socket:
            await subscribe(
                socket,
                "apps",
                "subscription($job: ID!) { applicationEvents(jobPostingId: $job) "
                "{ event applicationId change fromStage toStage score } }",
                {"job": h.job_gid},
            )
            owner = h.team.headers(OrgRole.owner)
            etag = (await client.get(rest, headers=owner)).headers["ETag"]
            changes = [
                ("PUT", "/tags", {"tags": ["remote", "senior"]}, owner, "tags"),
                ("POST", "/notes", {"body": "Strong on Kafka, ask about on-call"}, owner, "note"),
                ("PUT", "/rating", {"rating": 4}, recruiter, "rating"),
                ("PUT", "/scorecards/applied", {"criteria": {"Communication": 4}}, recruiter, "scorecard"),
                (
                    "PATCH",
                    "",
                    {"override_score": 91, "shortlisted": True},
                    owner,
                    "override_score,shortlisted",
                ),
            ]
            for method, suffix, body, headers, change in changes:
                extra = {"If-Match": etag} if method == "PATCH" else {}
                answer = await client.request(method, rest + suffix, json=body, headers={**headers, **extra})
                assert answer.status_code in (200, 201), answer.text
                message = await next_message(socket, 30)
                assert message["payload"]["data"]["applicationEvents"] == {
                    "event": "application.updated",
                    "applicationId": application_id,
                    "change": change,
                    "fromStage": None,
                    "toStage": None,
                    "score": None,
                }
            # The same through GraphQL.
            tagged = await gql(
                client,
                'mutation($id: ID!) { setApplicationTags(id: $id, tags: ["python"]) { __typename } }',
                {"id": h.app_gid(0)},
                recruiter,
            )
            assert tagged["data"]["setApplicationTags"] == {"__typename": "Application"}, tagged
            message = await next_message(socket, 30)
            assert message["payload"]["data"]["applicationEvents"]["change"] == "tags"
