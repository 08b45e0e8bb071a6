from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from shortlist.ats.engine import UnknownProfileError, match, parse_job, profile_ids, score_profile

JOB = """Senior Backend Engineer (Python)

About the role
You will build the APIs behind our payments platform.

Requirements
- 5+ years of professional experience building backend services
- Python and FastAPI or Django REST Framework
- PostgreSQL and message queues (Kafka or RabbitMQ)
- Docker and Kubernetes in production
- Bachelor's degree in Computer Science or equivalent

Nice to have
- OpenTelemetry, Prometheus
- GraphQL
"""

RESUME: dict[str, Any] = {
    "basics": {"name": "Jane Doe", "label": "Senior Backend Engineer"},
    "work": [
        {
            "name": "Acme",
            "position": "Senior Backend Engineer",
            "startDate": "2018-01",
            "highlights": [
                "Built payment APIs in FastAPI on Postgres serving 3M requests a day",
                "Cut p95 latency from 850 ms to 180 ms with Redis caching",
                "Moved 20 services to Kubernetes with Helm and Docker",
                "Introduced Prometheus alerts and OpenTelemetry tracing, halving incident time",
            ],
        },
        {"name": "Initech", "position": "Backend Developer", "startDate": "2015-06", "endDate": "2017-12"},
    ],
    "education": [
        {"institution": "TU Berlin", "studyType": "Bachelor of Science", "area": "Computer Science"}
    ],
    "skills": [{"name": "Backend", "keywords": ["Python", "Kafka", "JWT", "OAuth2", "Celery", "pytest"]}],
}


def test_parse_job() -> None:
    job = parse_job(JOB)
    assert job.title == "Senior Backend Engineer (Python)"
    assert job.seniority == "senior"
    assert job.years == 5
    assert {"Python", "FastAPI", "Django REST Framework", "PostgreSQL", "Docker", "Kubernetes"} <= set(
        job.required_skills
    )
    assert {"OpenTelemetry", "Prometheus", "GraphQL"} == set(job.preferred_skills)
    assert ["FastAPI", "Django REST Framework"] in job.alternatives
    assert "Computer Science" not in job.required_skills
    assert job.education and "Bachelor" in job.education


def test_match_scores_with_evidence_and_missing() -> None:
    result = match(RESUME, JOB, today=dt.date(2025, 1, 1))
    assert 70 <= result.score <= 100
    assert round(sum(p.points for p in result.parts)) == result.score
    assert {p.id for p in result.parts} == {
        "required",
        "preferred",
        "title",
        "seniority",
        "education",
        "keywords",
        "languages",
        "location",
    }
    hits = {h.skill: h for h in result.matched_required}
    assert "PostgreSQL" in hits
    assert any("Postgres" in e.text for e in hits["PostgreSQL"].evidence)
    # FastAPI satisfies "FastAPI or Django REST Framework": DRF is not reported missing.
    assert "Django REST Framework" not in result.missing_required
    assert result.missing_preferred == ["GraphQL"]
    assert any("GraphQL" in s for s in result.suggestions)


def test_weak_resume_gets_low_score_and_suggestions() -> None:
    weak = {"basics": {"name": "Sam"}, "work": [{"position": "Barista", "startDate": "2023-01"}]}
    result = match(weak, JOB, today=dt.date(2025, 1, 1))
    assert result.score < 40
    assert "Python" in result.missing_required
    assert any("years" in s for s in result.suggestions)


def test_job_schema_document() -> None:
    job = {
        "title": "Data Scientist",
        "experience": "Mid-level",
        "qualifications": ["3+ years with Python and SQL", "Master's degree in Statistics"],
        "skills": [{"name": "Machine Learning", "keywords": ["scikit-learn", "pandas"]}],
    }
    parsed = parse_job(job)
    assert parsed.title == "Data Scientist" and parsed.years == 3
    assert {"Python", "SQL", "Machine Learning", "scikit-learn", "Pandas"} <= set(parsed.required_skills)
    result = match(RESUME, job)
    assert "Machine Learning" in result.missing_required


def test_profiles_are_data_and_scored_with_evidence() -> None:
    assert {"python-backend", "frontend", "data-scientist", "devops-sre", "product-manager"} <= set(
        profile_ids()
    )
    result = score_profile(RESUME, "python-backend")
    areas = {a.id: a for a in result.areas}
    assert areas["frameworks"].evidenced
    assert areas["performance"].evidenced  # "Cut p95 latency from 850 ms to 180 ms"
    assert areas["observability"].evidenced and areas["auth"].evidenced
    assert not areas["security"].evidenced
    assert "Security" in result.lacking
    assert areas["frameworks"].found[0].evidence
    assert 50 <= result.score < 100
    frontend = score_profile(RESUME, "frontend")
    assert frontend.score < result.score


def test_unknown_profile() -> None:
    with pytest.raises(UnknownProfileError):
        score_profile(RESUME, "astronaut")


def test_german_job_posting() -> None:
    jd = """Senior Backend-Entwickler (m/w/d)

Deine Aufgaben
- Du entwickelst APIs mit Python

Dein Profil
- Mindestens 5 Jahre Erfahrung mit Python und Django
- Sehr gute Kenntnisse in PostgreSQL und Docker

Wünschenswert
- Erfahrung mit Kubernetes und Kafka
"""
    job = parse_job(jd)
    assert job.seniority == "senior" and job.years == 5
    assert job.required_skills == ["Python", "Django", "PostgreSQL", "Docker"]
    assert job.preferred_skills == ["Kubernetes", "Apache Kafka"]
    assert "und" not in job.keywords and "mit" not in job.keywords
    result = match(RESUME, jd, today=dt.date(2025, 1, 1))
    title = next(p for p in result.parts if p.id == "title")
    assert title.score == 1.0  # "Backend-Entwickler" ~ "Backend Engineer"
