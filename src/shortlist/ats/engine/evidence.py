"""Where each skill shows up in a resume: the evidence index shared by job matching and role profiles."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from shortlist.ats.engine.lang import FUNCTION_WORDS
from shortlist.ats.engine.results import Evidence, TextLine
from shortlist.ats.engine.skills import get_taxonomy


def entries(resume: Any, key: str) -> list[dict[str, Any]]:
    """The dict entries of a resume section; anything malformed (a user-supplied document) is skipped."""
    if not isinstance(resume, dict):
        return []
    value = resume.get(key)
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def basics_of(resume: Any) -> dict[str, Any]:
    basics = resume.get("basics") if isinstance(resume, dict) else None
    return basics if isinstance(basics, dict) else {}


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def resume_texts(resume: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(section, text) for every piece of free text in a JSON Resume."""
    basics = basics_of(resume)
    for key in ("label", "summary"):
        if isinstance(basics.get(key), str):
            yield "basics", basics[key]
    for section in ("work", "volunteer", "projects"):
        for entry in entries(resume, section):
            for key in ("position", "name", "summary", "description"):
                if isinstance(entry.get(key), str):
                    yield section, entry[key]
            for text in _strings(entry.get("highlights")) + _strings(entry.get("keywords")):
                yield section, text
    for entry in entries(resume, "education"):
        for key in ("studyType", "area", "institution"):
            if isinstance(entry.get(key), str):
                yield "education", entry[key]
        for text in _strings(entry.get("courses")):
            yield "education", text
    for group in entries(resume, "skills"):
        if isinstance(group.get("name"), str):
            yield "skills", group["name"]
        for text in _strings(group.get("keywords")):
            yield "skills", text
    for cert in entries(resume, "certificates"):
        if isinstance(cert.get("name"), str):
            yield "certificates", cert["name"]


@dataclass
class EvidenceIndex:
    skills: dict[str, list[Evidence]] = field(default_factory=dict)  # canonical skill name -> where
    categories: dict[str, str] = field(default_factory=dict)
    text: str = ""
    bullets: list[tuple[str, str]] = field(default_factory=list)  # (section, text)

    def has(self, name: str) -> bool:
        return name in self.skills

    def where(self, name: str) -> list[Evidence]:
        return self.skills.get(name, [])


def _line_for(text: str, lines: list[TextLine] | None) -> TextLine | None:
    if not lines:
        return None
    probe = text[:40].lower()
    return next((ln for ln in lines if probe and probe in ln.text.lower()), None)


def build_index(resume: dict[str, Any], lines: list[TextLine] | None = None) -> EvidenceIndex:
    taxonomy = get_taxonomy()
    index = EvidenceIndex()
    parts: list[str] = []
    for section, text in resume_texts(resume):
        parts.append(text)
        if section in ("work", "projects", "volunteer"):
            index.bullets.append((section, text))
        for hit in taxonomy.find(text):
            name = hit.skill.name
            index.categories[name] = hit.skill.category
            found = index.skills.setdefault(name, [])
            if len(found) >= 5:
                continue
            line = _line_for(text, lines)
            snippet = text if len(text) <= 160 else text[:157] + "…"
            ev = Evidence(
                page=line.page if line else None,
                line=line.index if line else None,
                text=snippet,
                section=section,
            )
            if all(e.text != ev.text for e in found):
                found.append(ev)
    index.text = "\n".join(parts)
    return index


_WORD = re.compile(r"[a-zà-ÿ][a-zà-ÿ0-9+#.\-]{2,}")
STOPWORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "you",
        "our",
        "your",
        "are",
        "will",
        "have",
        "has",
        "this",
        "that",
        "from",
        "into",
        "who",
        "what",
        "how",
        "all",
        "any",
        "can",
        "not",
        "but",
        "was",
        "were",
        "their",
        "them",
        "they",
        "its",
        "it's",
        "able",
        "about",
        "also",
        "more",
        "most",
        "other",
        "such",
        "than",
        "then",
        "there",
        "these",
        "those",
        "very",
        "well",
        "work",
        "working",
        "team",
        "teams",
        "role",
        "company",
        "join",
        "we",
        "us",
        "etc",
        "including",
        "include",
        "includes",
        "using",
        "use",
        "used",
        "new",
        "experience",
        "years",
        "year",
        "strong",
        "good",
        "great",
        "plus",
        "nice",
        "bonus",
        "must",
        "should",
        "would",
        "could",
        "may",
        "might",
        "skills",
        "skill",
        "knowledge",
        "ability",
        "within",
        "across",
        "per",
        "via",
        "based",
        "like",
        "help",
        "helps",
        "make",
        "makes",
        "build",
        "building",
        "need",
        "needs",
        "want",
        "looking",
        "environment",
        "opportunity",
        "day",
        "days",
        "part",
        "time",
        "full",
        "remote",
        "office",
        "hybrid",
        "benefits",
        "salary",
        "apply",
        "candidate",
        "candidates",
        "responsibilities",
        "requirements",
    ]
)


_OTHER_STOPWORDS = frozenset(
    [
        "du",
        "dein",
        "deine",
        "deinen",
        "sie",
        "ihr",
        "ihre",
        "wir",
        "uns",
        "unser",
        "unsere",
        "sehr",
        "gute",
        "guter",
        "gutes",
        "mindestens",
        "jahre",
        "jahren",
        "erfahrung",
        "kenntnisse",
        "aufgaben",
        "profil",
        "bieten",
        "wünschenswert",
        "vorteil",
        "idealerweise",
        "sowie",
        "oder",
        "auch",
        "nicht",
        "vous",
        "nous",
        "votre",
        "vos",
        "avec",
        "pour",
        "les",
        "des",
        "une",
        "que",
        "qui",
        "sont",
        "être",
        "avoir",
        "ans",
        "expérience",
        "profil",
        "missions",
        "nuestro",
        "nuestra",
        "usted",
        "con",
        "para",
        "los",
        "las",
        "una",
        "que",
        "años",
        "experiencia",
        "requisitos",
        "você",
        "nossa",
        "nosso",
        "anos",
        "experiência",
        "requisitos",
        "voi",
        "nostro",
        "nostra",
        "anni",
        "esperienza",
        "requisiti",
    ]
)


def keywords(text: str, limit: int = 30) -> list[str]:
    """Frequent meaningful words of a job text (a rough stand-in for what an ATS keyword search would use)."""
    counts: dict[str, int] = {}
    for word in _WORD.findall(text.lower()):
        word = word.strip(".-")
        if len(word) < 3 or word in STOPWORDS or word in _OTHER_STOPWORDS or word in FUNCTION_WORDS:
            continue
        counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [w for w, _ in ranked[:limit]]
