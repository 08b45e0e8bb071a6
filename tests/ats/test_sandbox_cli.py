from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from shortlist.ats.analysis import analyze
from shortlist.ats.cli import register
from shortlist.ats.engine import MalformedDocumentError, ParseTimeoutError, UnsupportedFileTypeError
from shortlist.ats.sandbox import parse_file_sandboxed


def test_sandboxed_parse_matches_in_process(rendered: dict[str, list[tuple[dict[str, Any], bytes]]]) -> None:
    truth, data = rendered["typst-single"][1]
    parsed = parse_file_sandboxed(data)
    assert parsed.resume["basics"]["name"] == truth["basics"]["name"]
    assert parsed.file_type == "pdf"


def test_sandbox_errors_carry_status() -> None:
    with pytest.raises(MalformedDocumentError) as err:
        parse_file_sandboxed(b"%PDF-1.7\n" + b"garbage " * 50)
    assert err.value.status == 422
    with pytest.raises(UnsupportedFileTypeError) as err2:
        parse_file_sandboxed(b"\x00\x01\x02")
    assert err2.value.status == 415


def test_sandbox_time_limit(rendered: dict[str, list[tuple[dict[str, Any], bytes]]]) -> None:
    with pytest.raises(ParseTimeoutError) as err:
        parse_file_sandboxed(rendered["typst-single"][0][1], timeout=0.01)
    assert err.value.status == 422


def test_sandbox_memory_limit(rendered: dict[str, list[tuple[dict[str, Any], bytes]]]) -> None:
    with pytest.raises((ParseTimeoutError, MalformedDocumentError)):
        parse_file_sandboxed(rendered["typst-single"][0][1], memory_mb=40)


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test root."""

    register(app)
    return app


def test_cli_check_table_and_json(
    tmp_path: Path, rendered: dict[str, list[tuple[dict[str, Any], bytes]]]
) -> None:
    resume = tmp_path / "resume.pdf"
    resume.write_bytes(rendered["typst-two-column"][0][1])
    job = tmp_path / "jd.txt"
    job.write_text(
        "Senior Backend Engineer\nRequirements\n- 5+ years of Python and PostgreSQL\nNice to have\n- Kafka\n"
    )
    runner = CliRunner()
    table = runner.invoke(_app(), ["ats", "check", str(resume), "--no-sandbox"])
    assert table.exit_code == 0, table.output
    assert "ATS score:" in table.output and "Reading order" in table.output
    out = runner.invoke(
        _app(), ["ats", "check", str(resume), "--job", str(job), "--profile", "python-backend", "--json"]
    )
    assert out.exit_code == 0, out.output
    payload = json.loads(out.output)
    assert 0 <= payload["score"] <= 100
    assert {c["id"] for c in payload["checks"]} >= {"text_layer", "contact", "bullets"}
    assert 0 <= payload["match"]["score"] <= 100 and payload["match"]["parts"]
    assert payload["profile"]["profile"] == "python-backend"


def test_cli_parse_and_errors(
    tmp_path: Path, rendered: dict[str, list[tuple[dict[str, Any], bytes]]]
) -> None:
    truth, data = rendered["docx"][0]
    resume = tmp_path / "cv.bin"  # the name says nothing: content decides
    resume.write_bytes(data)
    runner = CliRunner()
    out = runner.invoke(_app(), ["ats", "parse", str(resume), "--no-sandbox"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["basics"]["name"] == truth["basics"]["name"]
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"\x00\x01 not a resume")
    failed = runner.invoke(_app(), ["ats", "check", str(bad), "--no-sandbox"])
    assert failed.exit_code == 2 and "415" in failed.output
    unknown = runner.invoke(_app(), ["ats", "check", str(resume), "--profile", "nope", "--no-sandbox"])
    assert unknown.exit_code != 0


def test_analyze_in_process(rendered: dict[str, list[tuple[dict[str, Any], bytes]]]) -> None:
    result = analyze(rendered["txt"][0][1], job="Data Analyst\nRequirements\n- SQL", sandboxed=False)
    assert result.match is not None and result.score == result.report.score
