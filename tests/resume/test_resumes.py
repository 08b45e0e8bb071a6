"""The resumes API: CRUD, import/export, pagination, versions, trash, concurrency control and limits."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from shortlist.context import AppContext
from tests.conftest import Register, assert_problem

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "data" / "jsonresume-schema.json"

FULL_RESUME: dict[str, Any] = {
    "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
    "basics": {
        "name": "Zoë Ångström-Müller",
        "label": "Platform engineer",
        "email": "zoe@example.org",
        "phone": "+44 20 7946 0958",
        "url": "https://zoe.example.org",
        "summary": "Ships reliable systems.",
        "location": {"city": "Zürich", "countryCode": "CH", "address": "Line 1\nLine 2"},
        "profiles": [{"network": "GitHub", "username": "zoe", "url": "https://github.com/zoe"}],
        "pronouns": "she/her",
    },
    "work": [
        {
            "name": "Acme",
            "position": "Staff Engineer",
            "startDate": "2020-01",
            "endDate": "2024-06-30",
            "highlights": ["Cut p99 latency from 850 ms to 180 ms", "'; DROP TABLE resumes; --"],
            "x-team-size": 12,
        }
    ],
    "education": [
        {"institution": "ETH", "area": "CS", "studyType": "MSc", "startDate": "2014", "score": "5.5"}
    ],
    "skills": [{"name": "Backend", "level": "Expert", "keywords": ["Python", "PostgreSQL"]}],
    "languages": [{"language": "العربية", "fluency": "Native"}, {"language": "日本語", "fluency": "B2"}],
    "projects": [
        {"name": "🚀 Rocket", "roles": ["lead"], "startDate": "2022-03-01", "url": "https://x.example"}
    ],
    "meta": {"version": "v1.0.0", "theme": "classic"},
    "custom_section": {"anything": [1, 2, {"nested": True}], "null_value": None},
}


async def _create(
    client: httpx.AsyncClient, headers: dict[str, str], title: str = "CV", **content: Any
) -> dict[str, Any]:
    response = await client.post("/v1/resumes", json={"title": title, "content": content}, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_create_returns_location_etag_and_document(
    client: httpx.AsyncClient, register: Register
) -> None:
    headers = await register()
    response = await client.post("/v1/resumes", json={"title": "CV", "content": FULL_RESUME}, headers=headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["version"] == 1 and body["title"] == "CV"
    assert body["content"] == FULL_RESUME
    assert response.headers["location"].endswith(f"/v1/resumes/{body['id']}")
    assert response.headers["etag"] == '"r1"'


async def test_import_and_export_are_lossless(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    imported = await client.post("/v1/resumes/import", json=FULL_RESUME, headers=headers)
    assert imported.status_code == 201, imported.text
    assert imported.json()["title"] == "Zoë Ångström-Müller"
    exported = await client.get(f"/v1/resumes/{imported.json()['id']}/export", headers=headers)
    assert exported.json() == FULL_RESUME
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.validate({k: v for k, v in exported.json().items() if k != "custom_section"}, schema)


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ({"work": [{"startDate": "2020-13"}]}, "startDate"),
        ({"work": [{"startDate": "March 2020"}]}, "startDate"),
        ({"education": [{"endDate": "2020-02-32"}]}, "endDate"),
        ({"basics": {"email": "not-an-email"}}, "email"),
        ({"basics": {"url": "not a url"}}, "url"),
        ({"basics": {"profiles": [{"url": "javascript alert(1)"}]}}, "url"),
        ({"work": "not a list"}, "work"),
        ({"skills": [{"keywords": "Python"}]}, "keywords"),
        ({"basics": {"name": 42}}, "name"),
    ],
)
async def test_invalid_json_resume_values(
    client: httpx.AsyncClient, register: Register, content: dict[str, Any], where: str
) -> None:
    headers = await register()
    response = await client.post("/v1/resumes", json={"title": "t", "content": content}, headers=headers)
    body = assert_problem(response, 422, "validation-error")
    assert where in body["detail"]
    assert (await client.get("/v1/resumes", headers=headers)).json()["items"] == []


async def test_unicode_and_sql_looking_strings_round_trip(
    client: httpx.AsyncClient, register: Register
) -> None:
    headers = await register()
    name = "ישראל ישראלי 🙂 王小明 Robert'); DROP TABLE users;-- %_\\"
    created = await _create(client, headers, title=name, basics={"name": name})
    fetched = (await client.get(f"/v1/resumes/{created['id']}", headers=headers)).json()
    assert fetched["title"] == name and fetched["content"]["basics"]["name"] == name
    found = (await client.get("/v1/resumes", params={"q": "%_\\"}, headers=headers)).json()["items"]
    assert [item["id"] for item in found] == [created["id"]]


async def test_list_paginates_with_signed_cursors(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    ids = [(await _create(client, headers, title=f"Resume {i}"))["id"] for i in range(7)]
    seen: list[str] = []
    url = "/v1/resumes?limit=3"
    pages = 0
    while url:
        response = await client.get(url, headers=headers)
        body = response.json()
        seen.extend(item["id"] for item in body["items"])
        pages += 1
        if body["next_cursor"]:
            assert 'rel="next"' in response.headers["link"]
            url = response.headers["link"].split(">")[0].lstrip("<").replace("http://testserver", "")
        else:
            assert "link" not in response.headers
            url = ""
    assert pages == 3
    assert seen == list(reversed(ids))  # newest update first


async def test_search_and_limit_clamp(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    for title in ("Data engineer", "Backend ENGINEER", "Designer"):
        await _create(client, headers, title=title)
    found = (await client.get("/v1/resumes", params={"q": "engineer"}, headers=headers)).json()["items"]
    assert sorted(item["title"] for item in found) == ["Backend ENGINEER", "Data engineer"]
    assert (await client.get("/v1/resumes", params={"limit": 1000}, headers=headers)).status_code == 200
    assert_problem(await client.get("/v1/resumes", params={"limit": 0}, headers=headers), 422)


async def test_tampered_or_foreign_cursors_are_400(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    for i in range(3):
        await _create(client, headers, title=f"r{i}")
    cursor = (await client.get("/v1/resumes?limit=1", headers=headers)).json()["next_cursor"]
    payload, mac = cursor.split(".")
    # One character of the MAC changed, in the middle: the last ones of unpadded base64 carry unused bits.
    flipped = mac[:10] + ("B" if mac[10] == "A" else "A") + mac[11:]
    for bad in (payload + "x." + mac, payload + "." + flipped, "garbage", "a.b", ""):
        if bad:
            assert_problem(await client.get("/v1/resumes", params={"cursor": bad}, headers=headers), 400)
    other_query = await client.get("/v1/resumes", params={"cursor": cursor, "q": "r"}, headers=headers)
    assert "different query" in assert_problem(other_query, 400)["detail"]
    other_user = await register()
    assert_problem(await client.get("/v1/resumes", params={"cursor": cursor}, headers=other_user), 400)


async def test_conditional_get_and_stale_updates(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    created = await _create(client, headers, basics={"name": "A"})
    url = f"/v1/resumes/{created['id']}"
    not_modified = await client.get(url, headers={**headers, "If-None-Match": '"r1"'})
    assert not_modified.status_code == 304 and not_modified.headers["etag"] == '"r1"'
    updated = await client.put(
        url,
        json={"title": "New", "content": {"basics": {"name": "B"}}},
        headers={**headers, "If-Match": '"r1"'},
    )
    assert updated.status_code == 200 and updated.headers["etag"] == '"r2"'
    stale = await client.put(
        url, json={"title": "Lost", "content": {}}, headers={**headers, "If-Match": '"r1"'}
    )
    assert '"r2"' in assert_problem(stale, 412, "precondition-failed")["detail"]
    stale_patch = await client.patch(
        url,
        content=b'{"title":"x"}',
        headers={**headers, "If-Match": '"r1"', "Content-Type": "application/merge-patch+json"},
    )
    assert_problem(stale_patch, 412)
    assert_problem(await client.delete(url, headers={**headers, "If-Match": 'W/"r2"'}), 412)
    current = (await client.get(url, headers=headers)).json()
    assert current["title"] == "New" and current["version"] == 2


async def test_concurrent_writers_cannot_both_win(client: httpx.AsyncClient, register: Register) -> None:
    headers = {**(await register()), "If-Match": '"r1"'}
    created = await _create(client, headers)
    url = f"/v1/resumes/{created['id']}"
    results = await asyncio.gather(
        *[client.put(url, json={"title": f"writer {i}", "content": {}}, headers=headers) for i in range(4)]
    )
    statuses = sorted(r.status_code for r in results)
    assert statuses.count(200) == 1, statuses
    assert all(code in (409, 412) for code in statuses if code != 200)
    versions = (await client.get(f"{url}/versions", headers=headers)).json()["items"]
    assert [v["version"] for v in versions] == [2, 1]


async def test_merge_patch(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    created = await _create(client, headers, basics={"name": "A", "label": "Dev", "email": "a@example.com"})
    url = f"/v1/resumes/{created['id']}"
    patch = {"content": {"basics": {"label": None, "name": "Ada"}, "skills": [{"name": "Go"}]}}
    response = await client.patch(
        url,
        content=json.dumps(patch).encode(),
        headers={**headers, "Content-Type": "application/merge-patch+json"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["content"] == {
        "basics": {"name": "Ada", "email": "a@example.com"},
        "skills": [{"name": "Go"}],
    }
    assert response.json()["version"] == 2
    wrong_type = await client.patch(
        url, content=b"title=x", headers={**headers, "Content-Type": "text/plain"}
    )
    assert_problem(wrong_type, 415)
    invalid = await client.patch(url, json={"content": {"basics": {"email": "nope"}}}, headers=headers)
    assert_problem(invalid, 422)
    unknown = await client.patch(url, json={"owner_id": "someone"}, headers=headers)
    assert "owner_id" in assert_problem(unknown, 422)["detail"]
    broken = await client.patch(url, content=b"{", headers={**headers, "Content-Type": "application/json"})
    assert_problem(broken, 400)
    assert (await client.get(url, headers=headers)).json()["version"] == 2


async def test_versions_and_restore(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    created = await _create(client, headers, title="v1", basics={"name": "One"})
    url = f"/v1/resumes/{created['id']}"
    await client.put(url, json={"title": "v2", "content": {"basics": {"name": "Two"}}}, headers=headers)
    await client.put(url, json={"title": "v2", "content": {"basics": {"name": "Two"}}}, headers=headers)
    listed = (await client.get(f"{url}/versions", headers=headers)).json()["items"]
    assert [v["version"] for v in listed] == [2, 1]  # an unchanged PUT made no version
    first = (await client.get(f"{url}/versions/1", headers=headers)).json()
    assert first["content"] == {"basics": {"name": "One"}} and first["title"] == "v1"
    restored = await client.post(f"{url}/versions/1/restore", headers=headers)
    assert restored.status_code == 200
    assert restored.json()["version"] == 3 and restored.json()["content"]["basics"]["name"] == "One"
    assert_problem(await client.get(f"{url}/versions/99", headers=headers), 404, "version-not-found")
    assert_problem(await client.post(f"{url}/versions/99/restore", headers=headers), 404)


async def test_soft_delete_restore_and_trash(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    created = await _create(client, headers)
    url = f"/v1/resumes/{created['id']}"
    assert (await client.delete(url, headers=headers)).status_code == 204
    assert_problem(await client.get(url, headers=headers), 404, "resume-not-found")
    assert (await client.get("/v1/resumes", headers=headers)).json()["items"] == []
    trash = (await client.get("/v1/resumes", params={"deleted": "true"}, headers=headers)).json()["items"]
    assert [item["id"] for item in trash] == [created["id"]]
    restored = await client.post(f"{url}/restore", headers=headers)
    assert restored.status_code == 200 and restored.json()["deleted_at"] is None
    assert (await client.get(url, headers=headers)).status_code == 200
    assert_problem(await client.post(f"{url}/restore", headers=headers), 404)


async def test_duplicate(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    created = await _create(client, headers, title="Original", basics={"name": "Ada"})
    copy_response = await client.post(f"/v1/resumes/{created['id']}/duplicate", headers=headers)
    assert copy_response.status_code == 201
    duplicate = copy_response.json()
    assert duplicate["id"] != created["id"] and duplicate["title"] == "Original (copy)"
    assert duplicate["content"] == created["content"] and duplicate["version"] == 1


async def test_limits(
    client: httpx.AsyncClient, register: Register, app_context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = await register()
    limit = app_context.settings.resume_max_string_length
    too_long = await client.post(
        "/v1/resumes",
        json={"title": "t", "content": {"basics": {"summary": "x" * (limit + 1)}}},
        headers=headers,
    )
    assert "content.basics.summary" in assert_problem(too_long, 422, "value-too-long")["detail"]
    many = {"work": [{"highlights": ["y" * 10_000] * 30} for _ in range(1)]}
    assert_problem(
        await client.post("/v1/resumes", json={"title": "t", "content": many}, headers=headers),
        413,
        "resume-too-large",
    )
    assert_problem(
        await client.post("/v1/resumes", json={"title": "x" * 201, "content": {}}, headers=headers), 422
    )
    monkeypatch.setattr(app_context.settings, "resume_max_per_user", 2)
    await _create(client, headers)
    await _create(client, headers)
    capped = await client.post("/v1/resumes", json={"title": "third", "content": {}}, headers=headers)
    assert "at most 2" in assert_problem(capped, 422, "resume-limit")["detail"]


async def test_original_survives_bad_updates(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    created = await _create(client, headers, basics={"name": "Keep me"})
    url = f"/v1/resumes/{created['id']}"
    for bad in (
        {"title": "", "content": {}},
        {"title": "t", "content": {"work": [{"startDate": "x"}]}},
        {"title": "t"},
        {"title": "t", "content": {}, "owner_id": "x"},
    ):
        assert (await client.put(url, json=bad, headers=headers)).status_code == 422
    after = (await client.get(url, headers=headers)).json()
    assert after["content"] == {"basics": {"name": "Keep me"}} and after["version"] == 1


async def test_out_of_range_version_numbers_are_422(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    created = await _create(client, headers)
    for number in ("0", "9999999999999999999", "-1"):
        assert_problem(
            await client.get(f"/v1/resumes/{created['id']}/versions/{number}", headers=headers), 422
        )
        assert_problem(
            await client.post(f"/v1/resumes/{created['id']}/versions/{number}/restore", headers=headers), 422
        )
