"""Letter-spaced names and headings ("J A N E  D O E", CSS letter-spacing, Word's expanded spacing, Typst's
tracking) read as words, from PDFs made by three producers: the extractor reads a space between every two
tracked letters, and the words are where the gaps widen."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import typst
from docx import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from shortlist.ats.engine import parse_bytes
from shortlist.ats.engine.parser import parse_pdf
from shortlist.ats.evaluation.families import _soffice_pdf, print_html

HEADINGS = ("Work Experience", "Education", "Skills")


def _typst_pdf(tmp: Path) -> bytes:
    tracked = "\n".join(
        f"#v(10pt)\n#text(size: 11pt, tracking: 0.3em)[{h.upper()}]\n#v(4pt)\n{body}"
        for h, body in zip(HEADINGS, BODIES, strict=True)
    )
    source = tmp / "resume.typ"
    source.write_text(
        '#set page(width: 595pt, height: 842pt, margin: 40pt)\n#set text(font: "Liberation Sans", size: 10pt)\n'
        "#text(size: 22pt, tracking: 0.35em)[Jane Doe] \\\n#text(tracking: 0.2em)[SOFTWARE ENGINEER] \\\n"
        "jane\\@example.com · +1 415 555 0132 · Berlin, Germany\n" + tracked
    )
    return bytes(typst.compile(str(source)))


BODIES = (
    "*Senior Engineer*, Acme Corp #h(1fr) Jan 2020 – Present\n- Built a payments API handling 3M requests per day",
    "BSc Computer Science, Technical University of Berlin #h(1fr) 2015 – 2019",
    "Python, Go, PostgreSQL, Kubernetes",
)


def _word_pdf(tmp: Path) -> bytes:
    document = WordDocument()

    def spaced(text: str, size: float, twentieths: int) -> None:
        run = document.add_paragraph().add_run(text)
        run.font.size = Pt(size)
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(twentieths))  # "Expanded by" in twentieths of a point
        run._r.get_or_add_rPr().append(spacing)

    spaced("Jane Doe", 22, 120)
    spaced("SOFTWARE ENGINEER", 10, 60)
    document.add_paragraph("jane@example.com · +1 415 555 0132 · Berlin, Germany")
    spaced("WORK EXPERIENCE", 11, 80)
    document.add_paragraph("Senior Engineer, Acme Corp\tJan 2020 – Present")
    document.add_paragraph("Built a payments API handling 3M requests per day", style="List Bullet")
    spaced("EDUCATION", 11, 80)
    document.add_paragraph("BSc Computer Science, Technical University of Berlin\t2015 – 2019")
    spaced("SKILLS", 11, 80)
    document.add_paragraph("Python, Go, PostgreSQL, Kubernetes")
    document.save(str(tmp / "resume.docx"))
    _soffice_pdf([tmp / "resume.docx"], tmp)
    return (tmp / "resume.pdf").read_bytes()


def _browser_pdf(tmp: Path) -> bytes:
    (tmp / "resume.html").write_text(
        "<html><head><style>body{font-family:'Liberation Sans';font-size:10pt;margin:40px}"
        "h1{letter-spacing:.35em;font-size:22pt;margin:0}.label{letter-spacing:.2em;text-transform:uppercase}"
        "h2{letter-spacing:.3em;text-transform:uppercase;font-size:11pt}</style></head><body>"
        '<h1>Jane Doe</h1><div class="label">Software Engineer</div>'
        "<div>jane@example.com · +1 415 555 0132 · Berlin, Germany</div>"
        '<h2>Work Experience</h2><div><b>Senior Engineer</b>, Acme Corp <span style="float:right">'
        "Jan 2020 – Present</span></div><ul><li>Built a payments API handling 3M requests per day</li></ul>"
        '<h2>Education</h2><div>BSc Computer Science, Technical University of Berlin <span style="float:right">'
        "2015 – 2019</span></div><h2>Skills</h2><div>Python, Go, PostgreSQL, Kubernetes</div></body></html>"
    )
    print_html({"resume": tmp / "resume.html"}, {"resume": tmp / "resume.pdf"})
    return (tmp / "resume.pdf").read_bytes()


@pytest.fixture(
    scope="module", params=[_typst_pdf, _word_pdf, _browser_pdf], ids=["typst", "libreoffice", "chromium"]
)
def tracked_pdf(request: pytest.FixtureRequest) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        data: bytes = request.param(Path(folder))
    return data


@pytest.mark.parametrize("extractor", ["pdfium", "pdfplumber"])
def test_letter_spaced_name_and_headings_read_as_words(tracked_pdf: bytes, extractor: Any) -> None:
    result = parse_pdf(tracked_pdf, extractor=extractor)
    resume = result.resume
    assert resume["basics"]["name"] == "Jane Doe"
    assert resume["basics"]["label"].lower() == "software engineer"
    assert [(w["position"], w["name"]) for w in resume["work"]] == [("Senior Engineer", "Acme Corp")]
    assert resume["education"][0]["institution"] == "Technical University of Berlin"
    assert resume["skills"][0]["keywords"] == ["Python", "Go", "PostgreSQL", "Kubernetes"]
    assert "W O R K" not in result.text


def test_ordinary_text_is_not_taken_for_letter_spacing() -> None:
    # Words set close with spaces between them only: the runs come out as written.
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "plain.typ"
        source.write_text(
            '#set text(font: "Liberation Sans", size: 10pt)\n'
            "I am a C and Go developer; A/B tests, Q & A, a b c d e.\n"
        )
        result = parse_bytes(bytes(typst.compile(str(source))))
    assert "I am a C and Go developer; A/B tests, Q & A, a b c d e." in result.text
