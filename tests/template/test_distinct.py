"""Every template looks different: a layout fingerprint read back from each template's PDF, unique per template.

The fingerprint is what a person notices first in a thumbnail, measured from the page's drawing and text
objects (pdfplumber), not from a template's own description: where the name sits, whether it stands on a
band of colour, how a section heading is drawn and written, and where an entry's dates go.
"""

from __future__ import annotations

import io
from collections import Counter
from functools import cache
from typing import Any, NamedTuple

import pdfplumber
import pytest

from shortlist.rendering import Design, OutputFormat, list_templates, render
from shortlist.rendering.sample import sample_resume
from shortlist.rendering.view import build_view

SLUGS = [t.slug for t in list_templates()]
RESUME = sample_resume()


class Fingerprint(NamedTuple):
    name_position: str  # centre | left
    name_on_band: bool  # a filled shape wider than half the page behind the name
    heading_rules: str  # how the first section heading is ruled: below | short-below | above | leader | none
    heading_case: str  # upper | as-written
    heading_mark: str  # tint (filled box) | bar (small filled block before it) | none
    heading_beside: bool  # the heading shares its line with the section's first line (a gutter)
    dates: str  # right | inline | below | left-column


def _words(page: Any) -> list[dict[str, Any]]:
    return list(page.extract_words(keep_blank_chars=False, extra_attrs=["size"]))


def _find(words: list[dict[str, Any]], text: str, after: float = -1) -> dict[str, Any]:
    first = text.split()[0].casefold()
    return next(w for w in words if w["text"].casefold() == first and w["top"] > after)


def _heading(words: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """The heading's first word: on a line of its own (a word in a sentence is not the heading)."""
    first = title.split()[0].casefold()
    for w in words:
        line = [x for x in words if abs(x["top"] - w["top"]) < 2]
        if w["text"].casefold() != first:
            continue
        rest = sorted((x for x in line if x["x0"] > w["x0"]), key=lambda x: x["x0"])
        # Alone on its line, or in a gutter: leftmost, with a wide gap before the text beside it.
        if len(line) <= len(title.split()) or (
            rest and rest[0]["x0"] - w["x1"] > 15 and w is min(line, key=lambda x: x["x0"])
        ):
            return w
    raise AssertionError(f"heading {title!r} not found")


def _fingerprint(pdf: bytes, template: str) -> Fingerprint:
    view = build_view(RESUME, Design(template=template))
    work = next(s for s in view.sections if s.key.value == "work")
    entry = work.entries[0]
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        width = float(page.width)
        words = _words(page)
        name = max(words, key=lambda w: w["size"])
        centre = (
            min(w["x0"] for w in words if w["top"] == name["top"])
            + max(w["x1"] for w in words if w["top"] == name["top"])
        ) / 2
        name_position = "centre" if abs(centre - width / 2) < width * 0.05 else "left"
        shapes = [*page.rects, *page.curves]
        filled = [s for s in shapes if s.get("fill") and s.get("non_stroking_color") not in (None, (1,), [1])]
        name_on_band = any(
            s["x1"] - s["x0"] > width / 2 and s["top"] <= name["top"] and s["bottom"] >= name["bottom"]
            for s in filled
        )
        heading = _heading(words, work.title)
        heading_line = [w for w in words if abs(w["top"] - heading["top"]) < 2]
        h_x1 = max(w["x1"] for w in heading_line if w["x0"] - heading["x1"] < 15)
        rules = [
            s
            for s in [*page.lines, *page.rects]
            if abs(s["bottom"] - s["top"]) < 3 and s["x1"] - s["x0"] > 20
        ]
        under = [r for r in rules if -4 <= r["top"] - heading["bottom"] < 9 and r["top"] > heading["top"]]
        below = any(r["x1"] - r["x0"] > width * 0.5 for r in under)
        short_below = bool(under) and not below
        above = any(0 <= heading["top"] - r["bottom"] < 9 and r["x1"] - r["x0"] > width * 0.3 for r in rules)
        leader = any(
            r["x0"] >= h_x1 and r["top"] < heading["bottom"] and r["bottom"] > heading["top"] for r in rules
        )
        heading_rules = (
            "leader"
            if leader
            else "below"
            if below
            else "short-below"
            if short_below
            else "above"
            if above
            else "none"
        )
        beside = [w for w in words if abs(w["top"] - heading["top"]) < 2 and w["x0"] > h_x1 + 15]
        heading_case = "upper" if heading["text"].isupper() and not work.title.isupper() else "as-written"
        marks = [s for s in filled if abs(s["bottom"] - s["top"]) >= 3]
        tint = any(
            s["x0"] <= heading["x0"] and s["x1"] >= h_x1 and s["top"] <= heading["top"] <= s["bottom"]
            for s in marks
        )
        bar = any(
            s["x1"] <= heading["x0"] + 1
            and s["x1"] - s["x0"] < 8
            and s["top"] <= heading["bottom"]
            and s["bottom"] >= heading["top"]
            for s in marks
        )
        heading_mark = "tint" if tint else "bar" if bar else "none"
        title = _find(words, entry.title, after=heading["top"] - 1)
        dates = _find(words, entry.dates, after=heading["top"] - 1)
        if abs(dates["top"] - title["top"]) < 3:
            same_line = sorted((w for w in words if abs(w["top"] - title["top"]) < 3), key=lambda w: w["x0"])
            before = [w for w in same_line if w["x1"] <= dates["x0"]]
            if dates["x1"] < title["x0"]:
                dates_at = "left-column"
            elif before and dates["x0"] - before[-1]["x1"] > 30:
                dates_at = "right"  # pushed to the right margin, apart from the title
            else:
                dates_at = "inline"
        else:
            dates_at = "below"
        return Fingerprint(
            name_position, name_on_band, heading_rules, heading_case, heading_mark, bool(beside), dates_at
        )


@cache
def fingerprints() -> dict[str, Fingerprint]:
    return {
        slug: _fingerprint(render(RESUME, Design(template=slug), OutputFormat.PDF).content, slug)
        for slug in SLUGS
    }


def test_every_template_has_its_own_look() -> None:
    prints = fingerprints()
    shared = {
        fp: [s for s, f in prints.items() if f == fp] for fp, n in Counter(prints.values()).items() if n > 1
    }
    assert shared == {}, shared


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("executive", {"name_on_band": True}),
        ("minimal", {"dates": "inline"}),
        ("two-column", {"dates": "left-column"}),
        ("classic", {"name_position": "centre", "heading_rules": "below"}),
        ("corporate", {"heading_rules": "above"}),
        ("compact", {"heading_rules": "leader"}),
    ],
)
def test_the_look_each_template_promises(template: str, expected: dict[str, Any]) -> None:
    got = fingerprints()[template]._asdict()
    assert {k: got[k] for k in expected} == expected, got
