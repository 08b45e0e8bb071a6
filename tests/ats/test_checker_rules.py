"""The checker agrees with our own templates and with what a document is.

Every product template, rendered from the sample resume as PDF and as DOCX, scores 100 (read from the template
list, so a new template is held to it too); checks that do not apply to a file are left out of the score rather
than granted; a job advertisement is told it is not a resume; header, table and section rules of the parser.
"""

from __future__ import annotations

import io

import pytest
import typst

from shortlist.ats.engine import build_report, parse_bytes, parse_text
from shortlist.rendering import Design, OutputFormat, list_templates, render
from shortlist.rendering.sample import sample_resume

PDF_ONLY = {"text_layer", "extractor_agreement", "fonts_unicode"}


@pytest.mark.parametrize("slug", [t.slug for t in list_templates()])
@pytest.mark.parametrize("fmt", [OutputFormat.PDF, OutputFormat.DOCX], ids=["pdf", "docx"])
def test_every_template_scores_full_marks_on_its_own_checker(slug: str, fmt: OutputFormat) -> None:
    data = render(sample_resume(), Design.model_validate({"template": slug}), fmt).content
    report = build_report(parse_bytes(data, cross_check=True))
    lost = [(c.id, c.status, c.message) for c in report.checks if c.status in ("warn", "fail")]
    assert report.score == 100, lost
    assert report.verdict == "resume"


def _docx(build: object) -> bytes:
    import docx

    document = docx.Document()
    assert callable(build)
    build(document)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _sample_docx() -> bytes:
    return render(sample_resume(), Design.model_validate({"template": "classic"}), OutputFormat.DOCX).content


def test_pdf_only_checks_are_left_out_of_a_docx_and_a_text_score() -> None:
    for parsed in (
        parse_bytes(_sample_docx()),
        parse_text(render(sample_resume(), Design(), OutputFormat.TEXT).content.decode()),
    ):
        report = build_report(parsed)
        skipped = {c.id for c in report.checks if c.status == "not_applicable"}
        assert skipped == PDF_ONLY, parsed.file_type
        assert all(c.points == 0 for c in report.checks if c.id in PDF_ONLY)
        applicable = [c for c in report.checks if c.id not in PDF_ONLY]
        expected = round(100 * sum(c.points for c in applicable) / sum(c.weight for c in applicable))
        assert report.score == expected
        assert "n/a" in report.breakdown and "of 67 applicable points" in report.breakdown


def test_fast_path_pdf_does_not_get_the_agreement_points_for_free() -> None:
    pdf = render(sample_resume(), Design(), OutputFormat.PDF).content
    checks = {c.id: c for c in build_report(parse_bytes(pdf, cross_check=False)).checks}
    assert checks["extractor_agreement"].status == "not_applicable"
    assert checks["text_layer"].status == "pass" and checks["fonts_unicode"].status == "pass"


JOB_AD = r"""
#set page(paper: "a4")
= Senior Backend Engineer (m/f/d)

Northwind Logistics is growing its platform team in London. Hybrid, two days a week in the office.

== About the role
You will design and run the services that track a million parcels a day.

== Responsibilities
- Design APIs in Python and Go
- Own services in production, including on-call

== Requirements
- 5+ years of backend development
- Experience with PostgreSQL and Kafka

== What we offer
- 30 days of holiday, a learning budget

== How to apply
Send your CV to jobs\@northwind.example.com by 31 January.
"""


def test_a_job_advertisement_gets_a_clear_not_a_resume_verdict() -> None:
    report = build_report(parse_bytes(typst.compile(JOB_AD.encode())))
    assert report.verdict == "not_a_resume"
    assert report.score == 0
    assert report.verdict_message and "does not look like a resume" in report.verdict_message


def test_a_resume_without_a_phone_is_still_a_resume() -> None:
    text = "Jane Doe\njane@example.com\n\nEXPERIENCE\nEngineer, Acme Corp    Jan 2020 – Present\n- Built things\n"
    assert build_report(parse_text(text)).verdict == "resume"


def test_a_section_title_under_the_header_is_not_the_headline() -> None:
    def build(document: object) -> None:
        document.add_paragraph("Jane Doe", style="Title")  # type: ignore[attr-defined]
        document.add_paragraph("jane@example.com | +44 20 7946 0958")  # type: ignore[attr-defined]
        document.add_heading("Welcome to my resume", level=1)  # type: ignore[attr-defined]
        document.add_paragraph("I build reliable backend systems and measure what I change.")  # type: ignore[attr-defined]
        document.add_heading("Experience", level=1)  # type: ignore[attr-defined]
        document.add_paragraph("Backend Engineer, Acme Corp, Jan 2020 – Present")  # type: ignore[attr-defined]

    basics = parse_bytes(_docx(build)).resume["basics"]
    assert basics["name"] == "Jane Doe"
    assert basics.get("label") != "Welcome to my resume"


def test_a_table_of_labelled_contact_fields_is_not_read_as_the_name() -> None:
    def build(document: object) -> None:
        table = document.add_table(rows=2, cols=2)  # type: ignore[attr-defined]
        table.cell(0, 0).text = "Residence: Berlin, Germany"
        table.cell(0, 1).text = "Phone: +49 30 901820"
        table.cell(1, 0).text = "E-mail: max@example.de"
        document.add_heading("Berufserfahrung", level=1)  # type: ignore[attr-defined]
        document.add_paragraph("Softwareentwickler, Litware GmbH, 03/2019 – heute")  # type: ignore[attr-defined]

    basics = parse_bytes(_docx(build)).resume["basics"]
    assert "Residence" not in basics.get("name", "")
    assert basics["phone"] == "+4930901820"
    assert basics["email"] == "max@example.de"


def test_publications_patents_talks_and_honours_are_kept() -> None:
    text = """Jane Doe
jane@example.com | +44 20 7946 0958

EXPERIENCE
Research Engineer, Acme Labs    Jan 2020 – Present
- Built a query planner

PUBLICATIONS
Learned Cardinality Estimation in Practice, VLDB, 2022

PATENTS
- Method for adaptive query planning, US Patent Office, 2023

TALKS
- Shipping ML to production, PyCon DE, 2021

HONORS & AWARDS
Best Paper Award, SIGMOD, 2021
"""
    resume = parse_text(text).resume
    names = [p["name"] for p in resume["publications"]]
    assert names == [
        "Learned Cardinality Estimation in Practice",
        "Method for adaptive query planning",
        "Shipping ML to production",
    ]
    assert resume["publications"][0]["publisher"] == "VLDB"
    assert resume["publications"][0]["releaseDate"] == "2022"
    assert resume["awards"] == [{"title": "Best Paper Award", "awarder": "SIGMOD", "date": "2021"}]
