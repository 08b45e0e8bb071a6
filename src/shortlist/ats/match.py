"""Match a resume against a job description (plain text or a JSON Resume job document)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

from shortlist.ats.evidence import EvidenceIndex, basics_of, build_index, entries, keywords
from shortlist.ats.schemas import JobPosting, MatchPart, MatchResult, SkillHit, TextLine
from shortlist.ats.sections import fold
from shortlist.ats.skills import get_taxonomy

REQUIRED_HEADINGS = (
    "requirements",
    "required",
    "required skills",
    "must have",
    "must-have",
    "must haves",
    "qualifications",
    "minimum qualifications",
    "what you bring",
    "what you'll bring",
    "what we're looking for",
    "what we are looking for",
    "you have",
    "about you",
    "your profile",
    "who you are",
    "skills",
    "tech stack",
    "our stack",
    "anforderungen",
    "dein profil",
    "ihr profil",
    "was du mitbringst",
    "profil",
    "exigences",
    "profil recherché",
    "votre profil",
    "requisitos",
    "perfil",
    "requisiti",
    "il tuo profilo",
    "competências",
    "o que esperamos",
)
PREFERRED_HEADINGS = (
    "nice to have",
    "nice-to-have",
    "nice to haves",
    "preferred",
    "preferred qualifications",
    "bonus",
    "bonus points",
    "plus",
    "pluses",
    "it's a plus",
    "extra credit",
    "good to have",
    "wünschenswert",
    "pluspunkte",
    "von vorteil",
    "atouts",
    "un plus",
    "serait un plus",
    "deseable",
    "valorable",
    "se valorará",
    "diferenciais",
    "desejável",
    "gradito",
    "costituisce un plus",
    "preferibile",
)
OTHER_HEADINGS = (
    "responsibilities",
    "what you'll do",
    "what you will do",
    "the role",
    "about the role",
    "about us",
    "benefits",
    "what we offer",
    "perks",
    "aufgaben",
    "deine aufgaben",
    "missions",
    "vos missions",
    "responsabilidades",
    "funções",
    "responsabilità",
    "about the job",
    "the team",
    "how to apply",
)
_PREF_INLINE = re.compile(
    r"nice to have|is a plus|are a plus|a "
    r"plus\b|bonus|preferred|ideally|desirable|wünschenswert|von vorteil|un plus|deseable|gradito",
    re.I,
)

SENIORITY = {
    "intern": 0,
    "internship": 0,
    "trainee": 0,
    "werkstudent": 0,
    "stagiaire": 0,
    "junior": 1,
    "graduate": 1,
    "entry": 1,
    "associate": 1,
    "mid": 2,
    "mid-level": 2,
    "intermediate": 2,
    "senior": 3,
    "sr": 3,
    "lead": 4,
    "staff": 4,
    "principal": 5,
    "head": 5,
    "manager": 4,
    "director": 6,
    "vp": 7,
    "chief": 8,
    "cto": 8,
}
_LEVEL_NAMES = {
    0: "intern",
    1: "junior",
    2: "mid-level",
    3: "senior",
    4: "lead/staff",
    5: "principal",
    6: "director",
    7: "vp",
    8: "executive",
}
_DEGREE_LEVEL = [
    (re.compile(r"\b(ph\.?\s?d|doctorate|doctor of|dottorato|doutorado|promotion)\b", re.I), 3),
    (
        re.compile(
            r"\b(master|m\.?\s?sc|msc|m\.?\s?eng|mba|m\.?\s?a\.|máster|mestrado|laurea magistrale|diplom)\b",
            re.I,
        ),
        2,
    ),
    (
        re.compile(
            r"\b(bachelor|b\.?\s?sc|bsc|b\.?\s?eng|b\.?\s?a\.|b\.?\s?s\.|licence|licenciatura|grado|laurea|undergraduate|degree)\b",
            re.I,
        ),
        1,
    ),
]
_YEARS = re.compile(
    r"(\d{1,2})\s*\+?\s*(?:(?:-|–|to|bis)\s*\d{1,2}\s*)?\+?\s*(?:years?|yrs?|jahre?n?|ans|años|anos|anni)",
    re.I,
)
_ALT_SEP = re.compile(r"^\s*(?:\(|,?\s*(?:or|oder|ou|o|/|e\.g\.|such as|like|z\.b\.)\s*\(?)\s*$", re.I)
WEIGHTS = {
    "required": 40.0,
    "preferred": 15.0,
    "title": 10.0,
    "seniority": 15.0,
    "education": 10.0,
    "keywords": 10.0,
}


def _heading_kind(line: str) -> str | None:
    key = fold(line.strip().rstrip(":").lstrip("#").strip())
    if not key or len(key) > 50:
        return None
    for kind, phrases in (
        ("preferred", PREFERRED_HEADINGS),
        ("required", REQUIRED_HEADINGS),
        ("other", OTHER_HEADINGS),
    ):
        if key in {fold(p) for p in phrases}:
            return kind
    return None


def _level(text: str) -> int | None:
    words = re.findall(r"[a-z][a-z\-]*", text.lower())
    levels = [SENIORITY[w] for w in words if w in SENIORITY]
    return max(levels) if levels else None


def _degree_level(text: str) -> int | None:
    for rx, level in _DEGREE_LEVEL:
        if rx.search(text):
            return level
    return None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def job_text(job: str | dict[str, Any]) -> str:
    if isinstance(job, str):
        return job
    parts = [str(job.get("title", "")), str(job.get("experience", "")), str(job.get("description", ""))]
    parts += ["Responsibilities:"] + [str(x) for x in _list(job.get("responsibilities"))]
    parts += ["Requirements:"] + [str(x) for x in _list(job.get("qualifications"))]
    for skill in entries(job, "skills"):
        parts.append(", ".join([str(skill.get("name", "")), *map(str, _list(skill.get("keywords")))]))
    return "\n".join(p for p in parts if p)


def parse_job(job: str | dict[str, Any]) -> JobPosting:
    """Title, seniority, years, required vs preferred skills, education from a job posting."""
    taxonomy = get_taxonomy()
    text = job_text(job)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    title = str(job.get("title")) if isinstance(job, dict) and job.get("title") else None
    if title is None and lines:
        first = re.sub(r"^(job title|title|position|role)\s*:\s*", "", lines[0], flags=re.I)
        title = first if len(first) <= 80 else None
    required: dict[str, None] = {}
    preferred: dict[str, None] = {}
    mode = "unknown"
    alternatives: list[list[str]] = []
    structured = isinstance(job, dict) and (job.get("skills") or job.get("qualifications"))
    for line in lines:
        kind = _heading_kind(line)
        if kind is not None:
            mode = kind
            continue
        if line.lower().startswith("requirements:"):
            mode = "required"
        if _degree_level(line) is not None and re.search(
            r"degree|bachelor|master|ph\.?d|diplom|abschluss", line, re.I
        ):
            continue  # "Bachelor's in Computer Science" is an education requirement, not a skill
        found = taxonomy.find(line)
        hits = [h.skill.name for h in found]
        if not hits:
            continue
        group = [found[0].skill.name]
        for prev, cur in itertools.pairwise(found):
            if _ALT_SEP.match(line[prev.end : cur.start]):
                group.append(cur.skill.name)
            else:
                if len(group) > 1:
                    alternatives.append(group)
                group = [cur.skill.name]
        if len(group) > 1:
            alternatives.append(group)
        if mode == "preferred" or _PREF_INLINE.search(line):
            target = preferred
        elif mode in ("required", "unknown") or structured:
            target = required
        else:
            target = required if mode != "other" else preferred
        for name in hits:
            target[name] = None
    if isinstance(job, dict):
        for skill in entries(job, "skills"):
            for word in [skill.get("name", ""), *_list(skill.get("keywords"))]:
                listed = taxonomy.lookup(str(word))
                if listed is not None:
                    required[listed.name] = None
    for name in list(preferred):
        if name in required:
            del preferred[name]
    years_values = [int(m.group(1)) for m in _YEARS.finditer(text) if int(m.group(1)) <= 30]
    seniority_src = " ".join(
        filter(None, [title or "", str(job.get("experience", "")) if isinstance(job, dict) else ""])
    )
    level = _level(seniority_src) if seniority_src else None
    education_line = next(
        (
            ln
            for ln in lines
            if _degree_level(ln) is not None
            and re.search(
                r"degree|bachelor|master|ph\.?d|msc|bsc|diplom|abschluss|licence|título|laurea", ln, re.I
            )
        ),
        None,
    )
    return JobPosting(
        title=title,
        seniority=_LEVEL_NAMES.get(level) if level is not None else None,
        years=float(min(years_values)) if years_values else None,
        required_skills=list(required),
        preferred_skills=list(preferred),
        education=education_line,
        keywords=keywords(text),
        alternatives=[list(dict.fromkeys(g)) for g in alternatives if len(set(g)) > 1],
    )


def _month_index(iso: str) -> int:
    year = int(iso[:4])
    month = int(iso[5:7]) if len(iso) >= 7 else 1
    return year * 12 + month - 1


def experience_years(resume: dict[str, Any], today: dt.date | None = None) -> float:
    """Total years covered by work entries (overlaps counted once)."""
    today = today or dt.date.today()
    spans: list[tuple[int, int]] = []
    for entry in entries(resume, "work"):
        start = entry.get("startDate")
        if not isinstance(start, str) or not re.match(r"^\d{4}", start):
            continue
        end = entry.get("endDate")
        end_idx = (
            _month_index(end)
            if isinstance(end, str) and re.match(r"^\d{4}", end)
            else today.year * 12 + today.month - 1
        )
        spans.append((_month_index(start), max(end_idx, _month_index(start))))
    spans.sort()
    total = 0
    cur_start, cur_end = None, None
    for s, e in spans:
        if cur_end is None or s > cur_end:
            if cur_end is not None and cur_start is not None:
                total += cur_end - cur_start
            cur_start, cur_end = s, e
        else:
            cur_end = max(cur_end, e)
    if cur_end is not None and cur_start is not None:
        total += cur_end - cur_start
    return round(total / 12, 1)


# Job-title words that mean the same role ("Backend Developer" ~ "Backend Engineer").
_ENGINEER_WORDS = [
    "developer",
    "programmer",
    "entwickler",
    "entwicklerin",
    "softwareentwickler",
    "ingenieur",
    "développeur",
    "developpeur",
    "ingénieur",
    "desarrollador",
    "ingeniero",
    "desenvolvedor",
    "sviluppatore",
    "ingegnere",
    "swe",
]
_TITLE_SYNONYMS = dict.fromkeys(_ENGINEER_WORDS, "engineer") | {
    "sre": "reliability", "ml": "machinelearning",
}  # fmt: skip


_TITLE_PHRASES = (
    ("machine learning", "machinelearning"),
    ("full stack", "fullstack"),
    ("full-stack", "fullstack"),
    ("back-end", "backend"),
    ("front-end", "frontend"),
)


def _title_words(text: str) -> set[str]:
    low = text.lower()
    for phrase, token in _TITLE_PHRASES:
        low = low.replace(phrase, token)
    words = set(re.findall(r"[a-zà-ÿ][a-zà-ÿ+#]*", low))  # hyphens split: "Backend-Entwickler"
    skip = {"and", "of", "the", "for", "m", "f", "d", "w", "in", "mit", "de", "en"}
    return {_TITLE_SYNONYMS.get(w, w) for w in words if w not in SENIORITY and w not in skip}


def _hits(names: list[str], index: EvidenceIndex) -> tuple[list[SkillHit], list[str]]:
    matched, missing = [], []
    for name in names:
        if index.has(name):
            matched.append(
                SkillHit(skill=name, category=index.categories.get(name), evidence=index.where(name))
            )
        else:
            missing.append(name)
    return matched, missing


def match(
    resume: dict[str, Any],
    job: str | dict[str, Any],
    lines: list[TextLine] | None = None,
    today: dt.date | None = None,
) -> MatchResult:
    """Score 0–100 with named parts, the evidence for every matched skill, and what is missing."""
    posting = parse_job(job)
    index = build_index(resume, lines)
    parts: list[MatchPart] = []
    suggestions: list[str] = []

    def part(pid: str, name: str, score: float, detail: str) -> None:
        score = max(0.0, min(1.0, score))
        parts.append(
            MatchPart(
                id=pid,
                name=name,
                weight=WEIGHTS[pid],
                score=round(score, 3),
                points=round(WEIGHTS[pid] * score, 2),
                detail=detail,
            )
        )

    matched_req, missing_req = _hits(posting.required_skills, index)
    matched_pref, missing_pref = _hits(posting.preferred_skills, index)
    # A requirement written as alternatives is met by any one of them; the others are then not "missing".
    units: list[list[str]] = []
    grouped: set[str] = set()
    for group in posting.alternatives:
        members = [g for g in group if g in posting.required_skills and g not in grouped]
        if len(members) > 1:
            units.append(members)
            grouped.update(members)
    units += [[name] for name in posting.required_skills if name not in grouped]
    have = {h.skill for h in matched_req}
    met = [u for u in units if any(n in have for n in u)]
    missing_req = [n for u in units if u not in met for n in u]
    n_req = len(units)
    part(
        "required",
        "Required skills covered",
        len(met) / n_req if n_req else 1.0,
        f"{len(met)} of {n_req} required skills (or alternatives) evidenced"
        if n_req
        else "no required skills stated",
    )
    n_pref = len(posting.preferred_skills)
    part(
        "preferred",
        "Preferred skills covered",
        len(matched_pref) / n_pref if n_pref else 1.0,
        f"{len(matched_pref)} of {n_pref} preferred skills evidenced"
        if n_pref
        else "no preferred skills stated",
    )
    for name in missing_req[:8]:
        suggestions.append(
            f"Required skill '{name}' is not evidenced: if you have used it, add a bullet "
            "that shows where and with what result."
        )
    for name in missing_pref[:4]:
        suggestions.append(
            f"Nice-to-have '{name}' is missing: mention it if you have real experience with it."
        )

    titles = [str(w.get("position", "")) for w in entries(resume, "work")]
    label = basics_of(resume).get("label")
    if isinstance(label, str):
        titles.insert(0, label)
    if posting.title:
        want = _title_words(posting.title)
        best = 0.0
        for t in titles:
            have = _title_words(t)
            if want and have:
                best = max(best, len(want & have) / len(want))
        part("title", "Job title alignment", best, f"closest title matches {best:.0%} of '{posting.title}'")
        if best < 0.5:
            suggestions.append(
                f"No past title resembles '{posting.title}': use the employer's wording in "
                "your headline if it fits."
            )
    else:
        part("title", "Job title alignment", 1.0, "job title not stated")

    years = experience_years(resume, today)
    resume_level = max((lv for t in titles[:2] if (lv := _level(t)) is not None), default=None)
    job_level = next((k for k, v in _LEVEL_NAMES.items() if v == posting.seniority), None)
    years_score = min(1.0, years / posting.years) if posting.years else 1.0
    if job_level is None or resume_level is None:
        level_score = 1.0 if job_level is None else 0.7
    else:
        level_score = 1.0 if resume_level >= job_level else 0.5 if resume_level == job_level - 1 else 0.0
    detail = f"{years:g} years of experience" + (f" vs {posting.years:g} asked" if posting.years else "")
    if posting.seniority:
        reads = _LEVEL_NAMES.get(resume_level, "unstated") if resume_level is not None else "unstated"
        detail += f"; job is {posting.seniority}, resume reads {reads}"
    part("seniority", "Seniority and years", (years_score + level_score) / 2, detail)
    if posting.years and years < posting.years:
        suggestions.append(
            f"The job asks for {posting.years:g}+ years; your dated roles add up to "
            f"{years:g}. Check that every relevant role has dates."
        )

    want_degree = _degree_level(posting.education or "")
    have_degree = max(
        (
            lv
            for e in entries(resume, "education")
            if (lv := _degree_level(" ".join(str(e.get(k, "")) for k in ("studyType", "area")))) is not None
        ),
        default=None,
    )
    if want_degree is None:
        part("education", "Education", 1.0, "no degree requirement stated")
    elif have_degree is None:
        part(
            "education",
            "Education",
            0.3 if entries(resume, "education") else 0.0,
            f"asks: {posting.education}",
        )
        suggestions.append("The job states a degree requirement: list your degree with its type and field.")
    else:
        part(
            "education", "Education", 1.0 if have_degree >= want_degree else 0.6, f"asks: {posting.education}"
        )

    resume_low = index.text.lower()
    # Skills are scored above and seniority words in their own part: keywords are the rest.
    kws = [k for k in posting.keywords if not get_taxonomy().lookup(k) and k not in SENIORITY]
    covered = [k for k in kws if re.search(r"(?<![a-z])" + re.escape(k), resume_low)]
    part(
        "keywords",
        "Keyword coverage",
        len(covered) / len(kws) if kws else 1.0,
        f"{len(covered)} of {len(kws)} frequent job words appear in the resume",
    )
    missing_kw = [k for k in kws if k not in covered][:6]
    if missing_kw:
        suggestions.append(
            f"Frequent words in the posting that your resume never uses: {', '.join(missing_kw)}."
        )

    score = round(sum(p.points for p in parts))
    return MatchResult(
        score=max(0, min(100, score)),
        job=posting,
        parts=parts,
        matched_required=matched_req,
        missing_required=missing_req,
        matched_preferred=matched_pref,
        missing_preferred=missing_pref,
        suggestions=suggestions,
    )
