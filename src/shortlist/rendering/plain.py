"""Plain text, Markdown and normalised JSON Resume outputs."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from shortlist.rendering.view import Entry, ResumeView, Section, clean

# Characters with a meaning in Markdown; escaped so a field never turns into markup or a link.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$&])")


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def _entry_head(e: Entry) -> list[str]:
    return [p for p in (e.title, e.subtitle, e.link, e.dates, e.location) if p]


def to_text(view: ResumeView) -> str:
    lines: list[str] = []
    if view.name:
        lines.append(view.name)
    if view.label:
        lines.append(view.label)
    if view.contacts:
        lines.append(" | ".join(c.text for c in view.contacts))
    for s in view.sections:
        lines += ["", s.title.upper(), "=" * min(len(s.title), 60)]
        lines += _section_text(s)
    return "\n".join(lines).strip() + "\n"


def _section_text(s: Section) -> list[str]:
    out: list[str] = []
    if s.text:
        out.append(s.text)
    for t in s.tags:
        out.append(f"{t.name}: {t.detail}" if t.detail else t.name)
    for i, e in enumerate(s.entries):
        if i:
            out.append("")
        out.append(" | ".join(_entry_head(e)))
        if e.summary:
            out.append(e.summary)
        out += [f"  - {b}" for b in e.bullets]
        if e.keywords:
            out.append(e.keywords)
    return out


def to_markdown(view: ResumeView) -> str:
    lines: list[str] = []
    if view.name:
        lines.append(f"# {md_escape(view.name)}")
    if view.label:
        lines += ["", f"**{md_escape(view.label)}**"]
    if view.contacts:
        parts = [
            f"[{md_escape(c.text)}](<{c.url}>)" if c.url and ">" not in c.url else md_escape(c.text)
            for c in view.contacts
        ]
        lines += ["", " · ".join(parts)]
    for s in view.sections:
        lines += ["", f"## {md_escape(s.title)}", ""]
        if s.text:
            lines.append(md_escape(s.text))
        for t in s.tags:
            lines.append(f"- **{md_escape(t.name)}**" + (f": {md_escape(t.detail)}" if t.detail else ""))
        for i, e in enumerate(s.entries):
            if i:
                lines.append("")
            head = md_escape(e.title) if e.title else ""
            rest = " · ".join(md_escape(p) for p in (e.subtitle, e.link, e.dates, e.location) if p)
            lines.append(f"### {head}" + (f" — {rest}" if rest and head else rest))
            if e.summary:
                lines += ["", md_escape(e.summary)]
            if e.bullets:
                lines.append("")
                lines += [f"- {md_escape(b)}" for b in e.bullets]
            if e.keywords:
                lines += ["", f"*{md_escape(e.keywords)}*"]
    return "\n".join(lines).strip() + "\n"


def _normalise(value: Any, depth: int = 0) -> Any:
    if depth > 8:
        return None
    if isinstance(value, Mapping):
        out = {str(k): _normalise(v, depth + 1) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        items = [_normalise(v, depth + 1) for v in value]
        return [v for v in items if v not in (None, "", [], {})]
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, bool | int | float) or value is None:
        return value
    return None


def to_json_resume(resume: Mapping[str, Any]) -> str:
    """The input with text tidied (NFC, no control characters, trimmed) and empty fields dropped."""
    data = _normalise(resume)
    if "$schema" not in data:
        data = {
            "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
            **data,
        }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
