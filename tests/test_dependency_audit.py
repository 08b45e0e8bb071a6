"""The dependency audit in `make security` fails on a known-vulnerable pin: pip-audit, through its own OSV
client, reads advisories from a folder on disk (scripts/audit_dependencies.py --osv-dir), so the check is
proved here without the network."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "audit_dependencies.py"


def advisory(identifier: str, package: str, events: list[dict[str, str]]) -> dict[str, object]:
    return {
        "id": identifier,
        "modified": "2026-01-01T00:00:00Z",
        "summary": "made for this test",
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": package},
                "ranges": [{"type": "ECOSYSTEM", "events": events}],
            }
        ],
    }


@pytest.mark.slow
@pytest.mark.skipif(
    bool(os.environ.get("SHORTLIST_DATABASE_URL")),
    reason="no service involved: runs in the pass on the defaults",
)
def test_a_pin_inside_an_advisory_range_fails_the_audit(tmp_path: Path) -> None:
    lock = tmp_path / "requirements.lock"
    lock.write_text("Jinja2==2.10\nhttpx==0.28.1\n")
    advisories = tmp_path / "osv"
    advisories.mkdir()
    # Jinja2 2.10 is inside this range; httpx 0.28.1 is past the fixed release of the other one.
    (advisories / "A-1.json").write_text(
        json.dumps(advisory("TEST-JINJA", "jinja2", [{"introduced": "0"}, {"fixed": "2.10.1"}]))
    )
    (advisories / "A-2.json").write_text(
        json.dumps(advisory("TEST-HTTPX", "httpx", [{"introduced": "0"}, {"fixed": "0.23.0"}]))
    )
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--requirements", str(lock), "--osv-dir", str(advisories)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "VULNERABLE jinja2==2.10: TEST-JINJA" in result.stdout
    assert "TEST-HTTPX" not in result.stdout
    assert "2 of 2 pins audited" in result.stdout

    # The fixed release passes.
    lock.write_text("Jinja2==2.10.1\nhttpx==0.28.1\n")
    fixed = subprocess.run(
        [sys.executable, str(SCRIPT), "--requirements", str(lock), "--osv-dir", str(advisories)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "2 of 2 pins audited" in fixed.stdout and "0 vulnerable" in fixed.stdout
