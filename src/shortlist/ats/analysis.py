"""One call for the service and the CLI: parse, report, and optionally match a job and score a profile."""

from __future__ import annotations

import threading
from typing import Any

from pydantic import BaseModel, ConfigDict

from shortlist.ats.engine.files import DEFAULT_LIMITS, Limits
from shortlist.ats.engine.matching import match
from shortlist.ats.engine.parser import parse_bytes
from shortlist.ats.engine.profiles import score_profile
from shortlist.ats.engine.report import build_report
from shortlist.ats.engine.results import MatchResult, ParseResult, ProfileResult, Report
from shortlist.ats.sandbox import parse_file_sandboxed


class Analysis(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: int
    parse: ParseResult
    report: Report
    match: MatchResult | None = None
    profile: ProfileResult | None = None


def analyze(
    data: bytes,
    job: str | dict[str, Any] | None = None,
    profile: str | None = None,
    *,
    sandboxed: bool = True,
    limits: Limits = DEFAULT_LIMITS,
    cross_check: bool = True,
    one_shot: bool = False,
) -> Analysis:
    """Parse (in a limited child process unless ``sandboxed=False``), report, and optionally match/profile.

    ``one_shot=True`` forks the calling process once instead of starting the fork server: for a
    single-threaded command that parses one file (``shortlist ats check``); a caller running other threads
    gets the fork server all the same."""
    # Forking a process that runs other threads is unsafe: such callers get the fork server instead.
    if sandboxed and one_shot and threading.active_count() == 1:
        from shortlist.ats.engine.skills import get_taxonomy
        from shortlist.ats.forkserver import _mapped_bytes
        from shortlist.ats.oneshot import parse_file_oneshot

        # Matching needs the taxonomy: load it here while the child parses (a second core does the work).
        warm = get_taxonomy if job is not None or profile else None
        # The child starts at this process's size; give it the headroom a fork-server child has.
        memory_mb = max(1024, (_mapped_bytes() >> 20) + 768)
        parsed = parse_file_oneshot(
            data, memory_mb=memory_mb, limits=limits, cross_check=cross_check, meanwhile=warm
        )
    elif sandboxed:
        parsed = parse_file_sandboxed(data, limits=limits, cross_check=cross_check)
    else:
        parsed = parse_bytes(data, limits, cross_check=cross_check)
    report = build_report(parsed)
    matched = match(parsed.resume, job, parsed.lines) if job is not None else None
    scored = score_profile(parsed.resume, profile, parsed.lines) if profile else None
    return Analysis(score=report.score, parse=parsed, report=report, match=matched, profile=scored)
