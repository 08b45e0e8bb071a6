"""Request and response models of the ATS endpoints, and the small pure helpers they use."""

from __future__ import annotations

import json
import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shortlist.ats.files import Limits
from shortlist.ats.match import match
from shortlist.ats.parser import parse_bytes
from shortlist.ats.problems import UnknownProfile, UnreadableJob
from shortlist.ats.profiles import UnknownProfileError, load_profiles, score_profile
from shortlist.ats.report import build_report
from shortlist.ats.schemas import FileType, LayoutInfo, MatchResult, ParseResult, ProfileResult, Report

MAX_JOB_CHARS = 50_000


class ReportOut(Report):
    """The compatibility report, with the file's layout facts and the optional match and profile."""

    file_type: FileType
    layout: LayoutInfo
    warnings: list[str] = Field(default_factory=list)
    match: MatchResult | None = None
    profile: ProfileResult | None = None


class MatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resume_id: uuid.UUID | None = Field(default=None, description="A stored resume of yours.")
    resume: dict[str, Any] | None = Field(default=None, description="Or a JSON Resume document inline.")
    job: str | dict[str, Any] = Field(
        description="The posting as text, or a JSON Resume job document (title, skills, qualifications, ...)."
    )

    @model_validator(mode="after")
    def _one_resume(self) -> MatchIn:
        if (self.resume_id is None) == (self.resume is None):
            raise ValueError("Give exactly one of `resume_id` and `resume`.")
        if isinstance(self.job, str) and not self.job.strip():
            raise ValueError("`job` is empty.")
        if len(json.dumps(self.job)) > MAX_JOB_CHARS:
            raise ValueError(f"`job` is longer than {MAX_JOB_CHARS} characters.")
        return self


class AreaSummary(BaseModel):
    id: str
    name: str
    weight: float
    skills: list[str]


class ProfileSummary(BaseModel):
    id: str
    name: str
    areas: list[AreaSummary]


def profile_summaries() -> list[ProfileSummary]:
    return [
        ProfileSummary(
            id=profile_id,
            name=profile["name"],
            areas=[
                AreaSummary(
                    id=area["id"],
                    name=area["name"],
                    weight=float(area.get("weight", 1)),
                    skills=list(area.get("skills", [])),
                )
                for area in profile["areas"]
            ],
        )
        for profile_id, profile in sorted(load_profiles().items())
    ]


def job_from_form(job: str | None) -> str | dict[str, Any] | None:
    """A job form field: JSON when it is a JSON object (a JSON Resume job document), else posting text."""
    if job is None or not job.strip():
        return None
    text = job.strip()
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UnreadableJob(f"`job` starts like JSON but is not valid JSON: {exc.msg}.") from exc
        if isinstance(value, dict):
            return value
    return text


def title_from(content: dict[str, Any]) -> str:
    basics = content.get("basics") or {}
    for key in ("name", "label"):
        value = basics.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:200]
    return "Imported resume"


def profile_of(resume: dict[str, Any], profile: str, parsed: ParseResult | None = None) -> ProfileResult:
    try:
        return score_profile(resume, profile, parsed.lines if parsed else None)
    except UnknownProfileError as exc:
        known = ", ".join(sorted(load_profiles()))
        raise UnknownProfile(f"There is no profile {profile!r}; known: {known}.") from exc


def report_of(parsed: ParseResult, job: str | dict[str, Any] | None, profile: str | None) -> ReportOut:
    """The report on a parsed file, with the match against `job` and the `profile` score when given."""
    report = build_report(parsed)
    matched = match(parsed.resume, job, parsed.lines) if job is not None else None
    scored = profile_of(parsed.resume, profile, parsed) if profile else None
    return ReportOut(
        **report.model_dump(),
        file_type=parsed.file_type,
        layout=parsed.layout,
        warnings=parsed.warnings,
        match=matched,
        profile=scored,
    )


def report_on_rendered_pdf(pdf: bytes, limits: Limits) -> ReportOut:
    """The report on a PDF we rendered ourselves (trusted: parsed without a sandbox). Runs in a render worker."""
    return report_of(parse_bytes(pdf, limits, cross_check=True), None, None)
