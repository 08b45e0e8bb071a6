"""The render and templates commands on a local Typer app."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from docx import Document
from typer.testing import CliRunner

from shortlist.rendering.cli import register
from tests.rendering.corpus import CORPUS
from tests.rendering.extract import pdfium_pages

FULL = next(c for c in CORPUS if c.id == "full").resume
runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_templates_lists_and_prints_json() -> None:
    result = runner.invoke(_app(), ["templates"])
    assert result.exit_code == 0 and "classic" in result.output and "sidebar" in result.output
    result = runner.invoke(_app(), ["templates", "--json"])
    data = json.loads(result.output)
    assert len(data) >= 12 and {"slug", "description", "supports", "defaults"} <= set(data[0])


def test_render_pdf_with_options(tmp_path: Path) -> None:
    src = tmp_path / "resume.json"
    src.write_text(json.dumps(FULL))
    out = tmp_path / "out.pdf"
    result = runner.invoke(
        _app(),
        [
            "render",
            str(src),
            "--template",
            "modern",
            "--format",
            "pdf",
            "-o",
            str(out),
            "--color",
            "#336699",
            "--font",
            "lato",
            "--language",
            "de",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "page" in result.output
    assert "Berufserfahrung" in pdfium_pages(out.read_bytes())[0]


def test_render_docx_next_to_input(tmp_path: Path) -> None:
    src = tmp_path / "resume.json"
    src.write_text(json.dumps(FULL))
    result = runner.invoke(_app(), ["render", str(src), "-f", "docx"])
    assert result.exit_code == 0, result.output
    doc = Document(str(tmp_path / "resume.docx"))
    assert doc.paragraphs[0].text == "Jane Doe"


def test_render_reports_bad_options(tmp_path: Path) -> None:
    src = tmp_path / "resume.json"
    src.write_text(json.dumps(FULL))
    result = runner.invoke(_app(), ["render", str(src), "--color", "reddish"])
    assert result.exit_code == 2 and "colour" in result.output
    result = runner.invoke(_app(), ["render", str(src), "--template", "nope"])
    assert result.exit_code == 2 and "no template called 'nope'" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2")
    result = runner.invoke(_app(), ["render", str(bad)])
    assert result.exit_code == 2 and "cannot read" in result.output
