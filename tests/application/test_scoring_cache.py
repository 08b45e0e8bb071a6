"""Scoring many applications reads the job once: the adapter keeps the engine's reading of each posting's
effective requirements, reads it again when a correction changes them, and explains exactly as a fresh
read of the job would."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from shortlist.ats.engine.matching import JobRequirements, extract_requirements, match
from shortlist.context import AppContext
from shortlist.organization.policy import OrgRole
from shortlist.posting import ats_adapter
from shortlist.posting.ats_adapter import extract
from tests.application.helpers import (
    JOB_DESCRIPTION,
    apply_with_new_resume,
    open_job,
    resume_document,
    scored,
)
from tests.conftest import Register
from tests.organization.helpers import person, seed_team

TITLE = "Senior Backend Engineer"
SKILLS = ["Python", "PostgreSQL", "Docker", "Kafka", "RabbitMQ", "Kubernetes", "Go", "Excel"]


def _resume(n: int) -> dict[str, Any]:
    skills = [SKILLS[(n + k) % len(SKILLS)] for k in range(2 + n % 4)]
    return {
        "basics": {"name": f"Candidate {n}", "label": "Backend Engineer"},
        "work": [
            {
                "name": f"Company {n}",
                "position": "Software Engineer" if n % 2 else "Senior Backend Engineer",
                "startDate": f"{2010 + n % 12}-01",
                "highlights": [f"Built services in {s}" for s in skills],
            }
        ],
        "skills": [{"name": s} for s in skills],
    }


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """Every job document the adapter hands the engine to read, from an empty cache."""
    seen: list[dict[str, Any]] = []
    real = extract_requirements

    def counting(job: str | dict[str, Any]) -> JobRequirements:
        assert isinstance(job, dict)
        seen.append(job)
        return real(job)

    monkeypatch.setattr(ats_adapter, "extract_requirements", counting)
    ats_adapter.clear_requirements_cache()
    yield seen
    ats_adapter.clear_requirements_cache()


def _requirements() -> dict[str, Any]:
    extracted = extract(TITLE, JOB_DESCRIPTION)
    extracted.setdefault("languages", [])
    return extracted


def test_many_applications_read_the_posting_once(reads: list[dict[str, Any]]) -> None:
    posting_id = uuid.uuid4()
    requirements = _requirements()
    results = [ats_adapter.score(_resume(n), TITLE, requirements, posting_id) for n in range(40)]

    assert len(reads) == 1
    info = ats_adapter.requirements_cache_info()
    assert (info.misses, info.hits) == (1, 39)
    assert len({r.score for r in results}) > 1  # the resumes differ, and so do their scores


def test_a_correction_is_read_again_and_wins(reads: list[dict[str, Any]]) -> None:
    posting_id = uuid.uuid4()
    requirements = _requirements()
    resume = _resume(0)
    before = ats_adapter.score(resume, TITLE, requirements, posting_id)
    corrected = {**requirements, "required_skills": ["Go", "Rust"], "alternatives": [], "years": 12}
    after = [ats_adapter.score(resume, TITLE, corrected, posting_id) for _ in range(5)]

    assert len(reads) == 2
    assert after[0].job.required_skills == ["Go", "Rust"] and after[0].job.years == 12
    assert "Rust" in after[0].missing_required and "Rust" not in before.missing_required
    # The original reading is still kept: scoring against it again reads nothing.
    ats_adapter.score(resume, TITLE, requirements, posting_id)
    assert len(reads) == 2


def test_postings_are_kept_apart(reads: list[dict[str, Any]]) -> None:
    requirements = _requirements()
    first, second = uuid.uuid4(), uuid.uuid4()
    for n in range(10):
        ats_adapter.score(_resume(n), TITLE, requirements, first)
        ats_adapter.score(_resume(n), TITLE, requirements, second)
    assert len(reads) == 2


def test_the_kept_reading_explains_exactly_as_a_fresh_read() -> None:
    ats_adapter.clear_requirements_cache()
    posting_id = uuid.uuid4()
    base = _requirements()
    corrected = {
        **base,
        "required_skills": ["Python", "Kafka", "RabbitMQ", "Go"],
        "alternatives": [["Kafka", "RabbitMQ"]],
        "seniority": "mid",
        "years": 3,
    }
    for requirements in (base, corrected):
        document = ats_adapter._job_document(TITLE, requirements)
        for n in range(12):
            resume = _resume(n)
            kept = ats_adapter.score(resume, TITLE, requirements, posting_id)
            assert kept.model_dump() == match(resume, document).model_dump()


async def test_the_worker_reads_a_job_once_for_its_applications(
    client: httpx.AsyncClient,
    register: Register,
    app_context: AppContext,
    job_runner: object,
    reads: list[dict[str, Any]],
) -> None:
    owner = await person(client, register)
    team = await seed_team(app_context, {OrgRole.owner: owner})
    job = await open_job(client, owner.headers, team.org_id)
    apps = f"/v1/organizations/{team.org_id}/jobs/{job['id']}/applications"
    for n in range(3):
        applicant = await person(client, register)
        document = resume_document(f"Applicant {n}", applicant.email, strong=n != 1)
        made = await apply_with_new_resume(client, applicant.headers, job["id"], document)
        assert made.status_code == 201, made.text
        done = await scored(client, owner.headers, f"{apps}/{made.json()['id']}")
        assert done["status"] == "ready" and done["score"] is not None
        assert done["explanation"]["matched_required"] or done["explanation"]["missing_required"]

    assert len(reads) == 1
    assert reads[0]["title"] == job["title"]
