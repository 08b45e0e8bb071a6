"""Property-based fuzzing of the live OpenAPI spec over real HTTP: no input may cause a server error."""

from __future__ import annotations

import asyncio
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


@pytest.mark.slow
async def test_no_server_errors(live_server: str, context: AppContext) -> None:
    executable = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert executable, "schemathesis is a test dependency"
    email = "fuzz@example.com"
    async with httpx.AsyncClient(base_url=live_server) as client:
        await client.post("/v1/auth/register", json={"email": email, "password": "fuzzing passphrase"})
        token = (
            await client.post("/v1/auth/token", data={"username": email, "password": "fuzzing passphrase"})
        ).json()
        await client.post(
            "/v1/resumes",
            json={"title": "seed", "content": {}},
            headers={"Authorization": f"Bearer {token['access_token']}"},
        )
    try:
        result = await asyncio.to_thread(
            subprocess.run,
            [
                executable,
                "run",
                f"{live_server}/openapi.json",
                "--checks",
                "not_a_server_error",
                "--header",
                f"Authorization: Bearer {token['access_token']}",
                "--exclude-operation-id",
                "delete_me",
                "--exclude-operation-id",
                "logout_all",
                "--exclude-operation-id",
                "change_password",
                "--max-examples",
                "25",
                "--max-time",
                "60",
                "--seed",
                "20261125",
                "--no-shrink",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    finally:
        await empty_tables(context)
