"""A resume read once for matching: where and when each skill was used, years, level, titles, degree,
languages, location and word counts. Build it when a resume is parsed or stored and keep it: ranking
thousands of resumes against a job then costs dictionary look-ups, not text scans.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from shortlist.ats.engine.evidence import _line_for, basics_of, entries, resume_texts
from shortlist.ats.engine.matching.requirements import (
    SPOKEN_LANGUAGES,
    YEARS,
    degree_level,
    seniority_level,
    title_words,
)
from shortlist.ats.engine.matching.terms import resume_terms
from shortlist.ats.engine.results import TextLine
from shortlist.ats.engine.skills import Taxonomy, get_taxonomy

_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?")


@dataclass(frozen=True)
class Seen:
    """One place a skill shows: the resume text, its section, and its page/line when known."""

    section: str
    text: str
    page: int | None = None
    line: int | None = None


@dataclass
class SkillUse:
    months: int = 0  # months of dated roles whose text uses the skill (overlaps counted once)
    last_used: int | None = None  # month index (year * 12 + month - 1) of the latest such role's end
    seen: list[Seen] = field(default_factory=list)


LISTED_ONLY = 0.8  # a skill named only in a skills list: claimed, not shown in a role
UNDATED_USE = 0.9  # used in a project or role without dates
PROFILE_VERSION = 1  # bump when what a profile holds changes: stored ones are then rebuilt


@dataclass
class CandidateProfile:
    skills: dict[str, SkillUse]
    years: float
    level: int | None
    level_from: str  # "title" or "years"
    titles: list[tuple[str, frozenset[str]]]  # most recent first
    degree_level: int | None
    degree_text: str | None
    languages: frozenset[str]
    location: str
    term_counts: Counter[str]
    length: int
    text: str  # lower-cased, for the keyword baseline and location checks
    today: int  # month index the recency is measured from
    factors: dict[str, float] = field(init=False, repr=False)  # skill -> use factor, for ranking

    def __post_init__(self) -> None:
        self.factors = {name: use_factor(use, self.today) for name, use in self.skills.items()}

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe form to store beside the resume (``from_json`` reads it back)."""
        return {
            "version": PROFILE_VERSION,
            "skills": {
                name: {
                    "months": u.months,
                    "last_used": u.last_used,
                    "seen": [list(vars(s).values()) for s in u.seen],
                }
                for name, u in self.skills.items()
            },
            "years": self.years,
            "level": self.level,
            "level_from": self.level_from,
            "titles": [title for title, _ in self.titles],
            "degree_level": self.degree_level,
            "degree_text": self.degree_text,
            "languages": sorted(self.languages),
            "location": self.location,
            "term_counts": dict(self.term_counts),
            "length": self.length,
            "text": self.text,
            "today": self.today,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CandidateProfile:
        """Read a stored profile; ``ValueError`` when it was stored by another version (rebuild it)."""
        if data.get("version") != PROFILE_VERSION:
            raise ValueError("stored matching profile is from another version; build it again")
        return cls(
            skills={
                name: SkillUse(u["months"], u["last_used"], [Seen(*s) for s in u["seen"]])
                for name, u in data["skills"].items()
            },
            years=data["years"],
            level=data["level"],
            level_from=data["level_from"],
            titles=[(t, title_words(t)) for t in data["titles"]],
            degree_level=data["degree_level"],
            degree_text=data["degree_text"],
            languages=frozenset(data["languages"]),
            location=data["location"],
            term_counts=Counter(data["term_counts"]),
            length=data["length"],
            text=data["text"],
            today=data["today"],
        )


def use_factor(use: SkillUse, today: int) -> float:
    """Credit for how a skill was used: longer and more recent use in dated roles counts more."""
    if use.last_used is None:
        return UNDATED_USE if any(s.section != "skills" for s in use.seen) else LISTED_ONLY
    duration = min(1.0, 0.8 + 0.2 * use.months / 24)
    years_since = max(0.0, (today - use.last_used) / 12)
    recency = 1.0 if years_since <= 2 else max(0.6, 1.0 - 0.06 * (years_since - 2))
    return duration * recency


def month_index(iso: str) -> int | None:
    m = _ISO.match(iso)
    if m is None:
        return None
    return int(m.group(1)) * 12 + (int(m.group(2)) if m.group(2) else 1) - 1


def _merged_months(spans: list[tuple[int, int]]) -> int:
    total = 0
    cur: tuple[int, int] | None = None
    for start, end in sorted(spans):
        if cur is None or start > cur[1]:
            if cur is not None:
                total += cur[1] - cur[0]
            cur = (start, end)
        else:
            cur = (cur[0], max(cur[1], end))
    if cur is not None:
        total += cur[1] - cur[0]
    return total


def _entry_span(entry: dict[str, Any], today: int) -> tuple[int, int] | None:
    start = entry.get("startDate")
    begin = month_index(start) if isinstance(start, str) else None
    if begin is None:
        return None
    end = entry.get("endDate")
    finish = month_index(end) if isinstance(end, str) else None
    return begin, max(begin, finish if finish is not None else today)


def _entry_texts(entry: dict[str, Any]) -> list[str]:
    out = [entry[k] for k in ("position", "summary", "description") if isinstance(entry.get(k), str)]
    for key in ("highlights", "keywords"):
        value = entry.get(key)
        if isinstance(value, list):
            out += [v for v in value if isinstance(v, str)]
    return out


# A role names its discipline: a "Data Engineer" does data engineering.
_DISCIPLINE = (
    (re.compile(r"\bengineer\b", re.I), "engineering"),
    (re.compile(r"\bdeveloper\b", re.I), "development"),
    (re.compile(r"\bdesigner\b", re.I), "design"),
    (re.compile(r"\bscientist\b", re.I), "science"),
    (re.compile(r"\banalyst\b", re.I), "analysis"),
    (re.compile(r"\baccountant\b", re.I), "accounting"),
    (re.compile(r"\bmanager\b", re.I), "management"),
)


def discipline(title: str) -> str | None:
    """ "Senior Data Engineer" -> "Senior Data engineering"; None when the title names no discipline."""
    for rx, word in _DISCIPLINE:
        if rx.search(title):
            return rx.sub(word, title)
    return None


def _level_from_years(years: float) -> int:
    return 1 if years < 2 else 2 if years < 5 else 3


class _SkillNotes:
    """Where each skill was seen (at most four places) and the dated spans of the roles that used it."""

    def __init__(self, lines: list[TextLine] | None) -> None:
        self.lines = lines
        self.skills: dict[str, SkillUse] = {}
        self.spans_by_skill: dict[str, list[tuple[int, int]]] = {}

    def note(self, name: str, section: str, text: str, span: tuple[int, int] | None) -> None:
        use = self.skills.setdefault(name, SkillUse())
        if span is not None:
            self.spans_by_skill.setdefault(name, []).append(span)
            use.last_used = max(use.last_used or 0, span[1])
        if len(use.seen) < 4 and all(s.text != text for s in use.seen):
            line = _line_for(text, self.lines)
            snippet = text if len(text) <= 160 else text[:157] + "…"
            use.seen.append(Seen(section, snippet, line.page if line else None, line.index if line else None))

    def note_found(self, taxonomy: Taxonomy, text: str, section: str, span: tuple[int, int] | None) -> None:
        """Note every skill the taxonomy finds in ``text``."""
        for hit in taxonomy.find(text):
            self.note(hit.skill.name, section, text, span)

    def finish(self) -> dict[str, SkillUse]:
        """The skills, each with the months of its dated roles merged (overlaps counted once)."""
        for name, spans in self.spans_by_skill.items():
            self.skills[name].months = _merged_months(spans)
        return self.skills


def _note_roles(
    resume: dict[str, Any], taxonomy: Taxonomy, notes: _SkillNotes, now: int
) -> list[tuple[int, int]]:
    """Skills in work entries (their texts and the field of work their position names); returns the dated
    spans of the roles."""
    work_spans: list[tuple[int, int]] = []
    for entry in entries(resume, "work"):
        span = _entry_span(entry, now)
        if span is not None:
            work_spans.append(span)
        for text in _entry_texts(entry):
            notes.note_found(taxonomy, text, "work", span)
        position = entry.get("position")
        if isinstance(position, str) and (field_of_work := discipline(position)) is not None:
            for hit in taxonomy.find(field_of_work):
                notes.note(hit.skill.name, "work", position, span)
    return work_spans


def _note_projects(resume: dict[str, Any], taxonomy: Taxonomy, notes: _SkillNotes, now: int) -> None:
    """Skills in projects and volunteering, names included."""
    for section in ("projects", "volunteer"):
        for entry in entries(resume, section):
            span = _entry_span(entry, now)
            name = entry.get("name")
            for text in _entry_texts(entry) + ([name] if isinstance(name, str) else []):
                notes.note_found(taxonomy, text, section, span)


def _note_other_sections(resume: dict[str, Any], taxonomy: Taxonomy, notes: _SkillNotes) -> list[str]:
    """Skills in every other section (undated); returns every text of the resume, in order."""
    all_text: list[str] = []
    for section, text in resume_texts(resume):
        all_text.append(text)
        if section in ("work", "projects", "volunteer"):
            continue
        notes.note_found(taxonomy, text, section, None)
    return all_text


def _experience_years(resume: dict[str, Any], work_spans: list[tuple[int, int]]) -> float:
    """Years covered by dated roles; with none, the years the summary or headline claims."""
    if work_spans:
        return round(_merged_months(work_spans) / 12, 1)
    # No dated roles (or the dates were not read): "8 years of experience" in the summary is the claim.
    claimed = [
        float(m.group(1))
        for key in ("summary", "label")
        if isinstance(basics_of(resume).get(key), str)
        for m in YEARS.finditer(basics_of(resume)[key])
    ]
    return max((y for y in claimed if y <= 45), default=0.0)


def _titles(resume: dict[str, Any]) -> list[tuple[str, frozenset[str]]]:
    """The headline, then the work positions, most recent first, each with its role words."""
    basics = basics_of(resume)
    titles: list[tuple[str, frozenset[str]]] = []
    if isinstance(basics.get("label"), str) and basics["label"].strip():
        titles.append((basics["label"], title_words(basics["label"])))
    dated = sorted(
        (e for e in entries(resume, "work") if isinstance(e.get("position"), str)),
        key=lambda e: -(month_index(str(e.get("startDate") or "")) or 0),
    )
    titles += [(e["position"], title_words(e["position"])) for e in dated]
    return titles


def _level(titles: list[tuple[str, frozenset[str]]], years: float) -> tuple[int | None, str]:
    """Seniority from the two latest titles, else from the years; and which of the two said it."""
    title_level = max((lv for t, _ in titles[:2] if (lv := seniority_level(t)) is not None), default=None)
    if title_level is not None:
        return title_level, "title"
    return _level_from_years(years), "years"


def _best_degree(resume: dict[str, Any]) -> tuple[int, str] | None:
    best_degree: tuple[int, str] | None = None
    for edu in entries(resume, "education"):
        text = " ".join(str(edu.get(k, "")) for k in ("studyType", "area") if edu.get(k))
        lv = degree_level(text)
        if lv is not None and (best_degree is None or lv > best_degree[0]):
            best_degree = (lv, text)
    return best_degree


def _spoken_languages(resume: dict[str, Any]) -> frozenset[str]:
    languages = {
        SPOKEN_LANGUAGES.get(str(e.get("language", "")).strip().lower(), str(e.get("language", "")).strip())
        for e in entries(resume, "languages")
    }
    return frozenset(languages - {""})


def _location(resume: dict[str, Any]) -> str:
    location = basics_of(resume).get("location")
    if not isinstance(location, dict):
        return ""
    return " ".join(str(v) for v in location.values() if isinstance(v, str)).lower()


def build_profile(
    resume: dict[str, Any], lines: list[TextLine] | None = None, today: dt.date | None = None
) -> CandidateProfile:
    """Read a JSON Resume (as parsed or stored) into what matching needs."""
    taxonomy = get_taxonomy()
    day = today or dt.date.today()
    now = day.year * 12 + day.month - 1
    notes = _SkillNotes(lines)
    work_spans = _note_roles(resume, taxonomy, notes, now)
    _note_projects(resume, taxonomy, notes, now)
    all_text = _note_other_sections(resume, taxonomy, notes)
    years = _experience_years(resume, work_spans)
    titles = _titles(resume)
    level, level_from = _level(titles, years)
    best_degree = _best_degree(resume)
    text = "\n".join(all_text)
    counts, length = resume_terms(text)
    return CandidateProfile(
        skills=notes.finish(),
        years=years,
        level=level,
        level_from=level_from,
        titles=titles,
        degree_level=best_degree[0] if best_degree else None,
        degree_text=best_degree[1] if best_degree else None,
        languages=_spoken_languages(resume),
        location=_location(resume),
        term_counts=counts,
        length=length,
        text=text.lower(),
        today=now,
    )
