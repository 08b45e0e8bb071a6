"""What every template prints for the parts of an entry that used to blur together, read back from the PDF."""

from __future__ import annotations

import copy
import io
from functools import cache
from typing import Any

import pdfplumber
import pytest

from shortlist.rendering import Design, OutputFormat, list_templates, render
from shortlist.rendering.sample import sample_resume
from tests.rendering.extract import pdfium_pages, plumber_pages, split_running, squash

SLUGS = [t.slug for t in list_templates()]
DESCRIPTION = "Logistics platform serving four hundred carriers."
FIRST_BULLET = "Redesigned the tracking pipeline"
SECOND_BULLET = "Introduced contract tests"


def _resume() -> dict[str, Any]:
    r = sample_resume()
    basics = r["basics"]
    # Long enough to wrap in every template: the wrap point must not leave a separator behind.
    basics["location"] = {"city": "San Francisco", "region": "California", "countryCode": "US"}
    basics["profiles"] = [
        {"network": "GitHub", "username": "alexmorgan", "url": "https://github.com/alexmorgan"},
        {"network": "Twitter", "username": "neutralthoughts", "url": "https://twitter.com"},
        {
            "network": "SoundCloud",
            "username": "dandymusic",
            "url": "https://soundcloud.example.com/dandymusic",
        },
    ]
    first = r["work"][0]
    first["description"] = DESCRIPTION
    first["highlights"] = [FIRST_BULLET, SECOND_BULLET, "Mentored four engineers"]
    r["projects"][0].update({"entity": "Smoogle", "roles": ["Team lead", "Designer"]})
    # Enough roles for a second page in every template.
    r["work"] += copy.deepcopy(r["work"]) * 2
    return r


RESUME = _resume()


@cache
def _pdf(template: str) -> bytes:
    return render(RESUME, Design(template=template), OutputFormat.PDF).content


@pytest.mark.parametrize("template", SLUGS)
def test_contacts_entities_and_running_lines(template: str) -> None:
    pdf = _pdf(template)
    for pages in (pdfium_pages(pdf), plumber_pages(pdf)):
        assert len(pages) >= 2
        body, running = split_running(pages, "Alex Morgan", "en")
        assert running == []
        lines = [" ".join(ln.split()) for ln in body.splitlines() if ln.strip()]
        for line in lines:
            assert not line.endswith(("·", " /")), f"separator ends {line!r}"
            assert not line.startswith(("·", "/ ")), f"separator starts {line!r}"
        text = squash(body)
        # A profile whose address is the bare site still names the account.
        assert squash("twitter.com/neutralthoughts") in text
        # The project's organisation and the person's roles are set apart.
        assert squash("Smoogle · Team lead, Designer") in text
        assert squash("Smoogle, Team lead") not in text
        assert squash(pages[1]).startswith(squash("Alex Morgan"))
        assert squash(pages[-1]).endswith(squash(f"Page {len(pages)} of {len(pages)}"))


def _line_box(lines: list[dict[str, Any]], start: str) -> dict[str, Any]:
    return next(ln for ln in lines if " ".join(ln["text"].split()).lstrip("•▸–- ").startswith(start))


@pytest.mark.parametrize("template", SLUGS)
def test_description_stands_apart_from_bullets(template: str) -> None:
    with pdfplumber.open(io.BytesIO(_pdf(template))) as doc:
        lines = doc.pages[0].extract_text_lines()
    description = _line_box(lines, DESCRIPTION[:20])
    first = _line_box(lines, FIRST_BULLET)
    second = _line_box(lines, SECOND_BULLET)
    assert description["bottom"] < first["top"]  # its own line, above the bullets
    between_bullets = second["top"] - first["bottom"]
    after_description = first["top"] - description["bottom"]
    # The gap that sets the bullets apart is visibly wider than the one between two bullets.
    assert after_description > between_bullets * 1.3, (after_description, between_bullets)


def test_other_formats_carry_the_same_fixes() -> None:
    for fmt in (OutputFormat.TEXT, OutputFormat.MARKDOWN, OutputFormat.HTML):
        text = render(RESUME, Design(), fmt).content.decode()
        assert "twitter.com/neutralthoughts" in text
        assert "Team lead, Designer" in text and "Smoogle, Team lead" not in text
