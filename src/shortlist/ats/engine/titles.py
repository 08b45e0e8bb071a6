"""Is a piece of an entry header a job title or an organisation? Word evidence, in six languages."""

from __future__ import annotations

import re

from shortlist.ats.engine.lexicon import INSTITUTION_WORDS, ORG_SUFFIXES, TITLE_WORDS


def tokens(text: str) -> list[str]:
    return re.findall(r"[\w.&'-]+", text.lower())


_TITLE_SUFFIXES = (
    "engineer",
    "developer",
    "entwickler",
    "entwicklerin",
    "ingenieur",
    "ingenieurin",
    "berater",
    "beraterin",
    "leiter",
    "leiterin",
    "manager",
    "managerin",
    "designer",
    "designerin",
    "analyst",
    "analystin",
    "architekt",
    "architektin",
    "administrator",
    "spezialist",
    "spezialistin",
    "referent",
    "referentin",
)


_ORG_WORDS = ORG_SUFFIXES | {t.rstrip(".") for t in ORG_SUFFIXES}


def title_score(text: str) -> int:
    """How many words say "job title" (Engineer, Leiter, Desarrollador, …Entwicklerin)."""
    words = [t.strip(".") for t in tokens(text)]
    return sum(1 for t in words if t in TITLE_WORDS or (len(t) > 8 and t.endswith(_TITLE_SUFFIXES)))


def org_score(text: str) -> int:
    """Legal-form or sector word at the end ('Tyrell Software', 'Globex GmbH'), or an institution word."""
    low = text.lower()
    words = tokens(text)
    suffix = 1 if words and words[-1].rstrip(".,") in _ORG_WORDS else 0
    return suffix + sum(1 for w in INSTITUTION_WORDS if w in low)
