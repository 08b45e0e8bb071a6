"""Credentials with bytes outside ASCII (HTTP headers are Latin-1 on the wire) are refused, never a 500."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import assert_problem

FORGED = "slk_ünïcödé1234567890".encode("latin-1")


@pytest.mark.parametrize(
    "headers",
    [{b"X-API-Key": FORGED}, {b"Authorization": b"Bearer " + FORGED}],
    ids=["x-api-key", "bearer"],
)
async def test_non_ascii_api_key_is_a_401(client: httpx.AsyncClient, headers: dict[bytes, bytes]) -> None:
    assert_problem(await client.get("/v1/resumes", headers=headers), 401)
