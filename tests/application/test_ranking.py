"""Applying with a resume, scoring on the worker, the ranked list with reasons, overrides, the candidate's
view and withdrawal, duplicates."""

from __future__ import annotations

from email import message_from_bytes

import httpx
from sqlalchemy import func, select

from shortlist.context import AppContext
from shortlist.models import Application, Event
from shortlist.organization.policy import OrgRole
from tests.application.helpers import apply_with_new_resume, open_job, resume_document, scored
from tests.conftest import Register, assert_problem
from tests.organization.helpers import mails_to, person, seed_team


async def test_applications_are_scored_ranked_and_explained(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, job_runner: object
) -> None:
    owner = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner})
    job = await open_job(client, owner.headers, team.org_id)
    strong = await person(client, register)
    weak = await person(client, register)
    first = await apply_with_new_resume(
        client, strong.headers, job["id"], resume_document("Ada Quill", strong.email, strong=True)
    )
    assert first.status_code == 201, first.text
    second = await apply_with_new_resume(
        client, weak.headers, job["id"], resume_document("Bo Lark", weak.email, strong=False)
    )
    assert second.status_code == 201
    assert first.json()["stage"] == "applied" and first.json()["stage_name"] == "Applied"

    apps = f"/v1/organizations/{team.org_id}/jobs/{job['id']}/applications"
    for made in (first, second):
        done = await scored(client, owner.headers, f"{apps}/{made.json()['id']}")
        assert done["status"] == "ready" and done["score"] is not None
    ranked = (await client.get(apps, headers=owner.headers)).json()["items"]
    assert [a["id"] for a in ranked] == [first.json()["id"], second.json()["id"]]
    top = ranked[0]
    assert top["score"] > ranked[1]["score"]
    explained = {m["skill"]: m["evidence"] for m in top["explanation"]["matched_required"]}
    assert "Python" in explained and "Python" in (explained["Python"] or "")
    assert "PostgreSQL" in ranked[1]["explanation"]["missing_required"]
    assert top["explanation"]["years"] >= 5 and "senior" in top["explanation"]["seniority"]

    # The recruiter's override wins over the score, in the ranking too.
    weak_url = f"{apps}/{second.json()['id']}"
    etag = (await client.get(weak_url, headers=owner.headers)).headers["etag"]
    overridden = await client.patch(
        weak_url, json={"override_score": 99}, headers={**owner.headers, "If-Match": etag}
    )
    assert overridden.status_code == 200 and overridden.json()["rank_score"] == 99
    ranked = (await client.get(apps, headers=owner.headers)).json()["items"]
    assert [a["id"] for a in ranked] == [second.json()["id"], first.json()["id"]]
    assert (await client.get(apps, params={"min_score": 100}, headers=owner.headers)).json()["items"] == []
    page = await client.get(apps, params={"limit": 1}, headers=owner.headers)
    assert len(page.json()["items"]) == 1 and 'rel="next"' in page.headers["link"]
    rest = await client.get(
        apps, params={"limit": 1, "cursor": page.json()["next_cursor"]}, headers=owner.headers
    )
    assert [a["id"] for a in rest.json()["items"]] == [first.json()["id"]]
    assert_problem(await client.get(apps, params={"cursor": "forged.cursor"}, headers=owner.headers), 400)

    async with app_context.database.reader() as session:
        names = (await session.scalars(select(Event.name))).all()
    assert names.count("application.created") == 2 and names.count("application.scored") == 2
    assert any(
        "Ada Quill" in body for body in mails_to(app_context.settings.data_dir / "outbox", strong.email)
    )

    # The candidate sees their application and its stage, and can withdraw it.
    mine = (await client.get("/v1/applications", headers=strong.headers)).json()["items"]
    assert [(a["id"], a["stage"], a["job_title"]) for a in mine] == [
        (first.json()["id"], "applied", "Senior Backend Engineer")
    ]
    withdrawn = await client.post(f"/v1/applications/{first.json()['id']}/withdraw", headers=strong.headers)
    assert withdrawn.json()["status"] == "withdrawn"
    assert_problem(
        await client.post(f"/v1/applications/{first.json()['id']}/withdraw", headers=strong.headers), 409
    )
    ranked = (await client.get(apps, headers=owner.headers)).json()["items"]
    assert [a["id"] for a in ranked] == [second.json()["id"]]
    assert_problem(await client.get(f"/v1/applications/{first.json()['id']}", headers=weak.headers), 404)


