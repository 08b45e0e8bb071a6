"""Feedback on resume bullets: each finding names a rule id and a concrete suggestion."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from shortlist.ats.engine.evidence import entries
from shortlist.ats.engine.lang import detect_language
from shortlist.ats.engine.results import BulletFeedback, BulletFinding, BulletSummary, Evidence, TextLine

_STRONG_BASE = [
    "accelerate",
    "achieve",
    "architect",
    "automate",
    "benchmark",
    "boost",
    "build",
    "coach",
    "consolidate",
    "containerize",
    "cut",
    "debug",
    "decrease",
    "define",
    "deliver",
    "deploy",
    "design",
    "develop",
    "double",
    "drive",
    "eliminate",
    "enable",
    "engineer",
    "establish",
    "expand",
    "found",
    "generate",
    "grow",
    "halve",
    "hire",
    "implement",
    "improve",
    "increase",
    "instrument",
    "integrate",
    "introduce",
    "launch",
    "lead",
    "lower",
    "mentor",
    "migrate",
    "modernize",
    "modernise",
    "negotiate",
    "optimize",
    "optimise",
    "orchestrate",
    "overhaul",
    "own",
    "partner",
    "pilot",
    "prototype",
    "publish",
    "raise",
    "rebuild",
    "redesign",
    "reduce",
    "refactor",
    "replace",
    "resolve",
    "rewrite",
    "save",
    "scale",
    "secure",
    "ship",
    "simplify",
    "slash",
    "spearhead",
    "standardize",
    "standardise",
    "streamline",
    "train",
    "triple",
    "upgrade",
    "win",
    "write",
    "create",
    "analyze",
    "analyse",
    "author",
    "convert",
    "cut",
    "drive",
    "speed",
    "open-source",
    "troubleshoot",
    "transform",
    "unify",
    "validate",
    "verify",
    "diagnose",
    "detect",
    "eliminate",
    "forecast",
    "model",
    "deploy",
    "present",
    "recruit",
    "restructure",
    "revamp",
    "roll",
    "centralize",
    "centralise",
    "decouple",
    "harden",
    "onboard",
]
_IRREGULAR_PAST = {
    "build": "built",
    "lead": "led",
    "cut": "cut",
    "drive": "drove",
    "grow": "grew",
    "write": "wrote",
    "win": "won",
    "rebuild": "rebuilt",
    "rewrite": "rewrote",
    "found": "founded",
    "speed": "sped",
    "run": "ran",
    "make": "made",
    "set": "set",
    "take": "took",
    "bring": "brought",
    "sell": "sold",
    "teach": "taught",
    "hold": "held",
    "oversee": "oversaw",
    "undertake": "undertook",
    "shut": "shut",
    "roll": "rolled",
}


def _past(verb: str) -> str:
    if verb in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ied"
    if verb in ("ship", "plan", "slash"):
        return verb + ("ped" if verb == "ship" else "ned" if verb == "plan" else "ed")
    return verb + "ed"


STRONG_PRESENT = frozenset(_STRONG_BASE) | {v + "s" for v in _STRONG_BASE}
STRONG_PAST = frozenset(_past(v) for v in _STRONG_BASE) | {"shipped", "planned"}
WEAK_VERBS = frozenset(
    [
        "helped",
        "help",
        "assisted",
        "assist",
        "supported",
        "support",
        "handled",
        "handle",
        "worked",
        "work",
        "used",
        "use",
        "utilized",
        "utilize",
        "participated",
        "participate",
        "involved",
        "tasked",
        "did",
        "do",
        "made",
        "make",
        "tried",
        "try",
        "was",
        "were",
        "responsible",
        "duties",
    ]
)
_WEAK_PHRASES = {
    "responsible for": "Say what you did and what changed: 'Owned …, cutting … by …'.",
    "helped with": "Name your part: 'Built…', 'Designed…', 'Reduced…'.",
    "helped to": "Name your part: 'Built…', 'Designed…', 'Reduced…'.",
    "assisted with": "Name your part and its result.",
    "assisted in": "Name your part and its result.",
    "worked on": "Replace with the action and outcome: 'Shipped…', 'Migrated…'.",
    "participated in": "Say what you contributed and its effect.",
    "involved in": "Say what you contributed and its effect.",
    "tasked with": "Lead with the result, not the assignment.",
    "in charge of": "Use 'Led…' or 'Owned…' and add the result.",
    "duties included": "List achievements, not duties.",
    "was part of": "Say what you did within the team.",
}
# Weak openings in the other five languages ("responsible for", "helped with", "worked on").
_WEAK_PHRASES_OTHER = (
    "verantwortlich für", "zuständig für", "mitarbeit an", "mitarbeit bei", "unterstützung bei",
    "beteiligt an",
    "responsable de", "chargé de", "participation à", "aide à", "encargado de", "responsable del",
    "participación en", "colaboración en", "responsável por", "participação em", "ajudei", "responsabile di",
    "responsabile del", "partecipazione a", "collaborazione a",
)  # fmt: skip
_BUZZWORDS = (
    "synergy",
    "synergies",
    "go-getter",
    "team player",
    "results-driven",
    "results driven",
    "detail-oriented",
    "hard-working",
    "hardworking",
    "think outside the box",
    "dynamic",
    "passionate",
    "rockstar",
    "rock star",
    "ninja",
    "guru",
    "self-starter",
    "best of breed",
    "best-in-class",
    "leverage",
    "leveraged",
    "leveraging",
    "utilize",
    "utilized",
    "utilizing",
    "various",
    "etc",
    "successfully",
    "world-class",
    "cutting-edge",
    "innovative",
    "proactive",
    "seamlessly",
    "robust",
)
_BUZZ_RE = re.compile(r"\b(" + "|".join(re.escape(b) for b in _BUZZWORDS) + r")\b", re.IGNORECASE)
_PRONOUN_RE = re.compile(r"\b(I|me|my|mine|myself|we|our|us)\b")
_PARTICIPLES = [
    "built",
    "rebuilt",
    "led",
    "run",
    "written",
    "rewritten",
    "made",
    "done",
    "given",
    "taken",
    "shown",
    "driven",
    "chosen",
    "sent",
    "set",
    "kept",
    "held",
    "brought",
    "seen",
    "grown",
    "cut",
    "found",
    "begun",
    "undertaken",
    "overseen",
    "won",
    "sold",
    "spent",
    "taught",
    "known",
    "put",
    "paid",
]
_PASSIVE_RE = re.compile(
    r"\b(?:was|were|been|being|is|are|got)\s+(?:\w+ly\s+)?(\w+ed|" + "|".join(_PARTICIPLES) + r")\b",
    re.IGNORECASE,
)
_IMPACT_RE = re.compile(
    r"(\d[\d,.]*\s*(?:%|percent|x\b|×|k\b|m\b|bn\b|ms\b|s\b|sec|seconds?|minutes?|min\b|hours?|hrs?|days?|weeks?|"
    r"months?|years?|users?|customers?|clients?|requests?|rps|qps|events?|services?|engineers?|people|teams?|"
    r"countries|markets|transactions|orders|tickets|deploys?|releases?|pipelines?|gb|tb|pb|mb)|"
    r"[$€£¥]\s?\d|\d\s?(?:usd|eur|gbp|dollars|euros)"
    r"|\b(?:doubled|tripled|halved|halving|quadrupled|zero downtime|"
    r"million|billion|thousands?|hundreds?)\b"
    # A bare count of something ("40 services", "3 teams"), but not a version ("Java 17", "Python 3 and").
    r"|\b\d+(?:[.,]\d+)?\s+(?!and\b|or\b|to\b|in\b|with\b|on\b|for\b)[a-zà-ÿ]{3,})",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[A-Za-zÀ-ÿ][\w'-]*")


def _first_word(text: str) -> str:
    m = _WORD_RE.search(text)
    return m.group(0).lower() if m else ""


def tense_of(text: str) -> str | None:
    word = _first_word(text)
    if word in STRONG_PAST or (word.endswith("ed") and len(word) > 4):
        return "past"
    if word in STRONG_PRESENT:
        return "present"
    return None


# Points each finding costs a bullet's score (an unlisted rule costs 5).
_PENALTIES = {
    "impact.missing": 30,
    "verb.weak-phrase": 20,
    "verb.weak": 15,
    "verb.missing": 15,
    "voice.passive": 10,
    "style.buzzword": 10,
    "style.pronoun": 10,
    "length.short": 10,
    "length.long": 10,
    "tense.past-role": 5,
    "tense.mixed": 5,
    "opening.repeated": 5,
}


def _impact_finding(has_impact: bool) -> BulletFinding | None:
    if has_impact:
        return None
    return BulletFinding(
        rule="impact.missing",
        message="No measurable result (number, %, money, time or scale).",
        suggestion="Quantify the outcome: by how much, how many, how fast, for how many users?",
    )


def _opening_finding(low: str, first: str, english: bool) -> BulletFinding | None:
    """A weak phrase anywhere (every language), else, for English, a weak or missing opening verb."""
    weak_hit = next((p for p in _WEAK_PHRASES if p in low), None)
    foreign_hit = next((p for p in _WEAK_PHRASES_OTHER if p in low), None)
    if weak_hit or foreign_hit:
        phrase = weak_hit or foreign_hit or ""
        return BulletFinding(
            rule="verb.weak-phrase",
            message=f"Weak phrase '{phrase}'.",
            suggestion=_WEAK_PHRASES.get(phrase, "Say what you did and what changed, with a number."),
        )
    if not english:
        return None
    if first in WEAK_VERBS:
        return BulletFinding(
            rule="verb.weak",
            message=f"Starts with a weak verb '{first}'.",
            suggestion="Open with a strong action verb: Built, Led, Reduced, Designed, Automated…",
        )
    if (
        first not in STRONG_PRESENT
        and first not in STRONG_PAST
        and not (first.endswith("ed") and len(first) > 4)
    ):
        return BulletFinding(
            rule="verb.missing",
            message="Does not start with an action verb.",
            suggestion="Start with what you did: 'Designed…', 'Migrated…', 'Cut…'.",
        )
    return None


def _style_findings(clean: str) -> list[BulletFinding]:
    """Passive voice, buzzwords and first-person pronouns (English word lists)."""
    findings: list[BulletFinding] = []
    if _PASSIVE_RE.search(clean):
        findings.append(
            BulletFinding(
                rule="voice.passive",
                message="Passive voice hides who acted.",
                suggestion="Rewrite actively: 'I was tasked with X' -> 'Built X'.",
            )
        )
    buzz = sorted({m.group(1).lower() for m in _BUZZ_RE.finditer(clean)})
    if buzz:
        findings.append(
            BulletFinding(
                rule="style.buzzword",
                message=f"Filler or buzzwords: {', '.join(buzz)}.",
                suggestion="Replace adjectives with evidence: what, how much, for whom.",
            )
        )
    if _PRONOUN_RE.search(clean):
        findings.append(
            BulletFinding(
                rule="style.pronoun",
                message="First-person pronoun.",
                suggestion="Drop 'I', 'my', 'we': resumes are written in implied first person.",
            )
        )
    return findings


def _length_finding(clean: str, word_count: int) -> BulletFinding | None:
    if word_count < 6:
        return BulletFinding(
            rule="length.short",
            message=f"Only {word_count} words.",
            suggestion="Add the context and the result.",
        )
    if word_count > 35 or len(clean) > 230:
        return BulletFinding(
            rule="length.long",
            message=f"{word_count} words: hard to scan.",
            suggestion="Keep one idea per bullet, under about 30 words.",
        )
    return None


def _tense_finding(clean: str, past_role: bool | None) -> BulletFinding | None:
    """Present tense in a role that has ended (English only)."""
    if past_role is True and tense_of(clean) == "present":
        return BulletFinding(
            rule="tense.past-role",
            message="Present tense in a role that has ended.",
            suggestion="Use the past tense for past roles: 'Lead' -> 'Led'.",
        )
    return None


def review_bullet(
    text: str, evidence: Evidence | None = None, past_role: bool | None = None, lang: str = "en"
) -> BulletFeedback:
    """Feedback on one bullet. ``past_role`` (the entry has an end date) enables the tense rule.

    The verb, voice, tense, pronoun and buzzword word lists are English; for bullets in another language
    only the language-neutral rules run (impact, length) plus that language's weak phrases.
    """
    english = lang == "en"
    clean = text.strip().lstrip("•-*–—·▪►▸▹‣⁃ ").strip()
    has_impact = bool(_IMPACT_RE.search(clean))
    found = [
        _impact_finding(has_impact),
        _opening_finding(clean.lower(), _first_word(clean), english),
        *(_style_findings(clean) if english else []),
        _length_finding(clean, len(_WORD_RE.findall(clean))),
        _tense_finding(clean, past_role) if english else None,
    ]
    findings = [finding for finding in found if finding is not None]
    score = max(0, 100 - sum(_PENALTIES.get(f.rule, 5) for f in findings))
    return BulletFeedback(
        text=clean,
        evidence=evidence or Evidence(text=clean),
        has_impact=has_impact,
        score=score,
        findings=findings,
    )


def _locate(text: str, lines: list[TextLine] | None, section: str) -> Evidence:
    if lines:
        probe = text[:40].lower()
        for line in lines:
            if probe and probe in line.text.lower():
                return Evidence(page=line.page, line=line.index, text=line.text, section=line.section)
    return Evidence(text=text, section=section)


def review_bullets(resume: dict[str, Any], lines: list[TextLine] | None = None) -> BulletSummary:
    """Review every work/project/volunteer bullet, plus cross-bullet rules (tense mix, repeated openings)."""
    all_bullets = [
        h
        for section in ("work", "volunteer", "projects")
        for entry in entries(resume, section)
        for h in entry.get("highlights") or []
        if isinstance(h, str)
    ]
    lang = detect_language(" ".join(all_bullets))
    reviewed: list[BulletFeedback] = []
    openings: Counter[str] = Counter()
    for section in ("work", "volunteer", "projects"):
        for entry in entries(resume, section):
            raw = entry.get("highlights")
            highlights = [h for h in raw if isinstance(h, str) and h.strip()] if isinstance(raw, list) else []
            if not highlights:
                continue
            past_role = bool(entry.get("endDate")) if section != "projects" else None
            entry_reviews = [
                review_bullet(h, _locate(h, lines, section), past_role, lang) for h in highlights
            ]
            tenses = Counter(t for h in highlights if (t := tense_of(h))) if lang == "en" else Counter[str]()
            if len(tenses) > 1:
                majority = tenses.most_common(1)[0][0]
                for h, fb in zip(highlights, entry_reviews, strict=True):
                    if tense_of(h) not in (majority, None):
                        fb.findings.append(
                            BulletFinding(
                                rule="tense.mixed",
                                message=f"Tense differs from the other bullets of this entry ({majority}).",
                                suggestion="One tense per entry: past for ended roles, present for current.",
                            )
                        )
                        fb.score = max(0, fb.score - 5)
            reviewed.extend(entry_reviews)
    for fb in reviewed:
        first = _first_word(fb.text)
        openings[first] += 1
        if first and openings[first] >= 3:
            fb.findings.append(
                BulletFinding(
                    rule="opening.repeated",
                    message=f"'{first.capitalize()}' opens {openings[first]} bullets so far.",
                    suggestion="Vary the opening verbs so each bullet reads as a distinct achievement.",
                )
            )
            fb.score = max(0, fb.score - 5)
    rule_counts = Counter(f.rule for fb in reviewed for f in fb.findings)
    count = len(reviewed)
    return BulletSummary(
        count=count,
        with_impact=sum(1 for fb in reviewed if fb.has_impact),
        strong_verb_first=sum(
            1 for fb in reviewed if not any(f.rule.startswith("verb.") for f in fb.findings)
        ),
        average_score=round(sum(fb.score for fb in reviewed) / count, 1) if count else 0.0,
        rule_counts=dict(sorted(rule_counts.items())),
        bullets=reviewed,
    )
