"""The public careers pages: open jobs listed and searchable, JobPosting JSON-LD, the apply form with a real
PDF parsed and scored on the worker, abuse limits."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from shortlist.context import AppContext
from shortlist.models import Application
from shortlist.organization.policy import OrgRole
from tests.application.helpers import open_job, resume_document, scored
from tests.conftest import Register, assert_problem
from tests.organization.helpers import mails_to, person, seed_team


def json_ld(html: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, html
    document: dict[str, Any] = json.loads(match.group(1))
    return document


async def rendered_pdf(client: httpx.AsyncClient, headers: dict[str, str], document: dict[str, Any]) -> bytes:
    resume = await client.post("/v1/resumes", json={"title": "CV", "content": document}, headers=headers)
    pdf = await client.get(
        f"/v1/resumes/{resume.json()['id']}/render", params={"format": "pdf"}, headers=headers
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    return pdf.content


async def test_careers_pages_list_search_and_describe_open_jobs(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    owner = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner}, slug="acme")
    job = await open_job(
        client,
        owner.headers,
        team.org_id,
        location="Berlin",
        workplace="remote",
        salary={"min": 70000, "max": 90000, "currency": "EUR"},
        description="Join us.\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1))\n\n- **Python**",
    )
    jobs = f"/v1/organizations/{team.org_id}/jobs"
    draft = (await client.post(jobs, json={"title": "Secret Draft Role"}, headers=owner.headers)).json()
    other = await open_job(client, owner.headers, team.org_id, title="Sales Lead", description="Sell.")

    page = await client.get("/careers/acme")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Senior Backend Engineer" in page.text and "Sales Lead" in page.text
    assert "Secret Draft Role" not in page.text
    found = await client.get("/careers/acme", params={"q": "sales"})
    assert "Sales Lead" in found.text and "Senior Backend Engineer" not in found.text
    assert "No open position matches" in (await client.get("/careers/acme", params={"q": "<b>x"})).text
    assert "&lt;b&gt;x" in (await client.get("/careers/acme", params={"q": "<b>x"})).text

    detail = await client.get(f"/careers/acme/jobs/{job['id']}")
    assert detail.status_code == 200
    ld = json_ld(detail.text)
    assert ld["@type"] == "JobPosting" and ld["title"] == "Senior Backend Engineer"
    assert ld["hiringOrganization"]["name"] == "Team acme"
    assert ld["employmentType"] == "FULL_TIME" and ld["jobLocationType"] == "TELECOMMUTE"
    assert ld["baseSalary"]["value"]["minValue"] == 70000 and ld["baseSalary"]["currency"] == "EUR"
    assert ld["jobLocation"]["address"]["addressLocality"] == "Berlin"
    assert "<strong>Python</strong>" in detail.text
    assert "<script>alert" not in detail.text, detail.text[detail.text.find("<script>alert") - 300 :][:600]
    assert 'href="javascript:' not in detail.text
    assert "form-action 'self'" in detail.headers["content-security-policy"]

    assert (await client.get(f"/careers/acme/jobs/{draft['id']}")).status_code == 404
    assert (await client.get("/careers/nobody")).status_code == 404
    await client.post(f"{jobs}/{other['id']}/close", headers=owner.headers)
    assert (await client.get(f"/careers/acme/jobs/{other['id']}")).status_code == 404
    assert "Sales Lead" not in (await client.get("/careers/acme")).text


async def test_guest_applies_with_a_pdf_through_the_form_and_it_is_scored(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, job_runner: object
) -> None:
    owner = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner}, slug="acme")
    job = await open_job(client, owner.headers, team.org_id)
    pdf = await rendered_pdf(
        client, owner.headers, resume_document("Ada Quill", "ada@example.org", strong=True)
    )

    sent = await client.post(
        "/careers/apply",
        data={"posting_id": job["id"], "name": "Ada Quill", "email": "Ada@Example.org"},
        files={"file": ("ada.pdf", pdf, "application/pdf")},
    )
    assert sent.status_code == 201, sent.text
    assert "Thank you, Ada Quill" in sent.text
    assert any(
        "Senior Backend Engineer" in m
        for m in mails_to(app_context.settings.data_dir / "outbox", "ada@example.org")
    )

    apps = f"/v1/organizations/{team.org_id}/jobs/{job['id']}/applications"
    [listed] = (await client.get(apps, headers=owner.headers)).json()["items"]
    assert listed["source"] == "upload" and listed["email"] == "ada@example.org"
    done = await scored(client, owner.headers, f"{apps}/{listed['id']}")
    assert done["status"] == "ready", done
    assert done["resume"]["basics"]["name"] == "Ada Quill"
    assert {m["skill"] for m in done["explanation"]["matched_required"]} >= {"Python", "PostgreSQL"}
    original = await client.get(f"{apps}/{listed['id']}/file", headers=owner.headers)
    assert original.content == pdf

    again = await client.post(
        "/careers/apply",
        data={"posting_id": job["id"], "name": "Ada Quill", "email": "ada@example.org"},
        files={"file": ("ada.pdf", pdf, "application/pdf")},
    )
    assert again.status_code == 409 and "already exists" in again.text
    missing = await client.post(
        "/careers/apply", data={"posting_id": job["id"], "name": "X", "email": "x@example.org"}
    )
    assert missing.status_code == 400 and "Attach your resume" in missing.text
    async with app_context.database.reader() as session:
        assert await session.scalar(select(func.count()).select_from(Application)) == 1


async def test_unreadable_upload_fails_the_application_with_the_problem(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, job_runner: object
) -> None:
    owner = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner})
    job = await open_job(client, owner.headers, team.org_id)
    # A PDF header with nothing readable behind it: the request accepts it (no parser runs there).
    sent = await client.post(
        "/v1/applications/upload",
        data={"posting_id": job["id"], "name": "Broken", "email": "broken@example.org"},
        files={"file": ("cv.pdf", b"%PDF-1.7\n" + b"garbage " * 200, "application/pdf")},
    )
    assert sent.status_code == 202 and sent.json()["status"] == "parsing"
    apps = f"/v1/organizations/{team.org_id}/jobs/{job['id']}/applications"
    done = await scored(client, owner.headers, f"{apps}/{sent.json()['id']}")
    assert done["status"] == "failed" and done["explanation"]["error"]["detail"]


async def test_apply_bursts_are_limited_per_address_and_per_job(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner})
    job = await open_job(client, owner.headers, team.org_id)
    monkeypatch.setattr(app_context.settings, "careers_apply_limit_per_address", "3/minute")
    monkeypatch.setattr(app_context.settings, "careers_apply_limit_per_job", "5/minute")

    async def apply(n: int) -> httpx.Response:
        return await client.post(
            "/v1/applications/upload",
            data={"posting_id": job["id"], "name": f"Guest {n}", "email": f"guest{n}@example.org"},
            files={"file": ("cv.txt", f"Guest {n}\nPython developer since 2015\n".encode(), "text/plain")},
        )

    answers = [await apply(n) for n in range(5)]
    assert [a.status_code for a in answers] == [202, 202, 202, 429, 429]
    problem = assert_problem(answers[-1], 429, "apply-rate-limited")
    assert "address" in problem["detail"] and int(answers[-1].headers["retry-after"]) >= 1

    monkeypatch.setattr(app_context.settings, "careers_apply_limit_per_address", "1000/minute")
    # Refused attempts did not count against the job: two more fit in its five.
    assert [(await apply(n)).status_code for n in (10, 11)] == [202, 202]
    blocked = await apply(12)
    problem = assert_problem(blocked, 429, "apply-rate-limited")
    assert "job" in problem["detail"]
    async with app_context.database.reader() as session:
        assert await session.scalar(select(func.count()).select_from(Application)) == 5
