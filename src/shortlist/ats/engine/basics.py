"""The header block: name, headline and contact details (plus the summary section)."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import replace
from typing import Any

from shortlist.ats.engine.contact import contact_to_basics, extract_contact, find_location
from shortlist.ats.engine.lang import DEFAULT_REGION, detect_language
from shortlist.ats.engine.layout import Line
from shortlist.ats.engine.lists import clean_bullet
from shortlist.ats.engine.sections import Section, heading_key
from shortlist.ats.engine.titles import title_score
from shortlist.ats.engine.wraps import join_lines, join_wrapped


def _is_name(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 5 or any(ch.isdigit() for ch in text) or re.search(r"[@|:]", text):
        return False  # "Residence: Berlin" is a labelled field, not a name
    if heading_key(text) is not None or title_score(text) > 0:
        return False
    return all(
        w[0].isupper() or w.lower() in ("de", "da", "van", "von", "der", "di", "la", "del", "dos")
        for w in words
    )


def _style_size(size: float) -> float:
    """Sizes to the half point: a headline at 11.5 pt is not set like a 12.4 pt section title."""
    return round(size * 2) / 2


def _icons_as_separators(text: str) -> str:
    """Icons before contact items (✉ ☎ ⌂, icon-font glyphs) separate the items like ' | ' would."""
    out = "".join(" | " if unicodedata.category(ch) in ("So", "Co", "Cn", "Cc") else ch for ch in text)
    return out.strip(" |") if out != text else text


_TLD_CONTINUES = re.compile(r"\.[A-Za-z]{2,24}")


def _join_url_wraps(lines: list[Line]) -> list[Line]:
    """'github.com/' + 'jane' (a link broken at a slash by a narrow layout) -> one line."""
    out: list[Line] = []
    edges: dict[tuple[int, int], float] = {}
    for line in lines:
        edges[(line.page, line.column)] = max(edges.get((line.page, line.column), 0.0), line.x1)
    for line in lines:
        ends = out[-1].text.rstrip() if out else ""
        text = line.text.strip()
        last_word = ends.rsplit(" ", 1)[-1]
        if (
            out
            and "@" in last_word
            and " " not in text
            and "@" not in text
            and (
                # "ada@mail.example" + ".org": a table cell wrapped the address before its last dot.
                _TLD_CONTINUES.fullmatch(text)
                # "ada@mail.exam" + "ple.org": an address broken where a narrow column ran out, with no mark.
                or (
                    text[:1].islower()
                    and out[-1].x1 > 0
                    and (
                        out[-1].x1 >= edges[(out[-1].page, out[-1].column)] - 0.6 * max(out[-1].size, 1)
                        or ("." not in text and len(text) <= 4)  # "…@mail.example.o" + "rg"
                    )
                )
            )
        ):
            prev = out[-1]
            out[-1] = Line(text=prev.text.rstrip() + text, page=prev.page, size=prev.size)
            continue
        if out and re.fullmatch(r"[|·•,;]-", last_word):
            # "… github.com/ada |-" + "ada.dev": a typesetter's hyphen after a separator, not a broken link.
            prev = out[-1]
            out[-1] = Line(text=f"{prev.text.rstrip()[:-1]} {text}", page=prev.page, size=prev.size)
            continue
        if out and (ends.endswith("/") or (ends.endswith(("-", ".")) and " " not in text)):
            prev = out[-1]
            out[-1] = Line(text=prev.text.rstrip() + text, page=prev.page, size=prev.size)
            continue
        if out and ends.endswith("-") and "/" in last_word and text[:1].islower():
            # "linkedin.com/in/amarao-" + "kafor | …": a link hyphenated by the typesetter.
            prev = out[-1]
            out[-1] = Line(text=prev.text.rstrip()[:-1] + text, page=prev.page, size=prev.size)
            continue
        out.append(line)
    return out


def _apart(line: Line) -> str:
    """Items set apart by tabs or wide gaps ("ada@x.org <tab> +46 70 … <tab> Stockholm, Sweden") read as
    separated; a line with written separators, or a justified one (every word apart), stays as it is."""
    if (
        len(line.parts) > 1
        and len(line.parts) * 2 <= len(line.text.split())
        and not re.search(r"[|·•]", line.text)
    ):
        return " | ".join(line.parts)
    return line.text


def _join_name_wraps(lines: list[Line]) -> tuple[list[Line], dict[int, Line]]:
    """A name set large in a narrow band wraps ("Jean-Baptiste" / "Lefèvre", "Mateus Albu-" / "querque"):
    two adjacent lines of the largest type that together read as a name are one line. Also returns, for each
    joined line, the last line it took (the headline is looked for after it)."""
    sized = [ln for ln in lines if ln.bottom > 0]
    last: dict[int, Line] = {}
    if not sized:
        return lines, last
    biggest = max(ln.size for ln in sized)
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.bottom > 0
            and prev.size >= biggest - 0.1
            and abs(line.size - prev.size) < 0.1
            and line.bold == prev.bold
            and line.page == prev.page
            and -0.4 * line.size <= line.top - prev.bottom < 0.8 * line.size
            and _is_name(join_wrapped(prev.text, line.text))
            and not (_is_name(prev.text) and _is_name(line.text))
        ):
            joined = replace(prev, text=join_wrapped(prev.text, line.text), parts=[], bottom=line.bottom)
            last[id(joined)] = line
            out[-1] = joined
            continue
        out.append(line)
    return out, last


def parse_basics(sections: list[Section], all_lines: list[Line], conf: dict[str, float]) -> dict[str, Any]:
    header = next((s for s in sections if s.key == "header"), None)
    head_lines = header.lines if header else []
    contact_lines = [ln for s in sections if s.key == "contact" for ln in s.lines]
    index = {id(ln): i for i, ln in enumerate(all_lines)}
    basics: dict[str, Any] = {}
    # How the document sets its section titles: a header line set the same way is a title, not a headline.
    heading_styles = {
        (_style_size(all_lines[s.heading_index].size), all_lines[s.heading_index].bold)
        for s in sections
        if s.heading_index is not None and 0 <= s.heading_index < len(all_lines)
    }
    body_style = Counter((_style_size(ln.size), ln.bold) for ln in all_lines).most_common(1)
    heading_styles -= {style for style, _ in body_style}
    candidates, wrapped = _join_name_wraps(
        [ln for ln in head_lines[:8] if not ln.in_margin] or head_lines[:8]
    )
    name_line: Line | None = None
    if candidates:
        biggest = max(ln.size for ln in candidates)
        ranked = sorted(
            candidates, key=lambda ln: (-(ln.size >= biggest - 0.1 and _is_name(ln.text)), -_is_name(ln.text))
        )
        name_line = ranked[0] if _is_name(ranked[0].text) else None
        first = candidates[0].text
        # Without a name-like line, the first line stands in, unless it is a labelled field or a contact
        # detail ("Residence: Berlin", "Phone +49 …" in a table): a name has neither a colon nor digits.
        if name_line is None and first and len(first.split()) <= 5 and not re.search(r"[:@\d|]", first):
            name_line = candidates[0]
    if name_line is not None:
        basics["name"] = name_line.text.strip()
        conf["basics.name"] = (
            0.95 if _is_name(name_line.text) and name_line.size >= max(ln.size for ln in candidates) else 0.7
        )
        pos = head_lines.index(wrapped.get(id(name_line), name_line))
        # The headline is the first plain line under the name; contact lines in between are skipped.
        # A headline may share its row with a contact item set beside it: each part is looked at.
        pieces = [(ln, part) for ln in head_lines[pos + 1 : pos + 5] for part in (ln.parts or [ln.text])]
        for ln, part in pieces:
            text = part.strip()
            contact_like = (
                "@" in text
                or re.search(r"\d{3}|\+?\d[\d ().-]{6,}\d", text) is not None
                or find_location(text) is not None
                or re.search(r"\.(com|io|dev|org|net)\b|linkedin|github|https?://", text, re.I) is not None
            )
            if contact_like:
                continue
            if (
                len(text) < 80
                and not text.endswith((".", "!", "?"))
                and heading_key(text) is None
                and (_style_size(ln.size), ln.bold) not in heading_styles
            ):
                basics["label"] = text
                conf["basics.label"] = 0.7
            break
    ordered = _join_url_wraps(head_lines + contact_lines)
    ordered_ids = {id(ln) for ln in ordered}
    rest = [
        ln
        for ln in all_lines
        if id(ln) not in ordered_ids and ln.section not in ("work", "projects", "education")
    ]
    texts = [(index.get(id(ln), -1), _icons_as_separators(_apart(ln))) for ln in ordered]
    region = DEFAULT_REGION[detect_language(" ".join(ln.text for ln in all_lines[:200]))]
    contact = extract_contact(texts, region)
    if contact.phone is None and len(texts) > 1:
        # A number broken across two lines by a narrow layout ("+33 1" / "4361 2931").
        joined = [(a[0], f"{a[1]} {b[1]}") for a, b in itertools.pairwise(texts)]
        again = extract_contact(joined, contact.location.get("countryCode"))
        if again.phone:
            contact.phone = again.phone
            contact.evidence["phone"] = again.evidence["phone"]
    if contact.email is None or contact.phone is None:
        more = extract_contact(
            [(index.get(id(ln), -1), ln.text) for ln in rest], contact.location.get("countryCode")
        )
        contact.email = contact.email or more.email
        contact.phone = contact.phone or more.phone
        for key in ("email", "phone"):
            if key not in contact.evidence and key in more.evidence:
                contact.evidence[key] = more.evidence[key]
        if not contact.profiles:
            contact.profiles = more.profiles
    basics.update(contact_to_basics(contact))
    for key, value in (("email", 0.99), ("phone", 0.95), ("url", 0.8), ("location", 0.8), ("profiles", 0.95)):
        if key in basics:
            conf[f"basics.{key}"] = value
    summary = next((s for s in sections if s.key == "summary"), None)
    if summary and summary.lines:
        basics["summary"] = join_lines([clean_bullet(ln.text) for ln in summary.lines])
        conf["basics.summary"] = 0.9
    return basics
