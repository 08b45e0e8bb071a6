"""Recruiting benchmark: scoring and ranking one job's applications, and the ranked list under load.

    .venv/bin/python bench/recruiter_bench.py [--applications 10000] [--organisation 100000]
        [--requests 200] [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test] [--profile]

With a PostgreSQL URL the bench creates a database of its own on that server (named after the URL's, with a
random suffix) and drops it at the end, as the test suite does: it never touches the named database's rows.

Printed (with the load average first: the machine may be shared, so compare figures from one run):
1. score: the worker's scoring step (the ATS engine through posting/ats_adapter.py) over already-parsed
   resumes, one process, one core: per application and for all of them.
2. rank: the ranked order of one job's applications (already scored) end to end through the service
   (`ranking.ranked` with its signed cursors, then what each reader sees), the whole list page by page, and
   the first page alone. Wall and CPU time: on a shared machine the CPU time of this process is the steadier
   figure.
3. list: `GET /v1/organizations/{org}/jobs/{job}/applications` through the whole ASGI application (auth,
   rate limit, middleware, the access-log entry each page writes) with `--organisation` applications in the
   organisation, per filter case: p50 / p95 / p99 of `--requests` calls and the SQL statements one call
   runs. Then, per case, the query plan of the ranked statement (SQLite `EXPLAIN QUERY PLAN`, PostgreSQL
   `EXPLAIN ANALYZE`), to show which index it walks.
With --profile, cProfile's top functions for the ranking and for the list calls.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from shortlist.application import ranking, search  # noqa: E402
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
    ApplicationRating,
    ApplicationSkill,
    ApplicationTag,
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


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


async def own_database(server_url: str) -> str:
    """A database of the bench's own on the server (dropped by `drop_database`)."""
    url = make_url(server_url)
    name = f"{url.database or 'shortlist'}_recruiter_bench_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


async def drop_database(server_url: str, url: str) -> None:
    admin = create_async_engine(make_url(server_url), isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    await admin.dispose()


def arguments_of(params: dict[str, Any]) -> ranking.ListArguments:
    """The list endpoint's query parameters as the arguments `ranking.ranked` receives (for the plans)."""
    return ranking.ListArguments(
        stage=params.get("stage"),
        shortlisted=params.get("shortlisted"),
        min_score=params.get("min_score"),
        min_years=params.get("min_years"),
        skills=tuple(params.get("skill", ())),
        all_skills=params.get("skills_mode", "all") == "all",
        tags=tuple(params.get("tag", ())),
        min_rating=params.get("min_rating"),
        q=params.get("q"),
    )


def search_key(value: uuid.UUID, sqlite: bool) -> str | uuid.UUID:
    # The FTS5 table stores ids as the ORM writes them on SQLite (32 hex digits).
    return value.hex if sqlite else value


# A run of ids (a search's matches in an IN list or a PostgreSQL array): the plan's shape is what matters.
_ID = r"'?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}'?(?:::uuid)?"
IDS = re.compile(rf"(?:{_ID},\s*){{3,}}{_ID}")


def sqlite_literal_ids(sql: str) -> str:
    # SQLite stores ids as 32 hex digits; literal rendering writes them with dashes.
    return re.sub(
        r"'([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})'",
        lambda m: "'" + "".join(m.groups()) + "'",
        sql,
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=10_000, help="in the ranked job")
    parser.add_argument("--organisation", type=int, default=100_000, help="in the whole organisation")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--database-url", default=None, help="a PostgreSQL server (the bench makes its own db)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the ranking and the list, print the top"
    )
    args = parser.parse_args()
    rng = random.Random(20261206)
    tmp = Path(tempfile.mkdtemp(prefix="recruiter-bench-"))
    server_url = args.database_url
    url = await own_database(server_url) if server_url else f"sqlite+aiosqlite:///{tmp / 'bench.db'}"
    sqlite = url.startswith("sqlite")
    print(f"database: {make_url(url).get_backend_name()}; {load()}")
    try:
        await run(args, rng, tmp, url, sqlite)
    finally:
        if server_url:
            await drop_database(server_url, url)


