"""Which of the six supported languages a text is written in (function-word counts; no model)."""

from __future__ import annotations

import re

_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "and",
            "of",
            "to",
            "in",
            "for",
            "with",
            "on",
            "by",
            "from",
            "at",
            "as",
            "is",
            "was",
            "were",
            "an",
            "our",
            "my",
        ]
    ),
    "de": frozenset(
        [
            "und",
            "der",
            "die",
            "das",
            "mit",
            "für",
            "von",
            "bei",
            "im",
            "den",
            "des",
            "ein",
            "eine",
            "zur",
            "zum",
            "auf",
            "ist",
            "wurde",
        ]
    ),
    "fr": frozenset(
        [
            "et",
            "le",
            "la",
            "les",
            "des",
            "du",
            "pour",
            "avec",
            "dans",
            "sur",
            "une",
            "un",
            "au",
            "aux",
            "est",
            "par",
            "en",
        ]
    ),
    "es": frozenset(
        [
            "y",
            "el",
            "la",
            "los",
            "las",
            "del",
            "para",
            "con",
            "en",
            "por",
            "una",
            "un",
            "al",
            "es",
            "se",
            "como",
        ]
    ),
    "pt": frozenset(
        [
            "e",
            "o",
            "a",
            "os",
            "as",
            "do",
            "da",
            "dos",
            "das",
            "para",
            "com",
            "em",
            "por",
            "uma",
            "um",
            "no",
            "na",
            "é",
        ]
    ),
    "it": frozenset(
        [
            "e",
            "il",
            "lo",
            "la",
            "gli",
            "le",
            "del",
            "della",
            "dei",
            "per",
            "con",
            "in",
            "su",
            "una",
            "un",
            "al",
            "è",
            "di",
            "da",
        ]
    ),
}
FUNCTION_WORDS = frozenset(w for words in _FUNCTION_WORDS.values() for w in words)
DEFAULT_REGION = {"en": "US", "de": "DE", "fr": "FR", "es": "ES", "pt": "PT", "it": "IT"}
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str:
    """Best guess among en, de, fr, es, pt, it; English when there is too little to tell."""
    counts = dict.fromkeys(_FUNCTION_WORDS, 0)
    for word in _WORD.findall(text.lower()):
        for lang, words in _FUNCTION_WORDS.items():
            if word in words:
                counts[lang] += 1
    best = max(counts, key=lambda k: (counts[k], k == "en"))
    return best if counts[best] >= 3 else "en"
