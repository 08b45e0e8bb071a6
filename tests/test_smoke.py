from __future__ import annotations

import httpx

from tests.conftest import Register


async def test_register_login_and_read_profile(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register("ada@example.com")
    me = await client.get("/v1/users/me", headers=headers)
    assert me.status_code == 200, me.text
    assert me.json()["email"] == "ada@example.com"


async def test_create_and_read_resume(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    created = await client.post(
        "/v1/resumes", json={"title": "Mine", "content": {"basics": {"name": "Ada"}}}, headers=headers
    )
    assert created.status_code == 201, created.text
    resume_id = created.json()["id"]
    fetched = await client.get(f"/v1/resumes/{resume_id}", headers=headers)
    assert fetched.status_code == 200
    assert fetched.json()["content"] == {"basics": {"name": "Ada"}}
    assert fetched.headers["etag"] == '"r1"'
