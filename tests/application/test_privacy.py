"""CSV export as a job (blind screening applies), a person's data export, and erasure that leaves nothing of
them in any table."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select, text, update

from shortlist.context import AppContext
from shortlist.job.scheduler import maintain_once
from shortlist.kit.db import utcnow
from shortlist.models import Application, Base
from shortlist.organization.policy import OrgRole
from tests.application.helpers import open_job, scored, seed_applications
from tests.conftest import Register, assert_problem, worker_services
from tests.organization.helpers import person, seed_team

NAME, EMAIL = "Quintessa Vandermolen", "quintessa.v@example.net"
TRACES = ["Quintessa", "Vandermolen", "quintessa.v@example.net", "+31 6 8765 4321"]
RESUME_TEXT = f"""{NAME}
Senior Backend Engineer
{EMAIL} | +31 6 8765 4321 | Utrecht

EXPERIENCE
Senior Backend Engineer, Acme Payments, 2015 - present
- Built the payments backend in Python and PostgreSQL; Quintessa led the Kafka migration
- Moved 30 services to Docker

SKILLS
Python, PostgreSQL, Docker, Kafka
""".encode()


async def finished_job(client: httpx.AsyncClient, headers: dict[str, str], job_id: str) -> dict[str, Any]:
    async with asyncio.timeout(30):
        while True:
            job: dict[str, Any] = (await client.get(f"/v1/jobs/{job_id}", headers=headers)).json()
            if job["status"] in ("succeeded", "failed", "dead"):
                return job
            await asyncio.sleep(0.05)


async def everything_stored(context: AppContext) -> str:
    """Every row of every table, as text (bytes read as Latin-1 so that any ASCII trace shows), and the
    full-text index, which lives outside the ORM metadata."""
    chunks = []
    async with context.database.reader() as session:
        chunks += [
            str(body) for body in (await session.scalars(text("SELECT body FROM application_search"))).all()
        ]
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                for value in row:
                    if isinstance(value, bytes):
                        chunks.append(value.decode("latin-1"))
                    elif value is not None:
                        chunks.append(str(value))
    return "\n".join(chunks).lower()


async def test_export_then_erase_leaves_no_trace(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, job_runner: object
) -> None:
    owner = await person(client, register)
    recruiter = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner, OrgRole.recruiter: recruiter})
    job = await open_job(client, owner.headers, team.org_id, blind={"enabled": True})
    applied = await client.post(
        "/v1/applications/upload",
        data={"posting_id": job["id"], "name": NAME, "email": EMAIL},
        files={"file": ("quintessa.txt", RESUME_TEXT, "text/plain")},
    )
    assert applied.status_code == 202, applied.text
    apps = f"/v1/organizations/{team.org_id}/jobs/{job['id']}/applications"
    app_url = f"{apps}/{applied.json()['id']}"
    assert (await scored(client, owner.headers, app_url))["status"] == "ready"
    # The organisation works on it, quoting her in its own words.
    note = await client.post(
        f"{app_url}/notes",
        json={"body": f"{NAME} interviews well"},
        headers={**owner.headers, "Idempotency-Key": "n1"},
    )
    assert note.status_code == 201
    await client.put(f"{app_url}/tags", json={"tags": ["strong"]}, headers=owner.headers)
    await client.put(f"{app_url}/rating", json={"rating": 5}, headers=recruiter.headers)
    await client.post(
        f"{app_url}/move", json={"stage": "interview", "reason": f"{NAME} fits"}, headers=owner.headers
    )

    # CSV exports: the owner's shows her, the recruiter's is blind.
    exports = {}
    for who in (owner, recruiter):
        queued = await client.post(f"{apps}/export", headers=who.headers)
        assert queued.status_code == 202, queued.text
        done = await finished_job(client, who.headers, queued.json()["id"])
        assert done["status"] == "succeeded", done
        download = await client.get(queued.headers["location"], headers=who.headers)
        assert download.headers["content-type"].startswith("text/csv")
        exports[who.email] = list(csv.DictReader(io.StringIO(download.text)))
        other = owner if who is recruiter else recruiter
        assert_problem(await client.get(queued.headers["location"], headers=other.headers), 404)
    [row] = exports[owner.email]
    assert (
        row["name"] == NAME
        and row["stage"] == "interview"
        and row["tags"] == "strong"
        and row["rating"] == "5.0"
    )
    [blind_row] = exports[recruiter.email]
    assert blind_row["name"] == "" and blind_row["email"] == ""
    assert not [t for t in TRACES if t.lower() in str(exports[recruiter.email]).lower()]

    # A data-access request returns everything held about her.
    data = await client.post(
        f"/v1/organizations/{team.org_id}/candidates/export", json={"email": EMAIL}, headers=owner.headers
    )
    [held] = data.json()["applications"]
    assert (
        held["name"] == NAME and held["notes"][0]["body"].startswith(NAME) and held["file"]["type"] == "txt"
    )
    assert held["resume"]["basics"]["name"] == NAME and held["moves"][0]["to"] == "interview"
    assert_problem(
        await client.post(
            f"/v1/organizations/{team.org_id}/candidates/export",
            json={"email": EMAIL},
            headers=recruiter.headers,
        ),
        403,
    )

    before = await everything_stored(app_context)
    assert all(t.lower() in before for t in TRACES)  # the check below can fail: she is there now
    erased = await client.post(
        f"/v1/organizations/{team.org_id}/candidates/erase", json={"email": EMAIL}, headers=owner.headers
    )
    assert erased.json() == {"erased_applications": 1}
    after = await everything_stored(app_context)
    left = [t for t in TRACES if t.lower() in after]
    assert not left, left
    assert (await client.get(apps, headers=owner.headers)).json()["items"] == []
    assert_problem(await client.get(app_url, headers=owner.headers), 404)


async def test_candidate_exports_and_erases_their_own_data(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner})
    job = await open_job(client, owner.headers, team.org_id)
    candidate = await person(client, register)
    resume = await client.post(
        "/v1/resumes", json={"title": "CV", "content": {"basics": {"name": NAME}}}, headers=candidate.headers
    )
    await client.post(
        "/v1/applications",
        json={"posting_id": job["id"], "resume_id": resume.json()["id"]},
        headers=candidate.headers,
    )
    mine = (await client.get("/v1/candidate-data", headers=candidate.headers)).json()["applications"]
    assert [a["job"]["title"] for a in mine] == ["Senior Backend Engineer"]
    assert mine[0]["resume"]["basics"]["name"] == NAME
    assert (await client.get("/v1/candidate-data", headers=owner.headers)).json() == {"applications": []}
    gone = await client.post("/v1/candidate-data/erase", headers=candidate.headers)
    assert gone.json() == {"erased_applications": 1}
    assert (await client.get("/v1/applications", headers=candidate.headers)).json()["items"] == []
    # Their resume (their own data, not the application's frozen copy) stays theirs.
    assert (
        await client.get(f"/v1/resumes/{resume.json()['id']}", headers=candidate.headers)
    ).status_code == 200


async def test_retention_erases_old_rejected_applications_only(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner})
    job = await open_job(client, owner.headers, team.org_id)
    old_rejected, old_open, new_rejected = await seed_applications(
        app_context, team.org_id, job["id"], [(f"C{n}", f"c{n}@example.org", None) for n in range(3)]
    )
    async with app_context.database.writer() as session:
        for application_id, stage, age in (
            (old_rejected, "rejected", 400),
            (old_open, "interview", 400),
            (new_rejected, "rejected", 10),
        ):
            await session.execute(
                update(Application)
                .where(Application.id == uuid.UUID(application_id))
                .values(stage=stage, updated_at=utcnow() - timedelta(days=age))
            )
        await session.commit()
    # Without a retention setting nothing goes.
    assert (await maintain_once(worker_services(app_context)))["applications"] == 0
    org = await client.get(f"/v1/organizations/{team.org_id}", headers=owner.headers)
    changed = await client.patch(
        f"/v1/organizations/{team.org_id}",
        json={"retention_months": 12},
        headers={**owner.headers, "If-Match": org.headers["etag"]},
    )
    assert changed.json()["retention_months"] == 12
    assert (await maintain_once(worker_services(app_context)))["applications"] == 1
    left = (
        await client.get(
            f"/v1/organizations/{team.org_id}/jobs/{job['id']}/applications", headers=owner.headers
        )
    ).json()
    assert sorted(a["id"] for a in left["items"]) == sorted([old_open, new_rejected])
