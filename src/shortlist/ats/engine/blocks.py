"""Lines in reading order -> sections (by their headings) -> entries (by header lines, dates and gaps)."""

from __future__ import annotations

import re
import statistics
from dataclasses import replace

from shortlist.ats.engine.dates import (
    DATE_TOKEN,
    DURATION_UNIT_ALONE,
    MONTH_WORD,
    PRESENT_PATTERN,
    first_range,
)
from shortlist.ats.engine.layout import Line
from shortlist.ats.engine.lists import merge_into
from shortlist.ats.engine.sections import Section, heading_key, looks_like_heading_text
from shortlist.ats.engine.wraps import join_wrapped

URL_PIECE = re.compile(r"(?:https?://|www\.|github\.com/|gitlab\.com/)\S+", re.IGNORECASE)
_PAGE_NUMBER = re.compile(
    r"^(?:page|seite|página|pagina|p\.)?\s*\d{1,3}(?:\s*(?:/|of|von|de|di|sur)\s*\d{1,3})?$", re.I
)


def _body_size(lines: list[Line]) -> float:
    sizes = [ln.size for ln in lines if ln.size > 0 for _ in range(max(len(ln.text) // 20, 1))]
    return statistics.median(sizes) if sizes else 10.0


def split_sections(lines: list[Line]) -> tuple[list[Section], list[str], list[str]]:
    body = _body_size(lines)
    sections = [Section("header", "")]
    headings: list[str] = []
    unknown: list[str] = []
    seen_first_heading = False
    plain = not any(ln.bold or ln.style_heading for ln in lines)
    # Without bold (plain text, or a PDF whose fonts hide their weight) a heading may still stand out by size;
    # where sizes vary, an upper-case line of body size ("CNCF" under a certificate) is not one.
    sized = len({round(ln.size) for ln in lines}) > 1
    # A styled line smaller than every recognised section heading is an entry's title (Word's Heading 2
    # under Heading 1 sections), not an unknown section.
    known_sizes = [
        ln.size
        for ln in lines
        if (ln.bold or ln.style_heading) and len(ln.text.split()) <= 6 and heading_key(ln.text.strip())
    ]
    smallest_heading = min(known_sizes) if len(known_sizes) >= 2 else 0.0
    usual_heading = statistics.median(known_sizes) if len(known_sizes) >= 2 else 0.0
    # Each column has its own heading style (a sidebar's small caps, the main column's larger type): an
    # unknown styled line smaller than every known heading of its own column is an entry's line.
    outranked = _outranked_headings(lines)
    column_sizes: dict[int, list[float]] = {}
    for n, ln in enumerate(lines):
        styled = ln.bold or ln.style_heading or ln.size > body + 0.9  # headings set large, not bold
        if styled and n not in outranked and len(ln.text.split()) <= 6 and heading_key(ln.text.strip()):
            column_sizes.setdefault(ln.column, []).append(ln.size)
    smallest_in = {c: min(sizes) for c, sizes in column_sizes.items() if len(sizes) >= 2}
    skip = -1
    for i, line in enumerate(lines):
        if i == skip:
            continue
        text = line.text.strip()
        words = len(text.split())
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if (
            nxt is not None
            and not line.is_bullet
            and words <= 3
            and nxt.bold == line.bold
            and abs(nxt.size - line.size) < 0.5
            and len(nxt.text.split()) <= 3
            and (nxt.text.isupper() or nxt.bold or nxt.style_heading)
            and heading_key(join_wrapped(text, nxt.text.strip())) is not None
        ):
            # A heading wrapped in a narrow column ("COMPETENZE" / "TECNICHE", "TECH-" / "NIQUES").
            title = join_wrapped(text, nxt.text.strip())
            key = heading_key(title)
            assert key is not None
            sections.append(Section(key, title, heading_index=i))
            headings.append(sections[-1].title)
            line.section = nxt.section = key
            seen_first_heading = True
            skip = i + 1
            continue
        if (
            i in outranked
            and nxt is not None
            and line.bottom > 0
            and (nxt.page, nxt.top) == (line.page, line.top)
        ):
            # A label split off its row as a side heading ("Languages   Python   Go") goes back on the row.
            line.section = nxt.section = sections[-1].key
            sections[-1].lines.append(
                replace(nxt, text=f"{text} {nxt.text}", parts=[text, *nxt.parts], x0=line.x0, bold=False)
            )
            skip = i + 1
            continue
        if line.in_margin:
            # Running headers/footers belong to no section; contact details there are still read.
            line.section = "header"
            if not _PAGE_NUMBER.match(text):
                sections[0].lines.append(line)
            continue
        key = heading_key(text) if not line.is_bullet and words <= 6 and i not in outranked else None
        if (
            key is not None
            and usual_heading
            and line.size < usual_heading - 0.4
            and not (line.bold or line.style_heading or text.isupper())
        ):
            key = None  # "Languages:" opening a skills group, set as body text where headings are larger
        if key is not None and (words <= 3 or line.bold or line.style_heading or text.isupper()):
            sections.append(Section(key, text, heading_index=i))
            headings.append(text)
            seen_first_heading = True
            line.section = key
            continue
        styled = line.style_heading or (line.bold and (text.isupper() or line.size > body + 0.9))
        # Plain text has no bold: a short capitalised line after a blank line is its heading style.
        styled = styled or (
            plain
            and text.isupper()
            and len(text) >= 4
            and line.gap_before >= 1.0
            and (not sized or line.size > body + 0.9)
        )
        if (
            seen_first_heading
            and styled
            and not line.is_bullet
            and looks_like_heading_text(text)
            and not first_range(text)
            and (line.gap_before >= 0.5 or line.style_heading)
            and line.size >= smallest_heading - 0.4
            and line.size >= smallest_in.get(line.column, 0.0) - 0.4
        ):
            sections.append(Section("other", text, heading_index=i))
            unknown.append(text)
            line.section = "other"
            continue
        line.section = sections[-1].key
        sections[-1].lines.append(line)
    return sections, headings, unknown


def _outranked_headings(lines: list[Line]) -> set[int]:
    """Lines that name a section also named by a clearly stronger heading elsewhere (a skills group titled
    "Languages" in body type, the Languages section's heading set larger or as a heading style): the weaker
    one is a label inside a section, not the section's start."""
    named: dict[str, list[int]] = {}
    for i, ln in enumerate(lines):
        key = heading_key(ln.text.strip()) if not ln.is_bullet and len(ln.text.split()) <= 6 else None
        if key is not None:
            named.setdefault(key, []).append(i)
    out: set[int] = set()
    for found in named.values():
        if len(found) < 2:
            continue
        strongest = max(found, key=lambda i: (lines[i].style_heading, lines[i].size))
        top = lines[strongest]
        for i in found:
            ln = lines[i]
            if (top.style_heading and not ln.style_heading) or ln.size < top.size - 0.4:
                out.add(i)
    return out


def is_prose(line: Line) -> bool:
    text = line.text.strip()
    if len(line.parts) > 1 or first_range(text) is not None:
        return False
    return len(text) > 90 or (text.endswith(".") and len(text.split()) > 5)


# A line cut inside a date range ends with a date, a month word or a dash ("… Aug 2023 – May").
_OPEN_DATE_END = re.compile(r"(?:" + DATE_TOKEN + "|" + MONTH_WORD + r"|[–—-])\s*$", re.IGNORECASE)
_DATE_FRAGMENT = re.compile(
    r"^[\s–—\-]*(?:"
    + DATE_TOKEN
    + "|"
    + PRESENT_PATTERN
    + r")?[\s–—\-]*(?:"
    + DATE_TOKEN
    + "|"
    + PRESENT_PATTERN
    + r")?\s*$",
    re.IGNORECASE,
)


def merge_date_wraps(lines: list[Line]) -> list[Line]:
    """'... Aug 2023 – May' + '2025' (a date range wrapped in a narrow column) -> one line."""
    out: list[Line] = []
    for line in lines:
        text = line.text.strip()
        # "– Sep 2020" opens with a dash, so it may have been taken for a bullet: the date pattern decides.
        if (
            out
            and not out[-1].is_bullet
            and len(text) <= 24
            and re.search(r"\d", text)
            and _DATE_FRAGMENT.match(text)
            and _OPEN_DATE_END.search(out[-1].text)
        ):
            merge_into(out, line)
            continue
        if (
            out
            and not out[-1].is_bullet
            and DURATION_UNIT_ALONE.fullmatch(text)
            and re.search(r"\d\s*$", out[-1].text)
            and first_range(out[-1].text) is not None
        ):
            merge_into(out, line)  # "… Jun 2025 2 years 10" + "months": the duration wrapped
            continue
        out.append(line)
    return out


def split_entries(lines: list[Line]) -> list[list[Line]]:
    """Entries within a section: a new entry starts where a header-like line follows bullets or prose,
    where a second date range appears, or after a clear vertical gap."""
    entries: list[list[Line]] = []
    cur: list[Line] = []
    has_date = has_body = False
    for line in merge_date_wraps(lines):
        if line.is_bullet or (is_prose(line) and cur):
            cur.append(line)
            has_body = True
            continue
        line_date = first_range(line.text) is not None
        new = False
        if cur:
            prev = cur[-1]
            if (
                has_body
                or (line_date and has_date)
                or (has_date and line.gap_before >= 0.9 and prev.gap_before < 2.5)
                or (has_date and line.bold and not prev.bold and len(cur) >= 2)
                # Entries that open with a bold title: the next bold title after plain lines opens another.
                or (line.bold and not prev.bold and cur[0].bold and len(cur) >= 2 and not line_date)
                or (URL_PIECE.search(line.text) and any(URL_PIECE.search(c.text) for c in cur))
            ):
                new = True
        if new:
            entries.append(cur)
            cur, has_date, has_body = [], False, False
        cur.append(line)
        has_date = has_date or line_date
    if cur:
        entries.append(cur)
    return _headers_before_their_dates(entries)


def _date_only(line: Line) -> bool:
    found = first_range(line.text)
    if found is None or line.is_bullet:
        return False
    rest = line.text[: found.span[0]] + line.text[found.span[1] :]
    return re.search(r"[^\W\d_]{4,}", rest) is None  # "· 3 yrs" may ride along; a name may not


def _headers_before_their_dates(entries: list[list[Line]]) -> list[list[Line]]:
    """[title A, dates A, title B] + [dates B]: entries set out as a title with its dates on the line below,
    closer together than the gap that would have split them. A lone date line owns the title above it."""
    for k in range(1, len(entries)):
        prev = entries[k - 1]
        if (
            len(entries[k]) >= 1
            and _date_only(entries[k][0])
            and len(prev) >= 3
            and _date_only(prev[-2])
            and not prev[-1].is_bullet
            and first_range(prev[-1].text) is None
        ):
            entries[k].insert(0, prev.pop())
    return entries
