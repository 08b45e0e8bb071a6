"""The one place the recruiting side calls the ATS engine: reading a job description into requirements,
and scoring a resume against a job's effective requirements. Swapping the engine changes only this file."""

from __future__ import annotations

import json
import uuid
from functools import lru_cache
from typing import Any

from shortlist.ats.engine.errors import AtsError
from shortlist.ats.engine.files import Limits, sniff
from shortlist.ats.engine.matching import (
    JobRequirements,
    build_profile,
    experience_years,
    extract_requirements,
    parse_job,
)
from shortlist.ats.engine.matching import score as score_profile
from shortlist.ats.engine.results import MatchResult
from shortlist.ats.engine.skills import get_taxonomy
from shortlist.ats.exceptions import NoTextFound, ats_problems, problem_for
from shortlist.ats.sandbox import parse_file_sandboxed

# Postings whose read requirements stay in memory: a worker scores a few jobs' applications at a time.
REQUIREMENTS_CACHE_SIZE = 256

EXTRACTED_FIELDS = ("required_skills", "preferred_skills", "years", "seniority", "education", "alternatives")


def extract(title: str, description: str) -> dict[str, Any]:
    """What the engine reads from a posting: skills required and preferred, years, seniority, education."""
    posting = parse_job({"title": title, "description": description})
    return {
        "required_skills": posting.required_skills,
        "preferred_skills": posting.preferred_skills,
        "years": posting.years,
        "seniority": posting.seniority,
        "education": posting.education,
        "alternatives": posting.alternatives,
    }


def canonical_skill(name: str) -> str | None:
    """The engine's name for a skill ("postgres" → "PostgreSQL"), or None when it does not know it."""
    skill = get_taxonomy().lookup(name)
    return skill.name if skill is not None else None


def _job_document(title: str, requirements: dict[str, Any]) -> dict[str, Any]:
    """The effective requirements written as a posting the engine reads back to exactly these requirements
    (the recruiter's corrections, not the original prose, decide what is asked)."""
    required = [str(s) for s in requirements.get("required_skills") or []]
    preferred = [str(s) for s in requirements.get("preferred_skills") or []]
    grouped: set[str] = set()
    lines = ["Requirements:"]
    for group in requirements.get("alternatives") or []:
        members = [str(g) for g in group if g in required and g not in grouped]
        if len(members) > 1:
            lines.append(" or ".join(members))
            grouped.update(members)
    lines += [name for name in required if name not in grouped]
    if requirements.get("years"):
        lines.append(f"{float(requirements['years']):g}+ years of professional experience")
    if requirements.get("education"):
        lines.append(str(requirements["education"]))
    if preferred:
        lines += ["Nice to have:", *preferred]
    return {
        "title": title,
        "experience": str(requirements.get("seniority") or ""),
        "description": "\n".join(lines),
    }


@lru_cache(maxsize=REQUIREMENTS_CACHE_SIZE)
def _read_job(posting_id: uuid.UUID | None, document: str) -> JobRequirements:
    """The engine's reading of one job document, kept per (posting, document). The key is the document
    itself, so a recruiter's correction makes a new key and a stale reading is never served. Callers share
    the reading across threads: the engine only reads it."""
    return extract_requirements(json.loads(document))


def job_requirements(
    title: str, requirements: dict[str, Any], posting_id: uuid.UUID | None = None
) -> JobRequirements:
    """A job's effective requirements read by the engine, once per posting and version of them."""
    document = json.dumps(_job_document(title, requirements), sort_keys=True, ensure_ascii=False)
    return _read_job(posting_id, document)


def requirements_cache_info() -> Any:
    """Hits and misses of the per-posting requirements cache (functools' CacheInfo)."""
    return _read_job.cache_info()


def clear_requirements_cache() -> None:
    _read_job.cache_clear()


def score(
    resume: dict[str, Any], title: str, requirements: dict[str, Any], posting_id: uuid.UUID | None = None
) -> MatchResult:
    """The resume scored against the job's effective requirements; the job is read once per posting
    (and again only when its requirements change), the resume once per call."""
    return score_profile(build_profile(resume), job_requirements(title, requirements, posting_id))


def years_of_experience(resume: dict[str, Any]) -> float:
    return experience_years(resume)


def check_file(data: bytes, max_bytes: int) -> str:
    """The file's type from its bytes ("pdf", "docx", "txt"); raises the engine's problem otherwise.
    Cheap and parser-free: safe in the request."""
    with ats_problems():
        return sniff(data, Limits(max_bytes=max_bytes))


def parse_file(data: bytes, *, max_bytes: int, timeout: float) -> dict[str, Any]:
    """A resume file read into a JSON Resume document, in the limited child process (worker only)."""
    parsed = parse_file_sandboxed(
        data, timeout=timeout, limits=Limits(max_bytes=max_bytes), cross_check=False
    )
    if not parsed.layout.has_text_layer or not parsed.resume:
        raise NoTextFound("No resume text was found in the file (a scan or an image needs OCR first).")
    return parsed.resume


def failure_of(exc: Exception) -> tuple[str, str, str, int] | None:
    """(detail, slug, title, status) of an engine error, or None for anything else."""
    if isinstance(exc, AtsError):
        problem = problem_for(exc)
        return problem.detail, problem.slug, problem.title, problem.status
    return None
