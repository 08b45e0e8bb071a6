from __future__ import annotations

from typing import Any

from shortlist.ats.engine import build_report, parse_bytes, parse_text
from shortlist.ats.engine.report import WEIGHTS


def test_weights_add_up_and_score_is_their_sum(
    rendered: dict[str, list[tuple[dict[str, Any], bytes]]],
) -> None:
    assert sum(w for _, w in WEIGHTS.values()) == 100
    report = build_report(parse_bytes(rendered["typst-single"][0][1]))
    assert [c.id for c in report.checks] == list(WEIGHTS)
    applicable = [c for c in report.checks if c.status != "not_applicable"]
    assert report.score == round(100 * sum(c.points for c in applicable) / sum(c.weight for c in applicable))
    for check in report.checks:
        expected = {"pass": check.weight, "warn": check.weight / 2, "fail": 0.0, "not_applicable": 0.0}[
            check.status
        ]
        assert check.points == expected
        assert check.fix is None if check.status == "pass" else check.fix
    assert report.score >= 95
    assert "Total" in report.breakdown


def test_two_column_warns_on_reading_order(rendered: dict[str, list[tuple[dict[str, Any], bytes]]]) -> None:
    report = build_report(parse_bytes(rendered["typst-two-column"][0][1]))
    checks = {c.id: c for c in report.checks}
    assert checks["reading_order"].status == "warn"
    assert checks["reading_order"].evidence and checks["reading_order"].evidence[0].page == 1


def test_tables_are_reported(rendered: dict[str, list[tuple[dict[str, Any], bytes]]]) -> None:
    report = build_report(parse_bytes(rendered["typst-table"][0][1]))
    check = next(c for c in report.checks if c.id == "containers")
    assert check.status in ("warn", "fail") and "tables" in check.message
    assert check.evidence and check.evidence[0].line is not None


def test_poor_text_resume_fails_several_checks() -> None:
    text = """CV
My Journey
Responsible for stuff at a company.
Helped with various things etc.
"""
    report = build_report(parse_text(text))
    checks = {c.id: c for c in report.checks}
    assert checks["contact"].status == "fail"
    assert checks["standard_headings"].status == "fail"
    assert checks["bullets"].status in ("warn", "fail")
    assert checks["length"].status == "warn"
    assert report.score < 70


def test_private_use_glyphs_fail_unicode_check() -> None:
    text = "Jane Doe\njane@example.com +1 415 555 0134\nEXPERIENCE\n" + ("\ue001\ue002 Built things " * 30)
    report = build_report(parse_text(text))
    check = next(c for c in report.checks if c.id == "fonts_unicode")
    assert check.status == "fail" and check.evidence


def test_mixed_and_broken_dates() -> None:
    text = """Jane Doe
jane@example.com | +1 415 555 0134
EXPERIENCE
Engineer — Acme Inc    Jan 2020 – Present
- Built a thing used by 10 teams every week
Engineer — Globex Inc    03/2015 - 04/2018
- Cut costs by 20% in the first year on the job
EDUCATION
MIT 2010 - 2014
"""
    report = build_report(parse_text(text))
    check = next(c for c in report.checks if c.id == "dates")
    assert check.status == "warn" and "mixed date formats" in check.message.lower()


def test_fast_path_says_agreement_was_not_measured(
    rendered: dict[str, list[tuple[dict[str, Any], bytes]]],
) -> None:
    report = build_report(parse_bytes(rendered["typst-single"][0][1], cross_check=False))
    check = next(c for c in report.checks if c.id == "extractor_agreement")
    assert "Not measured" in check.message


def test_unknown_headings_are_reported() -> None:
    text = """Jane Doe
jane@example.com | +1 415 555 0134

EXPERIENCE
Engineer — Acme Inc    Jan 2020 – Present
- Built a billing service used by 40 teams

MY JOURNEY
Grew up building radios and never stopped tinkering.

EDUCATION
MIT    2010 – 2014
B.Sc. Physics
"""
    parsed = parse_text(text)
    assert parsed.layout.unknown_headings == ["MY JOURNEY"]
    check = next(c for c in build_report(parsed).checks if c.id == "standard_headings")
    assert check.status == "warn" and "MY JOURNEY" in check.message
    assert parsed.resume["education"][0]["institution"] == "MIT"


def test_docx_header_contact_is_read_but_flagged() -> None:
    import io

    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "jane@example.com | +1 415 555 0134"
    document.add_paragraph("Jane Doe")
    document.add_heading("Experience", level=1)
    document.add_paragraph("Engineer — Acme Inc\tJan 2020 – Present")
    document.add_paragraph("Built a billing service used by 40 teams", style="List Bullet")
    document.add_heading("Education", level=1)
    document.add_paragraph("MIT\t2010 – 2014")
    buf = io.BytesIO()
    document.save(buf)
    parsed = parse_bytes(buf.getvalue())
    assert parsed.resume["basics"]["email"] == "jane@example.com"
    assert parsed.resume["basics"]["name"] == "Jane Doe"
    assert parsed.layout.header_footer_lines == 1
    checks = {c.id: c for c in build_report(parsed).checks}
    assert checks["containers"].status == "warn" and "headers/footers" in checks["containers"].message
    assert checks["contact"].status == "warn" and "header" in checks["contact"].message
