"""Recruiting fixtures: an open job, candidates with realistic resumes, waiting for the worker's score."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

JOB_DESCRIPTION = """We build the hiring platform for mid-sized companies.

## Requirements
- 5+ years building backends in Python
- PostgreSQL and Docker
- Kafka or RabbitMQ

## Nice to have
- Kubernetes
"""


def resume_document(
    name: str, email: str, *, strong: bool, school: str = "Stanford University"
) -> dict[str, Any]:
    skills = (
        ["Python", "PostgreSQL", "Docker", "Apache Kafka", "Kubernetes"] if strong else ["Excel", "Sales"]
    )
    highlights = (
        [
            "Built a payments backend in Python and PostgreSQL serving 2M requests a day",
            "Moved 30 services to Docker and Kubernetes; streamed events through Kafka",
        ]
        if strong
        else ["Grew regional sales by 20% with a new Excel forecasting sheet"]
    )
    return {
        "basics": {
            "name": name,
            "label": "Senior Backend Engineer" if strong else "Sales Associate",
            "email": email,
            "phone": "+49 30 1234 5678",
            "url": f"https://{name.split()[0].lower()}.example.org",
            "location": {
                "address": "Hauptstrasse 5",
                "postalCode": "10115",
                "city": "Berlin",
                "countryCode": "DE",
            },
            "profiles": [{"network": "GitHub", "username": f"{name.split()[0].lower()}dev"}],
        },
        "work": [
            {
                "name": "Acme Payments",
                "position": "Senior Backend Engineer" if strong else "Sales Associate",
                "startDate": "2017-01" if strong else "2024-03",
                "highlights": highlights,
            }
        ],
        "education": [
            {
                "institution": school,
                "area": "Computer Science",
                "studyType": "Bachelor",
                "startDate": "2012-09",
                "endDate": "2016-06",
            }
        ],
        "skills": [{"name": s} for s in skills],
    }


async def open_job(
    client: httpx.AsyncClient, headers: dict[str, str], org_id: uuid.UUID | str, **fields: Any
) -> dict[str, Any]:
    jobs = f"/v1/organizations/{org_id}/jobs"
    created = await client.post(
        jobs,
        json={"title": "Senior Backend Engineer", "description": JOB_DESCRIPTION, **fields},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    opened = await client.post(f"{jobs}/{created.json()['id']}/open", headers=headers)
    assert opened.status_code == 200, opened.text
    job: dict[str, Any] = opened.json()
    return job


async def apply_with_new_resume(
    client: httpx.AsyncClient, headers: dict[str, str], posting_id: str, document: dict[str, Any]
) -> httpx.Response:
    resume = await client.post("/v1/resumes", json={"title": "Mine", "content": document}, headers=headers)
    assert resume.status_code == 201, resume.text
    return await client.post(
        "/v1/applications", json={"posting_id": posting_id, "resume_id": resume.json()["id"]}, headers=headers
    )


async def scored(client: httpx.AsyncClient, headers: dict[str, str], url: str) -> dict[str, Any]:
    """Poll an application until the worker has scored it (or failed it)."""
    async with asyncio.timeout(30):
        while True:
            body: dict[str, Any] = (await client.get(url, headers=headers)).json()
            if body.get("scored_at") or body.get("status") == "failed":
                return body
            await asyncio.sleep(0.05)


async def seed_applications(
    context: Any, org_id: uuid.UUID, posting_id: str, people: list[tuple[str, str, dict[str, Any] | None]]
) -> list[str]:
    """Applications written straight into the database, scored by the real engine (no worker round trip)."""
    from shortlist.application.repository import set_skills
    from shortlist.application.search import reindex
    from shortlist.application.tasks import explanation_of, skills_of
    from shortlist.models import Application, JobPosting
    from shortlist.posting.service import effective_requirements

    ids = []
    async with context.database.writer() as session:
        posting = await session.get(JobPosting, uuid.UUID(posting_id))
        requirements = effective_requirements(posting)
        for name, email, resume in people:
            application = Application(
                organization_id=org_id,
                posting_id=posting.id,
                name=name,
                email=email,
                source="resume",
                resume=resume,
                status="ready",
                stage="applied",
            )
            if resume is not None:
                score, years, explanation = explanation_of(resume, posting.title, requirements, posting.id)
                application.score = application.rank_score = score
                application.years, application.explanation = years, explanation
            session.add(application)
            await session.flush()
            if resume is not None:
                await set_skills(session, application.id, skills_of(resume, application.explanation or {}))
            await reindex(session, application.id)
            ids.append(str(application.id))
        await session.commit()
    return ids
