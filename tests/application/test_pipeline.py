"""The pipeline: moves recorded with who, when and why; no lost update between concurrent movers; bulk
moves; rejection reasons; renamed stages as candidates see them."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import select

from shortlist.context import AppContext
from shortlist.models import ApplicationMove, Event
from shortlist.organization.policy import OrgRole
from tests.application.helpers import open_job, seed_applications
from tests.conftest import Register, assert_problem
from tests.organization.helpers import person, seed_team


async def test_moves_are_recorded_and_concurrent_moves_do_not_lose_updates(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    recruiter = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner, OrgRole.recruiter: recruiter})
    job = await open_job(client, owner.headers, team.org_id)
    [first, second, third] = await seed_applications(
        app_context, team.org_id, job["id"], [(f"C{n}", f"c{n}@example.org", None) for n in range(3)]
    )
    apps = f"/v1/organizations/{team.org_id}/jobs/{job['id']}/applications"
    url = f"{apps}/{first}"
    etag = (await client.get(url, headers=owner.headers)).headers["etag"]

    # Two people read the same version and both try to move it: exactly one wins, the other gets 412.
    mine = await client.post(
        f"{url}/move",
        json={"stage": "screening", "reason": "strong Python"},
        headers={**owner.headers, "If-Match": etag},
    )
    theirs = await client.post(
        f"{url}/move",
        json={"stage": "rejected", "reason": "no"},
        headers={**recruiter.headers, "If-Match": etag},
    )
    assert mine.status_code == 200, mine.text
    assert_problem(theirs, 412)
    detail = (await client.get(url, headers=owner.headers)).json()
    assert detail["stage"] == "screening"
    [move] = detail["moves"]
    assert move["actor_id"] == str(owner.user_id) and move["reason"] == "strong Python"
    assert (move["from_stage"], move["to_stage"]) == ("applied", "screening") and move["created_at"]

    rejected = await client.post(
        f"{url}/move",
        json={"stage": "rejected", "rejection_reason": "Needs more PostgreSQL"},
        headers={**recruiter.headers, "If-Match": mine.headers["etag"]},
    )
    assert rejected.json()["rejection_reason"] == "Needs more PostgreSQL"
    assert [m["to_stage"] for m in rejected.json()["moves"]] == ["screening", "rejected"]
    assert_problem(
        await client.post(f"{url}/move", json={"stage": "limbo"}, headers=owner.headers), 422, "unknown-stage"
    )

    bulk = await client.post(
        f"{apps}/bulk-move",
        json={"application_ids": [second, third, first], "stage": "rejected", "reason": "filled"},
        headers=recruiter.headers,
    )
    assert bulk.status_code == 200, bulk.text
    assert sorted(bulk.json()["moved"]) == sorted([second, third]) and bulk.json()["unchanged"] == [first]
    unknown = await client.post(
        f"{apps}/bulk-move",
        json={"application_ids": [second, "00000000-0000-0000-0000-000000000000"], "stage": "interview"},
        headers=owner.headers,
    )
    assert_problem(unknown, 404)
    async with app_context.database.reader() as session:
        moves = (await session.scalars(select(ApplicationMove))).all()
        events = (await session.scalars(select(Event).where(Event.name == "application.stage_changed"))).all()
    assert len(moves) == 4 and len(events) == 4  # the refused bulk move left nothing behind
    assert {e.data["to_stage"] for e in events} == {"screening", "rejected"}
    rejected_list = (await client.get(apps, params={"stage": "rejected"}, headers=owner.headers)).json()[
        "items"
    ]
    assert len(rejected_list) == 3


async def test_shortlist_flag_and_renamed_stages_as_the_candidate_sees_them(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    manager = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner, OrgRole.hiring_manager: manager})
    job = await open_job(client, owner.headers, team.org_id, hiring_manager_ids=[str(manager.user_id)])
    candidate = await person(client, register)
    resume = await client.post("/v1/resumes", json={"title": "CV", "content": {}}, headers=candidate.headers)
    applied = await client.post(
        "/v1/applications",
        json={"posting_id": job["id"], "resume_id": resume.json()["id"]},
        headers=candidate.headers,
    )
    stages = [
        {"id": "applied", "name": "Received"},
        {"id": "screening", "name": "Phone call"},
        {"id": "hired", "name": "Hired"},
        {"id": "rejected", "name": "Closed"},
    ]
    jobs = f"/v1/organizations/{team.org_id}/jobs/{job['id']}"
    assert (
        await client.put(f"{jobs}/stages", json={"stages": stages}, headers=owner.headers)
    ).status_code == 200
    app_url = f"{jobs}/applications/{applied.json()['id']}"
    await client.post(f"{app_url}/move", json={"stage": "screening"}, headers=owner.headers)
    mine = (await client.get(f"/v1/applications/{applied.json()['id']}", headers=candidate.headers)).json()
    assert (mine["stage"], mine["stage_name"]) == ("screening", "Phone call")
    # A stage that still holds an application cannot be removed.
    without = [s for s in stages if s["id"] != "screening"]
    assert_problem(await client.put(f"{jobs}/stages", json={"stages": without}, headers=owner.headers), 409)

    shortlisted = await client.patch(app_url, json={"shortlisted": True}, headers=owner.headers)
    assert shortlisted.json()["shortlisted"] is True
    # The hiring manager on the job sees the flag, and may not set it.
    seen = (
        await client.get(f"{jobs}/applications", params={"shortlisted": "true"}, headers=manager.headers)
    ).json()
    assert [a["id"] for a in seen["items"]] == [applied.json()["id"]]
    assert_problem(await client.patch(app_url, json={"shortlisted": False}, headers=manager.headers), 403)


async def test_simultaneous_moves_without_if_match_lose_nothing(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner})
    job = await open_job(client, owner.headers, team.org_id)
    [application_id] = await seed_applications(
        app_context, team.org_id, job["id"], [("C", "c@example.org", None)]
    )
    url = f"/v1/organizations/{team.org_id}/jobs/{job['id']}/applications/{application_id}"
    answers = await asyncio.gather(
        *(
            client.post(f"{url}/move", json={"stage": stage}, headers=owner.headers)
            for stage in ("screening", "interview", "offer")
        )
    )
    # Each move either went through on the version it read, or was refused as a conflict (never silently lost).
    assert all(a.status_code in (200, 409) for a in answers), [a.text for a in answers]
    detail = (await client.get(url, headers=owner.headers)).json()
    moves = detail["moves"]
    assert len(moves) == sum(a.status_code == 200 for a in answers) >= 1
    chain = ["applied", *(m["to_stage"] for m in moves)]
    assert [m["from_stage"] for m in moves] == chain[:-1]  # every move starts where the previous one ended
    assert detail["stage"] == chain[-1] and detail["version"] == 1 + len(moves)
