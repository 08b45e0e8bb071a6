"""No N+1: a page of resumes with their versions, designs and links costs the same statements for 50
resumes as for 5 (counted on the engine, for the whole request)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy import event

from shortlist.context import AppContext
from shortlist.models import (
    ApplicationMove,
    ApplicationNote,
    ApplicationRating,
    ApplicationTag,
    Resume,
    ResumeDesign,
    ResumeShare,
    ResumeVersion,
    WebhookDelivery,
    WebhookEndpoint,
)
from shortlist.organization.policy import OrgRole
from tests.application.helpers import resume_document
from tests.conftest import Register
from tests.graphql.helpers import gql
from tests.graphql.recruiting import hiring

DASHBOARD = """
query Dashboard($first: Int!) {
  resumes(first: $first) {
    edges { node {
      id title version
      latestVersion { number title createdAt }
      versions(first: 3) { nodes { number title } pageInfo { hasNextPage } }
      design { template color version }
      shares { id status }
      content { basics { name } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


@contextmanager
def counted(context: AppContext) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = context.database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def _seed(context: AppContext, owner: uuid.UUID, count: int) -> None:
    async with context.database.writer() as session:
        for index in range(count):
            resume = Resume(
                owner_id=owner, title=f"Resume {index}", content={"basics": {"name": "A"}}, version=3
            )
            session.add(resume)
            await session.flush()
            for number in (1, 2, 3):
                session.add(
                    ResumeVersion(resume_id=resume.id, version=number, title=f"v{number}", content={})
                )
            if index % 2 == 0:
                session.add(ResumeDesign(resume_id=resume.id, design={"template": "modern"}, version=1))
                session.add(
                    ResumeShare(
                        resume_id=resume.id,
                        token_hash=uuid.uuid4().hex,
                        display_prefix="sls_x",
                        formats=["html"],
                    )
                )
        await session.commit()


async def _statements_for(
    client: httpx.AsyncClient, register: Register, context: AppContext, count: int
) -> tuple[int, dict[str, Any]]:
    headers = await register()
    owner = uuid.UUID((await client.get("/v1/users/me", headers=headers)).json()["id"])
    await _seed(context, owner, count)
    await gql(client, "{ me { id } }", headers=headers)  # the subject's lookups are cached from here on
    with counted(context) as statements:
        result = await gql(client, DASHBOARD, {"first": count}, headers)
    assert "errors" not in result, result
    return len([s for s in statements if s.lstrip().upper().startswith("SELECT")]), result


async def test_fifty_resumes_cost_the_same_statements_as_five(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    few, small = await _statements_for(client, register, app_context, 5)
    many, large = await _statements_for(client, register, app_context, 50)
    edges = large["data"]["resumes"]["edges"]
    assert len(edges) == 50 and len(small["data"]["resumes"]["edges"]) == 5
    # Every relation came back right, not merely cheaply.
    for edge in edges:
        node = edge["node"]
        index = int(node["title"].split()[-1])
        assert node["latestVersion"]["number"] == 3
        assert [v["number"] for v in node["versions"]["nodes"]] == [3, 2, 1]
        assert node["design"]["template"] == ("modern" if index % 2 == 0 else "classic")
        assert len(node["shares"]) == (1 if index % 2 == 0 else 0)
    # The page, then one statement per relation (versions, current versions, designs, shares).
    assert many == few, (few, many)
    assert many <= 6, many


async def _webhooks_with_deliveries(context: AppContext, owner: uuid.UUID, count: int) -> None:
    async with context.database.writer() as session:
        for index in range(count):
            endpoint = WebhookEndpoint(
                owner_id=owner, url=f"https://hooks.example.com/{index}", event_types=["*"], secret_sealed="x"
            )
            session.add(endpoint)
            await session.flush()
            for event in range(3):
                session.add(
                    WebhookDelivery(
                        endpoint_id=endpoint.id,
                        owner_id=owner,
                        event_type="webhook.ping",
                        event_id=f"e{event}",
                        message_id=f"m{index}-{event}",
                        payload='{"type": "webhook.ping"}',
                    )
                )
        await session.commit()


async def test_delivery_logs_of_many_webhooks_cost_one_statement(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    counts = []
    for count in (2, 8):
        headers = await register()
        owner = uuid.UUID((await client.get("/v1/users/me", headers=headers)).json()["id"])
        await _webhooks_with_deliveries(app_context, owner, count)
        await gql(client, "{ me { id } }", headers=headers)
        query = "{ webhooks(first: 10) { nodes { url deliveries(first: 2) { nodes { messageId } pageInfo { hasNextPage } } } } }"
        with counted(app_context) as statements:
            result = await gql(client, query, headers=headers)
        nodes = result["data"]["webhooks"]["nodes"]
        assert len(nodes) == count
        assert all(
            len(n["deliveries"]["nodes"]) == 2 and n["deliveries"]["pageInfo"]["hasNextPage"] for n in nodes
        )
        counts.append(len([s for s in statements if s.lstrip().upper().startswith("SELECT")]))
    assert counts[0] == counts[1] == 2, counts  # the endpoints, then every log's first page at once


RANKED_WITH_RELATIONS = """
query Ranked($org: UUID!, $job: UUID!, $first: Int!) {
  organization(organizationId: $org) {
    job(jobPostingId: $job) {
      applications(first: $first) {
        nodes {
          name score stage { id name } tags rating { average count mine }
          notes { body } moves { toStage } timeline { kind } scorecards { stage }
        }
      }
    }
  }
}
"""


async def _ranked_statements(
    client: httpx.AsyncClient, register: Register, context: AppContext, count: int
) -> int:
    people: list[tuple[str, str, dict[str, Any] | None]] = [
        (
            f"Person {i}",
            f"p{i}-{uuid.uuid4().hex[:6]}@example.org",
            resume_document(f"Person {i}", "x@example.org", strong=i % 2 == 0),
        )
        for i in range(count)
    ]
    h = await hiring(client, register, context, people=people)
    recruiter = h.team.people[OrgRole.recruiter]
    async with context.database.writer() as session:
        for application_id in map(uuid.UUID, h.application_ids):
            session.add(ApplicationTag(application_id=application_id, tag="python"))
            session.add(ApplicationRating(application_id=application_id, user_id=recruiter.user_id, rating=4))
            session.add(
                ApplicationNote(
                    application_id=application_id, author_id=recruiter.user_id, body="Good", mentions={}
                )
            )
            session.add(
                ApplicationMove(
                    application_id=application_id,
                    actor_id=recruiter.user_id,
                    from_stage="applied",
                    to_stage="screening",
                )
            )
        await session.commit()
    variables = {"org": str(h.org_id), "job": h.job["id"], "first": count}
    await gql(client, "{ me { id } }", headers=recruiter.headers)
    with counted(context) as statements:
        result = await gql(client, RANKED_WITH_RELATIONS, variables, recruiter.headers)
    assert "errors" not in result, result
    nodes = result["data"]["organization"]["job"]["applications"]["nodes"]
    assert len(nodes) == count
    for node in nodes:
        assert node["tags"] == ["python"] and node["rating"] == {"average": 4.0, "count": 1, "mine": 4}
        assert [n["body"] for n in node["notes"]] == ["Good"] and node["moves"] == [{"toStage": "screening"}]
        assert sorted(e["kind"] for e in node["timeline"]) == ["applied", "moved", "note"]
    return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])


async def test_a_ranked_page_with_its_relations_costs_the_same_for_twenty_as_for_four(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    few = await _ranked_statements(client, register, app_context, 4)
    many = await _ranked_statements(client, register, app_context, 20)
    # Membership, the job, the ranked page, then one statement per relation (tags, ratings, notes, moves,
    # scorecards), whatever the page size.
    assert many == few, (few, many)
    assert many <= 9, many
