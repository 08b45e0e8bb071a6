"""Pydantic result models returned by the public API (stable shapes for the service and CLI)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# not_applicable: the check does not apply to this file (a PDF-only check on DOCX/TXT): left out of the score.
Status = Literal["pass", "warn", "fail", "not_applicable"]
Verdict = Literal["resume", "not_a_resume"]
FileType = Literal["pdf", "docx", "txt"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Model):
    """Where something was seen: 1-based page and line of the reading-order text."""

    page: int | None = None
    line: int | None = None
    text: str
    section: str | None = None


class FontUse(_Model):
    name: str
    size: float
    chars: int


class TextLine(_Model):
    """One line of the document in reading order (the unit evidence points to)."""

    index: int
    page: int
    text: str
    column: int = 0
    size: float = 0.0
    bold: bool = False
    section: str | None = None
    in_table: bool = False
    in_margin: bool = False


class LayoutInfo(_Model):
    pages: int = 0
    columns: list[int] = Field(default_factory=list, description="detected columns per page")
    fonts: list[FontUse] = Field(default_factory=list)
    has_text_layer: bool = True
    image_count: int = 0
    table_cells: int = 0
    text_boxes: int = 0
    header_footer_lines: int = 0
    cid_glyphs: int = 0
    private_use_chars: int = 0
    extractor_similarity: float | None = None
    reading_order_reordered: bool = False
    headings: list[str] = Field(default_factory=list)
    unknown_headings: list[str] = Field(default_factory=list)


class ParseResult(_Model):
    file_type: FileType
    size_bytes: int
    resume: dict[str, Any]
    confidence: dict[str, float] = Field(description="JSON-pointer-like path -> 0..1")
    text: str
    lines: list[TextLine]
    layout: LayoutInfo
    warnings: list[str] = Field(default_factory=list)


class Check(_Model):
    id: str
    name: str
    status: Status
    weight: float = Field(description="maximum points this check can give")
    points: float
    message: str
    fix: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class BulletFinding(_Model):
    rule: str
    message: str
    suggestion: str


class BulletFeedback(_Model):
    text: str
    evidence: Evidence
    has_impact: bool
    score: int = Field(ge=0, le=100)
    findings: list[BulletFinding]


class BulletSummary(_Model):
    count: int
    with_impact: int
    strong_verb_first: int
    average_score: float
    rule_counts: dict[str, int]
    bullets: list[BulletFeedback]


class Report(_Model):
    score: int = Field(ge=0, le=100)
    verdict: Verdict = Field(
        default="resume",
        description="not_a_resume when the document has no name, dated experience or education, or contact "
        "details (a job advertisement, a letter); the score is then 0",
    )
    verdict_message: str | None = None
    checks: list[Check]
    bullets: BulletSummary
    breakdown: str = Field(description="how the score was built, one check per line")


class JobPosting(_Model):
    title: str | None = None
    seniority: str | None = None
    years: float | None = None
    required_skills: list[str] = Field(default_factory=list)
    preferred_skills: list[str] = Field(default_factory=list)
    alternatives: list[list[str]] = Field(
        default_factory=list,
        description="skills any one of which satisfies the requirement ('Kafka or RabbitMQ')",
    )
    education: str | None = None
    keywords: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list, description="spoken languages the job asks for")
    remote: Literal["remote", "hybrid", "onsite"] | None = None
    location: str | None = None


class SkillHit(_Model):
    skill: str
    category: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class MatchPart(_Model):
    id: str
    name: str
    weight: float
    score: float = Field(ge=0, le=1, description="fraction of the weight earned")
    points: float
    detail: str


class RequirementMatch(_Model):
    """How one requirement of the job was met: by which skill, on which resume lines, for what credit."""

    requirement: str = Field(description="the skill asked, or its alternatives joined by 'or'")
    kind: Literal["required", "preferred"]
    job_line: str = Field(description="the line of the posting that asks it")
    status: Literal["met", "implied", "adjacent", "related", "missing"]
    credit: float = Field(ge=0, le=1)
    weight: float = Field(default=1.0, description="its weight in its part (generic asks weigh less)")
    skill: str | None = Field(default=None, description="the resume's skill that earned the credit")
    detail: str
    evidence: list[Evidence] = Field(default_factory=list)


class MatchResult(_Model):
    score: int = Field(ge=0, le=100)
    job: JobPosting
    parts: list[MatchPart]
    matched_required: list[SkillHit]
    missing_required: list[str]
    matched_preferred: list[SkillHit]
    missing_preferred: list[str]
    suggestions: list[str]
    requirements: list[RequirementMatch] = Field(
        default_factory=list, description="every skill requirement with its match and evidence"
    )
    years: float | None = Field(default=None, description="years of dated work experience")
    seniority: str | None = Field(default=None, description="the level the resume reads as")


class AreaResult(_Model):
    id: str
    name: str
    weight: float
    evidenced: bool
    coverage: float = Field(ge=0, le=1)
    found: list[SkillHit]
    missing: list[str]
    advice: str


class ProfileResult(_Model):
    profile: str
    name: str
    score: int = Field(ge=0, le=100)
    areas: list[AreaResult]
    evidenced: list[str]
    lacking: list[str]
