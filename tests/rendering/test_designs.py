"""The two designs added for people who ask for them: a two-column layout and a photo. Both stay ATS-safe."""

from __future__ import annotations

import base64
import copy
import io
import struct
import zlib
from functools import cache
from typing import Any

import httpx
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image, ImageDraw

from shortlist.ats.engine import build_report, parse_bytes
from shortlist.rendering import Design, OutputFormat, UnsupportedOption, list_templates, render
from shortlist.rendering.sample import sample_resume
from shortlist.rendering.view import build_view
from tests.conftest import Register, assert_problem
from tests.design.helpers import create_resume, unique_resume
from tests.rendering.extract import pdfium_pages, plumber_pages, split_running, squash


def _two_pages() -> dict[str, Any]:
    r = sample_resume()
    r["work"] += copy.deepcopy(r["work"]) * 2
    return r


LONG = _two_pages()
RANGED = {"work", "volunteer", "education", "projects"}


@cache
def _two_column_pdf() -> bytes:
    return render(LONG, Design(template="two-column"), OutputFormat.PDF).content


def test_two_column_rows_read_straight_across_with_both_extractors() -> None:
    pdf = _two_column_pdf()
    view = build_view(LONG, Design(template="two-column"))
    for pages in (pdfium_pages(pdf), plumber_pages(pdf)):
        assert len(pages) >= 2
        body, running = split_running(pages, view.name, "en")
        assert running == []
        lines = [squash(line) for line in body.splitlines()]
        for section in view.sections:
            for entry in section.entries:
                if section.key.value in RANGED:
                    # The date column is level with the entry's title: one extracted line, dates first.
                    assert squash(entry.dates + entry.title) in lines, (entry.dates, entry.title)
                else:  # a single date stays at the end of its title's line
                    assert squash(entry.title + entry.dates) in lines, (entry.title, entry.dates)
            for tag in section.tags:
                assert squash(f"{tag.name}: {tag.detail}") in lines, tag


def test_an_ats_reads_two_column_as_one_flow_and_finds_every_role() -> None:
    parsed = parse_bytes(_two_column_pdf())
    # Read straight across, the page needs no column reordering: an ATS that cannot reorder reads it right.
    assert set(parsed.layout.columns) == {1}
    checks = {c.id: c.status for c in build_report(parsed).checks}
    assert checks["reading_order"] == "pass"
    work = parsed.resume["work"]
    assert [w["position"] for w in work] == [w["position"] for w in LONG["work"]]
    assert [w["startDate"][:7] for w in work] == [w["startDate"] for w in LONG["work"]]


def _portrait(fmt: str = "PNG", size: tuple[int, int] = (640, 480)) -> str:
    image = Image.new("RGB", size, (200, 120, 60))
    ImageDraw.Draw(image).ellipse((220, 100, 420, 300), fill=(250, 220, 180))
    out = io.BytesIO()
    image.save(out, fmt)
    mime = "png" if fmt == "PNG" else "jpeg"
    return f"data:image/{mime};base64," + base64.b64encode(out.getvalue()).decode()


def _images(pdf: bytes) -> list[tuple[float, float, float, float]]:
    """Every image on page 1 as (left, bottom, right, top) in points."""
    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0]
        return [o.get_bounds() for o in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=5)]
    finally:
        doc.close()


PHOTO_TEMPLATES = [t.slug for t in list_templates() if "show_photo" in t.supports]


@pytest.mark.parametrize("template", PHOTO_TEMPLATES)
def test_photo_is_one_image_beside_the_name_and_changes_no_text(template: str) -> None:
    resume = sample_resume()
    resume["basics"]["image"] = _portrait()
    with_photo = render(resume, Design(template=template, show_photo=True), OutputFormat.PDF).content
    without = render(resume, Design(template=template), OutputFormat.PDF).content
    images = _images(with_photo)
    assert len(images) == 1
    left, bottom, right, top = images[0]
    page_height = pdfium.PdfDocument(with_photo)[0].get_height()
    assert top > page_height * 0.75  # in the header, at the top of the page
    assert 60 < right - left < 75 and abs((right - left) - (top - bottom)) < 1  # 2.4 cm square
    assert _images(without) == []

    # An ATS reads exactly the same words with and without the photo (the narrower header may wrap the
    # contact line elsewhere, which moves a separator, or push a line to a new page: separators and running
    # lines are left out of the comparison).
    def words(pdf: bytes) -> str:
        body, _ = split_running(pdfium_pages(pdf), "Alex Morgan", "en")
        return squash(body).replace("·", "")

    assert words(with_photo) == words(without)


def test_photo_option_without_an_image_prints_none_and_minimal_never_shows_one() -> None:
    resume = sample_resume()
    assert _images(render(resume, Design(show_photo=True), OutputFormat.PDF).content) == []
    resume["basics"]["image"] = _portrait("JPEG")
    assert (
        _images(render(resume, Design(template="minimal", show_photo=True), OutputFormat.PDF).content) == []
    )


@pytest.mark.parametrize(
    ("image", "words"),
    [
        ("https://example.com/me.jpg", "never fetched"),
        ("data:image/png;base64,not*base64", "data: URL"),
        ("data:image/png;base64," + base64.b64encode(b"GIF89a not a png").decode(), "could not be read"),
        ("/uploads/me.png", "data: URL"),
    ],
)
def test_an_unusable_photo_is_refused_with_a_reason(image: str, words: str) -> None:
    resume = sample_resume()
    resume["basics"]["image"] = image
    with pytest.raises(UnsupportedOption, match=words):
        render(resume, Design(show_photo=True), OutputFormat.PDF)


def _claims_huge_canvas() -> str:
    """A tiny PNG whose header says 7000 × 6000 pixels (the CRC fixed): what a decompression bomb looks like."""
    out = io.BytesIO()
    Image.new("RGB", (1, 1)).save(out, "PNG")
    data = bytearray(out.getvalue())
    data[16:24] = struct.pack(">II", 7000, 6000)  # IHDR width and height
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return "data:image/png;base64," + base64.b64encode(bytes(data)).decode()


def test_a_huge_canvas_is_refused_before_it_is_decoded() -> None:
    resume = sample_resume()
    resume["basics"]["image"] = _claims_huge_canvas()
    with pytest.raises(UnsupportedOption, match="megapixels"):
        render(resume, Design(show_photo=True), OutputFormat.PDF)


async def test_render_api_answers_a_web_photo_with_a_problem_document(
    client: httpx.AsyncClient, register: Register
) -> None:
    headers = await register()
    content = unique_resume()
    content["basics"]["image"] = "https://example.com/me.jpg"
    resume_id = await create_resume(client, headers, content)
    saved = await client.put(
        f"/v1/resumes/{resume_id}/design", json={"template": "classic", "show_photo": True}, headers=headers
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["show_photo"] is True
    response = await client.get(f"/v1/resumes/{resume_id}/render", headers=headers)
    body = assert_problem(response, 422, "unsupported-render-option")
    assert "never fetched" in body["detail"]
