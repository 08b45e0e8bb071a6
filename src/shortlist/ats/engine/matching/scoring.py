"""Score a candidate against a job's requirements, with the explanation, and rank many candidates fast.

The score is a weighted mean over the parts the job asks for (a part the job does not ask, such as a
degree, drops out and the others are re-weighted), and each part is a share of what the job asks:
required skills met, years and level against those asked, and so on. A long posting therefore does not
lower anyone's score, and one candidate's scores for different jobs compare.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from shortlist.ats.engine.matching.candidate import CandidateProfile, build_profile, use_factor
from shortlist.ats.engine.matching.relations import (
    ADJACENT_CREDIT,
    IMPLIED_CREDIT,
    PARENT_CREDIT,
    adjacent_to,
    implied_by,
    parents_of,
)
from shortlist.ats.engine.matching.requirements import (
    LEVEL_NAMES,
    JobRequirements,
    Requirement,
    extract_requirements,
    title_similarity,
)
from shortlist.ats.engine.matching.terms import term_coverage
from shortlist.ats.engine.results import (
    Evidence,
    MatchPart,
    MatchResult,
    ParseResult,
    RequirementMatch,
    SkillHit,
    TextLine,
)
from shortlist.ats.engine.skills import get_taxonomy

WEIGHTS = {
    "required": 45.0,
    "preferred": 10.0,
    "seniority": 20.0,
    "title": 15.0,
    "education": 5.0,
    "languages": 5.0,
    "location": 3.0,
    "keywords": 10.0,
}
PART_NAMES = {
    "required": "Required skills covered",
    "preferred": "Preferred skills covered",
    "seniority": "Seniority and years",
    "title": "Job title alignment",
    "education": "Education",
    "languages": "Spoken languages",
    "location": "Location",
    "keywords": "Other job terms (BM25-weighted)",
}
Status = Literal["met", "implied", "adjacent", "related", "missing"]


@dataclass(frozen=True)
class _Unit:
    """A requirement prepared once per job: its skills and every related skill that can stand in."""

    requirement: Requirement
    direct: tuple[str, ...]
    implied: tuple[tuple[str, str], ...]  # (child that implies, skill asked)
    adjacent: tuple[tuple[str, str], ...]
    parents: tuple[tuple[str, str], ...]
    stand_ins: tuple[tuple[str, float], ...]  # every related skill with its credit multiplier, for ranking


@dataclass(frozen=True)
class Plan:
    """A job's requirements prepared for scoring many candidates (build with ``plan(requirements)``)."""

    requirements: JobRequirements
    required: tuple[_Unit, ...]
    preferred: tuple[_Unit, ...]


def plan(requirements: JobRequirements) -> Plan:
    implied, adjacent = implied_by(), adjacent_to()

    def unit(req: Requirement) -> _Unit:
        return _Unit(
            requirement=req,
            direct=req.skills,
            implied=tuple((c, s) for s in req.skills for c in sorted(implied.get(s, ()))),
            adjacent=tuple((a, s) for s in req.skills for a in sorted(adjacent.get(s, ()))),
            parents=tuple((p, s) for s in req.skills for p in parents_of(s)),
            stand_ins=tuple(
                [(c, IMPLIED_CREDIT) for s in req.skills for c in sorted(implied.get(s, ()))]
                + [(a, ADJACENT_CREDIT) for s in req.skills for a in sorted(adjacent.get(s, ()))]
                + [(p, PARENT_CREDIT) for s in req.skills for p in parents_of(s)]
            ),
        )

    return Plan(
        requirements, tuple(map(unit, requirements.required)), tuple(map(unit, requirements.preferred))
    )


def _unit_credit(unit: _Unit, cand: CandidateProfile) -> tuple[float, Status, str | None, str]:
    """(credit, status, the candidate's skill that earned it, the skill asked)."""
    skills, today = cand.skills, cand.today
    best: tuple[float, Status, str | None, str] = (0.0, "missing", None, unit.direct[0])
    for name in unit.direct:
        use = skills.get(name)
        if use is not None:
            credit = use_factor(use, today)
            if credit > best[0]:
                best = (credit, "met", name, name)
    if best[0] >= 1.0:
        return best
    pools: tuple[tuple[tuple[tuple[str, str], ...], float, Status], ...] = (
        (unit.implied, IMPLIED_CREDIT, "implied"),
        (unit.adjacent, ADJACENT_CREDIT, "adjacent"),
        (unit.parents, PARENT_CREDIT, "related"),
    )
    for pool, factor, status in pools:
        for have, asked in pool:
            use = skills.get(have)
            if use is not None:
                credit = factor * use_factor(use, today)
                if credit > best[0]:
                    # Used by name and, more recently, through a child ("Python" then "Airflow"): still met.
                    kept: Status = "met" if best[1] == "met" else status
                    best = (credit, kept, best[2] if kept == "met" else have, asked)
    return best


