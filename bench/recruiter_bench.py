"""Recruiting benchmark: scoring and ranking one job's applications, and the ranked list under load.

    .venv/bin/python bench/recruiter_bench.py [--applications 10000] [--organisation 100000]
                                              [--requests 200] [--database-url postgresql+asyncpg://...]

Printed:
1. score: the worker's scoring step (the ATS engine through posting/ats_adapter.py) over already-parsed
   resumes, one process, one core: per application and for all of them.
2. rank: the ranked order of one job's applications (already scored) end to end through the service
   (repository query + what each reader sees), the whole list page by page, and the first page alone.
   Wall and CPU time: on a shared machine the CPU time of this process is the steadier figure.
3. list: `GET /v1/organizations/{org}/jobs/{job}/applications` through the whole ASGI application (auth,
   rate limit, middleware) with `--organisation` applications in the organisation, with and without filters:
   p50 / p95 / p99 of `--requests` calls each. Then the query plan of the ranked statement (SQLite
   `EXPLAIN QUERY PLAN`, PostgreSQL `EXPLAIN`), to show that it walks the index.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from shortlist.application import repository as application_repository  # noqa: E402
from shortlist.application import service as application_service  # noqa: E402
from shortlist.application.tasks import explanation_of, skills_of  # noqa: E402
from shortlist.auth.subject import Subject  # noqa: E402
from shortlist.config import Settings  # noqa: E402
from shortlist.kit.db import utcnow  # noqa: E402
from shortlist.kit.ids import new_id  # noqa: E402
from shortlist.main import build_context, close_context, create_app  # noqa: E402
from shortlist.models import (  # noqa: E402
    Application,
    ApplicationSkill,
    JobPosting,
    Organization,
    OrganizationMember,
)
from shortlist.organization.service import Access  # noqa: E402
from shortlist.platform.db import create_database  # noqa: E402
from shortlist.platform.migrate import upgrade_to_head  # noqa: E402
from shortlist.posting.ats_adapter import extract  # noqa: E402
from shortlist.posting.service import DEFAULT_STAGES, effective_requirements  # noqa: E402

DESCRIPTION = """Senior Backend Engineer

## Requirements
- 5+ years building backends in Python
- PostgreSQL and Docker
- Kafka or RabbitMQ

