"""A recruiter sees an application's resume as the real document, rendered in the default design: the same
redactions as the JSON on a blind job, every render in the access log, and clear answers to bad requests."""

from __future__ import annotations

import io
import uuid

import httpx
import pdfplumber

from shortlist.context import AppContext
from shortlist.models import Application
from shortlist.organization.policy import OrgRole
from tests.application.helpers import open_job, resume_document, seed_applications
from tests.conftest import Register, assert_problem
from tests.organization.helpers import Person, person, seed_team

NAME, EMAIL = "Ottavia Lindqvist", "ottavia.lindqvist@example.org"


def _pdf_text(body: bytes) -> str:
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


async def _team(client: httpx.AsyncClient, register: Register, context: AppContext) -> dict[OrgRole, Person]:
    roles = (OrgRole.owner, OrgRole.admin, OrgRole.recruiter)
    return {role: await person(client, register) for role in roles}


async def test_the_blind_resume_renders_without_her_until_shortlisted(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    people = await _team(client, register, app_context)
    team = await seed_team(app_context, people)
    job = await open_job(client, people[OrgRole.owner].headers, team.org_id, blind={"enabled": True})
    document = resume_document(NAME, EMAIL, strong=True)
    [application_id] = await seed_applications(app_context, team.org_id, job["id"], [(NAME, EMAIL, document)])
    app_url = f"/v1/organizations/{team.org_id}/jobs/{job['id']}/applications/{application_id}"
    recruiter, admin = people[OrgRole.recruiter].headers, people[OrgRole.admin].headers

    blind = await client.get(f"{app_url}/resume", headers=recruiter)
    assert blind.status_code == 200, blind.text
    assert blind.headers["content-type"] == "application/pdf" and int(blind.headers["X-Page-Count"]) >= 1
    text = _pdf_text(blind.content)
    highlight = document["work"][0]["highlights"][0]
    assert highlight.split()[0] in text  # her experience is there ...
    assert "Ottavia" not in text and "Lindqvist" not in text and EMAIL not in text  # ... she is not

    # An admin sees her; so does the recruiter once she is shortlisted.
    assert "Ottavia Lindqvist" in _pdf_text((await client.get(f"{app_url}/resume", headers=admin)).content)
    shortlisted = await client.patch(app_url, json={"shortlisted": True}, headers=recruiter)
    assert shortlisted.status_code == 200, shortlisted.text
    seen = await client.get(f"{app_url}/resume", headers=recruiter)
    assert "Ottavia Lindqvist" in _pdf_text(seen.content)
    assert seen.headers["ETag"] != blind.headers["ETag"]  # another document, another validator

    # A page image for the preview, and 304 when it has not changed.
    png = await client.get(
        f"{app_url}/resume", params={"format": "png", "page": 1, "ppi": 72}, headers=recruiter
    )
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    again = await client.get(
        f"{app_url}/resume",
        params={"format": "png", "page": 1, "ppi": 72},
        headers={**recruiter, "If-None-Match": png.headers["ETag"]},
    )
    assert again.status_code == 304

    log = await client.get(
        f"/v1/organizations/{team.org_id}/candidate-data-access",
        params={"action": "application.resume_rendered"},
        headers=admin,
    )
    assert log.status_code == 200, log.text
    entries = log.json()["items"]
    assert len(entries) >= 4 and {e["application_id"] for e in entries} == {application_id}


async def test_bad_requests_get_clear_answers(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    people = await _team(client, register, app_context)
    team = await seed_team(app_context, people)
    job = await open_job(client, people[OrgRole.owner].headers, team.org_id)
    [ready, parsing] = await seed_applications(
        app_context,
        team.org_id,
        job["id"],
        [(NAME, EMAIL, resume_document(NAME, EMAIL, strong=False)), ("Guest", "guest@example.org", None)],
    )
    async with app_context.database.writer() as session:
        row = await session.get(Application, uuid.UUID(parsing))
        assert row is not None
        row.status = "parsing"
        await session.commit()
    apps = f"/v1/organizations/{team.org_id}/jobs/{job['id']}/applications"
    headers = people[OrgRole.recruiter].headers

    assert_problem(await client.get(f"{apps}/{parsing}/resume", headers=headers), 409, "resume-not-ready")
    refused: list[dict[str, str | int]] = [{"format": "docx"}, {"page": 2}, {"format": "png", "ppi": 5}]
    for params in refused:
        assert_problem(await client.get(f"{apps}/{ready}/resume", params=params, headers=headers), 422)
    out_of_range = await client.get(
        f"{apps}/{ready}/resume", params={"format": "png", "page": 40}, headers=headers
    )
    assert_problem(out_of_range, 422)
    assert_problem(await client.get(f"{apps}/{uuid.uuid4()}/resume", headers=headers), 404)