def _experience(cand: CandidateProfile, job: JobRequirements) -> float | None:
    scores = []
    if job.years:
        ratio = cand.years / job.years
        scores.append(1.0 if ratio >= 1 else ratio**1.5)
    job_level = job.level
    if job_level is None and job.years:
        job_level = 1 if job.years < 2 else 2 if job.years < 5 else 3
    if job_level is not None and cand.level is not None:
        gap = cand.level - job_level
        scores.append(max(0.0, 1.0 - 0.45 * -gap) if gap < 0 else max(0.4, 1.0 - 0.2 * max(0, gap - 1)))
    return sum(scores) / len(scores) if scores else None


def _title(cand: CandidateProfile, job: JobRequirements) -> float | None:
    if not job.title_words:
        return None
    # The current title counts fully, older ones a little less.
    return max(
        (
            title_similarity(job.title_words, words) * (1.0 if i < 2 else 0.8)
            for i, (_, words) in enumerate(cand.titles)
        ),
        default=0.0,
    )


def _languages(cand: CandidateProfile, job: JobRequirements) -> float | None:
    if not job.languages:
        return None
    have = sum(
        1.0 if lang in cand.languages else 0.5 if lang.lower() in cand.text else 0.0 for lang in job.languages
    )
    return have / len(job.languages)


def _location(cand: CandidateProfile, job: JobRequirements) -> float | None:
    if job.remote == "remote" or not job.location:
        return None
    place = [w for w in job.location.lower().replace(",", " ").split() if len(w) > 2]
    if not cand.location:
        return 0.5
    return 1.0 if any(w in cand.location for w in place) else 0.2


def _education(cand: CandidateProfile, job: JobRequirements) -> float | None:
    if job.degree_level is None:
        return None
    if cand.degree_level is None:
        return 0.3
    return 1.0 if cand.degree_level >= job.degree_level else 0.6


def _unit_value(unit: _Unit, factors: dict[str, float]) -> float:
    """``_unit_credit``'s credit alone, from the profile's precomputed use factors (the ranking path)."""
    best = max(factors.get(name, 0.0) for name in unit.direct)
    if best >= 1.0:
        return best
    for name, multiplier in unit.stand_ins:
        factor = factors.get(name)
        if factor is not None and factor * multiplier > best:
            best = factor * multiplier
    return best


def _coverage(units: tuple[_Unit, ...], cand: CandidateProfile) -> float | None:
    if not units:
        return None
    weight = sum(u.requirement.weight for u in units)
    factors = cand.factors
    return sum(u.requirement.weight * _unit_value(u, factors) for u in units) / weight


def part_scores(prepared: Plan, cand: CandidateProfile) -> dict[str, float | None]:
    """Each part's 0..1 score, or None for a part the job does not ask."""
    job = prepared.requirements
    return {
        "required": _coverage(prepared.required, cand),
        "preferred": _coverage(prepared.preferred, cand),
        "seniority": _experience(cand, job),
        "title": _title(cand, job),
        "education": _education(cand, job),
        "languages": _languages(cand, job),
        "location": _location(cand, job),
        "keywords": term_coverage(job.terms, cand.term_counts, cand.length)[0] if job.terms else None,
    }


def total(parts: dict[str, float | None]) -> float:
    """Weighted mean over the parts asked, 0..100."""
    asked = [(WEIGHTS[k], v) for k, v in parts.items() if v is not None]
    weight = sum(w for w, _ in asked)
    return 100.0 * sum(w * v for w, v in asked) / weight if weight else 0.0


@dataclass(frozen=True)
class Ranked:
    index: int  # position in the list of candidates given
    score: float


def rank(
    requirements: JobRequirements, candidates: list[CandidateProfile], top: int | None = None
) -> list[Ranked]:
    """Candidates by score, best first (ties keep the given order). Explain any of them with ``score``."""
    prepared = plan(requirements)
    scored = [Ranked(i, total(part_scores(prepared, cand))) for i, cand in enumerate(candidates)]
    scored.sort(key=lambda r: -r.score)
    return scored[:top] if top is not None else scored


