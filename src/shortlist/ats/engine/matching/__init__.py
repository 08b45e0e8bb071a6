"""Job matching that ranks like a recruiter.

    requirements = extract_requirements(job_text_or_job_document)      # once per job
    profile = build_profile(parsed_resume_json, lines=None)            # once per resume; keep it
    result = score(profile, requirements)                               # MatchResult with explanation
    ranked = rank(requirements, [profile, ...], top=50)                 # fast: [Ranked(index, score)]
    best = top_matches(requirements, [profile, ...], top=20)            # [(index, MatchResult)]

For one resume against one job: ``match(resume, job)``; the job alone: ``parse_job(job)``.
See docs/ats.md ("Job matching") for the parts, weights and the evaluation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from shortlist.ats.engine.matching.candidate import CandidateProfile, build_profile
from shortlist.ats.engine.matching.requirements import JobRequirements, Requirement, extract_requirements
from shortlist.ats.engine.matching.scoring import WEIGHTS, Ranked, match_resume, rank, score, top_matches
from shortlist.ats.engine.results import JobPosting, MatchResult, TextLine

__all__ = [
    "WEIGHTS",
    "CandidateProfile",
    "JobRequirements",
    "Ranked",
    "Requirement",
    "build_profile",
    "experience_years",
    "extract_requirements",
    "match",
    "match_resume",
    "parse_job",
    "rank",
    "score",
    "top_matches",
]


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