async def test_duplicates_and_bad_input_store_nothing(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner})
    job = await open_job(client, owner.headers, team.org_id)
    candidate = await person(client, register)
    document = resume_document("Ada Quill", candidate.email, strong=True)
    assert (await apply_with_new_resume(client, candidate.headers, job["id"], document)).status_code == 201
    again = await apply_with_new_resume(client, candidate.headers, job["id"], document)
    assert_problem(again, 409, "duplicate-application")
    # A guest upload with the same address (any case) is the same person.
    guest = await client.post(
        "/v1/applications/upload",
        data={"posting_id": job["id"], "name": "Ada", "email": candidate.email.upper()},
        files={"file": ("cv.txt", b"Ada Quill\nPython engineer\n", "text/plain")},
    )
    assert_problem(guest, 409, "duplicate-application")
    other_resume = await client.post("/v1/resumes", json={"title": "x", "content": {}}, headers=owner.headers)
    stolen = await client.post(
        "/v1/applications",
        json={"posting_id": job["id"], "resume_id": other_resume.json()["id"]},
        headers=candidate.headers,
    )
    assert_problem(stolen, 404)
    for body in ({"posting_id": job["id"]}, {"posting_id": "x", "resume_id": "y"}, {}):
        assert_problem(await client.post("/v1/applications", json=body, headers=candidate.headers), 422)
    draft = (
        await client.post(
            f"/v1/organizations/{team.org_id}/jobs", json={"title": "Draft"}, headers=owner.headers
        )
    ).json()
    not_open = await apply_with_new_resume(client, candidate.headers, draft["id"], document)
    assert_problem(not_open, 404, "job-not-open")
    for data, files, status in (
        (
            {"posting_id": job["id"], "name": "G", "email": "not-an-address"},
            {"file": ("a.txt", b"text", "text/plain")},
            422,
        ),
        (
            {"posting_id": job["id"], "name": "", "email": "g@example.com"},
            {"file": ("a.txt", b"text", "text/plain")},
            422,
        ),
        (
            {"posting_id": job["id"], "name": "G", "email": "g@example.com"},
            {"file": ("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")},
            415,
        ),
        (
            {"posting_id": job["id"], "name": "G", "email": "g@example.com"},
            {"file": ("a.txt", b"   ", "text/plain")},
            422,
        ),
        ({"posting_id": job["id"], "name": "G", "email": "g@example.com"}, None, 422),
    ):
        response = await client.post("/v1/applications/upload", data=data, files=files)
        assert_problem(response, status)
    async with app_context.database.reader() as session:
        assert await session.scalar(select(func.count()).select_from(Application)) == 1


async def test_a_title_with_a_line_break_cannot_add_mail_headers(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner})
    job = await open_job(client, owner.headers, team.org_id, title="Engineer\nBcc: someone@example.net")
    sent = await client.post(
        "/v1/applications/upload",
        data={"posting_id": job["id"], "name": "Guest", "email": "guest@example.org"},
        files={"file": ("cv.txt", b"Guest\nPython developer\n", "text/plain")},
    )
    assert sent.status_code == 202, sent.text
    outbox = app_context.settings.data_dir / "outbox"
    [mail] = [
        message_from_bytes(p.read_bytes())
        for p in outbox.glob("*.eml")
        if message_from_bytes(p.read_bytes())["To"] == "guest@example.org"
    ]
    assert mail["Bcc"] is None and mail["Subject"].endswith("Engineer Bcc: someone@example.net")
