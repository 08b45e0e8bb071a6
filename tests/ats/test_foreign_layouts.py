"""Resumes laid out the ways other tools lay them out (HTML/CSS themes printed by Chromium, Word documents
and their LibreOffice PDFs, plain text, Markdown), parsed field by field, and the report's advice on them.

A small corpus (one varied resume per family, seed 500) is rendered once per session and cached per
(family, seed); the large evaluation, on seeds never used while building the parser, is
``bench/ats_eval.py --foreign --seeds 1000:1030``.
"""

from __future__ import annotations

import pytest

from shortlist.ats.engine import build_report, parse_bytes
from shortlist.ats.evaluation.families import FAMILIES, TYPESET, Document, build
from shortlist.ats.evaluation.metrics import Evaluation

SEEDS = [500]
TARGET = 0.95
# Measured on these seeds; families below the target keep a floor close to their figure (a change that
# loses fields fails; one that gains should raise the floor).
BELOW_TARGET = {"html-table": 0.85}  # 0.874 on seed 500 (0.969 over seeds 1000-1029)
# The LaTeX and Pandoc families need pdfTeX and Pandoc: test_typeset_corpus reads their frozen documents.
RENDERED = [name for name in FAMILIES if name not in TYPESET]
FLOORS: dict[str, float] = {name: BELOW_TARGET.get(name, TARGET) for name in RENDERED}


@pytest.fixture(scope="session")
def documents() -> list[Document]:
    return build(RENDERED, SEEDS)


def test_every_family_is_measured() -> None:
    assert set(FLOORS) | set(TYPESET) == set(FAMILIES)
    assert sum(1 for name in FAMILIES if name.startswith("html-")) >= 10


@pytest.mark.parametrize("family", sorted(RENDERED))
def test_fields_per_family(documents: list[Document], family: str) -> None:
    evaluation = Evaluation()
    for doc in documents:
        if doc.family == family:
            evaluation.add(f"{family}:{doc.seed}", parse_bytes(doc.data, cross_check=False).resume, doc.truth)
    f1 = evaluation.overall.f1
    assert f1 >= FLOORS[family], (f1, evaluation.misses[:15])


HTML = sorted(name for name in RENDERED if name.startswith("html-") or name.endswith("-pdf"))


@pytest.mark.parametrize("family", HTML)
def test_report_finds_the_headings_and_bullets_on_the_page(documents: list[Document], family: str) -> None:
    """Advice never contradicts the page: these resumes plainly have Experience and Education headings and
    bulleted roles, so the report must not say that no heading or no bullet was found."""
    for doc in (d for d in documents if d.family == family):
        parsed = parse_bytes(doc.data, cross_check=False)
        report = build_report(parsed)
        checks = {c.id: c for c in report.checks}
        sections = {line.section for line in parsed.lines}
        assert {"work", "education"} <= sections, (doc.seed, parsed.layout.headings)
        assert checks["standard_headings"].status != "fail", checks["standard_headings"].message
        bullets = sum(len(w["highlights"]) for w in doc.truth["work"])
        assert report.bullets.count >= 0.9 * bullets, (doc.seed, report.bullets.count, bullets)
        assert "No bullet points" not in checks["bullets"].message
        assert report.verdict == "resume"
        roles = parsed.resume.get("work", [])
        assert all(role.get("startDate") for role in roles), [r.get("position") for r in roles]
