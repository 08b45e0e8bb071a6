from __future__ import annotations

import itertools
import json
import tempfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import typst

from shortlist.ats.engine import build_report, parse_bytes, parse_text
from shortlist.ats.evaluation.metrics import Evaluation
from shortlist.ats.evaluation.renderers import RENDERERS

from .builders import make_png

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "jsonresume-schema.json"


@pytest.mark.parametrize("renderer", [r.name for r in RENDERERS])
def test_corpus_f1_per_renderer(
    renderer: str, rendered: dict[str, list[tuple[dict[str, Any], bytes]]]
) -> None:
    evaluation = Evaluation()
    for truth, data in rendered[renderer]:
        evaluation.add(renderer, parse_bytes(data, cross_check=False).resume, truth)
    assert evaluation.overall.f1 >= 0.95, evaluation.misses[:20]


def test_fields_of_a_single_column_pdf(rendered: dict[str, list[tuple[dict[str, Any], bytes]]]) -> None:
    truth, data = rendered["typst-single"][0]
    parsed = parse_bytes(data)
    basics = parsed.resume["basics"]
    assert basics["name"] == truth["basics"]["name"]
    assert basics["email"] == truth["basics"]["email"]
    assert basics["phone"].startswith("+") and basics["phone"][1:].isdigit()  # E.164
    assert basics["location"]["city"] == truth["basics"]["location"]["city"]
    assert {p["network"] for p in basics["profiles"]} == {"LinkedIn", "GitHub"}
    work = parsed.resume["work"][0]
    assert work["position"] == truth["work"][0]["position"]
    assert work["name"] == truth["work"][0]["name"]
    assert work["startDate"] == truth["work"][0]["startDate"]
    assert work["highlights"] == truth["work"][0]["highlights"]
    assert parsed.confidence["basics.email"] > 0.9
    assert 0 < parsed.confidence["work[0].position"] <= 1
    assert parsed.layout.pages >= 1 and parsed.layout.fonts
    assert parsed.layout.extractor_similarity is not None and parsed.layout.extractor_similarity > 0.95


def test_output_conforms_to_json_resume_schema(
    rendered: dict[str, list[tuple[dict[str, Any], bytes]]],
) -> None:
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    for name in rendered:
        for _truth, data in rendered[name][:3]:
            resume = parse_bytes(data, cross_check=False).resume
            errors = [e.message for e in validator.iter_errors(resume)]
            assert not errors, (name, errors[:5])


def test_two_column_reading_order(rendered: dict[str, list[tuple[dict[str, Any], bytes]]]) -> None:
    _truth, data = rendered["typst-two-column"][0]
    parsed = parse_bytes(data)
    assert parsed.layout.columns[0] == 2
    sections = [ln.section for ln in parsed.lines]
    # The sidebar is read as a whole before the main column: sections are not interleaved line by line.
    changes = sum(1 for a, b in itertools.pairwise(sections) if a != b)
    assert changes <= 10
    assert parsed.resume["skills"] and parsed.resume["work"]


def test_table_and_header_footer_are_flagged(rendered: dict[str, list[tuple[dict[str, Any], bytes]]]) -> None:
    table = parse_bytes(rendered["typst-table"][0][1])
    assert any(ln.in_table for ln in table.lines)
    hf = parse_bytes(rendered["typst-header-footer"][0][1])
    assert any(ln.in_margin for ln in hf.lines)
    assert hf.resume["basics"]["email"]  # still read, but reported
    checks = {c.id: c for c in build_report(hf).checks}
    assert checks["containers"].status in ("warn", "fail")


def test_image_only_pdf_reports_no_text_layer() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "scan.png").write_bytes(make_png())
        Path(tmp, "doc.typ").write_text('#image("scan.png", width: 100%)\n')
        pdf = typst.compile(str(Path(tmp, "doc.typ")))
    parsed = parse_bytes(pdf)
    assert parsed.layout.has_text_layer is False
    assert parsed.resume == {} and parsed.text == ""
    assert parsed.layout.image_count >= 1
    assert any("no text layer" in w for w in parsed.warnings)
    report = build_report(parsed)
    assert report.checks[0].id == "text_layer" and report.checks[0].status == "fail"
    assert report.score <= 10


def test_docx_structure_headings_lists_tables() -> None:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("Ana Costa")
    document.add_paragraph("ana@example.com | +351 21 123 4567 | Lisboa, Portugal")
    document.add_heading("Experiência profissional", level=1)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Engenheira de Dados — Globex SA"
    table.cell(0, 1).text = "mar. 2021 – atual"
    document.add_paragraph("Reduzi o custo de processamento em 30%", style="List Bullet")
    document.add_heading("Formação", level=1)
    document.add_paragraph("Universidade de Lisboa\t2015 – 2019")
    document.add_paragraph("Mestrado em Engenharia Informática")
    buf = io.BytesIO()
    document.save(buf)
    parsed = parse_bytes(buf.getvalue())
    assert parsed.resume["basics"]["phone"] == "+351211234567"
    assert parsed.resume["basics"]["location"]["city"] == "Lisboa"
    work = parsed.resume["work"][0]
    assert work["startDate"] == "2021-03" and "endDate" not in work
    assert work["highlights"] == ["Reduzi o custo de processamento em 30%"]
    assert parsed.resume["education"][0]["institution"] == "Universidade de Lisboa"
    assert parsed.layout.table_cells == 2
    assert any(ln.in_table for ln in parsed.lines)


def test_txt_resume() -> None:
    text = """Max Mustermann
Backend-Entwickler
max@example.de · +49 89 1234 5678 · München, Deutschland

BERUFSERFAHRUNG
Senior Entwickler — Initech GmbH, Hamburg    Jan. 2020 – heute
- Reduzierte die Antwortzeit der API um 60 % durch Caching
- Führte ein Team von 4 Entwicklern

AUSBILDUNG
Technische Universität München    2014 – 2019
M.Sc. Informatik

KENNTNISSE
Sprachen: Python, Go
Daten: PostgreSQL, Redis
"""
    parsed = parse_text(text)
    resume = parsed.resume
    assert resume["basics"]["name"] == "Max Mustermann"
    assert resume["basics"]["phone"] == "+498912345678"
    assert resume["work"][0]["name"] == "Initech GmbH"
    assert resume["work"][0]["position"] == "Senior Entwickler"
    assert resume["work"][0]["startDate"] == "2020-01"
    assert resume["education"][0]["studyType"] == "M.Sc."
    assert resume["education"][0]["area"] == "Informatik"
    keywords = {k for g in resume["skills"] for k in g["keywords"]}
    assert {"Python", "Go", "PostgreSQL", "Redis"} <= keywords
