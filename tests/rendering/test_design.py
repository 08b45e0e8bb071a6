"""Design validation, template switching, languages and date formats."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shortlist.rendering import (
    FONT_SLUGS,
    Design,
    OutputFormat,
    SectionKey,
    TemplateNotFound,
    carry_design,
    list_templates,
    render,
)
from shortlist.rendering.fonts import FAMILIES, font_dirs, missing_packages
from shortlist.rendering.i18n import HEADINGS, format_date, format_range
from shortlist.rendering.view import build_view, resolve_style
from tests.rendering.corpus import CORPUS
from tests.rendering.extract import contains_all, find_in_order, pdfium_pages, plumber_pages

FULL = next(c for c in CORPUS if c.id == "full").resume


@pytest.mark.parametrize(
    "bad",
    [
        {"color": "#12345"},
        {"color": "red; }"},
        {"color": "chartreuse"},
        {"base_size": 4},
        {"base_size": 40},
        {"margins_mm": 0},
        {"line_spacing": 5},
        {"font": "comic-sans"},
        {"page_size": "a5"},
        {"language": "xx"},
        {"template": "../etc"},
        {"section_order": ["work", "work"]},
        {"unknown_option": True},
    ],
)
def test_invalid_design_options_are_validation_errors(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Design.model_validate(bad)


def test_colours_accept_palette_names_and_hex() -> None:
    assert Design(color="Navy").color == "navy"
    assert Design(color="#A1B2C3").color == "#a1b2c3"
    assert resolve_style(Design(color="#a1b2c3")).color == "#a1b2c3"
    assert resolve_style(Design(color="teal")).color == "#0f766e"


def test_unknown_template_raises_with_detail() -> None:
    with pytest.raises(TemplateNotFound) as err:
        render(FULL, Design(template="nope"), OutputFormat.PDF)
    assert "nope" in err.value.detail and err.value.status == 404


def test_template_defaults_fill_unset_options() -> None:
    style = resolve_style(Design(template="academic"))
    assert style.font == "eb-garamond" and style.date_format == "month_year"
    assert style.section_order[:3] == (SectionKey.SUMMARY, SectionKey.EDUCATION, SectionKey.PUBLICATIONS)


def test_unsupported_options_fall_back_to_template_defaults() -> None:
    style = resolve_style(Design(template="minimal", color="teal", show_icons=True))
    assert style.color == "#111111" and style.show_icons is False


def test_switching_template_keeps_content_and_applicable_options() -> None:
    design = Design(
        template="modern",
        color="burgundy",
        font="lato",
        base_size=11,
        show_icons=True,
        language="fr",
        hidden_sections=frozenset({SectionKey.REFERENCES}),
    )
    moved = carry_design(design, "minimal")
    assert moved.template == "minimal"
    assert moved.font == "lato" and moved.base_size == 11 and moved.language == "fr"
    assert moved.hidden_sections == frozenset({SectionKey.REFERENCES})
    assert moved.color is None and moved.show_icons is None  # minimal has neither; defaults apply
    back = carry_design(moved, "classic")
    assert back.font == "lato" and back.language == "fr"
    with pytest.raises(TemplateNotFound):
        carry_design(design, "missing")
    a = "\n".join(pdfium_pages(render(FULL, design, OutputFormat.PDF).content))
    b = "\n".join(pdfium_pages(render(FULL, moved, OutputFormat.PDF).content))
    for text in (a, b):
        assert "John Smith" not in text  # references stay hidden in both
        assert (
            contains_all(
                text, ["Jane Doe", "Staff Engineer", "Led a team of five engineers across two time zones"]
            )
            == []
        )


def test_section_order_and_visibility() -> None:
    design = Design(
        section_order=(SectionKey.SKILLS, SectionKey.WORK), hidden_sections=frozenset({SectionKey.WORK})
    )
    view = build_view(FULL, design)
    assert [s.key for s in view.sections] == [SectionKey.SKILLS]
    text = "\n".join(
        plumber_pages(
            render(FULL, Design(section_order=(SectionKey.SKILLS, SectionKey.WORK)), OutputFormat.PDF).content
        )
    )
    assert find_in_order(text, ["Skills", "Experience"]) == []
    assert "Education" not in text.title()


@pytest.mark.parametrize("language", sorted(HEADINGS))
def test_headings_and_dates_follow_the_language(language: str) -> None:
    design = Design.model_validate({"template": "classic", "language": language})
    view = build_view(FULL, design)
    text = "\n".join(plumber_pages(render(FULL, design, OutputFormat.PDF).content))
    assert find_in_order(text, [s.title for s in view.sections]) == []
    dates = [e.dates for s in view.sections for e in s.entries if e.dates]
    assert contains_all(text, dates) == []


@pytest.mark.parametrize(
    ("value", "language", "style", "expected"),
    [
        ("2021-04", "en", "month_year", "Apr 2021"),
        ("2021-04-30", "en", "long", "April 2021"),
        ("2021-03", "de", "long", "März 2021"),
        ("2021-02", "fr", "month_year", "févr. 2021"),
        ("2021-08", "es", "long", "agosto 2021"),
        ("2021-12", "pt", "month_year", "dez. 2021"),
        ("2021-04", "ja", "month_year", "2021年4月"),
        ("2021-04", "zh", "numeric", "2021/04"),
        ("2021-04", "en", "numeric", "04/2021"),
        ("2021-04", "en", "iso", "2021-04"),
        ("2021-04", "en", "year", "2021"),
        ("2021", "en", "month_year", "2021"),
        ("2010-13", "en", "month_year", "2010-13"),
        ("someday", "en", "month_year", "someday"),
        ("", "en", "month_year", ""),
    ],
)
def test_date_formats(value: str, language: str, style: str, expected: str) -> None:
    assert format_date(value, language, style) == expected  # type: ignore[arg-type]


def test_date_ranges() -> None:
    assert format_range("2020-01", None, "en", "month_year") == "Jan 2020 – Present"
    assert format_range("2020-01", "", "de", "month_year") == "Jan. 2020 – heute"
    assert format_range(None, "2019", "en", "year") == "2019"
    assert format_range("2019", "2019", "en", "year") == "2019"


def test_fonts_come_from_installed_packages() -> None:
    assert missing_packages() == ()
    assert len(FONT_SLUGS) >= 8
    assert all("site-packages" in str(d) or "dist-packages" in str(d) for d in font_dirs())
    assert any(f.family == "Noto Sans CJK TC" and f.selectable for f in FAMILIES)


@pytest.mark.parametrize("font", FONT_SLUGS)
def test_every_font_embeds_and_extracts(font: str) -> None:
    import io

    import pdfplumber  # local: only this test needs font names

    pdf = render(FULL, Design(font=font), OutputFormat.PDF).content
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        names = {c["fontname"].split("+")[-1] for c in doc.pages[0].chars}
    family = next(f.family for f in FAMILIES if f.slug == font)
    assert any(n.replace("-", "").startswith(family.replace(" ", "").replace("-", "")[:8]) for n in names), (
        names
    )


def test_all_templates_declare_supported_options() -> None:
    for t in list_templates():
        assert {"font", "base_size", "language", "section_order"} <= t.supports
