"""Field-level precision / recall / F1 between a parsed resume and its ground truth."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

ENTRY_FIELDS: dict[str, tuple[str, ...]] = {
    "work": ("position", "name", "location", "startDate", "endDate"),
    "education": ("institution", "studyType", "area", "startDate", "endDate", "score"),
    "certificates": ("name", "issuer", "date"),
    "projects": ("name", "url"),
    "languages": ("language", "fluency"),
}


def norm(value: str) -> str:
    # A typographic apostrophe is the same fact as a straight one: TeX and Pandoc print "Margie’s" for
    # "Margie's" (NFKC keeps the two apart).
    text = unicodedata.normalize("NFKC", str(value)).replace("’", "'").replace("‘", "'").lower().strip()
    text = re.sub(r"^https?://(www\.)?", "", text).rstrip("/")
    return re.sub(r"\s+", " ", text).strip(" .,;:|")


def facts(resume: dict[str, Any]) -> Counter[tuple[str, str]]:
    """The resume as a multiset of (field, normalised value) facts."""
    out: Counter[tuple[str, str]] = Counter()
    basics = resume.get("basics", {})
    for key in ("name", "label", "email", "url"):
        if basics.get(key):
            out[(f"basics.{key}", norm(basics[key]))] += 1
    if basics.get("phone"):
        out[("basics.phone", re.sub(r"\D", "", basics["phone"]))] += 1
    if basics.get("location", {}).get("city"):
        out[("basics.location.city", norm(basics["location"]["city"]))] += 1
    for profile in basics.get("profiles", []):
        out[("basics.profiles", norm(profile.get("url", "")))] += 1
    if basics.get("summary"):
        out[("basics.summary", norm(basics["summary"]))] += 1
    for section, keys in ENTRY_FIELDS.items():
        for entry in resume.get(section, []):
            for key in keys:
                if entry.get(key):
                    out[(f"{section}.{key}", norm(entry[key]))] += 1
    for entry in resume.get("work", []):
        for highlight in entry.get("highlights", []):
            out[("work.highlights", norm(highlight))] += 1
    for group in resume.get("skills", []):
        for keyword in group.get("keywords", []):
            out[("skills.keywords", norm(keyword))] += 1
    return out


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    per_field: dict[str, Score] = field(default_factory=dict)
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (document, field, value) for debugging

    def add(self, name: str, predicted: dict[str, Any], truth: dict[str, Any]) -> None:
        got, want = facts(predicted), facts(truth)
        keys = {k for k, _ in got} | {k for k, _ in want}
        for key in keys:
            score = self.per_field.setdefault(key, Score())
            g = Counter({v: n for (k, v), n in got.items() if k == key})
            w = Counter({v: n for (k, v), n in want.items() if k == key})
            tp = sum((g & w).values())
            score.tp += tp
            score.fp += sum(g.values()) - tp
            score.fn += sum(w.values()) - tp
            for value in w - g:
                self.misses.append((name, key, f"missing {value!r}"))
            for value in g - w:
                self.misses.append((name, key, f"extra {value!r}"))

    @property
    def overall(self) -> Score:
        total = Score()
        for s in self.per_field.values():
            total.tp += s.tp
            total.fp += s.fp
            total.fn += s.fn
        return total