async def run(args: argparse.Namespace, rng: random.Random, tmp: Path, url: str, sqlite: bool) -> None:
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

        # Seed: the ranked job's scored applications (with tags, the owner's ratings and the full-text
        # index), then the rest of the organisation (scores drawn).
        started = time.perf_counter()
        now = utcnow()
        rows: list[dict[str, Any]] = []
        skill_rows: list[dict[str, Any]] = []
        tag_rows: list[dict[str, Any]] = []
        rating_rows: list[dict[str, Any]] = []
        search_rows: list[dict[str, Any]] = []
        for n in range(args.organisation):
            first = n < args.applications
            application_id = new_id()
            if first:
                score, years, explanation = scored[n]
                document = resumes[n]
                skills = skills_of(document, explanation)
                tag_rows += [
                    {"application_id": application_id, "tag": tag}
                    for tag, share in (("priority", 0.1), ("referral", 0.05))
                    if rng.random() < share
                ]
                if rng.random() < 0.3:
                    rating_rows.append(
                        {"application_id": application_id, "user_id": me, "rating": rng.randint(1, 5)}
                    )
                search_rows.append(
                    {
                        "application_id": search_key(application_id, sqlite),
                        "organization_id": search_key(org_id, sqlite),
                        "posting_id": search_key(job.id, sqlite),
                        "body": search.document_text(document, []),
                    }
                )
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
            for model, batch in (
                (ApplicationSkill, skill_rows),
                (ApplicationTag, tag_rows),
                (ApplicationRating, rating_rows),
            ):
                for start in range(0, len(batch), 5000):
                    await session.execute(insert(model), batch[start : start + 5000])
            for start in range(0, len(search_rows), 2000):
                await session.execute(
                    text(
                        "INSERT INTO application_search (application_id, organization_id, posting_id, body) "
                        "VALUES (:application_id, :organization_id, :posting_id, :body)"
                    ),
                    search_rows[start : start + 2000],
                )
            await session.commit()
        # Fresh statistics for the planner, as after any bulk load.
        async with context.database.writer() as session:
            await session.execute(text("ANALYZE"))
            await session.commit()
        print(
            f"seed: {args.organisation} applications ({args.applications} in the ranked job) "
            f"in {time.perf_counter() - started:.1f} s"
        )

        profilers = {"rank": cProfile.Profile(), "list": cProfile.Profile()} if args.profile else {}

        # 2. Ranking through the service (ranking.ranked + what the reader sees), the whole job page by page.
        print(f"rank: {load()}")
        access = Access(organization, member, Subject(me, "user", frozenset()))
        everything = ranking.ListArguments()
        for label, whole in (("first page (20)", False), (f"all {args.applications}", True)):
            timings, cpu_times = [], []
            profiler = profilers.get("rank") if whole else None
            for _ in range(3):
                if profiler is not None:
                    profiler.enable()
                started, cpu_started = time.perf_counter(), time.process_time()
                cursor = None
                seen = 0
                async with context.database.reader() as session:
                    while True:
                        page = await ranking.ranked(
                            session, context.cursors, access, job, everything, 100 if whole else 20, cursor
                        )
                        for application in page.items:
                            application_service.present(access, job, application)
                        seen += len(page.items)
                        cursor = page.next_cursor(context.cursors)
                        if not whole or cursor is None:
                            break
                timings.append(time.perf_counter() - started)
                cpu_times.append(time.process_time() - cpu_started)
                if profiler is not None:
                    profiler.disable()
            print(
                f"rank: {label}: best of 3 {min(timings) * 1000:.0f} ms wall, "
                f"{min(cpu_times) * 1000:.0f} ms CPU ({seen} applications)"
            )

        # 3. The list endpoint through the whole application.
        base = f"/v1/organizations/{org_id}/jobs/{job.id}/applications"
        body: dict[str, Any] = {}
        for _ in range(10):
            params = {"cursor": body["next_cursor"]} if body else {}
            body = (await client.get(base, params=params, headers=headers)).json()
        last = body["items"][-1]
        deep = {"cursor": body["next_cursor"]}
        scenarios: dict[str, dict[str, Any]] = {
            "no filter": {},
            "page 11 (cursor)": deep,
            "min_score=60": {"min_score": 60},
            "stage=interview": {"stage": "interview"},
            "stage=offer&shortlisted=true": {"stage": "offer", "shortlisted": True},
            "skill=Python&skill=Docker (all)": {"skill": ["Python", "Docker"]},
            "skill=Go&skill=Terraform (any)": {"skill": ["Go", "Terraform"], "skills_mode": "any"},
            "tag=referral": {"tag": ["referral"]},
            "min_rating=4": {"min_rating": 4},
            "q=Kafka": {"q": "Kafka"},
            "min_score=40&stage=screening&min_years=3": {
                "min_score": 40,
                "stage": "screening",
                "min_years": 3,
            },
        }
        statements: list[str] = []

        def count(*_: Any) -> None:
            statements.append("")

        print(f"list: {load()}")
        summary = []
        for label, params in scenarios.items():
            await client.get(base, params=params, headers=headers)  # warm
            event.listen(context.database.engine.sync_engine, "before_cursor_execute", count)
            statements.clear()
            await client.get(base, params=params, headers=headers)
            event.remove(context.database.engine.sync_engine, "before_cursor_execute", count)
            per_call = len(statements)
            latencies, cpu_ms = [], []
            profiler = profilers.get("list")
            if profiler is not None:
                profiler.enable()
            for _ in range(args.requests):
                started, cpu_started = time.perf_counter(), time.process_time()
                response = await client.get(base, params=params, headers=headers)
                latencies.append((time.perf_counter() - started) * 1000)
                cpu_ms.append((time.process_time() - cpu_started) * 1000)
                assert response.status_code == 200, response.text
            if profiler is not None:
                profiler.disable()
            p95 = percentile(latencies, 0.95)
            summary.append(p95)
            print(
                f"list [{label}]: p50 {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms, "
                f"p99 {percentile(latencies, 0.99):.1f} ms wall; CPU p50 {statistics.median(cpu_ms):.1f} ms, "
                f"p95 {percentile(cpu_ms, 0.95):.1f} ms ({len(response.json()['items'])} items, "
                f"{per_call} SQL statements)"
            )
        print(f"list: worst p95 {max(summary):.1f} ms; {load()}")

        # The plans the list relies on: the ranked statement of each case, as `ranking.ranked` builds it.
        explain = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN (ANALYZE, COSTS OFF) "
        async with context.database.reader() as session:
            for label, params in scenarios.items():
                arguments = arguments_of(params)
                only = None
                if arguments.q:
                    only = tuple(sorted((await search.matches(session, job.id, arguments.q)).ids))
                after = (int(last["rank_score"]), uuid.UUID(last["id"])) if params is deep else None
                statement = application_repository.ranked_statement(
                    org_id, job.id, ranking.filters_of(arguments, only), after, 20
                )
                compiled = statement.compile(context.database.engine, compile_kwargs={"literal_binds": True})
                sql = sqlite_literal_ids(str(compiled)) if sqlite else str(compiled)
                plan = (await session.execute(text(explain + sql))).all()
                print(f"plan [{label}]:")
                for row in plan:
                    line = " | ".join(str(v) for v in row)
                    # The IN list of a search's matches is long; the plan's shape is what matters.
                    print("   ", IDS.sub("…ids…", line))
    await close_context(context)
    for name, each in profilers.items():
        for order in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(each, stream=out).sort_stats(order).print_stats(40)
            print(f"profile of {name}, by {order}:", out.getvalue(), sep="\n")


if __name__ == "__main__":
    asyncio.run(main())
