"""The `shortlist` command, run as a user runs it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from shortlist.cli import app
from shortlist.config import get_settings
from tests.rendering.extract import plumber_pages
from tests.support import running_server

runner = CliRunner()


@pytest.fixture
def fresh_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An embedded install in an empty directory."""
    monkeypatch.delenv("SHORTLIST_DATABASE_URL", raising=False)
    monkeypatch.setenv("SHORTLIST_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SHORTLIST_PASSWORD_TIME_COST", "1")
    monkeypatch.setenv("SHORTLIST_PASSWORD_MEMORY_COST_KIB", "64")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_openapi_prints_the_spec(fresh_env: Path) -> None:
    result = runner.invoke(app, ["openapi"])
    assert result.exit_code == 0, result.output
    spec = json.loads(result.output)
    assert "/v1/resumes/{resume_id}" in spec["paths"]


def test_migrate_then_create_admin(fresh_env: Path) -> None:
    migrated = runner.invoke(app, ["migrate"])
    assert migrated.exit_code == 0, migrated.output
    assert (fresh_env / "shortlist.db").exists()
    created = runner.invoke(
        app,
        ["create-admin", "--email", "root@example.com"],
        env={"SHORTLIST_ADMIN_PASSWORD": "an admin passphrase"},
    )
    assert created.exit_code == 0, created.output
    assert "admin root@example.com" in created.output
    weak = runner.invoke(
        app, ["create-admin", "--email", "x@example.com"], env={"SHORTLIST_ADMIN_PASSWORD": "x"}
    )
    assert weak.exit_code == 1 and "at least" in weak.output
    rotated = runner.invoke(app, ["rotate-signing-key"])
    assert rotated.exit_code == 0 and "new signing key kid_" in rotated.output


@pytest.mark.slow
def test_serve_starts_on_a_fresh_directory(tmp_path: Path) -> None:
    """`shortlist serve` migrates the embedded database and answers real HTTP."""
    with running_server(tmp_path, {}, inherit_settings=False) as (base, _process):
        docs = httpx.get(f"{base}/docs")
        assert docs.status_code == 200 and "swagger" in docs.text.lower()
        registered = httpx.post(
            f"{base}/v1/auth/register", json={"email": "cli@example.com", "password": "a long passphrase"}
        )
        assert registered.status_code == 201
        assert (tmp_path / "shortlist.db").exists() and (tmp_path / "secret_key").exists()


def test_render_and_templates_work_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No database, no settings: the commands only read the resume file and write the output."""
    monkeypatch.setenv("SHORTLIST_DATABASE_URL", "postgresql+asyncpg://nobody@127.0.0.1:1/none")
    source = tmp_path / "resume.json"
    source.write_text(json.dumps({"basics": {"name": "Robin Offline", "label": "Tester"}}), encoding="utf-8")
    out = tmp_path / "out.pdf"
    result = runner.invoke(
        app,
        ["render", str(source), "--template", "modern", "--format", "pdf", "-o", str(out), "--color", "teal"],
    )
    assert result.exit_code == 0, result.output
    assert "1 page(s)" in result.output
    assert "Robin Offline" in "\n".join(plumber_pages(out.read_bytes()))

    bad = runner.invoke(app, ["render", str(source), "--template", "nope", "-o", str(out)])
    assert bad.exit_code == 2 and "nope" in bad.output

    listed = runner.invoke(app, ["templates", "--json"])
    assert listed.exit_code == 0, listed.output
    assert "classic" in {t["slug"] for t in json.loads(listed.output)}
    table = runner.invoke(app, ["templates"])
    assert table.exit_code == 0 and "sidebar" in table.output


def test_rendered_resume_survives_the_ats_check(tmp_path: Path) -> None:
    """The two offline commands together: a template's PDF parses back with its contact details."""
    from shortlist.rendering.sample import sample_resume

    document = sample_resume()
    source = tmp_path / "resume.json"
    source.write_text(json.dumps(document))
    pdf = tmp_path / "resume.pdf"
    rendered = runner.invoke(
        app, ["render", str(source), "--template", "modern", "--format", "pdf", "-o", str(pdf)]
    )
    assert rendered.exit_code == 0, rendered.output
    checked = runner.invoke(app, ["ats", "check", str(pdf), "--json", "--no-sandbox"])
    assert checked.exit_code == 0, checked.output
    report = json.loads(checked.output)
    assert 0 <= report["score"] <= 100 and report["checks"]
    parsed = runner.invoke(app, ["ats", "parse", str(pdf), "--no-sandbox"])
    assert parsed.exit_code == 0, parsed.output
    basics = json.loads(parsed.output)["basics"]
    assert basics["name"] == document["basics"]["name"]
    assert basics["email"] == document["basics"]["email"]
