"""The candidate-data access log: every detail read, file download, CSV export and download, data export and
erasure is recorded with who, which credential, what and which request; owners and admins read it back
(filtered, cursor-paginated); it holds ids only and is purged after its retention."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import delete, event, select, update

from shortlist.context import AppContext
from shortlist.job.runtime import job_services
from shortlist.job.scheduler import maintain_once
from shortlist.kit.db import utcnow
from shortlist.models import Application, ApplicationFile, CandidateDataAccess, Job
from shortlist.organization.policy import OrgRole
from tests.application.helpers import open_job, resume_document, seed_applications
from tests.conftest import Register, assert_problem
from tests.organization.helpers import person, seed_team
from tests.organization.test_credentials import issue_key, key_headers

NAME, EMAIL = "Ottoline Varga", "ottoline.varga@example.org"


async def _log(
    client: httpx.AsyncClient, org_id: uuid.UUID, headers: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    response = await client.get(
        f"/v1/organizations/{org_id}/candidate-data-access", params=params, headers=headers
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_reads_exports_and_erasures_are_recorded_with_ids_only(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    recruiter = await person(client, register)
    candidate = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner, OrgRole.recruiter: recruiter})
    job = await open_job(client, owner.headers, team.org_id)
    [application_id] = await seed_applications(
        app_context, team.org_id, job["id"], [(NAME, EMAIL, resume_document(NAME, EMAIL, strong=True))]
    )
    async with app_context.database.writer() as session:
        # She applied signed in; and a guest-style file is attached.
        await session.execute(
            update(Application)
            .where(Application.id == uuid.UUID(application_id))
            .values(candidate_id=candidate.user_id)
        )
        session.add(
            ApplicationFile(
                application_id=uuid.UUID(application_id),
                file_type="txt",
                size=14,
                sha256="0" * 64,
                content=b"Ottoline Varga",
            )
        )
        await session.commit()
    apps = f"/v1/organizations/{team.org_id}/jobs/{job['id']}/applications"
    app_url = f"{apps}/{application_id}"

    read = await client.get(app_url, headers=recruiter.headers)
    assert read.status_code == 200
    key = await issue_key(client, owner, team.org_id, ["applications:read", "candidate_data:export"])
    assert (await client.get(f"{app_url}/file", headers=key_headers(key))).status_code == 200
    # Not recorded: a 304 (nothing disclosed), a miss and a refusal.
    etag = read.headers["ETag"]
    assert (
        await client.get(app_url, headers={**recruiter.headers, "If-None-Match": etag})
    ).status_code == 304
    assert_problem(await client.get(f"{apps}/{uuid.uuid4()}", headers=recruiter.headers), 404)
    outsider = await person(client, register)
    assert_problem(await client.get(app_url, headers=outsider.headers), 404)

    exported = await client.post(f"{apps}/export", headers=recruiter.headers)
    assert exported.status_code == 202, exported.text
    async with app_context.database.writer() as session:
        finished = Job(
            kind="application.export",
            status="succeeded",
            owner_id=recruiter.user_id,
            resource_id=uuid.UUID(job["id"]),
            payload={"posting_id": job["id"]},
            max_attempts=1,
            result={"rows": 1, "csv": "application_id\n"},
        )
        session.add(finished)
        await session.commit()
    assert (await client.get(f"{apps}/exports/{finished.id}", headers=recruiter.headers)).status_code == 200

    data = await client.post(
        f"/v1/organizations/{team.org_id}/candidates/export", json={"email": EMAIL}, headers=key_headers(key)
    )
    assert data.status_code == 200 and NAME in data.text
    erased = await client.post(
        f"/v1/organizations/{team.org_id}/candidates/erase", json={"email": EMAIL}, headers=owner.headers
    )
    assert erased.status_code == 200 and erased.json()["erased_applications"] == 1

    entries = await _log(client, team.org_id, owner.headers)
    assert [e["action"] for e in entries] == [
        "candidate_data.erased",
        "candidate_data.exported",
        "applications.export_downloaded",
        "applications.export_requested",
        "application.file_downloaded",
        "application.read",
    ]
    by_action = {e["action"]: e for e in entries}
    first = by_action["application.read"]
    assert first["actor_id"] == str(recruiter.user_id) and first["credential"] == "session"
    assert first["application_id"] == application_id and first["posting_id"] == job["id"]
    assert first["person_id"] == str(candidate.user_id) and first["credential_id"] is None
    assert first["request_id"] == read.headers["X-Request-ID"]
    by_key = by_action["application.file_downloaded"]
    assert by_key["credential"] == "organization_key" and by_key["credential_id"] == key["id"]
    assert by_key["actor_id"] == str(owner.user_id)
    assert by_action["applications.export_requested"]["application_id"] is None
    # The erasure's entry outlives the application it names, and the person behind it is an id.
    assert by_action["candidate_data.erased"]["application_id"] == application_id
    assert by_action["candidate_data.erased"]["person_id"] == str(candidate.user_id)

    # Ids only: nothing of hers is in the table.
    async with app_context.database.reader() as session:
        rows = (await session.scalars(select(CandidateDataAccess))).all()
    stored = json.dumps(
        [{c.name: str(getattr(r, c.name)) for c in CandidateDataAccess.__table__.columns} for r in rows]
    )
    for secret in (NAME, "Ottoline", "Varga", EMAIL):
        assert secret.lower() not in stored.lower()


async def test_the_log_is_an_owners_and_admins_filtered_paginated_and_kept_per_organisation(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    admin = await person(client, register)
    recruiter = await person(client, register)
    team = await seed_team(
        app_context, {OrgRole.owner: owner, OrgRole.admin: admin, OrgRole.recruiter: recruiter}
    )
    other = await seed_team(
        app_context, {OrgRole.owner: await person(client, register), OrgRole.admin: owner}
    )
    job = await open_job(client, owner.headers, team.org_id)
    ids = await seed_applications(
        app_context, team.org_id, job["id"], [(f"P{i}", f"p{i}@example.org", None) for i in range(3)]
    )
    apps = f"/v1/organizations/{team.org_id}/jobs/{job['id']}/applications"
    for application_id in ids:
        assert (await client.get(f"{apps}/{application_id}", headers=recruiter.headers)).status_code == 200
    assert (await client.get(f"{apps}/{ids[0]}", headers=admin.headers)).status_code == 200

    # Cursor pagination walks every entry once, newest first, with a Link header.
    url = f"/v1/organizations/{team.org_id}/candidate-data-access"
    seen: list[str] = []
    page = await client.get(url, params={"limit": 3}, headers=admin.headers)
    assert 'rel="next"' in page.headers["Link"]
    seen += [e["id"] for e in page.json()["items"]]
    page = await client.get(
        url, params={"limit": 3, "cursor": page.json()["next_cursor"]}, headers=admin.headers
    )
    seen += [e["id"] for e in page.json()["items"]]
    assert len(seen) == len(set(seen)) == 4 and page.json()["next_cursor"] is None

    # Filters.
    assert len(await _log(client, team.org_id, owner.headers, actor_id=str(recruiter.user_id))) == 3
    assert len(await _log(client, team.org_id, owner.headers, application_id=ids[0])) == 2
    assert (
        len(await _log(client, team.org_id, owner.headers, action="application.read", credential="session"))
        == 4
    )
    assert await _log(client, team.org_id, owner.headers, action="candidate_data.erased") == []
    future = (utcnow() + timedelta(hours=1)).isoformat()
    assert await _log(client, team.org_id, owner.headers, since=future) == []
    assert len(await _log(client, team.org_id, owner.headers, until=future)) == 4
    # A cursor is bound to its filters.
    filtered = await client.get(
        url, params={"limit": 1, "actor_id": str(recruiter.user_id)}, headers=owner.headers
    )
    cursor = filtered.json()["next_cursor"]
    assert_problem(await client.get(url, params={"cursor": cursor}, headers=owner.headers), 400)
    # Bad input is a problem document.
    for params in (
        {"action": "application.smelled"},
        {"since": "2030-01-01T00:00:00"},
        {"actor_id": "nope"},
        {"limit": 0},
    ):
        assert_problem(await client.get(url, params=params, headers=owner.headers), 422)

    # Below admin: refused. Another organisation's log is its own.
    assert_problem(await client.get(url, headers=recruiter.headers), 403, "organization-operation-forbidden")
    assert await _log(client, other.org_id, owner.headers) == []

    # Retention: the scheduler's maintenance purges entries past it.
    async with app_context.database.writer() as session:
        old = utcnow() - timedelta(days=app_context.settings.candidate_audit_retention_days + 1)
        await session.execute(
            update(CandidateDataAccess)
            .where(CandidateDataAccess.actor_id == admin.user_id)
            .values(created_at=old)
        )
        await session.commit()
    counts = await maintain_once(job_services(app_context))
    assert counts["candidate_data_access"] == 1
    assert len(await _log(client, team.org_id, owner.headers)) == 3


async def test_retention_erasures_by_the_scheduler_are_on_the_log_without_an_actor(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    candidate = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner})
    job = await open_job(client, owner.headers, team.org_id)
    old_rejected, kept = await seed_applications(
        app_context, team.org_id, job["id"], [(NAME, EMAIL, None), ("Kept Person", "kept@example.org", None)]
    )
    async with app_context.database.writer() as session:
        await session.execute(
            update(Application)
            .where(Application.id == uuid.UUID(old_rejected))
            .values(
                stage="rejected", candidate_id=candidate.user_id, updated_at=utcnow() - timedelta(days=400)
            )
        )
        await session.commit()
    org = await client.get(f"/v1/organizations/{team.org_id}", headers=owner.headers)
    changed = await client.patch(
        f"/v1/organizations/{team.org_id}",
        json={"retention_months": 12},
        headers={**owner.headers, "If-Match": org.headers["etag"]},
    )
    assert changed.status_code == 200, changed.text
    assert await _log(client, team.org_id, owner.headers) == []

    counts = await maintain_once(job_services(app_context))
    assert counts["applications"] == 1
    [entry] = await _log(client, team.org_id, owner.headers)
    assert entry["action"] == "candidate_data.retention_erased"
    assert (entry["application_id"], entry["posting_id"]) == (old_rejected, job["id"])
    assert entry["person_id"] == str(candidate.user_id)
    assert entry["actor_id"] is None and entry["credential"] == "scheduler"
    # Filterable by its action; the application it names is gone, the one still in retention stays.
    assert len(await _log(client, team.org_id, owner.headers, action="candidate_data.retention_erased")) == 1
    async with app_context.database.reader() as session:
        left = (await session.scalars(select(Application.id))).all()
    assert {str(i) for i in left} == {kept}
    # A second pass erases nothing and records nothing more.
    assert (await maintain_once(job_services(app_context)))["applications"] == 0
    assert len(await _log(client, team.org_id, owner.headers)) == 1


async def test_each_ranked_list_page_is_recorded_per_application_it_showed(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    recruiter = await person(client, register)
    candidate = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner, OrgRole.recruiter: recruiter})
    job = await open_job(client, owner.headers, team.org_id)
    ids = await seed_applications(
        app_context,
        team.org_id,
        job["id"],
        [
            (f"P{i}", f"p{i}@example.org", resume_document(f"P{i}", f"p{i}@example.org", strong=i == 0))
            for i in range(3)
        ],
    )
    async with app_context.database.writer() as session:
        await session.execute(
            update(Application)
            .where(Application.id == uuid.UUID(ids[0]))
            .values(candidate_id=candidate.user_id)
        )
        await session.commit()
    apps = f"/v1/organizations/{team.org_id}/jobs/{job['id']}/applications"

    inserts: list[str] = []

    def watch(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("INSERT INTO candidate_data_access"):
            inserts.append(statement)

    engine = app_context.database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", watch)
    try:
        everyone = await client.get(apps, headers=recruiter.headers)
    finally:
        event.remove(engine, "before_cursor_execute", watch)
    # Three entries, one statement: the page's entries go in together.
    assert len(everyone.json()["items"]) == 3 and len(inserts) == 1
    assert len(await _log(client, team.org_id, owner.headers, action="applications.listed")) == 3
    async with app_context.database.writer() as session:
        await session.execute(delete(CandidateDataAccess))
        await session.commit()

    first = await client.get(apps, params={"limit": 2}, headers=recruiter.headers)
    assert first.status_code == 200, first.text
    shown = [item["id"] for item in first.json()["items"]]
    entries = await _log(client, team.org_id, owner.headers, action="applications.listed")
    assert sorted(e["application_id"] for e in entries) == sorted(shown) and len(shown) == 2
    for entry in entries:
        assert entry["posting_id"] == job["id"] and entry["credential"] == "session"
        assert entry["actor_id"] == str(recruiter.user_id)
        assert entry["request_id"] == first.headers["X-Request-ID"]
        assert entry["person_id"] == (str(candidate.user_id) if entry["application_id"] == ids[0] else None)

    second = await client.get(
        apps, params={"limit": 2, "cursor": first.json()["next_cursor"]}, headers=recruiter.headers
    )
    [last] = [item["id"] for item in second.json()["items"]]
    assert {*shown, last} == set(ids)
    # Who was shown an application: found by its id, with its detail reads.
    [listed_last] = await _log(client, team.org_id, owner.headers, application_id=last)
    assert listed_last["action"] == "applications.listed"
    assert listed_last["request_id"] == second.headers["X-Request-ID"]

    # A page that matched no one still names the job that was searched.
    empty = await client.get(apps, params={"q": "zeppelin"}, headers=recruiter.headers)
    assert empty.status_code == 200 and empty.json()["items"] == []
    newest = (await _log(client, team.org_id, owner.headers, action="applications.listed"))[0]
    assert (newest["posting_id"], newest["application_id"]) == (job["id"], None)
    assert newest["request_id"] == empty.headers["X-Request-ID"]

    # Refused and rejected requests disclosed nothing: nothing recorded.
    outsider = await person(client, register)
    assert_problem(await client.get(apps, headers=outsider.headers), 404)
    assert_problem(await client.get(apps, params={"min_score": 101}, headers=recruiter.headers), 422)
    assert len(await _log(client, team.org_id, owner.headers, action="applications.listed")) == 4