def top_matches(
    requirements: JobRequirements, candidates: list[CandidateProfile], top: int = 20
) -> list[tuple[int, MatchResult]]:
    """The best ``top`` candidates, each with its full explanation: ``rank`` then ``score`` the few shown."""
    return [(r.index, score(candidates[r.index], requirements)) for r in rank(requirements, candidates, top)]


def _category(name: str) -> str | None:
    skill = get_taxonomy().lookup(name)
    return skill.category if skill is not None else None


def _evidence(cand: CandidateProfile, name: str | None) -> list[Evidence]:
    if name is None or name not in cand.skills:
        return []
    return [
        Evidence(page=s.page, line=s.line, text=s.text, section=s.section) for s in cand.skills[name].seen[:3]
    ]


def _use_detail(cand: CandidateProfile, name: str) -> str:
    use = cand.skills[name]
    if use.last_used is None:
        return "listed in skills" if all(s.section == "skills" for s in use.seen) else "used, undated"
    last = use.last_used // 12
    when = "current" if use.last_used >= cand.today else f"last used {last}"
    return f"{use.months / 12:.1f} years in dated roles, {when}"


def _explain(unit: _Unit, cand: CandidateProfile, kind: Literal["required", "preferred"]) -> RequirementMatch:
    credit, status, have, asked = _unit_credit(unit, cand)
    if have is None:
        detail = "not found in the resume"
    elif status == "met":
        # Name the skill only when it is one of several alternatives.
        use = _use_detail(cand, have)
        detail = use if len(unit.direct) == 1 else f"{have}: {use}"
    elif status == "implied":
        detail = f"{have} implies {asked} ({_use_detail(cand, have)})"
    elif status == "adjacent":
        detail = f"{have} is adjacent to {asked}: transferable, not the same ({_use_detail(cand, have)})"
    else:
        detail = f"{have} is related to {asked} (the broader skill), not {asked} itself"
    return RequirementMatch(
        requirement=unit.requirement.label,
        kind=kind,
        job_line=unit.requirement.line,
        status=status,
        credit=round(credit, 3),
        weight=unit.requirement.weight,
        skill=have,
        detail=detail,
        evidence=_evidence(cand, have),
    )


def _detail(pid: str, cand: CandidateProfile, job: JobRequirements, checks: list[RequirementMatch]) -> str:
    if pid in ("required", "preferred"):
        mine = [c for c in checks if c.kind == pid]
        if not mine:
            return f"no {pid} skills stated"
        full = sum(c.status in ("met", "implied") for c in mine)
        part = sum(c.status in ("adjacent", "related") for c in mine)
        return f"{full} of {len(mine)} {pid} skills evidenced" + (
            f", {part} partly (adjacent/related)" if part else ""
        )
    if pid == "seniority":
        if not job.years and job.level is None:
            return "no years or level asked"
        text = f"{cand.years:g} years of experience" + (f" vs {job.years:g} asked" if job.years else "")
        reads = LEVEL_NAMES.get(cand.level, "unstated") if cand.level is not None else "unstated"
        return (
            text
            + (f"; job is {job.seniority}" if job.seniority else "")
            + f"; resume reads {reads} (from {cand.level_from})"
        )
    if pid == "title":
        if not job.title_words:
            return "job title not stated"
        best = max(cand.titles, key=lambda t: title_similarity(job.title_words, t[1]), default=None)
        return (
            f"closest title '{best[0]}' vs '{job.title}'"
            if best
            else f"no titles to compare with '{job.title}'"
        )
    if pid == "education":
        if job.degree_level is None:
            return "no degree requirement stated"
        return f"asks: {job.degree_line}; resume: {cand.degree_text or 'no degree stated'}"
    if pid == "languages":
        if not job.languages:
            return "no spoken language asked"
        have = [lang for lang in job.languages if lang in cand.languages]
        return f"asks {', '.join(job.languages)}; resume lists {', '.join(have) or 'none of them'}"
    if pid == "location":
        if job.remote == "remote" or not job.location:
            return "remote or no location stated"
        return f"job in {job.location} ({job.remote or 'on site'}); resume: {cand.location or 'no location stated'}"
    if not job.terms:
        return "no other terms"
    _, covered = term_coverage(job.terms, cand.term_counts, cand.length)
    return f"{len(covered)} of {len(job.terms)} weighted job terms appear in the resume"


