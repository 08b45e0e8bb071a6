"""What a job asks: required and preferred skills (with alternatives), years, seniority, degree,
location/remote, spoken languages, and weighted terms for everything else.

``extract_requirements(job)`` reads a plain-text posting or a JSON Resume job document once; the result
is immutable and cheap to score many resumes against (``shortlist.ats.engine.matching.scoring``).
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from typing import Any

from shortlist.ats.engine.evidence import entries
from shortlist.ats.engine.matching.terms import job_terms
from shortlist.ats.engine.results import JobPosting
from shortlist.ats.engine.sections import fold
from shortlist.ats.engine.skills import get_taxonomy

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
    "aufgaben",
    "deine aufgaben",
    "missions",
    "vos missions",
    "responsabilidades",
    "funções",
    "responsabilità",
    "about the job",
)
# Sections about the employer, not the work: no requirement and no job term comes from them.
EMPLOYER_HEADINGS = (
    "about us",
    "about the company",
    "who we are",
    "benefits",
    "what we offer",
    "we offer",
    "perks",
    "perks and benefits",
    "our culture",
    "our values",
    "why join us",
    "why us",
    "the team",
    "how to apply",
    "equal opportunity",
    "über uns",
    "wir bieten",
    "was wir bieten",
    "qui sommes-nous",
    "nous offrons",
    "ce que nous offrons",
    "sobre nosotros",
    "ofrecemos",
    "o que oferecemos",
    "chi siamo",
    "offriamo",
)
PREF_INLINE = re.compile(
    r"nice to have|is a plus|are a plus|a "
    r"plus\b|bonus|preferred|ideally|desirable|wünschenswert|von vorteil|un plus|deseable|gradito"
    r"|advantage|beneficial|would be nice|optional|not required|bevorzugt|souhaité|apreciable",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-ZÀ-Ý])")

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
LEVEL_NAMES = {
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
DEGREE_LEVEL = [
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
YEARS = re.compile(
    r"(\d{1,2})\s*\+?\s*(?:(?:-|–|to|bis)\s*\d{1,2}\s*)?\+?\s*(?:years?|yrs?|jahre?n?|ans|años|anos|anni)",
    re.I,
)
ALT_SEP = re.compile(r"^\s*(?:\(|,?\s*(?:or|oder|ou|o|/|e\.g\.|such as|like|z\.b\.)\s*\(?)\s*$", re.I)

_DEGREE_WORDS = re.compile(
    r"degree|bachelor|master|ph\.?d|msc|bsc|diplom|abschluss|licence|título|laurea|doctorate", re.I
)
SPOKEN_LANGUAGES = {
    "english": "English", "german": "German", "deutsch": "German", "french": "French",
    "français": "French", "francais": "French", "spanish": "Spanish", "español": "Spanish",
    "italian": "Italian", "italiano": "Italian", "portuguese": "Portuguese", "português": "Portuguese",
    "dutch": "Dutch", "polish": "Polish", "swedish": "Swedish", "danish": "Danish",
    "norwegian": "Norwegian", "finnish": "Finnish", "mandarin": "Chinese", "chinese": "Chinese",
    "cantonese": "Chinese", "japanese": "Japanese", "korean": "Korean", "arabic": "Arabic",
    "russian": "Russian", "turkish": "Turkish", "hindi": "Hindi", "czech": "Czech",
    "englisch": "English", "deutsche": "German", "anglais": "English", "allemand": "German",
    "inglés": "English", "ingles": "English", "alemán": "German", "inglese": "English", "inglês": "English",
}  # fmt: skip
_LANGUAGE_CONTEXT = re.compile(
    r"fluen|native|proficien|speak|spoken|written|language|bilingual|business[- ]level|\b[abc][12]\b"
    r"|sprach|kenntnisse|langue|courant|idioma|fluido|lingua|mother tongue",
    re.I,
)
_LANGUAGE_WORD = re.compile(r"[a-zà-ÿ]+", re.I)
_REMOTE = re.compile(
    r"\b(fully remote|remote[- ]first|remote|work from home|wfh|homeoffice|télétravail|teletrabajo)\b", re.I
)
_HYBRID = re.compile(r"\bhybrid\b", re.I)
_ONSITE = re.compile(r"\b(on[- ]?site|in[- ]office|in the office|vor ort)\b", re.I)
_LOCATION = re.compile(r"^\s*(?:location|based in|standort|lieu|ubicación|sede)\s*[:\-–]\s*(.+)$", re.I)
_TITLE_PREFIX = re.compile(r"^(job title|title|position|role)\s*:\s*", re.I)


@dataclass(frozen=True)
class Requirement:
    """One thing the job asks for: any one of ``skills`` meets it; ``line`` is where the job says so."""

    skills: tuple[str, ...]
    line: str
    required: bool
    weight: float = 1.0  # generic asks (soft skills, practices, everyday tools) say less about fit

    @property
    def label(self) -> str:
        return " or ".join(self.skills)


@dataclass(frozen=True)
class JobRequirements:
    """Everything scoring needs from one job, read once."""

    title: str | None = None
    title_words: frozenset[str] = frozenset()
    level: int | None = None
    years: float | None = None
    years_line: str | None = None
    required: tuple[Requirement, ...] = ()
    preferred: tuple[Requirement, ...] = ()
    degree_level: int | None = None
    degree_line: str | None = None
    languages: tuple[str, ...] = ()
    remote: str | None = None  # "remote", "hybrid", "onsite" or None when not said
    location: str | None = None
    terms: dict[str, float] = field(default_factory=dict)  # the rest of the job's words, weighted
    keywords: tuple[str, ...] = ()

    @property
    def seniority(self) -> str | None:
        return LEVEL_NAMES.get(self.level) if self.level is not None else None

    def posting(self) -> JobPosting:
        """The public summary (stable shape of ``MatchResult.job``)."""
        return JobPosting(
            title=self.title,
            seniority=self.seniority,
            years=self.years,
            required_skills=list(dict.fromkeys(s for r in self.required for s in r.skills)),
            preferred_skills=list(dict.fromkeys(s for r in self.preferred for s in r.skills)),
            alternatives=[list(r.skills) for r in self.required + self.preferred if len(r.skills) > 1],
            education=self.degree_line,
            keywords=list(self.keywords),
            languages=list(self.languages),
            remote=self.remote,
            location=self.location,
        )


_HEADINGS = {
    **{fold(p): "employer" for p in EMPLOYER_HEADINGS},
    **{fold(p): "other" for p in OTHER_HEADINGS},
    **{fold(p): "required" for p in REQUIRED_HEADINGS},
    **{fold(p): "preferred" for p in PREFERRED_HEADINGS},
}


def heading_kind(line: str) -> str | None:
    key = fold(line.strip().rstrip(":").lstrip("#").strip())
    if not key or len(key) > 50:
        return None
    return _HEADINGS.get(key)


def seniority_level(text: str) -> int | None:
    words = re.findall(r"[a-z][a-z\-]*", text.lower())
    levels = [SENIORITY[w] for w in words if w in SENIORITY]
    return max(levels) if levels else None


def degree_level(text: str) -> int | None:
    for rx, level in DEGREE_LEVEL:
        if rx.search(text):
            return level
    return None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def job_text(job: str | dict[str, Any]) -> str:
    if isinstance(job, str):
        return job
    parts = [
        value for key in ("title", "experience", "description") if isinstance(value := job.get(key), str)
    ]
    if job.get("location"):
        location = job["location"]
        if isinstance(location, dict):
            location = ", ".join(str(v) for v in location.values() if v)
        parts.append(f"Location: {location}")
    if job.get("type"):
        parts.append(str(job["type"]))
    parts += ["Responsibilities:"] + [str(x) for x in _list(job.get("responsibilities"))]
    parts += ["Requirements:"] + [str(x) for x in _list(job.get("qualifications"))]
    for skill in entries(job, "skills"):
        parts.append(", ".join([str(skill.get("name", "")), *map(str, _list(skill.get("keywords")))]))
    return "\n".join(p for p in parts if p)


# German writes a language into compounds: "Englischkenntnisse", "Deutschkenntnisse".
_COMPOUND_STEMS = {
    "englisch": "English", "deutsch": "German", "französisch": "French", "spanisch": "Spanish",
    "italienisch": "Italian", "portugiesisch": "Portuguese", "niederländisch": "Dutch", "polnisch": "Polish",
}  # fmt: skip


def spoken_languages(line: str) -> list[str]:
    """Human languages a line names ("Fluent German and English" -> German, English)."""
    found = []
    for word in _LANGUAGE_WORD.findall(line):
        low = word.lower()
        if low in SPOKEN_LANGUAGES:
            found.append(SPOKEN_LANGUAGES[low])
        else:
            found += [lang for stem, lang in _COMPOUND_STEMS.items() if low.startswith(stem)][:1]
    return list(dict.fromkeys(found))


def _years(text: str) -> tuple[float | None, str | None]:
    best: tuple[float, str] | None = None
    for line in text.splitlines():
        for m in YEARS.finditer(line):
            value = float(m.group(1))
            if value <= 30 and (best is None or value < best[0]):
                best = (value, line.strip())
    return (best[0], best[1]) if best else (None, None)


# Taxonomy categories of generic asks and their weight in the skills parts.
GENERIC_CATEGORIES = {"Physical and Inherent Abilities": 0.3, "Practices": 0.6, "Tools": 0.6}


def requirement_weight(names: tuple[str, ...]) -> float:
    taxonomy = get_taxonomy()
    weights = [
        GENERIC_CATEGORIES.get(skill.category, 1.0) if (skill := taxonomy.lookup(n)) is not None else 1.0
        for n in names
    ]
    return max(weights, default=1.0)


def _add(target: dict[tuple[str, ...], Requirement], group: list[str], line: str, preferred: bool) -> None:
    names = tuple(dict.fromkeys(group))
    if names not in target:
        target[names] = Requirement(names, line[:200], not preferred, requirement_weight(names))


def extract_requirements(job: str | dict[str, Any]) -> JobRequirements:
    """Read a job posting (text, or a JSON Resume job document) into what it asks."""
    taxonomy = get_taxonomy()
    text = job_text(job)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    title = (
        job["title"].strip() or None if isinstance(job, dict) and isinstance(job.get("title"), str) else None
    )
    if title is None and lines:
        first = _TITLE_PREFIX.sub("", lines[0])
        title = first if len(first) <= 80 and heading_kind(first) is None else None
    required: dict[tuple[str, ...], Requirement] = {}
    preferred: dict[tuple[str, ...], Requirement] = {}
    languages: list[str] = []
    location: str | None = None
    mode = "unknown"
    about_the_work: list[str] = []
    for line in lines:
        kind = heading_kind(line)
        if kind is not None:
            mode = kind
            continue
        if line.lower().startswith("requirements:"):
            mode = "required"
        loc = _LOCATION.match(line)
        if loc is not None and location is None:
            location = loc.group(1).strip()[:80]
        if mode == "employer":
            continue
        if _LANGUAGE_CONTEXT.search(line) and (spoken := spoken_languages(line)) and len(line) < 120:
            languages += spoken
            continue  # scored by the languages part
        # A paragraph asks several things; "… is a plus" makes only its own sentence preferred.
        for sentence in _SENTENCE_END.split(line):
            if _LANGUAGE_CONTEXT.search(sentence) and (spoken := spoken_languages(sentence)):
                languages += spoken
                continue
            if degree_level(sentence) is not None and _DEGREE_WORDS.search(sentence):
                continue  # "Bachelor's in Computer Science" is an education requirement, not a skill
            if loc is None and line != title:
                about_the_work.append(sentence)
            found = taxonomy.find(sentence)
            if not found:
                continue
            is_preferred = mode in ("preferred", "other") or bool(PREF_INLINE.search(sentence))
            target = preferred if is_preferred else required
            group = [found[0].skill.name]
            for prev, cur in itertools.pairwise(found):
                if ALT_SEP.match(sentence[prev.end : cur.start]):
                    group.append(cur.skill.name)
                    continue
                _add(target, group, sentence, is_preferred)
                group = [cur.skill.name]
            _add(target, group, sentence, is_preferred)
    if isinstance(job, dict):
        for skill in entries(job, "skills"):
            for word in [skill.get("name", ""), *_list(skill.get("keywords"))]:
                listed = taxonomy.lookup(str(word))
                if listed is not None and (listed.name,) not in required:
                    names = (listed.name,)
                    required[names] = Requirement(names, str(word), True, requirement_weight(names))
    # A skill asked as required is not also preferred; a single skill inside a required alternative is.
    required_names = {s for key in required for s in key if len(key) == 1}
    preferred = {k: v for k, v in preferred.items() if not set(k) <= required_names and k not in required}
    years, years_line = _years(text)
    seniority_src = " ".join(
        filter(None, [title or "", str(job.get("experience", "")) if isinstance(job, dict) else ""])
    )
    level = seniority_level(seniority_src) if seniority_src else None
    degree_line = next(
        (ln for ln in lines if degree_level(ln) is not None and _DEGREE_WORDS.search(ln)), None
    )
    remote = (
        "remote"
        if _REMOTE.search(text)
        else "hybrid"
        if _HYBRID.search(text)
        else "onsite"
        if _ONSITE.search(text)
        else None
    )
    skill_words = {w for key in [*required, *preferred] for s in key for w in s.lower().split()}
    terms = job_terms("\n".join(about_the_work), exclude=skill_words | set(SENIORITY))
    return JobRequirements(
        title=title,
        title_words=title_words(title) if title else frozenset(),
        level=level,
        years=years,
        years_line=years_line,
        required=tuple(required.values()),
        preferred=tuple(preferred.values()),
        degree_level=degree_level(degree_line) if degree_line else None,
        degree_line=degree_line,
        languages=tuple(dict.fromkeys(languages)),
        remote=remote,
        location=location,
        terms=terms,
        keywords=tuple(sorted(terms, key=lambda t: (-terms[t], t))[:30]),
    )


# Job-title words that mean the same role ("Backend Developer" ~ "Backend Engineer").
_ENGINEER_WORDS = (
    "developer", "programmer", "entwickler", "entwicklerin", "softwareentwickler", "ingenieur",
    "développeur", "developpeur", "ingénieur", "desarrollador", "ingeniero", "desenvolvedor",
    "sviluppatore", "ingegnere", "swe", "dev",
)  # fmt: skip
_TITLE_SYNONYMS = dict.fromkeys(_ENGINEER_WORDS, "engineer") | {
    "sre": "reliability", "ml": "machinelearning", "back": "backend", "front": "frontend",
    "qa": "quality", "tester": "quality", "test": "quality", "ux": "design", "ui": "design",
    "designer": "design", "scientist": "science", "analyst": "analytics", "accountant": "accounting",
    "devops": "operations", "ios": "ios", "android": "android",
}  # fmt: skip
_TITLE_PHRASES = (
    ("machine learning", "machinelearning"),
    ("full stack", "fullstack"),
    ("full-stack", "fullstack"),
    ("back-end", "backend"),
    ("back end", "backend"),
    ("front-end", "frontend"),
    ("front end", "frontend"),
    ("site reliability", "reliability"),
    ("quality assurance", "quality"),
)
_TITLE_SKIP = frozenset(
    [
        "and",
        "of",
        "the",
        "for",
        "m",
        "f",
        "d",
        "w",
        "in",
        "mit",
        "de",
        "en",
        "a",
        "an",
        "to",
        "with",
        "at",
        "software",
    ]
)


def title_words(text: str) -> frozenset[str]:
    """The role words of a title, with synonyms folded and seniority words dropped."""
    low = text.lower()
    for phrase, token in _TITLE_PHRASES:
        low = low.replace(phrase, token)
    words = re.findall(r"[a-zà-ÿ][a-zà-ÿ+#]*", low)  # hyphens split: "Backend-Entwickler"
    return frozenset(_TITLE_SYNONYMS.get(w, w) for w in words if w not in SENIORITY and w not in _TITLE_SKIP)


# Head nouns most job titles share: "engineer" alone says little about which role (an IDF-like weight).
GENERIC_TITLE_WORDS = frozenset(
    ["engineer", "specialist", "consultant", "professional", "expert", "associate"]
)
GENERIC_TITLE_WEIGHT = 0.3


def _title_weight(word: str) -> float:
    return GENERIC_TITLE_WEIGHT if word in GENERIC_TITLE_WORDS else 1.0


def title_similarity(want: frozenset[str], have: frozenset[str]) -> float:
    """Cosine of the two titles' role words, the generic head nouns weighing less."""
    if not want or not have:
        return 0.0
    common = sum(_title_weight(w) for w in want & have)
    if not common:
        return 0.0
    return common / math.sqrt(sum(map(_title_weight, want)) * sum(map(_title_weight, have)))
