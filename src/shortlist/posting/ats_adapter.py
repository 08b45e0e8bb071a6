"""The one place the recruiting side calls the ATS engine: reading a job description into requirements,
and scoring a resume against a job's effective requirements. Swapping the engine changes only this file."""

from __future__ import annotations

from typing import Any

from shortlist.ats.exceptions import AtsError
from shortlist.ats.files import Limits, sniff
from shortlist.ats.match import experience_years, match, parse_job
from shortlist.ats.problems import NoTextFound, ats_problems, problem_for
from shortlist.ats.sandbox import parse_file_sandboxed
from shortlist.ats.schemas import MatchResult
from shortlist.ats.skills import get_taxonomy

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


def score(resume: dict[str, Any], title: str, requirements: dict[str, Any]) -> MatchResult:
    return match(resume, _job_document(title, requirements))


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
