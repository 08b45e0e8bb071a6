"""Saved designs: defaults, validation, concurrency control, template switches, and their effect on renders."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.conftest import Register, assert_problem
from tests.design.helpers import create_resume, unique_resume


async def test_default_design_then_save_and_read_back(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    resume_id = await create_resume(client, headers, unique_resume())
    url = f"/v1/resumes/{resume_id}/design"

    default = await client.get(url, headers=headers)
    assert default.status_code == 200
    assert default.headers["etag"] == '"d0"'
    assert default.json()["template"] == "classic" and default.json()["color"] is None
    assert (await client.get(url, headers={**headers, "If-None-Match": '"d0"'})).status_code == 304

    before = await client.get(f"/v1/resumes/{resume_id}/render?format=html", headers=headers)
    design = {"template": "modern", "color": "navy", "font": "roboto", "base_size": 10, "language": "fr"}
    saved = await client.put(url, json=design, headers=headers)
    assert saved.status_code == 200, saved.text
    assert saved.headers["etag"] == '"d1"'
    body = saved.json()
    assert {k: body[k] for k in design} == design
    assert (await client.get(url, headers=headers)).json() == body

    # The saved design drives the render; the resume's own version is untouched.
    after = await client.get(f"/v1/resumes/{resume_id}/render?format=html", headers=headers)
    assert after.headers["etag"] != before.headers["etag"]
    assert "tpl-modern" in after.text and 'lang="fr"' in after.text
    assert (await client.get(f"/v1/resumes/{resume_id}", headers=headers)).json()["version"] == 1

    # Saving the same design again is not a new version.
    again = await client.put(url, json=design, headers=headers)
    assert again.headers["etag"] == '"d1"'


@pytest.mark.parametrize(
    ("design", "location"),
    [
        ({"color": "not-a-colour"}, ["body", "color"]),
        ({"color": "#12345"}, ["body", "color"]),
        ({"base_size": 3}, ["body", "base_size"]),
        ({"margins_mm": 100}, ["body", "margins_mm"]),
        ({"font": "papyrus"}, ["body", "font"]),
        ({"section_order": ["work", "work"]}, ["body", "section_order"]),
        ({"page_size": "a5"}, ["body", "page_size"]),
        ({"owner_id": "x"}, ["body", "owner_id"]),
    ],
)
async def test_invalid_designs_are_422_problems(
    client: httpx.AsyncClient, register: Register, design: dict[str, object], location: list[str]
) -> None:
    headers = await register()
    resume_id = await create_resume(client, headers, unique_resume())
    response = await client.put(f"/v1/resumes/{resume_id}/design", json=design, headers=headers)
    body = assert_problem(response, 422, "validation-error")
    assert body["errors"][0]["location"] == location


async def test_unknown_template_is_a_404_problem(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    resume_id = await create_resume(client, headers, unique_resume())
    url = f"/v1/resumes/{resume_id}/design"
    body = assert_problem(await client.put(url, json={"template": "fancy"}, headers=headers), 404)
    assert body["type"].endswith("/template-not-found") and body["template"] == "fancy"
    patched = await client.patch(url, json={"template": "fancy"}, headers=headers)
    assert_problem(patched, 404, "template-not-found")
    assert (await client.get(url, headers=headers)).headers["etag"] == '"d0"'


async def test_if_match_protects_against_lost_updates(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    resume_id = await create_resume(client, headers, unique_resume())
    url = f"/v1/resumes/{resume_id}/design"
    first = await client.put(url, json={"color": "teal"}, headers={**headers, "If-Match": '"d0"'})
    assert first.status_code == 200 and first.headers["etag"] == '"d1"'
    stale = await client.put(url, json={"color": "rust"}, headers={**headers, "If-Match": '"d0"'})
    assert_problem(stale, 412, "precondition-failed")
    stale_patch = await client.patch(url, json={"color": "rust"}, headers={**headers, "If-Match": '"d0"'})
    assert_problem(stale_patch, 412)
    assert (await client.get(url, headers=headers)).json()["color"] == "teal"


async def test_switching_template_keeps_every_option_that_still_applies(
    client: httpx.AsyncClient, register: Register
) -> None:
    headers = await register()
    resume_id = await create_resume(client, headers, unique_resume())
    url = f"/v1/resumes/{resume_id}/design"
    chosen = {"template": "modern", "color": "burgundy", "font": "lato", "show_icons": True, "language": "es"}
    await client.put(url, json=chosen, headers=headers)

    # compact ignores icons: they are dropped; colour, font and language stay.
    compact = await client.patch(url, json={"template": "compact"}, headers=headers)
    assert compact.status_code == 200, compact.text
    body = compact.json()
    assert body["template"] == "compact" and body["show_icons"] is None
    assert (body["color"], body["font"], body["language"]) == ("burgundy", "lato", "es")
    assert compact.headers["etag"] == '"d2"'

    # A patch changes what it names; null restores the default.
    patched = await client.patch(url, json={"font": None, "base_size": 9}, headers=headers)
    assert patched.json()["font"] is None and patched.json()["base_size"] == 9
    assert patched.json()["color"] == "burgundy"

    # PUT drops options the template does not honour (minimal is black only).
    minimal = await client.put(url, json={"template": "minimal", "color": "navy"}, headers=headers)
    assert minimal.json()["color"] is None


async def test_patch_needs_an_object_and_valid_values(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    resume_id = await create_resume(client, headers, unique_resume())
    url = f"/v1/resumes/{resume_id}/design"
    assert_problem(await client.patch(url, json=["template"], headers=headers), 422, "validation-error")
    bad = await client.patch(url, json={"color": "nope"}, headers=headers)
    assert assert_problem(bad, 422, "validation-error")["errors"][0]["location"] == ["body", "color"]
    merge = await client.patch(
        url,
        content=b'{"color": "gold"}',
        headers={**headers, "Content-Type": "application/merge-patch+json"},
    )
    assert merge.status_code == 200 and merge.json()["color"] == "gold"
    text = await client.patch(url, content=b"color", headers={**headers, "Content-Type": "text/plain"})
    assert_problem(text, 415)


@pytest.mark.parametrize("existing", [False, True], ids=["first-save", "saved-before"])
async def test_merge_patches_sent_at_once_all_land(
    client: httpx.AsyncClient, register: Register, existing: bool
) -> None:
    # An editor sends one patch per control as the user clicks (a page size, then a template): each must
    # land, whether or not a design was saved before. Without the lock, on PostgreSQL the later writer
    # wrote back the state it read before the earlier one committed.
    headers = {**(await register()), "Content-Type": "application/merge-patch+json"}
    resume_id = await create_resume(client, headers, unique_resume())
    url = f"/v1/resumes/{resume_id}/design"
    if existing:
        assert (await client.patch(url, content=b'{"font": "inter"}', headers=headers)).status_code == 200
    patches = [
        b'{"page_size": "letter"}',
        b'{"base_size": 11}',
        b'{"margins_mm": 20}',
        b'{"line_spacing": 1.2}',
        b'{"show_icons": true}',
        b'{"date_format": "numeric"}',
    ]
    answers = await asyncio.gather(*(client.patch(url, content=p, headers=headers) for p in patches))
    assert [a.status_code for a in answers] == [200] * len(patches), [a.text for a in answers]
    stored = (await client.get(url, headers=headers)).json()
    assert (stored["page_size"], stored["base_size"], stored["margins_mm"]) == ("letter", 11, 20)
    assert (stored["line_spacing"], stored["show_icons"], stored["date_format"]) == (1.2, True, "numeric")
