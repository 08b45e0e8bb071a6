"""Tags, ratings, notes with @mentions, the timeline, and the filters that use them (skills all/any, tags,
rating, years, dates)."""

from __future__ import annotations

import httpx

from shortlist.context import AppContext
from shortlist.organization.policy import OrgRole
from tests.application.helpers import open_job, resume_document, seed_applications
from tests.conftest import Register, assert_problem
from tests.organization.helpers import mails_to, person, seed_team


async def test_collaboration_and_filters(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    recruiter = await person(client, register)
    manager = await person(client, register)
    team = await seed_team(
        app_context, {OrgRole.owner: owner, OrgRole.recruiter: recruiter, OrgRole.hiring_manager: manager}
    )
    job = await open_job(client, owner.headers, team.org_id, hiring_manager_ids=[str(manager.user_id)])
    strong = resume_document("Ada Quill", "ada@example.org", strong=True)
    weak = resume_document("Bo Lark", "bo@example.org", strong=False)
    ada, bo = await seed_applications(
        app_context,
        team.org_id,
        job["id"],
        [("Ada Quill", "ada@example.org", strong), ("Bo Lark", "bo@example.org", weak)],
    )
    apps = f"/v1/organizations/{team.org_id}/jobs/{job['id']}/applications"

    async def listed(**params: str | float | list[str]) -> list[str]:
        response = await client.get(apps, params=params, headers=owner.headers)
        assert response.status_code == 200, response.text
        return [a["id"] for a in response.json()["items"]]

    assert await listed(skill=["Python", "postgres"]) == [ada]
    assert await listed(skill=["Python", "Excel"]) == []
    assert sorted(await listed(skill=["Python", "Excel"], skills_mode="any")) == sorted([ada, bo])
    assert await listed(min_years=5) == [ada]
    assert await listed(applied_after="2000-01-01T00:00:00Z", applied_before="2001-01-01T00:00:00Z") == []

    tags = await client.put(
        f"{apps}/{ada}/tags", json={"tags": ["referral", "python"]}, headers=recruiter.headers
    )
    assert tags.json() == ["python", "referral"]
    assert await listed(tag=["referral"]) == [ada]
    assert_problem(
        await client.put(f"{apps}/{ada}/tags", json={"tags": ["ok"]}, headers=manager.headers), 403
    )
    assert_problem(
        await client.put(f"{apps}/{ada}/tags", json={"tags": ["<bad>"]}, headers=owner.headers), 422
    )

    assert (await client.put(f"{apps}/{ada}/rating", json={"rating": 5}, headers=manager.headers)).json()[
        "mine"
    ] == 5
    summary = (await client.put(f"{apps}/{ada}/rating", json={"rating": 3}, headers=owner.headers)).json()
    assert summary == {"average": 4.0, "count": 2, "mine": 3}
    await client.put(f"{apps}/{bo}/rating", json={"rating": 2}, headers=owner.headers)
    assert await listed(min_rating=3.5) == [ada]
    assert_problem(await client.put(f"{apps}/{ada}/rating", json={"rating": 6}, headers=owner.headers), 422)
    detail = (await client.get(f"{apps}/{ada}", headers=manager.headers)).json()
    assert detail["tags"] == ["python", "referral"] and detail["rating"] == {
        "average": 4.0,
        "count": 2,
        "mine": 5,
    }

    note = await client.post(
        f"{apps}/{ada}/notes",
        json={
            "body": f"Strong on Kafka. @{manager.email} can you check the system design? @nobody@example.com"
        },
        headers=recruiter.headers,
    )
    assert note.status_code == 201, note.text
    assert note.json()["mentions"] == [str(manager.user_id)]
    outbox = app_context.settings.data_dir / "outbox"
    assert any("mentioned you" in body for body in mails_to(outbox, manager.email))
    assert not mails_to(outbox, "nobody@example.com")
    assert_problem(await client.post(f"{apps}/{ada}/notes", json={"body": "  "}, headers=owner.headers), 422)
    notes = (await client.get(f"{apps}/{ada}/notes", headers=manager.headers)).json()["items"]
    assert [n["id"] for n in notes] == [note.json()["id"]]

    await client.post(
        f"{apps}/{ada}/move", json={"stage": "interview", "reason": "great notes"}, headers=owner.headers
    )
    timeline = (await client.get(f"{apps}/{ada}/timeline", headers=owner.headers)).json()
    assert [e["kind"] for e in timeline] == ["applied", "note", "moved"]
    assert "great notes" in timeline[-1]["summary"]


async def test_full_text_search_over_resumes_and_notes_with_snippets(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    viewer = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner, OrgRole.viewer: viewer})
    job = await open_job(client, owner.headers, team.org_id, blind={"enabled": True})
    strong = resume_document("Ada Quill", "ada@example.org", strong=True)
    strong["work"][0]["highlights"].append("Ada Quill designed the ledger reconciliation engine")
    weak = resume_document("Bo Lark", "bo@example.org", strong=False)
    ada, bo = await seed_applications(
        app_context,
        team.org_id,
        job["id"],
        [("Ada Quill", "ada@example.org", strong), ("Bo Lark", "bo@example.org", weak)],
    )
    apps = f"/v1/organizations/{team.org_id}/jobs/{job['id']}/applications"
    found = (await client.get(apps, params={"q": "reconciliation"}, headers=owner.headers)).json()["items"]
    assert [a["id"] for a in found] == [ada]
    assert "[[reconciliation]]" in found[0]["snippet"]
    assert (await client.get(apps, params={"q": "forecasting"}, headers=owner.headers)).json()["items"][0][
        "id"
    ] == bo
    assert (await client.get(apps, params={"q": "nonexistentword"}, headers=owner.headers)).json()[
        "items"
    ] == []
    # Notes are searched too, once written.
    await client.post(
        f"{apps}/{bo}/notes", json={"body": "Great cultural fit, speaks Portuguese"}, headers=owner.headers
    )
    hits = (await client.get(apps, params={"q": "portuguese"}, headers=owner.headers)).json()["items"]
    assert [a["id"] for a in hits] == [bo] and "[[Portuguese]]" in hits[0]["snippet"]
    # Quotes and operators are words, not syntax.
    assert (await client.get(apps, params={"q": 'ledger" OR "x'}, headers=owner.headers)).status_code == 200
    # A blind reader's snippet is scrubbed like everything else.
    blind = (await client.get(apps, params={"q": "ledger"}, headers=viewer.headers)).json()["items"]
    assert [a["id"] for a in blind] == [ada]
    assert "Quill" not in blind[0]["snippet"] and "Ada" not in blind[0]["snippet"]
    # ... and a hidden candidate cannot be found by their name or address.
    assert (await client.get(apps, params={"q": "Quill"}, headers=viewer.headers)).json()["items"] == []
    assert (await client.get(apps, params={"q": "Hauptstrasse"}, headers=viewer.headers)).json()[
        "items"
    ] == []
    assert len((await client.get(apps, params={"q": "Quill"}, headers=owner.headers)).json()["items"]) == 1


