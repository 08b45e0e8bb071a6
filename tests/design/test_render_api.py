"""GET /v1/resumes/{id}/render: real renders, headers, the cache, conditional requests, overrides, limits."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

import httpx
import pytest
from PIL import Image

from shortlist.context import AppContext
from tests.conftest import Register, assert_problem
from tests.design.helpers import create_resume, unique_resume
from tests.rendering.extract import plumber_pages


async def test_pdf_has_the_name_in_its_text_layer_and_the_headers_a_client_needs(
    client: httpx.AsyncClient, register: Register
) -> None:
    headers = await register()
    content = unique_resume()
    resume_id = await create_resume(client, headers, content, title="Zoë's CV")
    response = await client.get(f"/v1/resumes/{resume_id}/render", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-page-count"] == "1"
    assert response.headers["x-render-cache"] == "miss"
    etag = response.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/") and len(etag) == 66
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('inline; filename="Zoe-s-CV.pdf"')
    assert "filename*=UTF-8''Zo%C3%AB%27s%20CV.pdf" in disposition
    assert response.headers["cache-control"] == "private, no-cache"
    text = "\n".join(plumber_pages(response.content))
    assert content["basics"]["name"] in text
    assert "Built the billing pipeline" in text

    download = await client.get(f"/v1/resumes/{resume_id}/render?download=true", headers=headers)
    assert download.headers["content-disposition"].startswith("attachment;")


async def test_second_render_comes_from_the_cache_and_if_none_match_gives_304(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    headers = await register()
    resume_id = await create_resume(client, headers, unique_resume())
    url = f"/v1/resumes/{resume_id}/render?format=pdf"
    first = await client.get(url, headers=headers)
    renders = app_context.renderer.renders
    second = await client.get(url, headers=headers)
    assert second.status_code == 200
    assert second.headers["x-render-cache"] == "hit"
    assert app_context.renderer.renders == renders  # no render ran
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]

    cached = await client.get(url, headers={**headers, "If-None-Match": first.headers["etag"]})
    assert cached.status_code == 304 and cached.content == b""
    assert cached.headers["etag"] == first.headers["etag"]
    other = await client.get(url, headers={**headers, "If-None-Match": '"something-else"'})
    assert other.status_code == 200

    # New content, new key: the old ETag no longer matches.
    changed = await client.put(
        f"/v1/resumes/{resume_id}", json={"title": "CV", "content": unique_resume()}, headers=headers
    )
    assert changed.status_code == 200
    fresh = await client.get(url, headers={**headers, "If-None-Match": first.headers["etag"]})
    assert fresh.status_code == 200 and fresh.headers["x-render-cache"] == "miss"
    assert fresh.headers["etag"] != first.headers["etag"]


@pytest.mark.parametrize(
    ("fmt", "media_type", "extension"),
    [
        ("html", "text/html; charset=utf-8", "html"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        ("txt", "text/plain; charset=utf-8", "txt"),
        ("text", "text/plain; charset=utf-8", "txt"),
        ("md", "text/markdown; charset=utf-8", "md"),
        ("markdown", "text/markdown; charset=utf-8", "md"),
        ("json", "application/json", "json"),
    ],
)
async def test_each_format_has_its_media_type_and_file_name(
    client: httpx.AsyncClient, register: Register, fmt: str, media_type: str, extension: str
) -> None:
    headers = await register()
    content = unique_resume()
    resume_id = await create_resume(client, headers, content, title="cv")
    response = await client.get(f"/v1/resumes/{resume_id}/render", params={"format": fmt}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media_type
    assert f'filename="cv.{extension}"' in response.headers["content-disposition"]
    assert "x-page-count" not in response.headers
    name = content["basics"]["name"]
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            assert name in archive.read("word/document.xml").decode()
    else:
        assert name in response.text
    if fmt == "html":
        # A preview page: inline styles only, no scripts, framable by our own UI.
        assert "style-src 'unsafe-inline'" in response.headers["content-security-policy"]
        assert "script-src" not in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "SAMEORIGIN"


async def test_png_pages(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    long_resume = unique_resume(
        work=[
            {"name": f"Company {i}", "position": "Engineer", "highlights": ["Did a lot of work " * 30] * 3}
            for i in range(12)
        ]
    )
    resume_id = await create_resume(client, headers, long_resume)
    url = f"/v1/resumes/{resume_id}/render"
    first = await client.get(url, params={"format": "png"}, headers=headers)
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "image/png"
    pages = int(first.headers["x-page-count"])
    assert pages >= 2
    assert Image.open(io.BytesIO(first.content)).format == "PNG"
    last = await client.get(url, params={"format": "png", "page": pages}, headers=headers)
    assert last.status_code == 200 and last.headers["x-render-cache"] == "hit"
    assert last.content != first.content
    assert last.headers["etag"] != first.headers["etag"]
    assert f"-page-{pages}.png" in last.headers["content-disposition"]
    beyond = await client.get(url, params={"format": "png", "page": pages + 1}, headers=headers)
    assert_problem(beyond, 422, "page-out-of-range")
    not_png = await client.get(url, params={"format": "pdf", "page": 1}, headers=headers)
    assert_problem(not_png, 422, "unsupported-render-option")


async def test_png_page_at_a_chosen_resolution(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    two_pages = unique_resume(
        work=[
            {"name": f"Company {i}", "position": "Engineer", "highlights": ["Shipped the thing " * 25] * 3}
            for i in range(4)
        ]
    )
    resume_id = await create_resume(client, headers, two_pages)
    url = f"/v1/resumes/{resume_id}/render"
    default = await client.get(url, params={"format": "png", "page": 2}, headers=headers)
    assert default.status_code == 200, default.text
    assert default.headers["x-page-count"] == "2"
    small = await client.get(url, params={"format": "png", "page": 2, "ppi": 55}, headers=headers)
    assert small.status_code == 200, small.text
    assert small.headers["x-render-cache"] == "miss"  # its own raster, not the default one resized
    assert small.headers["etag"] != default.headers["etag"]
    first_small = await client.get(url, params={"format": "png", "page": 1, "ppi": 55}, headers=headers)
    assert first_small.headers["x-render-cache"] == "hit"  # one render serves every page of that raster
    assert first_small.content != small.content
    big_image, small_image = Image.open(io.BytesIO(default.content)), Image.open(io.BytesIO(small.content))
    # A4 is 8.27 in wide: 110 ppi gives ~910 px, 55 ppi half of that.
    assert abs(big_image.width - 910) <= 2 and abs(small_image.width - 455) <= 2
    assert abs(big_image.height - 2 * small_image.height) <= 2
    assert "-page-2.png" in small.headers["content-disposition"]
    same = await client.get(
        url,
        params={"format": "png", "page": 2, "ppi": 55},
        headers={**headers, "If-None-Match": small.headers["etag"]},
    )
    assert same.status_code == 304
    beyond = await client.get(url, params={"format": "png", "page": 3, "ppi": 55}, headers=headers)
    assert_problem(beyond, 422, "page-out-of-range")


async def test_query_overrides_preview_without_saving(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    resume_id = await create_resume(client, headers, unique_resume())
    url = f"/v1/resumes/{resume_id}/render"
    plain = await client.get(url, params={"format": "html"}, headers=headers)
    preview = await client.get(
        url,
        params={
            "format": "html",
            "template": "modern",
            "color": "#ff0000",
            "font": "lato",
            "language": "de",
            "page_size": "letter",
            "base_size": "11",
        },
        headers=headers,
    )
    assert preview.status_code == 200, preview.text
    assert preview.headers["etag"] != plain.headers["etag"]
    assert "tpl-modern" in preview.text and "#ff0000" in preview.text and 'lang="de"' in preview.text
    assert "Berufserfahrung" in preview.text  # German heading for work
    saved = await client.get(f"/v1/resumes/{resume_id}/design", headers=headers)
    assert saved.json()["template"] == "classic"  # nothing was saved


@pytest.mark.parametrize(
    ("params", "status", "slug", "location"),
    [
        ({"color": "mauve-ish"}, 422, "validation-error", ["query", "color"]),
        ({"font": "comic-sans"}, 422, "validation-error", ["query", "font"]),
        ({"base_size": "40"}, 422, "validation-error", ["query", "base_size"]),
        ({"language": "xx"}, 422, "validation-error", ["query", "language"]),
        ({"locale": "xx"}, 422, "validation-error", ["query", "locale"]),
        ({"locale": "de", "language": "fr"}, 422, "unsupported-render-option", None),
        ({"page_size": "a3"}, 422, "validation-error", ["query", "page_size"]),
        ({"format": "gif"}, 422, "validation-error", ["query", "format"]),
        ({"format": "png", "ppi": "20"}, 422, "validation-error", ["query", "ppi"]),
        ({"format": "png", "ppi": "301"}, 422, "validation-error", ["query", "ppi"]),
        ({"format": "png", "ppi": "high"}, 422, "validation-error", ["query", "ppi"]),
        ({"format": "pdf", "ppi": "96"}, 422, "unsupported-render-option", None),
        ({"template": "no-such-template"}, 404, "template-not-found", None),
        ({"pdf_standard": "pdf-a-2b", "format": "docx"}, 422, "unsupported-render-option", None),
    ],
)
async def test_bad_options_are_problem_documents(
    client: httpx.AsyncClient,
    register: Register,
    params: dict[str, str],
    status: int,
    slug: str,
    location: list[str] | None,
) -> None:
    headers = await register()
    resume_id = await create_resume(client, headers, unique_resume())
    response = await client.get(f"/v1/resumes/{resume_id}/render", params=params, headers=headers)
    body = assert_problem(response, status, slug)
    if location is not None:
        assert body["errors"][0]["location"] == location


async def test_pdf_a(client: httpx.AsyncClient, register: Register) -> None:
    headers = await register()
    resume_id = await create_resume(client, headers, unique_resume())
    url = f"/v1/resumes/{resume_id}/render"
    archival = await client.get(url, params={"pdf_standard": "pdf-a-2b"}, headers=headers)
    assert archival.status_code == 200, archival.text
    assert b"pdfaid" in archival.content
    plain = await client.get(url, headers=headers)
    assert plain.headers["etag"] != archival.headers["etag"]


async def test_oversized_resumes_are_refused_quickly_with_422(
    client: httpx.AsyncClient, register: Register, app_context: AppContext
) -> None:
    headers = await register()
    many = unique_resume(
        work=[{"name": f"Co {i}", "position": "Dev", "highlights": ["x"]} for i in range(300)]
    )
    resume_id = await create_resume(client, headers, many)
    started = time.perf_counter()
    response = await client.get(f"/v1/resumes/{resume_id}/render", headers=headers)
    assert time.perf_counter() - started < 5
    body = assert_problem(response, 422, "render-limit-exceeded")
    assert body["limit"] == "items" and body["value"] > body["maximum"]
    # The refusal is remembered: asking again renders nothing.
    renders = app_context.renderer.renders
    again = await client.get(f"/v1/resumes/{resume_id}/render", headers=headers)
    assert_problem(again, 422, "render-limit-exceeded")
    assert app_context.renderer.renders == renders

    huge_field = unique_resume(summary="word " * 3000)
    huge_field["basics"]["summary"] = "w" * 15_000
    resume_id = await create_resume(client, headers, huge_field)
    response = await client.get(f"/v1/resumes/{resume_id}/render", headers=headers)
    assert assert_problem(response, 422, "render-limit-exceeded")["limit"] == "field_chars"


async def test_a_ten_thousand_character_bullet_renders_in_bounded_time(
    client: httpx.AsyncClient, register: Register
) -> None:
    headers = await register()
    content = unique_resume()
    content["work"][0]["highlights"] = ["long " * 2000]
    resume_id = await create_resume(client, headers, content)
    started = time.perf_counter()
    response = await client.get(f"/v1/resumes/{resume_id}/render", headers=headers)
    assert response.status_code == 200, response.text
    assert time.perf_counter() - started < 10
    assert 1 < int(response.headers["x-page-count"]) <= 10


@pytest.mark.parametrize(
    "content",
    [
        {},
        {"basics": {}},
        {"work": [{}], "education": [{"institution": "MIT"}], "skills": [{"keywords": []}]},
        {
            "basics": {"name": "Only An End"},
            "work": [{"position": "Dev", "endDate": "2020"}],
            "projects": [{}],
        },
    ],
)
async def test_missing_fields_render_gracefully(
    client: httpx.AsyncClient, register: Register, content: dict[str, Any]
) -> None:
    headers = await register()
    resume_id = await create_resume(client, headers, content)
    for fmt in ("pdf", "html", "docx", "txt"):
        response = await client.get(f"/v1/resumes/{resume_id}/render?format={fmt}", headers=headers)
        assert response.status_code == 200, (fmt, response.text)


async def test_render_needs_credentials_and_an_existing_resume(
    client: httpx.AsyncClient, register: Register
) -> None:
    headers = await register()
    resume_id = await create_resume(client, headers, unique_resume())
    assert_problem(await client.get(f"/v1/resumes/{resume_id}/render"), 401)
    missing = "0190a5c4-0000-7000-8000-000000000000"
    assert_problem(
        await client.get(f"/v1/resumes/{missing}/render", headers=headers), 404, "resume-not-found"
    )
    await client.delete(f"/v1/resumes/{resume_id}", headers=headers)
    assert_problem(await client.get(f"/v1/resumes/{resume_id}/render", headers=headers), 404)
