"""Match a resume against a job description (plain text or a JSON Resume job document).

The engine lives in ``shortlist.ats.matching``; this module keeps the original entry points.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from shortlist.ats.matching.candidate import build_profile
from shortlist.ats.matching.requirements import extract_requirements
from shortlist.ats.matching.scoring import WEIGHTS, score
from shortlist.ats.schemas import JobPosting, MatchResult, TextLine

__all__ = ["WEIGHTS", "experience_years", "match", "parse_job"]


def parse_job(job: str | dict[str, Any]) -> JobPosting:
    """Title, seniority, years, required vs preferred skills, education, languages, location."""
    return extract_requirements(job).posting()


def experience_years(resume: dict[str, Any], today: dt.date | None = None) -> float:
    """Total years covered by work entries (overlaps counted once)."""
    return build_profile(resume, today=today).years


def match(
    resume: dict[str, Any],
    job: str | dict[str, Any],
    lines: list[TextLine] | None = None,
    today: dt.date | None = None,
) -> MatchResult:
    """Score 0–100 with named parts, each requirement's evidence, and what is missing."""
    return score(build_profile(resume, lines, today), extract_requirements(job))
