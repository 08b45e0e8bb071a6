"""What a template prints so that an ATS, which reads the text layer and not link annotations, gets the facts:
web addresses as text, a labelled grade, months in dates."""

from __future__ import annotations

import copy

import pytest

from shortlist.rendering import Design, OutputFormat, render
from shortlist.rendering.i18n import score
from shortlist.rendering.schemas import Language, SectionKey
from shortlist.rendering.view import build_view, display_url
from tests.rendering.corpus import CORPUS
from tests.rendering.extract import pdfium_pages, plumber_pages

FULL = next(c for c in CORPUS if c.id == "full").resume


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://github.com/ada", "github.com/ada"),
        ("https://www.linkedin.com/in/ada-l/", "linkedin.com/in/ada-l"),
        ("http://www.ada.example", "http://ada.example"),  # a plain-http site keeps its scheme
        ("mailto:ada@example.com", "mailto:ada@example.com"),
    ],
)
def test_display_url_drops_only_https_and_www(url: str, shown: str) -> None:
    assert display_url(url) == shown


def test_profiles_and_project_links_are_printed_as_addresses() -> None:
    view = build_view(FULL, Design())
    texts = [c.text for c in view.contacts]
    assert "github.com/janedoe" in texts and "linkedin.com/in/jane-doe" in texts
    assert "jane.example.dev" in texts
    projects = next(s for s in view.sections if s.key is SectionKey.PROJECTS)
    assert projects.entries[0].link == "github.com/janedoe/pgqueue"


def test_a_profile_without_an_address_keeps_network_and_username() -> None:
    resume = copy.deepcopy(FULL)
    resume["basics"]["profiles"] = [{"network": "Mastodon", "username": "@jane@example.social"}]
    assert "Mastodon: @jane@example.social" in [c.text for c in build_view(resume, Design()).contacts]


@pytest.mark.parametrize("template", ["classic", "academic", "minimal"])
def test_addresses_are_in_both_extractors_text(template: str) -> None:
    pdf = render(FULL, Design(template=template), OutputFormat.PDF).content
    for pages in (plumber_pages(pdf), pdfium_pages(pdf)):
        text = "".join("\n".join(pages).split())
        for shown in ("github.com/janedoe/pgqueue", "linkedin.com/in/jane-doe", "Grade:1.3"):
            assert shown in text, (template, shown)


@pytest.mark.parametrize(
    ("value", "language", "shown"),
    [
        ("3.8/4.0", "en", "Grade: 3.8/4.0"),
        ("1,3", "de", "Note: 1,3"),
        ("17/20", "fr", "Note: 17/20"),
        ("9.1", "es", "Nota: 9.1"),
        ("3.6", "ja", "成績：3.6"),
        ("GPA 3.8", "en", "GPA 3.8"),  # already labelled
        ("magna cum laude", "en", "magna cum laude"),
        ("", "en", ""),
    ],
)
def test_education_score_gets_a_label_in_the_resume_language(
    value: str, language: Language, shown: str
) -> None:
    assert score(value, language) == shown


def test_academic_prints_months_by_default() -> None:
    view = build_view(FULL, Design(template="academic"))
    work = next(s for s in view.sections if s.key is SectionKey.WORK)
    assert work.entries[0].dates.startswith("Apr 2021")
