"""Dates a resume cannot mean: a range that ends before it starts, a day its month does not have.

Refused with a 422 problem document naming the field, by every way a document is stored, and nothing
stored is lost."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import Register, assert_problem

REVERSED = {"work": [{"name": "Acme", "startDate": "2025-01", "endDate": "2020-01"}]}
IMPOSSIBLE = {"education": [{"institution": "ETH", "startDate": "2021-02-30"}]}
CASES = [
    pytest.param(REVERSED, "content.work.0.endDate", "reversed", id="reversed-range"),
    pytest.param(IMPOSSIBLE, "content.education.0.startDate", "2021-02 has days 01-28", id="february-30"),
    pytest.param(
        {"projects": [{"name": "p", "startDate": "2023-11-02", "endDate": "2023-10"}]},
        "content.projects.0.endDate",
        "reversed",
        id="reversed-mixed-precision",
    ),
    pytest.param({"awards": [{"date": "2023-02-29"}]}, "content.awards.0.date", "days 01-28", id="not-leap"),
    pytest.param(
        {"volunteer": [{"startDate": "2019-04-31"}]}, "content.volunteer.0.startDate", "01-30", id="april-31"
    ),
]


def _named(response: httpx.Response, where: str, why: str) -> None:
    body = assert_problem(response, 422, "validation-error")
    assert where in body["detail"] and why in body["detail"], body
    named = [e for e in body["errors"] if ".".join(map(str, e["location"])).endswith(where)]
    assert named, body["errors"]
    # Stable error types a client can branch on, not a generic "value_error".
    assert named[0]["type"] in {"date_range_reversed", "calendar_date"}, named


@pytest.mark.parametrize(("content", "where", "why"), CASES)
async def test_refused_on_every_write(
    client: httpx.AsyncClient, register: Register, content: dict[str, Any], where: str, why: str
) -> None:
    headers = await register()
    created = await client.post("/v1/resumes", json={"title": "t", "content": content}, headers=headers)
    _named(created, where, why)
    imported = await client.post("/v1/resumes/import", json=content, headers=headers)
    # A bare document has no "content" wrapper: its errors name the field from the document's root.
    _named(imported, where.removeprefix("content."), why)

    kept = {"basics": {"name": "Keep me"}}
    good = await client.post("/v1/resumes", json={"title": "t", "content": kept}, headers=headers)
    assert good.status_code == 201, good.text
    url = f"/v1/resumes/{good.json()['id']}"
    _named(await client.put(url, json={"title": "t", "content": content}, headers=headers), where, why)
    patched = await client.patch(
        url,
        json={"content": content},
        headers={**headers, "Content-Type": "application/merge-patch+json"},
    )
    _named(patched, where, why)
    after = (await client.get(url, headers=headers)).json()
    assert after["content"] == kept and after["version"] == 1


async def test_ranges_that_are_fine(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    content = {
        "work": [
            {"startDate": "2020-05", "endDate": "2020"},  # same year, stated less precisely
            {"startDate": "2020-01-31", "endDate": "2020-01-31"},  # a one-day entry
            {"endDate": "2019"},  # an end without a start
        ],
        "awards": [{"date": "2024-02-29"}],  # a leap day
    }
    response = await client.post("/v1/resumes", json={"title": "t", "content": content}, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["content"] == content
