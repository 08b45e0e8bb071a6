"""Share links: create, open without an account, count views, revoke, expire; one 404 for every dead link."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select, update

from shortlist.context import AppContext
from shortlist.kit.crypto import keyed_hash
from shortlist.models import ResumeShare
from tests.conftest import Register, assert_problem
from tests.design.helpers import create_resume, unique_resume
from tests.rendering.extract import plumber_pages


async def _share(
    client: httpx.AsyncClient, headers: dict[str, str], resume_id: str, **body: Any
) -> dict[str, Any]:
    response = await client.post(f"/v1/resumes/{resume_id}/shares", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def _path(url: str) -> str:
    return httpx.URL(url).path


async def test_share_lifecycle(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    headers = await register()
    content = unique_resume()
    name = content["basics"]["name"]
    resume_id = await create_resume(client, headers, content, title="Public CV")
    await client.put(f"/v1/resumes/{resume_id}/design", json={"template": "banner"}, headers=headers)

    share = await _share(client, headers, resume_id)
    token = share["token"]
    assert token.startswith("sls_") and share["status"] == "active" and share["view_count"] == 0
    assert share["formats"] == ["html", "pdf"] and token.startswith(share["display_prefix"])
    assert share["urls"] == {
        "html": f"http://testserver/s/{token}",
        "pdf": f"http://testserver/s/{token}.pdf",
    }

    # Only a keyed hash is stored.
    async with app_context.database.reader() as session:
        row = (await session.scalars(select(ResumeShare))).one()
    assert row.token_hash == keyed_hash(app_context.keys.share_tokens, token) and token not in row.token_hash

    # Anyone can open it: no credentials.
    page = await client.get(f"/s/{token}")
    assert page.status_code == 200, page.text
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["x-robots-tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex">' in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "script-src" not in page.headers["content-security-policy"]
    assert name in page.text and "tpl-banner" in page.text  # saved design
    pdf = await client.get(f"/s/{token}.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["x-robots-tag"] == "noindex, nofollow" and pdf.headers["x-page-count"] == "1"
    assert name in "\n".join(plumber_pages(pdf.content))

    # The link shows the current content.
    newer = unique_resume()
    await client.put(f"/v1/resumes/{resume_id}", json={"title": "CV", "content": newer}, headers=headers)
    assert newer["basics"]["name"] in (await client.get(f"/s/{token}")).text

    listed = await client.get(f"/v1/resumes/{resume_id}/shares", headers=headers)
    assert listed.status_code == 200
    [entry] = listed.json()
    assert entry["id"] == share["id"] and entry["view_count"] == 3 and entry["last_viewed_at"]
    assert "token" not in entry

    revoked = await client.delete(f"/v1/resumes/{resume_id}/shares/{share['id']}", headers=headers)
    assert revoked.status_code == 204
    gone = assert_problem(await client.get(f"/s/{token}"), 404, "share-not-found")
    gone_pdf = assert_problem(await client.get(f"/s/{token}.pdf"), 404, "share-not-found")
    assert gone_pdf["detail"] == gone["detail"]
    [entry] = (await client.get(f"/v1/resumes/{resume_id}/shares", headers=headers)).json()
    assert entry["status"] == "revoked" and entry["view_count"] == 3
    again = await client.delete(f"/v1/resumes/{resume_id}/shares/{share['id']}", headers=headers)
    assert again.status_code == 204


async def test_unknown_revoked_and_expired_links_get_the_same_answer(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    headers = await register()
    resume_id = await create_resume(client, headers, unique_resume())
    revoked = await _share(client, headers, resume_id)
    await client.delete(f"/v1/resumes/{resume_id}/shares/{revoked['id']}", headers=headers)
    soon = datetime.now(UTC) + timedelta(hours=1)
    expiring = await _share(client, headers, resume_id, expires_at=soon.isoformat())
    assert expiring["expires_at"] is not None
    assert (await client.get(f"/s/{expiring['token']}")).status_code == 200
    async with app_context.database.writer() as session:
        await session.execute(
            update(ResumeShare)
            .where(ResumeShare.id == uuid.UUID(expiring["id"]))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        await session.commit()

    forged = "sls_" + "A" * 49  # right prefix, wrong checksum
    unknown = revoked["token"][:-8] + "00000000"
    answers = []
    for token in (revoked["token"], expiring["token"], forged, unknown, "nonsense", "x" * 500):
        problem = assert_problem(await client.get(f"/s/{token}"), 404, "share-not-found")
        answers.append((problem["title"], problem["detail"]))
    assert len(set(answers)) == 1
    statuses = {
        s["id"]: s["status"]
        for s in (await client.get(f"/v1/resumes/{resume_id}/shares", headers=headers)).json()
    }
    assert statuses == {revoked["id"]: "revoked", expiring["id"]: "expired"}


async def test_a_link_serves_only_the_formats_it_was_made_for(
    client: httpx.AsyncClient, register: Register
) -> None:
    headers = await register()
    resume_id = await create_resume(client, headers, unique_resume())
    pdf_only = await _share(client, headers, resume_id, formats=["pdf"])
    assert set(pdf_only["urls"]) == {"pdf"}
    assert (await client.get(_path(pdf_only["urls"]["pdf"]))).status_code == 200
    assert_problem(await client.get(f"/s/{pdf_only['token']}"), 404, "share-not-found")


async def test_trashed_resume_hides_its_links(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    resume_id = await create_resume(client, headers, unique_resume())
    share = await _share(client, headers, resume_id)
    await client.delete(f"/v1/resumes/{resume_id}", headers=headers)
    assert_problem(await client.get(f"/s/{share['token']}"), 404, "share-not-found")
    await client.post(f"/v1/resumes/{resume_id}/restore", headers=headers)
    assert (await client.get(f"/s/{share['token']}")).status_code == 200


async def test_bad_share_requests(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    resume_id = await create_resume(client, headers, unique_resume())
    url = f"/v1/resumes/{resume_id}/shares"
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    assert_problem(
        await client.post(url, json={"expires_at": past}, headers=headers), 422, "share-expiry-in-past"
    )
    for when in ("2030-01-01T00:00:00", "9999-12-31T23:59:59-14:00", "2200-01-01T00:00:00Z"):
        response = await client.post(url, json={"expires_at": when}, headers=headers)
        assert_problem(response, 422, "validation-error")
    for formats in ([], ["docx"], ["pdf", "pdf"]):
        response = await client.post(url, json={"formats": formats}, headers=headers)
        assert_problem(response, 422, "validation-error")
    assert_problem(await client.post(url, json={"token": "mine"}, headers=headers), 422, "validation-error")
    assert_problem(await client.post(url, json={}), 401)
    missing = f"{url}/{uuid.uuid4()}"
    assert_problem(await client.delete(missing, headers=headers), 404, "share-not-found")


async def test_live_links_per_resume_are_bounded(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    headers = await register()
    resume_id = await create_resume(client, headers, unique_resume())
    limit = app_context.settings.share_max_per_resume
    for _ in range(limit):
        await _share(client, headers, resume_id)
    over = await client.post(f"/v1/resumes/{resume_id}/shares", json={}, headers=headers)
    assert_problem(over, 422, "share-limit")
    first = (await client.get(f"/v1/resumes/{resume_id}/shares", headers=headers)).json()[0]
    await client.delete(f"/v1/resumes/{resume_id}/shares/{first['id']}", headers=headers)
    assert (await client.post(f"/v1/resumes/{resume_id}/shares", json={}, headers=headers)).status_code == 201
