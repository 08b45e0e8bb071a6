"""Shared helpers for the rendering API tests."""

from __future__ import annotations

import uuid
from typing import Any

import httpx


def unique_resume(name: str | None = None, **extra: Any) -> dict[str, Any]:
    """A small resume with a name no other test uses, so renders never hit another test's cache entry."""
    return {
        "basics": {"name": name or f"Casey Quinn {uuid.uuid4().hex[:8]}", "label": "Engineer"},
        "work": [
            {
                "name": "Acme",
                "position": "Developer",
                "startDate": "2020-01",
                "highlights": ["Built the billing pipeline", "Cut costs by a third"],
            }
        ],
        **extra,
    }


async def create_resume(
    client: httpx.AsyncClient, headers: dict[str, str], content: dict[str, Any], title: str = "My CV"
) -> str:
    response = await client.post("/v1/resumes", json={"title": title, "content": content}, headers=headers)
    assert response.status_code == 201, response.text
    resume_id: str = response.json()["id"]
    return resume_id
