"""Audit every pinned dependency (requirements.lock) against known vulnerabilities with pip-audit.

    .venv/bin/python scripts/audit_dependencies.py [--service pypi|osv] [--osv-dir DIR] [--require-data]

Exits 1 when a pin has a known vulnerability. Where the vulnerability data cannot be reached (no network to
PyPI's JSON API or to OSV), pip-audit reports each package as "not audited" and exits 0: this script says so
loudly and passes, unless --require-data (or SHORTLIST_AUDIT_REQUIRE_DATA=1) makes that a failure.

Offline: --osv-dir DIR (or SHORTLIST_AUDIT_OSV_DIR) names a folder of OSV advisories (JSON files, such as an
unpacked export of the PyPI ecosystem from OSV, or the PyPA advisory database converted to JSON); they are
served on a loopback port with OSV's /v1/query API and pip-audit's own OSV client reads them (`--osv-url`), so
the verdict comes from pip-audit's matching, not ours.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[1]


def _affected_version(version: Version, affected: dict[str, Any]) -> bool:
    """Whether one OSV `affected` entry covers ``version`` (explicit versions, or ECOSYSTEM/SEMVER ranges)."""
    if str(version) in affected.get("versions", []):
        return True
    for span in affected.get("ranges", []):
        if span.get("type") not in ("ECOSYSTEM", "SEMVER"):
            continue
        inside = False
        for event in sorted(span.get("events", []), key=_event_order):
            try:
                if "introduced" in event:
                    start = event["introduced"]
                    inside = start == "0" or version >= Version(start)
                elif ("fixed" in event and version >= Version(event["fixed"])) or (
                    "last_affected" in event and version > Version(event["last_affected"])
                ):
                    inside = False
            except InvalidVersion:
                continue
        if inside:
            return True
    return False


def _event_order(event: dict[str, str]) -> Version:
    value = next(iter(event.values()), "0")
    try:
        return Version("0" if value == "0" else value)
    except InvalidVersion:
        return Version("0")


def load_advisories(directory: Path) -> dict[str, list[dict[str, Any]]]:
    """OSV advisories for PyPI packages found under ``directory``, by canonical package name."""
    by_package: dict[str, list[dict[str, Any]]] = {}
    for path in directory.rglob("*.json"):
        try:
            advisory = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for affected in advisory.get("affected", []):
            package = affected.get("package", {})
            if package.get("ecosystem") == "PyPI" and package.get("name"):
                by_package.setdefault(canonicalize_name(package["name"]), []).append(advisory)
    return by_package


@contextmanager
def local_osv(directory: Path) -> Iterator[str]:
    """OSV's /v1/query over the advisories in ``directory``, on a loopback port; yields its URL."""
    advisories = load_advisories(directory)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            query = json.loads(self.rfile.read(int(self.headers.get("content-length", "0"))) or b"{}")
            name = canonicalize_name(query.get("package", {}).get("name", ""))
            try:
                version = Version(query.get("version", ""))
            except InvalidVersion:
                version = None
            matches = [
                advisory
                for advisory in advisories.get(name, [])
                if version is not None
                and any(
                    canonicalize_name(a.get("package", {}).get("name", "")) == name
                    and _affected_version(version, a)
                    for a in advisory.get("affected", [])
                )
            ]
            body = json.dumps({"vulns": matches} if matches else {}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    finally:
        server.shutdown()
        server.server_close()


def run_pip_audit(requirements: Path, service: str, osv_url: str | None) -> dict[str, Any]:
    command = [
        sys.executable, "-m", "pip_audit",
        "--requirement", str(requirements),
        "--no-deps", "--disable-pip",  # every pin is exact: audit the lock as written, resolve nothing
        "--format", "json", "--progress-spinner", "off",
        "--vulnerability-service", service,
        "--timeout", "10",
    ]  # fmt: skip
    if osv_url:
        command += ["--osv-url", osv_url]
    with tempfile.NamedTemporaryFile(suffix=".json") as output:
        result = subprocess.run(  # noqa: S603 - our interpreter, fixed arguments
            [*command, "--output", output.name], capture_output=True, text=True, check=False
        )
        text = Path(output.name).read_text(encoding="utf-8")
    if not text.strip():
        # pip-audit stops with a traceback when the service cannot be reached at all (OSV's name unknown).
        return {"dependencies": [], "error": (result.stderr.strip().splitlines() or ["no output"])[-1]}
    report: dict[str, Any] = json.loads(text)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requirements", type=Path, default=ROOT / "requirements.lock")
    parser.add_argument(
        "--service", choices=("pypi", "osv"), default=os.environ.get("SHORTLIST_AUDIT_SERVICE", "pypi")
    )
    parser.add_argument("--osv-dir", type=Path, default=os.environ.get("SHORTLIST_AUDIT_OSV_DIR") or None)
    parser.add_argument(
        "--require-data", action="store_true", default=os.environ.get("SHORTLIST_AUDIT_REQUIRE_DATA") == "1"
    )
    args = parser.parse_args(argv)
    pins = [line for line in args.requirements.read_text().splitlines() if "==" in line]
    if args.osv_dir is not None:
        with local_osv(args.osv_dir) as url:
            report = run_pip_audit(args.requirements, "osv", url)
        source = f"OSV advisories in {args.osv_dir}"
    else:
        report = run_pip_audit(args.requirements, args.service, None)
        source = f"pip-audit's {args.service} service"
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    unaudited = len(pins) - sum(1 for d in dependencies if "skip_reason" not in d)
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed release"
            print(
                f"VULNERABLE {dependency['name']}=={dependency['version']}: {vuln['id']} (fixed in {fixed})"
            )
    audited = len(pins) - unaudited
    print(f"pip-audit: {audited} of {len(pins)} pins audited against {source}; {len(vulnerable)} vulnerable")
    if vulnerable:
        return 1
    if unaudited:
        reason = report.get("error") or "the vulnerability data could not be reached"
        print(f"WARNING: {unaudited} pins not audited ({reason}).", file=sys.stderr)
        if args.require_data:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
