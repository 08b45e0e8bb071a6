"""A template's layout knobs, read from its Typst source: the HTML and DOCX writers lay out the same design
from the same settings, so there is one place that says what a template looks like."""

from __future__ import annotations

import re
from functools import cache

from shortlist.template import get_template

_PAIR = re.compile(r"([a-z][a-z-]*):\s*(\"[^\"]*\"|\[[^\]]*\]|true|false|luma\(\d+\)|[0-9.]+(?:em|pt|mm|%)?)")

Knobs = dict[str, str | float | bool]


@cache
def knobs(slug: str) -> Knobs:
    """``(header: "band", name-size: 2.3, ...)`` from ``#render(..., (...))`` as a dict of simple values."""
    source = get_template(slug).source.read_text(encoding="utf-8")
    body = source[source.index("#render(") :]
    out: Knobs = {}
    for key, raw in _PAIR.findall(body):
        value: str | float | bool
        if raw in ("true", "false"):
            value = raw == "true"
        elif raw.startswith(('"', "[")):
            value = raw[1:-1]
        elif re.fullmatch(r"[0-9.]+", raw):
            value = float(raw)
        else:
            value = raw
        out[key] = value
    return out


def text(k: Knobs, key: str, default: str) -> str:
    value = k.get(key, default)
    return value if isinstance(value, str) else default


def number(k: Knobs, key: str, default: float) -> float:
    value = k.get(key, default)
    return float(value) if isinstance(value, float) else default


def flag(k: Knobs, key: str) -> bool:
    return k.get(key, False) is True