async def test_scorecards_per_stage_on_the_jobs_criteria(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    manager = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner, OrgRole.hiring_manager: manager})
    job = await open_job(
        client,
        owner.headers,
        team.org_id,
        hiring_manager_ids=[str(manager.user_id)],
        scorecard_criteria=["System design", "Communication"],
    )
    assert job["scorecard_criteria"] == ["System design", "Communication"]
    [ada] = await seed_applications(app_context, team.org_id, job["id"], [("Ada", "ada@example.org", None)])
    url = f"/v1/organizations/{team.org_id}/jobs/{job['id']}/applications/{ada}/scorecards"
    card = {"criteria": {"System design": 4, "Communication": 5}, "summary": "Clear thinker"}
    put = await client.put(f"{url}/interview", json=card, headers=manager.headers)
    assert put.status_code == 200, put.text
    again = await client.put(
        f"{url}/interview", json={**card, "summary": "Clear, calm"}, headers=manager.headers
    )
    assert again.json()["summary"] == "Clear, calm"
    await client.put(f"{url}/screening", json={"criteria": {"Communication": 3}}, headers=owner.headers)
    cards = (await client.get(url, headers=owner.headers)).json()
    assert [(c["stage"], c["user_id"]) for c in cards] == [
        ("interview", str(manager.user_id)),
        ("screening", str(owner.user_id)),
    ]
    bad = await client.put(f"{url}/interview", json={"criteria": {"Charisma": 5}}, headers=owner.headers)
    assert_problem(bad, 422, "unknown-scorecard-criterion")
    assert_problem(await client.put(f"{url}/limbo", json=card, headers=owner.headers), 422, "unknown-stage")
    assert_problem(
        await client.put(f"{url}/interview", json={"criteria": {"Communication": 9}}, headers=owner.headers),
        422,
    )
