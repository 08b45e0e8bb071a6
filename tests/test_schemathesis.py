"""Property-based fuzzing of the live OpenAPI spec over real HTTP: no input may cause a server error."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from shortlist.context import AppContext
from tests.conftest import empty_tables


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def live_server(tmp_path: Path, context: AppContext) -> Iterator[str]:
    port = _free_port()
    env = dict(os.environ)
    env.update(
        SHORTLIST_DATA_DIR=str(tmp_path),
        # The same secret as the suite: on PostgreSQL the server shares its database and sealed signing keys.
        SHORTLIST_SECRET_KEY=context.settings.secret_key.get_secret_value(),
        SHORTLIST_LOG_LEVEL="WARNING",
        SHORTLIST_PASSWORD_TIME_COST="1",
        SHORTLIST_PASSWORD_MEMORY_COST_KIB="64",
        SHORTLIST_RATE_LIMIT_ANONYMOUS="100000/minute",
        SHORTLIST_RATE_LIMIT_USER="100000/minute",
        SHORTLIST_RATE_LIMIT_LOGIN_PER_IP="100000/minute",
        SHORTLIST_RATE_LIMIT_LOGIN_PER_ACCOUNT="100000/minute",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "shortlist.cli", "serve", "--port", str(port), "--migrate"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(f"{base}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("server did not become ready")
        yield base
    finally:
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
