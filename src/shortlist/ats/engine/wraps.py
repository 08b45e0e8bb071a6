"""Text a layout wrapped, joined again: a hyphenated word mended, a compound's own hyphen kept."""

from __future__ import annotations

import re

from shortlist.ats.engine.skills.aliases import TECH

_COMPOUND_TAILS = frozenset(
    [
        "based",
        "driven",
        "end",
        "to",
        "time",
        "facing",
        "scale",
        "level",
        "oriented",
        "functional",
        "stack",
        "term",
        "house",
        "side",
        "first",
        "specific",
        "wide",
        "ready",
        "friendly",
        "free",
        "aware",
        "centric",
        "native",
        "source",
        "grained",
        "tier",
        "party",
        "commerce",
        "learning",
        "service",
    ]
)


# Product names written in camel case ("TypeScript", "PostgreSQL"): the ones a typesetter may hyphenate.
_CAMEL_NAMES = frozenset(
    form.rstrip("!").lower()
    for name, _category, aliases in TECH
    for form in (name, *aliases)
    if re.search(r"[a-z][A-Z]", form)
)


def join_wrapped(first: str, second: str) -> str:
    """Join a line and its continuation; a word hyphenated at the break ("develop-" + "ment") is mended."""
    head_word = second.split(" ", 1)[0]
    capitals = re.search(r"[^\W\d_a-z]-$", first) is not None and head_word.isupper()
    tail_word = first[:-1].rsplit(" ", 1)[-1]
    if first.endswith("-") and (tail_word + head_word.rstrip(",.;")).lower() in _CAMEL_NAMES:
        return first[:-1] + second  # "Type-" + "Script" is TypeScript split by the typesetter
    if re.search(r"[^\W\d_]-$", first) and (second[:1].islower() or capitals):
        head = re.match(r"[^\W\d_]+", second)
        # "role-" + "based" is a compound broken at its own hyphen: keep the hyphen, drop the space.
        if head and head.group(0) in _COMPOUND_TAILS:
            return first + second
        return first[:-1] + second
    return f"{first} {second}"


def join_lines(texts: list[str]) -> str:
    """Lines of one paragraph joined as prose (hyphenated breaks mended)."""
    out = ""
    for text in texts:
        text = text.strip()
        if text:
            out = join_wrapped(out, text) if out else text
    return out
