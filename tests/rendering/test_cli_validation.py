"""`shortlist render` refuses what the API refuses, with the same messages, and writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from shortlist.cli import app
from tests.conftest import Register, assert_problem

runner = CliRunner()

INVALID = [
    pytest.param({"basics": {"name": 5}}, "basics.name", id="name-is-a-number"),
    pytest.param({"basics": {"email": "not an address"}}, "basics.email", id="bad-email"),
    pytest.param({"work": [{"startDate": "2025-01", "endDate": "2020-01"}]}, "work.0.endDate", id="reversed"),
    pytest.param({"education": [{"startDate": "2021-02-30"}]}, "education.0.startDate", id="feb-30"),
    pytest.param({"skills": {"name": "not a list"}}, "skills", id="section-not-a-list"),
]


@pytest.mark.parametrize(("document", "where"), INVALID)
async def test_cli_and_api_refuse_alike(
    tmp_path: Path, client: httpx.AsyncClient, register: Register, document: dict[str, Any], where: str
) -> None:
    source = tmp_path / "resume.json"
    source.write_text(json.dumps(document))
    out = tmp_path / "out.pdf"
    result = runner.invoke(app, ["render", str(source), "-o", str(out)])
    assert result.exit_code != 0 and not out.exists(), result.output

    refused = await client.post("/v1/resumes/import", json=document, headers=await register())
    errors = assert_problem(refused, 422, "validation-error")["errors"]
    for error in errors:
        location = ".".join(error["location"][1:])  # the API's first element is "body"
        assert f"{location}: {error['message']}" in result.output, (result.output, errors)
    assert any(".".join(e["location"][1:]) == where for e in errors), errors


def test_valid_file_still_renders(tmp_path: Path) -> None:
    source = tmp_path / "resume.json"
    source.write_text(json.dumps({"basics": {"name": "Valid Person"}, "work": [{"startDate": "2020"}]}))
    result = runner.invoke(app, ["render", str(source), "-f", "text"])
    assert result.exit_code == 0, result.output
    assert "Valid Person" in (tmp_path / "resume.txt").read_text()


def test_language_and_its_old_name_locale(tmp_path: Path) -> None:
    source = tmp_path / "resume.json"
    source.write_text(json.dumps({"work": [{"name": "Acme", "startDate": "2020-04"}]}))
    for option in ("--language", "--locale"):
        out = tmp_path / f"out{option}.txt"
        result = runner.invoke(app, ["render", str(source), "-f", "text", option, "de", "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert "BERUFSERFAHRUNG" in out.read_text()
