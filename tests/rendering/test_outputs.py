"""Every output format from one source: DOCX structure, HTML, text, Markdown, JSON, PNG, PDF details."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser

import pypdfium2 as pdfium
import pytest
from docx import Document

from shortlist.rendering import Design, OutputFormat, PdfStandard, UnsupportedOption, list_templates, render
from shortlist.rendering.engine import pdf_page_count
from shortlist.rendering.view import build_view
from tests.rendering.cached import rendered
from tests.rendering.corpus import CORPUS, CORPUS_IDS, INJECTION, Case
from tests.rendering.extract import (
    contains_all,
    docx_paragraphs,
    find_in_order,
    input_values,
    pdfium_pages,
    plumber_pages,
    reading_order,
    squash,
)

FULL = next(c for c in CORPUS if c.id == "full").resume


@pytest.mark.parametrize("case", CORPUS, ids=CORPUS_IDS)
def test_docx_has_every_value_in_order_with_real_styles(case: Case) -> None:
    data = rendered(case.id, "classic", OutputFormat.DOCX).content
    paragraphs = docx_paragraphs(data)
    text = "\n".join(t for _, t in paragraphs)
    assert contains_all(text, input_values(case.resume)) == []
    view = build_view(case.resume, Design(template="classic", language=case.language))
    assert find_in_order(text, reading_order(view)) == []
    assert len(Document(io.BytesIO(data)).tables) == 0
    styles = {style for style, _ in paragraphs}
    for section in view.sections:
        assert ("Heading 1", section.title) in paragraphs
    if any(e.bullets for s in view.sections for e in s.entries):
        assert "List Bullet" in styles
    if any(s.entries for s in view.sections):
        assert "Heading 2" in styles
    if view.name:
        assert paragraphs[0] == ("Title", view.name)


def test_docx_bullets_are_list_paragraphs() -> None:
    paragraphs = docx_paragraphs(render(FULL, Design(), OutputFormat.DOCX).content)
    bullets = [t for s, t in paragraphs if s == "List Bullet"]
    assert "Cut p99 latency by 43% by moving hot paths to asyncio" in bullets
    assert not any(t.startswith("•") for _, t in paragraphs)


def test_html_is_semantic_escaped_and_printable() -> None:
    case = next(c for c in CORPUS if c.id == "special-chars")
    html = render(case.resume, Design(template="modern", language="de"), OutputFormat.HTML).content.decode()
    assert html.startswith("<!doctype html>")
    assert '<html lang="de">' in html
    assert "<h1>Special #Chars [Test]</h1>" in html
    assert html.count("<h2 ") >= 5 and "<h3>" in html and "<li>" in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in re.sub(r"\d{3,}", "", html.split("<main")[1])
    assert "@media print" in html and "<table" not in html
    assert "Berufserfahrung" in html


def test_html_drops_unsafe_link_schemes() -> None:
    case = next(c for c in CORPUS if c.id == "urls")
    html = render(case.resume, Design(), OutputFormat.HTML).content.decode()
    assert "javascript:alert(1)" in html  # shown as text …
    assert 'href="javascript:' not in html  # … never as a link


def test_text_and_markdown_carry_every_value() -> None:
    text = render(FULL, Design(), OutputFormat.TEXT).content.decode()
    assert contains_all(text, input_values(FULL)) == []
    assert find_in_order(text, reading_order(build_view(FULL, Design()))) == []
    md = render(FULL, Design(), OutputFormat.MARKDOWN).content.decode()
    assert md.startswith("# Jane Doe\n")
    assert "## Experience" in md and "- Cut p99 latency by 43% by moving hot paths to asyncio" in md


def test_markdown_escapes_markup() -> None:
    case = next(c for c in CORPUS if c.id == "special-chars")
    md = render(case.resume, Design(), OutputFormat.MARKDOWN).content.decode()
    assert r"\*not bold\* and \_not italic\_" in md
    assert r"\<script\>" in md
    assert "\n# not a heading" not in md and r"\= not a heading" not in md  # '=' is not markdown syntax
    assert "= not a heading" in md


def test_json_is_normalised_input() -> None:
    messy = {"basics": {"name": "  Anna\u0301  ", "email": "", "profiles": []}, "work": [{"name": "X\x00Y"}]}
    out = json.loads(render(messy, Design(), OutputFormat.JSON).content)
    assert out["basics"] == {"name": "Anná"}  # NFC, trimmed, empty fields dropped
    assert out["work"] == [{"name": "XY"}]
    assert out["$schema"].endswith("schema.json")


def test_png_has_one_image_per_pdf_page() -> None:
    case = next(c for c in CORPUS if c.id == "long-three-page")
    png = render(case.resume, Design(), OutputFormat.PNG)
    pdf = render(case.resume, Design(), OutputFormat.PDF)
    assert png.page_count == pdf.page_count == len(png.pages) == 3
    assert all(p.startswith(b"\x89PNG\r\n\x1a\n") for p in png.pages)
    assert png.content == png.pages[0]


@pytest.mark.parametrize("case_id", ["full", "many-jobs", "long-bullets", "cjk-ja"])
def test_page_count_matches_the_pdf(case_id: str) -> None:
    doc = rendered(case_id, "technical")
    pdf = pdfium.PdfDocument(doc.content)
    assert doc.page_count == len(pdf) == pdf_page_count(doc.content)
    pdf.close()


def test_pdf_is_tagged_with_metadata() -> None:
    pdf = render(FULL, Design(language="de"), OutputFormat.PDF).content
    assert b"/StructTreeRoot" in pdf and b"/MarkInfo" in pdf
    assert b"/Lang" in pdf
    assert b"/H1" in pdf or b"/H2" in pdf or b"/H" in pdf


@pytest.mark.parametrize(
    ("standard", "marker"),
    [
        (PdfStandard.PDF_A_2B, rb"<pdfaid:part>2</pdfaid:part>\s*<pdfaid:conformance>B</pdfaid:conformance>"),
        (PdfStandard.PDF_A_3B, rb"<pdfaid:part>3</pdfaid:part>\s*<pdfaid:conformance>B</pdfaid:conformance>"),
        (PdfStandard.PDF_UA_1, rb"<pdfuaid:part>1</pdfuaid:part>"),
    ],
)
def test_pdf_standards_on_request(standard: PdfStandard, marker: bytes) -> None:
    pdf = render(FULL, Design(), OutputFormat.PDF, pdf_standard=standard).content
    assert re.search(marker, pdf), standard
    assert not re.search(marker, render(FULL, Design(), OutputFormat.PDF).content)


def test_pdf_standard_is_refused_for_other_formats() -> None:
    with pytest.raises(UnsupportedOption) as err:
        render(FULL, Design(), OutputFormat.DOCX, pdf_standard=PdfStandard.PDF_A_2B)
    assert "PDF" in err.value.detail


@pytest.mark.parametrize("template", [t.slug for t in list_templates()])
def test_no_heading_or_entry_header_is_left_at_a_page_foot(template: str) -> None:
    case = next(c for c in CORPUS if c.id == "long-three-page")
    doc = rendered(case.id, template)
    view = build_view(case.resume, Design(template=template))
    headings = {"".join(s.title.split()).casefold() for s in view.sections}
    titles = {"".join(e.title.split()).casefold() for s in view.sections for e in s.entries}
    pages = plumber_pages(doc.content)
    assert len(pages) >= 2
    for page in pages[:-1]:
        last = "".join(page.strip().splitlines()[-1].split()).casefold()
        assert last not in headings, f"heading {last!r} orphaned"
        assert not any(last.startswith(t) for t in titles), f"entry header {last!r} orphaned"


def test_injection_strings_survive_every_text_format() -> None:
    case = next(c for c in CORPUS if c.id == "special-chars")
    for fmt in (OutputFormat.TEXT, OutputFormat.DOCX):
        data = render(case.resume, Design(), fmt).content
        text = "\n".join(t for _, t in docx_paragraphs(data)) if fmt is OutputFormat.DOCX else data.decode()
        assert contains_all(text, INJECTION) == []


def test_icons_add_no_text() -> None:
    with_icons = render(FULL, Design(template="modern", show_icons=True), OutputFormat.PDF).content
    without = render(FULL, Design(template="modern", show_icons=False), OutputFormat.PDF).content
    assert with_icons != without
    # Icons take room, so lines may wrap elsewhere; the characters must be the same.
    assert squash("".join(plumber_pages(with_icons))) == squash("".join(plumber_pages(without)))


def test_letter_and_a4_page_sizes() -> None:
    for size, box in (("a4", (595, 842)), ("letter", (612, 792))):
        pdf = pdfium.PdfDocument(render(FULL, Design(page_size=size), OutputFormat.PDF).content)
        width, height = pdf[0].get_size()
        assert (round(width), round(height)) == box
        pdf.close()


def test_size_spacing_and_margins_change_the_layout() -> None:
    case = next(c for c in CORPUS if c.id == "long-three-page")
    small = render(case.resume, Design(base_size=8, line_spacing=0.8, margins_mm=10), OutputFormat.PDF)
    large = render(case.resume, Design(base_size=13, line_spacing=1.6, margins_mm=30), OutputFormat.PDF)
    assert small.page_count is not None and large.page_count is not None
    assert small.page_count < large.page_count


def test_a_template_failure_is_a_render_error_with_detail() -> None:
    from shortlist.rendering import RenderError
    from shortlist.rendering.engine import compile_pdf

    with pytest.raises(RenderError) as err:
        compile_pdf("classic", {"unexpected": True})
    assert "classic" in err.value.detail and err.value.status == 500


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


@pytest.mark.parametrize("case", CORPUS, ids=CORPUS_IDS)
def test_html_text_and_markdown_have_every_value_in_order(case: Case) -> None:
    design = Design(template="classic", language=case.language)
    order = reading_order(build_view(case.resume, design))
    parser = _TextOnly()
    parser.feed(render(case.resume, design, OutputFormat.HTML).content.decode())
    html_text = "\n".join(parser.parts)
    plain = render(case.resume, design, OutputFormat.TEXT).content.decode()
    # Markdown escapes punctuation with backslashes; a reader sees the unescaped text.
    md = re.sub(r"\\(.)", r"\1", render(case.resume, design, OutputFormat.MARKDOWN).content.decode())
    for text in (html_text, plain, md):
        assert contains_all(text, input_values(case.resume)) == []
        assert find_in_order(text, order) == []


@pytest.mark.parametrize("template", ["classic", "sidebar", "timeline"])
def test_long_unbroken_tokens_wrap_inside_the_page(template: str) -> None:
    import pdfplumber

    token = "A" * 30 + "x" * 270
    resume = {
        "basics": {"name": "Tok", "summary": token},
        "work": [{"name": "Co", "highlights": ["k" * 400]}],
    }
    pdf = render(resume, Design(template=template), OutputFormat.PDF).content
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            assert all(c["x0"] >= 0 and c["x1"] <= page.width for c in page.chars)
    assert contains_all("".join(pdfium_pages(pdf)), [token, "k" * 400]) == []
