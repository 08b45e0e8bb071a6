"""ATS safety of every template over the whole corpus: the text layer has every value, in reading order."""

from __future__ import annotations

import pytest

from shortlist.rendering import Design, OutputFormat, list_templates
from shortlist.rendering.view import build_view
from tests.rendering.cached import rendered
from tests.rendering.corpus import CORPUS, CORPUS_IDS, INJECTION, LIGATURE_WORDS, Case
from tests.rendering.extract import (
    bad_characters,
    contains_all,
    find_in_order,
    input_values,
    pdfium_pages,
    plumber_pages,
    reading_order,
    split_running,
)

SLUGS = [t.slug for t in list_templates()]


@pytest.mark.parametrize("template", SLUGS)
@pytest.mark.parametrize("case", CORPUS, ids=CORPUS_IDS)
def test_pdf_text_layer_is_complete_and_in_reading_order(case: Case, template: str) -> None:
    doc = rendered(case.id, template)
    view = build_view(case.resume, Design(template=template, language=case.language))
    assert doc.page_count is not None and doc.page_count >= 1
    for name, pages, visual in (
        ("pdfplumber", plumber_pages(doc.content), True),
        ("pypdfium2", pdfium_pages(doc.content), False),
    ):
        assert len(pages) == doc.page_count, name
        text, running = split_running(pages, view.name, case.language)
        assert running == [], f"{name}: {running}"
        assert bad_characters(text) == [], name
        missing = contains_all(text, input_values(case.resume), visual_rtl=visual)
        assert missing == [], f"{name}: values missing: {missing[:5]}"
        problems = find_in_order(text, reading_order(view), visual_rtl=visual)
        assert problems == [], f"{name}: {problems[:5]}"
        if view.name:
            # The name comes first and its first line reads as whole words (no letter-spacing split it up).
            first = " ".join(next(line for line in text.splitlines() if line.strip()).split()).casefold()
            wanted = " ".join(view.name.split()).casefold()
            if visual and case.rtl:
                wanted = wanted[::-1]
            assert first and (wanted in first or wanted.startswith(first)), f"{name}: first line is {first!r}"


@pytest.mark.parametrize("template", SLUGS)
def test_markup_in_fields_comes_out_literally(template: str) -> None:
    doc = rendered("special-chars", template)
    for text in ("\n".join(plumber_pages(doc.content)), "\n".join(pdfium_pages(doc.content))):
        assert contains_all(text, INJECTION) == []
        assert (
            contains_all(text, ["$Lead$ *Engineer* _x_", "C#", "C++", "F*", "#hashtag", "50% & more"]) == []
        )
        assert "root:" not in text  # #read("/etc/passwd") was never evaluated


@pytest.mark.parametrize("template", SLUGS)
def test_ligatures_come_back_as_letters_without_normalisation(template: str) -> None:
    doc = rendered("ligatures", template)
    for text in ("\n".join(plumber_pages(doc.content)), "\n".join(pdfium_pages(doc.content))):
        # Raw extractor output, no NFKC: a ligature glyph must map back to its letters.
        assert "\ufb01" not in text and "\ufb03" not in text and "\ufb02" not in text
        for word in LIGATURE_WORDS.split():
            assert word in text.lower(), word


def test_corpus_is_broad_enough() -> None:
    assert len(CORPUS) >= 20
    assert {
        "minimal",
        "long-three-page",
        "diacritics",
        "cjk-ja",
        "rtl-name",
        "many-jobs",
        "long-bullets",
        "special-chars",
        "mistyped",
    } <= set(CORPUS_IDS)
    assert rendered("long-three-page", "classic", OutputFormat.PDF).page_count == 3
