"""Readiness failures, as problem documents."""

from __future__ import annotations

from collections.abc import Mapping

from shortlist.kit.problems import ServiceUnavailable


class NotReady(ServiceUnavailable):
    """One or more dependencies did not answer; `checks` says which (and how each failed)."""

    slug = "not-ready"
    title = "Not ready"

    def __init__(self, checks: Mapping[str, str]) -> None:
        failing = [name for name, state in checks.items() if state != "ok"]
        super().__init__(
            f"Not ready: {', '.join(failing)} did not answer.",
            headers={"Cache-Control": "no-store"},
            extensions={"checks": dict(checks), "failing": failing},
        )
