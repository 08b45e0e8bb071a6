"""Property-based fuzzing of the live OpenAPI spec over real HTTP: no input may cause a server error."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from shortlist.context import AppContext
from tests.conftest import empty_tables
from tests.support import running_server


@pytest.fixture
def live_server(tmp_path: Path, context: AppContext) -> Iterator[str]:
    env = {
        # The database may be the suite's own (PostgreSQL runs): same secret, same sealed signing keys.
        "SHORTLIST_SECRET_KEY": context.settings.secret_key.get_secret_value(),
        "SHORTLIST_DATABASE_URL": context.settings.resolved_database_url,
        "SHORTLIST_PASSWORD_TIME_COST": "1",
        "SHORTLIST_PASSWORD_MEMORY_COST_KIB": "64",
        "SHORTLIST_RATE_LIMIT_ANONYMOUS": "100000/minute",
        "SHORTLIST_RATE_LIMIT_USER": "100000/minute",
        "SHORTLIST_RATE_LIMIT_LOGIN_PER_IP": "100000/minute",
        "SHORTLIST_RATE_LIMIT_LOGIN_PER_ACCOUNT": "100000/minute",
    }
    with running_server(tmp_path, env, "--migrate") as (base, process):
        yield base
        process.terminate()
        _, stderr = process.communicate(timeout=15)
    # A server error is logged as request.unhandled_error: the run must not have produced one.
    assert b"request.unhandled_error" not in stderr, stderr.decode()[-3000:]


# Operations that would end the run's own session or account.
EXCLUDED = ("delete_me", "logout_all", "change_password")


async def signed_in(live_server: str) -> str:
    """A fresh account with one resume; returns its access token."""
    email = "fuzz@example.com"
    async with httpx.AsyncClient(base_url=live_server) as client:
        await client.post("/v1/auth/register", json={"email": email, "password": "fuzzing passphrase"})
        token: str = (
            await client.post("/v1/auth/token", data={"username": email, "password": "fuzzing passphrase"})
        ).json()["access_token"]
        await client.post(
            "/v1/resumes", json={"title": "seed", "content": {}}, headers={"Authorization": f"Bearer {token}"}
        )
    return token


async def schemathesis(live_server: str, token: str, *options: str) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert executable, "schemathesis is a test dependency"
    excluded = [arg for operation in EXCLUDED for arg in ("--exclude-operation-id", operation)]
    return await asyncio.to_thread(
        subprocess.run,
        [
            executable,
            "run",
            f"{live_server}/openapi.json",
            "--checks",
            "not_a_server_error",
            "--header",
            f"Authorization: Bearer {token}",
            *excluded,
            "--seed",
            "20261125",
            "--no-shrink",
            *options,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
async def test_no_server_errors(live_server: str, context: AppContext) -> None:
    """Each operation alone (examples, coverage, fuzzing), then stateful: sequences of calls that feed one
    answer's ids into the next request, along links schemathesis infers from the response schemas and path
    parameters and from `Location` headers. One server, each run bounded in time."""
    token = await signed_in(live_server)
    try:
        single = await schemathesis(
            live_server,
            token,
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "25",
            "--max-time",
            "40",
        )
        assert single.returncode == 0, single.stdout[-6000:] + single.stderr[-2000:]
        linked = await schemathesis(
            live_server, token, "--phases", "stateful", "--max-examples", "20", "--max-time", "25"
        )
        output = linked.stdout + linked.stderr
        assert linked.returncode == 0, output[-6000:]
        # The stateful phase ran scenarios along links, not nothing.
        scenarios = re.search(r"Scenarios:\s+(\d+)", output)
        covered = re.search(r"API Links:\s+(\d+) covered", output)
        assert scenarios and covered, output[-3000:]
        assert int(scenarios[1]) > 0 and int(covered[1]) > 0, output[-3000:]
    finally:
        await empty_tables(context)
