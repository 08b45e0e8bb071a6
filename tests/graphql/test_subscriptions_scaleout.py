"""A subscription on one `shortlist serve` process hears a change made through another: the fan-out goes
through Redis pub/sub. Runs on the real services (CI's second run), as tests/scaleout does."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import ExitStack

import httpx
import pytest

from shortlist.context import AppContext
from shortlist.graphql.ids import global_id
from tests.conftest import PASSWORD, empty_tables
from tests.graphql.wsclient import graphql_socket, next_message, subscribe
from tests.support import running_server

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (
            os.environ.get("SHORTLIST_DATABASE_URL", "").startswith("postgresql")
            and os.environ.get("SHORTLIST_REDIS_URL")
        ),
        reason="needs SHORTLIST_DATABASE_URL (PostgreSQL) and SHORTLIST_REDIS_URL: shared state across processes",
    ),
]


@pytest.fixture(scope="module")
async def two_servers(
    tmp_path_factory: pytest.TempPathFactory, context: AppContext
) -> AsyncIterator[tuple[str, str]]:
    env = {
        "SHORTLIST_SECRET_KEY": context.settings.secret_key.get_secret_value(),
        "SHORTLIST_DATABASE_URL": context.settings.resolved_database_url,
        "SHORTLIST_PASSWORD_TIME_COST": "1",
        "SHORTLIST_PASSWORD_MEMORY_COST_KIB": "64",
        "SHORTLIST_BROKER_QUEUE": context.settings.broker_queue,
        "SHORTLIST_SCHEDULER_INTERVAL_SECONDS": "0.1",
    }
    with ExitStack() as stack:
        a, _ = stack.enter_context(running_server(tmp_path_factory.mktemp("gql-a"), env))
        b, _ = stack.enter_context(running_server(tmp_path_factory.mktemp("gql-b"), env))
        if os.environ.get("SHORTLIST_BROKER_URL"):
            # Behind a broker `serve` runs no jobs: a worker dispatches the domain events.
            worker = subprocess.Popen(  # noqa: ASYNC220 - once per module, before any test runs
                [sys.executable, "-m", "shortlist.cli", "worker", "--scheduler"],
                env={**os.environ, **env, "SHORTLIST_LOG_LEVEL": "WARNING"},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            stack.callback(worker.wait, 15)
            stack.callback(worker.terminate)
        yield a, b
    # Emptied once the processes are gone: a TRUNCATE beside a live scheduler can deadlock.
    await empty_tables(context)


async def test_a_change_through_one_instance_reaches_a_socket_on_the_other(
    two_servers: tuple[str, str],
) -> None:
    a, b = two_servers
    email = f"gql-{uuid.uuid4().hex[:10]}@example.com"
    async with httpx.AsyncClient(timeout=20) as http:
        assert (
            await http.post(f"{b}/v1/auth/register", json={"email": email, "password": PASSWORD})
        ).status_code == 201
        tokens = (
            await http.post(f"{b}/v1/auth/token", data={"username": email, "password": PASSWORD})
        ).json()
        auth = {"Authorization": f"Bearer {tokens['access_token']}"}
        socket_url = a.replace("http://", "ws://") + "/graphql"
        async with graphql_socket(socket_url, {"authorization": auth["Authorization"]}) as socket:
            await subscribe(socket, "r", "subscription { resumeChanges { event resumeId } }")
            created = await http.post(
                f"{b}/graphql",
                json={
                    "query": 'mutation { createResume(input: {title: "B", content: {}}) { ... on Resume { resumeId } } }'
                },
                headers=auth,
            )
            resume_id = created.json()["data"]["createResume"]["resumeId"]
            message = await next_message(socket, 20)
    assert message["payload"]["data"]["resumeChanges"] == {"event": "resume.created", "resumeId": resume_id}


async def test_an_application_through_one_instance_reaches_a_recruiter_on_the_other(
    two_servers: tuple[str, str],
) -> None:
    a, b = two_servers

    async def account(http: httpx.AsyncClient) -> dict[str, str]:
        email = f"gql-{uuid.uuid4().hex[:10]}@example.com"
        assert (
            await http.post(f"{b}/v1/auth/register", json={"email": email, "password": PASSWORD})
        ).status_code == 201
        tokens = (
            await http.post(f"{b}/v1/auth/token", data={"username": email, "password": PASSWORD})
        ).json()
        return {"Authorization": f"Bearer {tokens['access_token']}"}

    async with httpx.AsyncClient(timeout=20) as http:
        owner, candidate = await account(http), await account(http)
        slug = f"org-{uuid.uuid4().hex[:8]}"
        org = (
            await http.post(f"{b}/v1/organizations", json={"name": "Acme", "slug": slug}, headers=owner)
        ).json()
        jobs = f"{b}/v1/organizations/{org['id']}/jobs"
        job = (await http.post(jobs, json={"title": "Backend engineer"}, headers=owner)).json()
        assert (await http.post(f"{jobs}/{job['id']}/open", headers=owner)).status_code == 200
        resume = (
            await http.post(f"{b}/v1/resumes", json={"title": "Mine", "content": {}}, headers=candidate)
        ).json()
        socket_url = a.replace("http://", "ws://") + "/graphql"
        job_gid = global_id("JobPosting", f"{org['id']}:{job['id']}")
        async with graphql_socket(socket_url, {"authorization": owner["Authorization"]}) as socket:
            await subscribe(
                socket,
                "apps",
                "subscription($j: ID!) { applicationEvents(jobPostingId: $j) { event applicationId } }",
                {"j": job_gid},
            )
            applied = await http.post(
                f"{b}/graphql",
                json={
                    "query": "mutation($j: UUID!, $r: UUID!) { applyWithResume(jobPostingId: $j, resumeId: $r) "
                    "{ ... on MyApplication { applicationId } } }",
                    "variables": {"j": job["id"], "r": resume["id"]},
                },
                headers=candidate,
            )
            application_id = applied.json()["data"]["applyWithResume"]["applicationId"]
            message = await next_message(socket, 30)
    assert message["payload"]["data"]["applicationEvents"] == {
        "event": "application.created",
        "applicationId": application_id,
    }