## Nice to have
- Kubernetes, Terraform
"""
SKILLS = [
    "Python",
    "PostgreSQL",
    "Docker",
    "Kafka",
    "RabbitMQ",
    "Kubernetes",
    "Terraform",
    "Go",
    "Java",
    "React",
]
STAGES = ["applied", "screening", "interview", "offer", "rejected"]


def resume(rng: random.Random, n: int) -> dict[str, Any]:
    skills = rng.sample(SKILLS, rng.randint(2, 7))
    start = rng.randint(2005, 2024)
    return {
        "basics": {
            "name": f"Candidate {n}",
            "label": rng.choice(["Backend Engineer", "Senior Engineer", "Developer"]),
        },
        "work": [
            {
                "name": f"Company {n % 97}",
                "position": rng.choice(["Senior Backend Engineer", "Software Engineer", "Developer"]),
                "startDate": f"{start}-01",
                "highlights": [f"Built services in {s} for {rng.randint(2, 90)} teams" for s in skills[:3]],
            }
        ],
        "skills": [{"name": s} for s in skills],
    }


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=10_000, help="in the ranked job")
    parser.add_argument("--organisation", type=int, default=100_000, help="in the whole organisation")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    rng = random.Random(20261206)
    tmp = Path(tempfile.mkdtemp(prefix="recruiter-bench-"))
    url = args.database_url or f"sqlite+aiosqlite:///{tmp / 'bench.db'}"
    if url.startswith("postgresql"):
        admin = create_database(url)
        async with admin.engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await admin.dispose()
    database = create_database(url)
    await upgrade_to_head(database.engine)
    await database.dispose()
    settings = Settings(
        data_dir=tmp,
        database_url=url,
        secret_key=secrets.token_hex(32),
        password_time_cost=1,
        password_memory_cost_kib=64,
        rate_limit_user="1000000/minute",
        log_level="WARNING",
    )
    context = await build_context(settings)
    app = create_app(context=context)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        await client.post(
            "/v1/auth/register", json={"email": "owner@example.org", "password": "bench passphrase 1"}
        )
        token = (
            await client.post(
                "/v1/auth/token", data={"username": "owner@example.org", "password": "bench passphrase 1"}
            )
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        me = uuid.UUID((await client.get("/v1/users/me", headers=headers)).json()["id"])

        # One organisation, 10 jobs; the first holds --applications, the others share the rest.
        async with context.database.writer() as session:
            organization = Organization(name="Bench", slug="bench", owner_id=me)
            session.add(organization)
            await session.flush()
            member = OrganizationMember(organization_id=organization.id, user_id=me, role="owner")
            session.add(member)
            postings = []
            for n in range(10):
                posting = JobPosting(
                    organization_id=organization.id,
                    status="open",
                    title="Senior Backend Engineer",
                    description=DESCRIPTION,
                    requirements={},
                    extracted=extract("Senior Backend Engineer", DESCRIPTION),
                    stages={"stages": DEFAULT_STAGES},
                    blind={"enabled": n == 0},
                )
                session.add(posting)
                postings.append(posting)
            await session.flush()
            await session.commit()
            org_id, job = organization.id, postings[0]
            requirements = effective_requirements(job)

        # 1. Scoring, one core.
        resumes = [resume(rng, n) for n in range(args.applications)]
        started = time.process_time()
        scored = [explanation_of(r, job.title, requirements, job.id) for r in resumes]
        cpu = time.process_time() - started
        print(
            f"score: {args.applications} parsed resumes in {cpu:.2f} s CPU "
            f"({1000 * cpu / args.applications:.2f} ms each, one core)"
        )

        # Seed: the ranked job's scored applications, then the rest of the organisation (scores drawn).
        started = time.perf_counter()
        now = utcnow()
        rows: list[dict[str, Any]] = []
        skill_rows: list[dict[str, Any]] = []
        for n in range(args.organisation):
            first = n < args.applications
            application_id = new_id()
            if first:
                score, years, explanation = scored[n]
                document = resumes[n]
                skills = skills_of(document, explanation)
            else:
                score, years, explanation, document = rng.randint(0, 100), rng.uniform(0, 20), {}, None
                skills = rng.sample(SKILLS, 3)
            rows.append(
                {
                    "id": application_id,
                    "organization_id": org_id,
                    "posting_id": job.id if first else postings[1 + n % 9].id,
                    "name": f"Candidate {n}",
                    "email": f"candidate{n}@example.org",
                    "source": "resume",
                    "resume": document,
                    "status": "ready",
                    "stage": rng.choice(STAGES),
                    "shortlisted": rng.random() < 0.05,
                    "score": score,
                    "rank_score": score,
                    "explanation": explanation,
                    "years": years,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
            )
            skill_rows += [{"application_id": application_id, "skill": s} for s in skills]
        async with context.database.writer() as session:
            for start in range(0, len(rows), 2000):
                await session.execute(insert(Application), rows[start : start + 2000])
            for start in range(0, len(skill_rows), 5000):
                await session.execute(insert(ApplicationSkill), skill_rows[start : start + 5000])
            await session.commit()
        # Fresh statistics for the planner, as after any bulk load.
        async with context.database.writer() as session:
            await session.execute(text("ANALYZE"))
            await session.commit()
        print(
            f"seed: {args.organisation} applications ({args.applications} in the ranked job) "
            f"in {time.perf_counter() - started:.1f} s"
        )

        # 2. Ranking through the service (repository + presentation), the whole job page by page.
        access = Access(organization, member, Subject(me, "user", frozenset()))
        filters = application_repository.Filters()
        for label, whole in (("first page (20)", False), (f"all {args.applications}", True)):
            timings, cpu_times = [], []
            for _ in range(3):
                started, cpu_started = time.perf_counter(), time.process_time()
                after = None
                seen = 0
                async with context.database.reader() as session:
                    while True:
                        page = await application_repository.ranked_page(
                            session,
                            org_id,
                            job.id,
                            filters,
                            after,
                            100 if whole else 20,
                            with_resume=application_service.needs_resume(access, job),
                        )
                        batch = page[: 100 if whole else 20]
                        for application in batch:
                            application_service.present(access, job, application)
                        seen += len(batch)
                        if not whole or len(page) <= len(batch):
                            break
                        after = (batch[-1].rank_score, batch[-1].id)
                timings.append(time.perf_counter() - started)
                cpu_times.append(time.process_time() - cpu_started)
            print(
                f"rank: {label}: best of 3 {min(timings) * 1000:.0f} ms wall, "
                f"{min(cpu_times) * 1000:.0f} ms CPU ({seen} applications)"
            )

        # 3. The list endpoint through the whole application.
        base = f"/v1/organizations/{org_id}/jobs/{job.id}/applications"
        scenarios: dict[str, dict[str, Any]] = {
            "no filter": {},
            "min_score=60": {"min_score": 60},
            "stage=interview": {"stage": "interview"},
            "skill=Python&skill=Docker (all)": {"skill": ["Python", "Docker"]},
            "min_score=40&stage=screening&min_years=3": {
                "min_score": 40,
                "stage": "screening",
                "min_years": 3,
            },
        }
        for label, params in scenarios.items():
            await client.get(base, params=params, headers=headers)  # warm
            latencies, cpu_ms = [], []
            for _ in range(args.requests):
                started, cpu_started = time.perf_counter(), time.process_time()
                response = await client.get(base, params=params, headers=headers)
                latencies.append((time.perf_counter() - started) * 1000)
                cpu_ms.append((time.process_time() - cpu_started) * 1000)
                assert response.status_code == 200, response.text
            print(
                f"list [{label}]: p50 {statistics.median(latencies):.1f} ms, p95 {percentile(latencies, 0.95):.1f} ms, "
                f"p99 {percentile(latencies, 0.99):.1f} ms wall; CPU p50 {statistics.median(cpu_ms):.1f} ms, "
                f"p95 {percentile(cpu_ms, 0.95):.1f} ms ({len(response.json()['items'])} items)"
            )

        statement = application_repository.ranked_statement(
            org_id, job.id, application_repository.Filters(min_score=40, stage="screening"), None, 20
        )
        compiled = statement.compile(context.database.engine, compile_kwargs={"literal_binds": True})
        sql = (
            str(compiled).replace(str(org_id), org_id.hex).replace(str(job.id), job.id.hex)
            if url.startswith("sqlite")
            else str(compiled)
        )
        explain = "EXPLAIN QUERY PLAN " if url.startswith("sqlite") else "EXPLAIN "
        async with context.database.reader() as session:
            plan = (await session.execute(text(explain + sql))).all()
        print("plan (ranked, min_score=40, stage=screening):")
        for row in plan:
            print("   ", " | ".join(str(v) for v in row))
    await close_context(context)


if __name__ == "__main__":
    asyncio.run(main())
