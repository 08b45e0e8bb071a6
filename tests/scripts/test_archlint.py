"""The architecture lint: each rule fires on a module that breaks it and stays quiet on one that keeps it."""

from __future__ import annotations

from pathlib import Path

import archlint
import pytest
from archlint import Departure, Finding, check_source, check_tree

SOURCE_ROOT = Path(__file__).resolve().parents[2] / "src" / "shortlist"


def rules(source: str, path: str) -> list[tuple[int, str]]:
    return [(finding.line, finding.rule) for finding in check_source(source, path)]


def test_sqlalchemy_imported_by_endpoints_is_reported_with_its_line() -> None:
    source = "from fastapi import APIRouter\nfrom sqlalchemy.ext.asyncio import AsyncSession\n"
    assert rules(source, "resume/endpoints.py") == [(2, "ARCH001")]
    assert rules("import sqlalchemy as sa\n", "resume/endpoints.py") == [(1, "ARCH001")]


def test_endpoints_that_use_the_session_alias_pass() -> None:
    source = "from shortlist.http.deps import Session\n\nasync def get(session: Session) -> None: ...\n"
    assert rules(source, "resume/endpoints.py") == []
    # The same SQLAlchemy import is fine in a service.
    assert rules("from sqlalchemy.ext.asyncio import AsyncSession\n", "resume/service.py") == []


@pytest.mark.parametrize(
    "source",
    [
        "from sqlalchemy import select\nstatement = select(User)\n",
        "from sqlalchemy import update as sa_update\nstatement = sa_update(User)\n",
        "import sqlalchemy as sa\nstatement = sa.delete(User)\n",
        "from sqlalchemy.dialects.postgresql import insert\nstatement = insert(User)\n",
    ],
)
def test_statements_outside_a_repository_are_reported(source: str) -> None:
    assert rules(source, "job/service.py") == [(2, "ARCH002")]


@pytest.mark.parametrize(
    "path", ["job/repository.py", "auth/clients/repository.py", "job/repositories/jobs.py"]
)
def test_statements_inside_a_repository_pass(path: str) -> None:
    assert rules("from sqlalchemy import select\nstatement = select(User)\n", path) == []


def test_a_delete_method_that_is_not_sqlalchemy_passes() -> None:
    source = (
        "from sqlalchemy import func\nasync def drop(cache, session, row):\n    await cache.delete('k')\n"
    )
    source += "    await session.delete(row)\n"
    assert rules(source, "resume/service.py") == []


def test_the_synchronous_context_dependency_is_reported() -> None:
    source = (
        "from fastapi import Depends\n"
        "from shortlist.context import get_context\n"
        "Context = Depends(get_context)\n"
    )
    assert rules(source, "share/service.py") == [(3, "ARCH003")]
    assert rules(source, "share/endpoints.py") == [(3, "ARCH003")]
    # A plain call is no dependency (no thread hop): the hot read path reads the context that way.
    direct = "from shortlist.context import get_context\nget_context(request)\n"
    assert rules(direct, "resume/endpoints.py") == []


def test_the_async_context_dependency_passes() -> None:
    source = "from fastapi import Depends\nfrom shortlist.context import request_context\n"
    source += "Context = Depends(request_context)\n"
    assert rules(source, "share/endpoints.py") == []


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("kit/crypto.py", "from shortlist.platform.db import Database\n"),
        ("platform/cache.py", "from shortlist.http.route import get_session\n"),
        ("models/user.py", "import shortlist.resume.service\n"),
        ("resume/service.py", "from shortlist.graphql import schema\n"),
        ("http/errors.py", "from shortlist import main\n"),
        ("kit/__init__.py", "from ..platform import cache\n"),
    ],
)
def test_an_import_against_the_layer_direction_is_reported(path: str, source: str) -> None:
    assert rules(source, path) == [(1, "ARCH004")]


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("platform/cache.py", "from shortlist.kit.crypto import keyed_hash\n"),
        ("http/errors.py", "from shortlist.platform.db import Database\n"),
        (
            "resume/service.py",
            "from shortlist.auth.subject import Subject\nfrom shortlist.models import User\n",
        ),
        ("graphql/queries.py", "from shortlist.resume import service\n"),
        ("cli.py", "from shortlist.main import create_app\n"),
        ("kit/pagination.py", "from sqlalchemy import Select\nfrom .crypto import sign_blob\n"),
    ],
)
def test_an_import_along_the_layer_direction_passes(path: str, source: str) -> None:
    assert rules(source, path) == []


def test_layers_are_data_in_order() -> None:
    assert [layer.name for layer in archlint.LAYERS] == [
        "kit",
        "platform",
        "http/models",
        "domains",
        "entry points",
    ]


def test_findings_print_as_file_line_rule() -> None:
    finding = Finding("job/service.py", 12, "ARCH002", "SQL statement (select) outside a repository module")
    assert str(finding) == "job/service.py:12: ARCH002 SQL statement (select) outside a repository module"


def test_a_departure_covers_its_file_and_rule_only_and_a_stale_one_is_reported(tmp_path: Path) -> None:
    (tmp_path / "job").mkdir()
    (tmp_path / "job" / "__init__.py").write_text("")
    (tmp_path / "job" / "service.py").write_text("from sqlalchemy import select\nselect(1)\n")
    (tmp_path / "job" / "endpoints.py").write_text("from sqlalchemy import select\nselect(1)\n")
    covered = Departure("job/service.py", "ARCH002", "reason")
    stale = Departure("job/scheduler.py", "ARCH002", "reason")
    findings = check_tree(tmp_path, (covered, stale))
    assert [(f.path, f.rule) for f in findings] == [
        ("job/endpoints.py", "ARCH001"),
        ("job/endpoints.py", "ARCH002"),
        ("job/scheduler.py", "ARCH000"),
    ]


def test_a_commit_in_endpoints_is_reported_and_in_a_service_passes() -> None:
    source = "async def serve(writer):\n    await writer.commit()\n"
    assert rules(source, "share/endpoints.py") == [(2, "ARCH006")]
    assert rules(source, "share/service.py") == []


def test_a_folder_of_modules_without_init_is_reported(tmp_path: Path) -> None:
    (tmp_path / "__init__.py").write_text("")
    for package in ("resume", "job", "job/brokers"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "service.py").write_text("x = 1\n")
    (tmp_path / "resume" / "__init__.py").write_text("")
    (tmp_path / "job" / "brokers" / "__init__.py").write_text("")
    (tmp_path / "templates").mkdir()  # data only: not a package
    (tmp_path / "templates" / "page.html").write_text("<p></p>")
    assert [(f.path, f.rule) for f in check_tree(tmp_path, ())] == [("job/", "ARCH005")]


def test_the_source_tree_keeps_the_contract() -> None:
    assert [str(finding) for finding in check_tree(SOURCE_ROOT)] == []


def test_every_listed_departure_gives_a_reason() -> None:
    assert all(departure.reason.strip() for departure in archlint.DEPARTURES)