def _suggestions(cand: CandidateProfile, job: JobRequirements, checks: list[RequirementMatch]) -> list[str]:
    out = []
    for c in checks:
        if c.kind == "required" and c.status == "missing":
            out.append(
                f"Required skill '{c.requirement}' is not evidenced: if you have used it, add a bullet "
                "that shows where and with what result."
            )
        elif c.kind == "required" and c.status in ("adjacent", "related"):
            out.append(
                f"'{c.requirement}' is asked; you show {c.skill}. Name {c.requirement} if you have used it."
            )
    out = out[:8]
    out += [
        f"Nice-to-have '{c.requirement}' is missing: mention it if you have real experience with it."
        for c in checks
        if c.kind == "preferred" and c.status == "missing"
    ][:4]
    if job.years and cand.years < job.years:
        out.append(
            f"The job asks for {job.years:g}+ years; your dated roles add up to {cand.years:g}. "
            "Check that every relevant role has dates."
        )
    if job.title and job.title_words and (_title(cand, job) or 0.0) < 0.5:
        out.append(
            f"No past title resembles '{job.title}': use the employer's wording in your headline if it fits."
        )
    if job.degree_level is not None and cand.degree_level is None:
        out.append("The job states a degree requirement: list your degree with its type and field.")
    return out


Candidate = CandidateProfile | ParseResult | dict[str, Any]


def as_profile(candidate: Candidate) -> CandidateProfile:
    """A profile as is; a parse result or a JSON Resume read into one (for ranking, build profiles once)."""
    if isinstance(candidate, CandidateProfile):
        return candidate
    if isinstance(candidate, ParseResult):
        return build_profile(candidate.resume, candidate.lines)
    return build_profile(candidate)


def score(candidate: Candidate, requirements: JobRequirements) -> MatchResult:
    """The score with every part explained: which requirement matched which resume line, what is missing.

    ``candidate`` is a ``CandidateProfile``, or a ``ParseResult`` / JSON Resume read on the spot."""
    candidate = as_profile(candidate)
    prepared = plan(requirements)
    parts = part_scores(prepared, candidate)
    asked_weight = sum(WEIGHTS[k] for k, v in parts.items() if v is not None)
    checks = [_explain(u, candidate, "required") for u in prepared.required]
    checks += [_explain(u, candidate, "preferred") for u in prepared.preferred]
    out_parts = []
    for pid, value in parts.items():
        weight = 100.0 * WEIGHTS[pid] / asked_weight if value is not None and asked_weight else 0.0
        earned = value if value is not None else 1.0
        out_parts.append(
            MatchPart(
                id=pid,
                name=PART_NAMES[pid],
                weight=round(weight, 2),
                score=round(max(0.0, min(1.0, earned)), 3),
                points=round(weight * max(0.0, min(1.0, earned)), 2),
                detail=_detail(pid, candidate, requirements, checks),
            )
        )

    def hits(kind: str) -> list[SkillHit]:
        return [
            SkillHit(skill=skill, category=_category(skill), evidence=c.evidence)
            for c in checks
            if c.kind == kind and c.status in ("met", "implied")
            for skill in [c.requirement if c.status == "implied" else (c.skill or c.requirement)]
        ]

    def missing(kind: str) -> list[str]:
        return [
            name
            for c in checks
            if c.kind == kind and c.status not in ("met", "implied")
            for name in c.requirement.split(" or ")
        ]

    return MatchResult(
        score=max(0, min(100, round(total(parts)))),
        job=requirements.posting(),
        parts=out_parts,
        matched_required=hits("required"),
        missing_required=missing("required"),
        matched_preferred=hits("preferred"),
        missing_preferred=missing("preferred"),
        suggestions=_suggestions(candidate, requirements, checks),
        requirements=checks,
        years=candidate.years,
        seniority=LEVEL_NAMES.get(candidate.level) if candidate.level is not None else None,
    )


def match_resume(
    resume: dict[str, Any],
    job: str | dict[str, Any],
    lines: list[TextLine] | None = None,
    today: dt.date | None = None,
) -> MatchResult:
    """One resume against one job, from their raw forms."""
    return score(build_profile(resume, lines, today), extract_requirements(job))
