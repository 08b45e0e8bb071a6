"""Job postings over HTTP: extraction and corrections, status changes with events, stages, visibility."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from shortlist.context import AppContext
from shortlist.models import Event, JobPosting
from shortlist.organization.policy import OrgRole
from tests.conftest import Register, assert_problem
from tests.organization.helpers import person, seed_team

DESCRIPTION = """We build hiring software.

## Requirements
- 5+ years with Python and PostgreSQL
- Kafka or RabbitMQ

## Nice to have
- Kubernetes
"""


async def test_description_is_read_and_corrections_win(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner})
    jobs = f"/v1/organizations/{team.org_id}/jobs"
    created = await client.post(
        jobs,
        json={
            "title": "Senior Backend Engineer",
            "description": DESCRIPTION,
            "location": "Berlin",
            "workplace": "hybrid",
            "salary": {"min": 70000, "max": 90000, "currency": "EUR"},
            "requirements": {"languages": ["English", "German"]},
        },
        headers=owner.headers,
    )
    assert created.status_code == 201, created.text
    job = created.json()
    assert job["status"] == "draft"
    assert job["extracted"]["required_skills"] == ["Python", "PostgreSQL", "Apache Kafka", "RabbitMQ"]
    assert job["extracted"]["preferred_skills"] == ["Kubernetes"]
    assert job["extracted"]["years"] == 5 and job["extracted"]["seniority"] == "senior"
    assert job["effective"]["languages"] == ["English", "German"]
    assert [s["id"] for s in job["stages"]] == [
        "applied",
        "screening",
        "interview",
        "offer",
        "hired",
        "rejected",
    ]

    # The recruiter corrects: no Kafka/RabbitMQ, Go is required, 3 years; the alias is normalised.
    url = f"{jobs}/{job['id']}"
    corrected = await client.patch(
        url,
        json={"requirements": {"required_skills": ["Python", "postgres", "Go"], "years": 3}},
        headers={**owner.headers, "If-Match": created.headers["etag"]},
    )
    assert corrected.status_code == 200, corrected.text
    effective = corrected.json()["effective"]
    assert effective["required_skills"] == ["Python", "PostgreSQL", "Go"]
    assert effective["years"] == 3 and effective["alternatives"] == []
    assert effective["preferred_skills"] == ["Kubernetes"]  # not corrected: the extraction stands
    # A new description is read again, and the corrections still win.
    redescribed = await client.patch(
        url, json={"description": DESCRIPTION + "\n- Terraform is a plus"}, headers=owner.headers
    )
    assert "Terraform" in redescribed.json()["extracted"]["preferred_skills"]
    assert redescribed.json()["effective"]["required_skills"] == ["Python", "PostgreSQL", "Go"]
    stale = await client.patch(
        url, json={"title": "Lost"}, headers={**owner.headers, "If-Match": created.headers["etag"]}
    )
    assert_problem(stale, 412)
    unknown = await client.patch(
        url, json={"requirements": {"required_skills": ["Zorblax"]}}, headers=owner.headers
    )
    assert unknown.json()["unrecognised_skills"] == ["Zorblax"]


async def test_status_changes_emit_events(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner})
    jobs = f"/v1/organizations/{team.org_id}/jobs"
    job = (await client.post(jobs, json={"title": "Engineer"}, headers=owner.headers)).json()
    url = f"{jobs}/{job['id']}"
    assert_problem(await client.post(f"{url}/close", headers=owner.headers), 409, "job-invalid-transition")
    opened = await client.post(f"{url}/open", headers=owner.headers)
    assert opened.json()["status"] == "open" and opened.json()["opened_at"]
    assert (await client.post(f"{url}/close", headers=owner.headers)).json()["status"] == "closed"
    assert (await client.post(f"{url}/archive", headers=owner.headers)).json()["status"] == "archived"
    assert_problem(await client.post(f"{url}/open", headers=owner.headers), 409)
    assert_problem(await client.patch(url, json={"title": "x"}, headers=owner.headers), 409)
    async with app_context.database.reader() as session:
        names = (await session.scalars(select(Event.name).order_by(Event.seq))).all()
        events = (await session.scalars(select(Event).where(Event.name.like("job.%")))).all()
    assert [n for n in names if n.startswith("job.")] == ["job.opened", "job.closed"]
    assert all(e.owner_id == owner.user_id and e.data["job_id"] == job["id"] for e in events)
    listed = (await client.get(jobs, params={"status": "archived"}, headers=owner.headers)).json()
    assert [j["id"] for j in listed["items"]] == [job["id"]]
    assert (await client.get(jobs, params={"status": "open"}, headers=owner.headers)).json()["items"] == []


async def test_stages_rename_reorder_and_rules(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner})
    jobs = f"/v1/organizations/{team.org_id}/jobs"
    job = (await client.post(jobs, json={"title": "Engineer"}, headers=owner.headers)).json()
    url = f"{jobs}/{job['id']}/stages"
    stages = [
        {"id": "applied", "name": "New"},
        {"id": "phone", "name": "Phone screen"},
        {"id": "interview", "name": "Onsite"},
        {"id": "hired", "name": "Hired"},
        {"id": "rejected", "name": "Not this time"},
    ]
    replaced = await client.put(url, json={"stages": stages}, headers=owner.headers)
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["stages"] == stages
    no_rejected = [s for s in stages if s["id"] != "rejected"]
    assert_problem(await client.put(url, json={"stages": no_rejected}, headers=owner.headers), 422)
    dupes = [*stages, {"id": "phone", "name": "Again"}]
    assert_problem(await client.put(url, json={"stages": dupes}, headers=owner.headers), 422)
    assert_problem(
        await client.put(url, json={"stages": [{"id": "Bad Id", "name": "x"}] * 3}, headers=owner.headers),
        422,
    )


async def test_hiring_manager_sees_only_their_jobs_and_bad_input_stores_nothing(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    manager = await person(client, register)
    outsider = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner, OrgRole.hiring_manager: manager})
    jobs = f"/v1/organizations/{team.org_id}/jobs"
    theirs = (
        await client.post(
            jobs,
            json={"title": "Theirs", "hiring_manager_ids": [str(manager.user_id)]},
            headers=owner.headers,
        )
    ).json()
    other = (await client.post(jobs, json={"title": "Other"}, headers=owner.headers)).json()
    seen = (await client.get(jobs, headers=manager.headers)).json()["items"]
    assert [j["id"] for j in seen] == [theirs["id"]]
    assert_problem(await client.get(f"{jobs}/{other['id']}", headers=manager.headers), 404)
    assert (await client.get(f"{jobs}/{theirs['id']}", headers=manager.headers)).status_code == 200
    assert_problem(await client.post(jobs, json={"title": "x"}, headers=manager.headers), 403)

    async with app_context.database.reader() as session:
        before = await session.scalar(select(func.count()).select_from(JobPosting))
    for body in (
        {"title": ""},
        {"title": "x", "salary": {"min": 10, "max": 5}},
        {"title": "x", "workplace": "moon"},
        {"title": "x", "requirements": {"years": -1}},
        {"title": "x", "status": "open"},
        {"title": "x", "hiring_manager_ids": ["not-a-uuid"]},
    ):
        assert_problem(await client.post(jobs, json=body, headers=owner.headers), 422)
    stranger = await client.post(
        jobs, json={"title": "x", "hiring_manager_ids": [str(outsider.user_id)]}, headers=owner.headers
    )
    assert_problem(stranger, 422, "job-invalid-hiring-manager")
    async with app_context.database.reader() as session:
        assert await session.scalar(select(func.count()).select_from(JobPosting)) == before


async def test_own_organisation_with_another_organisations_job_id_is_404(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    alice = await person(client, register)
    bob = await person(client, register)
    alice_team = await seed_team(app_context, {OrgRole.owner: alice})
    bob_team = await seed_team(app_context, {OrgRole.owner: bob})
    job = (
        await client.post(
            f"/v1/organizations/{alice_team.org_id}/jobs", json={"title": "A"}, headers=alice.headers
        )
    ).json()
    foreign = f"/v1/organizations/{bob_team.org_id}/jobs/{job['id']}"
    assert_problem(await client.get(foreign, headers=bob.headers), 404, "job-not-found")
    assert_problem(await client.patch(foreign, json={"title": "B"}, headers=bob.headers), 404)
    assert_problem(await client.post(f"{foreign}/open", headers=bob.headers), 404)
    own = (
        await client.get(f"/v1/organizations/{alice_team.org_id}/jobs/{job['id']}", headers=alice.headers)
    ).json()
    assert own["title"] == "A" and own["status"] == "draft"
