"""GraphQL vs REST for two views: a dashboard (10 resumes with their latest version and their design) and a
recruiter's ranked page (20 applications to a job with their explanation, stage, tags, rating and notes).

    .venv/bin/python bench/graphql_bench.py [--duration 10] [--concurrency 8] [--database-url ...]

One `shortlist serve` process (uvicorn, SQLite under a temporary directory unless --database-url) is
seeded with an account and 10 resumes (each with 3 versions and a saved design). Then, one after the
other in the same run, clients build the dashboard for `--duration` seconds each:

- ``graphql``: one POST /graphql asking for `resumes(first: 10)` with `latestVersion` and `design`;
- ``rest``: the equivalent REST calls: GET /v1/resumes?limit=10, then per resume
  GET /v1/resumes/{id}/versions?limit=1 and GET /v1/resumes/{id}/design (21 requests, the per-resume
  ones concurrently, as a browser would).

- ``graphql-ranked``: one POST /graphql for `organization { job { applications(first: 20) { … } } }`;
- ``rest-ranked``: GET …/jobs/{id}/applications?limit=20 (explanation, tags and rating come with each
  item), then each application's notes, concurrently (21 requests).

The recruiter's job has 20 applications made through POST /v1/applications and scored by the server's
embedded worker, each with a note.

Printed per scenario: views (dashboards or pages)/s, HTTP requests/s, p50 and p99 of a whole dashboard, and the server's
CPU time per dashboard. The scenarios share the process and the data, so the figures compare side by side
(this machine's speed drifts between runs).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PASSWORD = "correct horse battery staple"
RANKED = """query Ranked($org: UUID!, $job: UUID!) {
  organization(organizationId: $org) { job(jobPostingId: $job) { applications(first: 20) { nodes {
    applicationId name score rankScore stage { id name } tags rating { average count }
    explanation { matchedRequired { skill evidence } missingRequired years seniority }
    notes { body createdAt }
  } } } }
}"""
JOB_DESCRIPTION = (
    "## Requirements\n- 5+ years of Python\n- PostgreSQL and Docker\n\n## Nice to have\n- Kubernetes\n"
)
DASHBOARD = """query Dashboard {
  resumes(first: 10) {
    nodes { id title updatedAt latestVersion { number title createdAt } design { template color } }
  }
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


async def seed(base: str) -> dict[str, str]:
    email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        assert (
            await http.post("/v1/auth/register", json={"email": email, "password": PASSWORD})
        ).status_code == 201
        token = (await http.post("/v1/auth/token", data={"username": email, "password": PASSWORD})).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        for index in range(10):
            body = {"title": f"Resume {index}", "content": {"basics": {"name": f"Person {index}"}}}
            created = (await http.post("/v1/resumes", json=body, headers=headers)).json()
            for version in (2, 3):
                body["content"] = {"basics": {"name": f"Person {index}", "label": f"v{version}"}}
                await http.put(f"/v1/resumes/{created['id']}", json=body, headers=headers)
            await http.put(
                f"/v1/resumes/{created['id']}/design", json={"template": "modern"}, headers=headers
            )
    return headers


async def seed_recruiting(base: str) -> tuple[dict[str, str], str, str]:
    """An organisation with one open job and 20 scored applications (each with a note)."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:

        async def account(prefix: str) -> dict[str, str]:
            email = f"{prefix}-{uuid.uuid4().hex[:8]}@example.com"
            assert (
                await http.post("/v1/auth/register", json={"email": email, "password": PASSWORD})
            ).status_code == 201
            token = (await http.post("/v1/auth/token", data={"username": email, "password": PASSWORD})).json()
            return {"Authorization": f"Bearer {token['access_token']}"}

        owner = await account("owner")
        slug = f"bench-{uuid.uuid4().hex[:8]}"
        org = (
            await http.post("/v1/organizations", json={"name": "Bench", "slug": slug}, headers=owner)
        ).json()
        jobs = f"/v1/organizations/{org['id']}/jobs"
        job = (
            await http.post(
                jobs, json={"title": "Backend engineer", "description": JOB_DESCRIPTION}, headers=owner
            )
        ).json()
        assert (await http.post(f"{jobs}/{job['id']}/open", headers=owner)).status_code == 200
        for index in range(20):
            candidate = await account("candidate")
            skills = ["Python", "PostgreSQL", "Docker", "Kubernetes"][: 1 + index % 4]
            content = {
                "basics": {"name": f"Candidate {index}", "label": "Backend engineer"},
                "work": [
                    {
                        "name": "Acme",
                        "position": "Engineer",
                        "startDate": f"{2024 - index % 10}-01",
                        "highlights": [f"Built services with {' and '.join(skills)}"],
                    }
                ],
                "skills": [{"name": name} for name in skills],
            }
            resume = (
                await http.post("/v1/resumes", json={"title": "Mine", "content": content}, headers=candidate)
            ).json()
            applied = await http.post(
                "/v1/applications",
                json={"posting_id": job["id"], "resume_id": resume["id"]},
                headers=candidate,
            )
            assert applied.status_code == 201, applied.text
        apps = f"{jobs}/{job['id']}/applications"
        for _ in range(600):  # the embedded worker scores them
            items = (await http.get(apps, params={"limit": 100}, headers=owner)).json()["items"]
            if len(items) == 20 and all(item["scored_at"] for item in items):
                break
            await asyncio.sleep(0.1)
        for item in items:
            note = await http.post(
                f"{apps}/{item['id']}/notes", json={"body": "Solid backend work"}, headers=owner
            )
            assert note.status_code == 201, note.text
    return owner, org["id"], job["id"]


async def graphql_ranked(http: httpx.AsyncClient, headers: dict[str, str], org: str, job: str) -> int:
    response = await http.post(
        "/graphql", json={"query": RANKED, "variables": {"org": org, "job": job}}, headers=headers
    )
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    assert len(body["data"]["organization"]["job"]["applications"]["nodes"]) == 20
    return 1


async def rest_ranked(http: httpx.AsyncClient, headers: dict[str, str], org: str, job: str) -> int:
    apps = f"/v1/organizations/{org}/jobs/{job}/applications"
    listed = await http.get(apps, params={"limit": 20}, headers=headers)
    items = listed.json()["items"]
    assert listed.status_code == 200 and len(items) == 20
    notes = await asyncio.gather(*(http.get(f"{apps}/{item['id']}/notes", headers=headers) for item in items))
    assert all(n.status_code == 200 and n.json()["items"] for n in notes)
    return 1 + len(items)


async def graphql_dashboard(http: httpx.AsyncClient, headers: dict[str, str]) -> int:
    response = await http.post("/graphql", json={"query": DASHBOARD}, headers=headers)
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    assert len(body["data"]["resumes"]["nodes"]) == 10
    return 1


async def rest_dashboard(http: httpx.AsyncClient, headers: dict[str, str]) -> int:
    listed = await http.get("/v1/resumes", params={"limit": 10}, headers=headers)
    items = listed.json()["items"]
    assert listed.status_code == 200 and len(items) == 10

    async def one(resume_id: str) -> None:
        versions, design = await asyncio.gather(
            http.get(f"/v1/resumes/{resume_id}/versions", params={"limit": 1}, headers=headers),
            http.get(f"/v1/resumes/{resume_id}/design", headers=headers),
        )
        assert versions.status_code == 200 and design.status_code == 200

    await asyncio.gather(*(one(item["id"]) for item in items))
    return 1 + 2 * len(items)


async def run(
    name: str,
    base: str,
    pid: int,
    headers: dict[str, str],
    dashboard: Callable[[httpx.AsyncClient, dict[str, str]], Awaitable[int]],
    duration: float,
    concurrency: int,
) -> dict[str, Any]:
    latencies: list[float] = []
    requests = 0
    limits = httpx.Limits(max_connections=concurrency * 4, max_keepalive_connections=concurrency * 4)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as http:
        await dashboard(http, headers)  # warm up connections and caches
        cpu_before = cpu_seconds(pid)
        started = time.perf_counter()
        deadline = started + duration

        async def client() -> None:
            nonlocal requests
            while time.perf_counter() < deadline:
                begin = time.perf_counter()
                sent = await dashboard(http, headers)
                requests += sent  # after the await: a read-modify-write across it would lose updates
                latencies.append(time.perf_counter() - begin)

        await asyncio.gather(*(client() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
        cpu = cpu_seconds(pid) - cpu_before
    latencies.sort()
    return {
        "name": name,
        "dashboards": len(latencies),
        "dashboards_per_s": len(latencies) / elapsed,
        "requests_per_s": requests / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "server_cpu_ms_per_dashboard": cpu * 1000 / max(1, len(latencies)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as data_dir:
        port = free_port()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("SHORTLIST_")},
            "SHORTLIST_DATA_DIR": data_dir,
            "SHORTLIST_LOG_LEVEL": "WARNING",
            "SHORTLIST_PASSWORD_TIME_COST": "1",
            "SHORTLIST_PASSWORD_MEMORY_COST_KIB": "64",
            "SHORTLIST_RATE_LIMIT_ENABLED": "false",
            "SHORTLIST_CAREERS_APPLY_LIMIT_PER_ADDRESS": "100000/hour",
        }
        if args.database_url:
            env["SHORTLIST_DATABASE_URL"] = args.database_url
        server = subprocess.Popen(
            [sys.executable, "-m", "shortlist.cli", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
            headers = asyncio.run(seed(base))
            recruiter, org, job = asyncio.run(seed_recruiting(base))

            def on_job(
                view: Callable[[httpx.AsyncClient, dict[str, str], str, str], Awaitable[int]],
            ) -> Callable[[httpx.AsyncClient, dict[str, str]], Awaitable[int]]:
                return lambda http, given: view(http, given, org, job)

            scenarios: list[
                tuple[str, dict[str, str], Callable[[httpx.AsyncClient, dict[str, str]], Awaitable[int]]]
            ] = [
                ("graphql", headers, graphql_dashboard),
                ("rest", headers, rest_dashboard),
                ("graphql-ranked", recruiter, on_job(graphql_ranked)),
                ("rest-ranked", recruiter, on_job(rest_ranked)),
            ]
            results = [
                asyncio.run(run(name, base, server.pid, who, fn, args.duration, args.concurrency))
                for name, who, fn in scenarios
            ]
        finally:
            server.terminate()
            server.wait(timeout=15)

    print(
        "dashboard: 10 resumes with latest version and design; ranked: 20 applications with explanation, "
        f"stage, tags, rating and notes; {args.concurrency} clients, {args.duration:.0f} s each"
    )
    print(f"{'scenario':<16}{'view/s':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'cpu ms/view':>13}")
    for r in results:
        print(
            f"{r['name']:<16}{r['dashboards_per_s']:>9.1f}{r['requests_per_s']:>9.1f}{r['p50_ms']:>9.1f}"
            f"{r['p99_ms']:>9.1f}{r['server_cpu_ms_per_dashboard']:>13.1f}"
        )


if __name__ == "__main__":
    main()
