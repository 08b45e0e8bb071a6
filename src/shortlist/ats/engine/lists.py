"""List-like sections (skills, languages, certificates) and the line merges narrow layouts need."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from shortlist.ats.engine.dates import find_ranges
from shortlist.ats.engine.layout import BULLET_RE, Line
from shortlist.ats.engine.lexicon import FLUENCY_WORDS, LANGUAGE_NAMES
from shortlist.ats.engine.skills.aliases import TECH
from shortlist.ats.engine.wraps import join_wrapped

_LIST_SPLIT = re.compile(r"\s*(?:,|;|\||•|·|/(?=\s)|\s{2,}|\t)\s*")


def clean_bullet(text: str) -> str:
    return BULLET_RE.sub("", text, count=1).strip()


def merge_into(out: list[Line], cur: Line) -> None:
    """Replace the last line of ``out`` by a copy joined with ``cur`` (the document's lines stay as read)."""
    prev = out[-1]
    parts = list(prev.parts) or [prev.text]
    parts[-1] = join_wrapped(parts[-1], cur.text)
    out[-1] = replace(prev, text=join_wrapped(prev.text, cur.text), parts=parts)


def merge_field(out: list[Line], cur: Line) -> None:
    """Like ``merge_into``, but the joined line was a field of its own (an issuer, a date): a separator keeps
    the boundary the layout drew, so "AWS Certified Developer" + "Amazon" does not read as one name."""
    prev = out[-1]
    parts = [*(prev.parts or [prev.text]), cur.text]
    out[-1] = replace(prev, text=f"{prev.text} — {cur.text}", parts=parts)


# What a certificate's detail line holds alone: an issuer or a date, never a list ("CKA, CNCF, 2022").
_DETAIL_SEPARATOR = re.compile(r"[,;(|·]|(?:^|\s)[—–-](?:\s|$)")


def _is_detail(line: Line) -> bool:
    text = line.text.strip()
    for found in reversed(find_ranges(text)):  # "CNCF (2022)": the date's brackets are no separator
        text = text[: found.span[0]] + text[found.span[1] :]
    text = re.sub(r"\(\s*\)", "", text).strip()
    return not line.is_bullet and len(text.split()) <= 8 and not _DETAIL_SEPARATOR.search(text)


def _dated_head(line: Line) -> bool:
    """A name with its date set apart at the right ("Certified Kubernetes Administrator      2022")."""
    if len(line.parts) < 2:
        return False
    last = line.parts[-1].strip()
    found = find_ranges(last)
    return bool(found) and not (last[: found[0].span[0]] + last[found[-1].span[1] :]).strip(" ()–—-")


def group_entries(lines: list[Line]) -> list[Line]:
    """Certificates laid out as entries -> one line each. An entry opens with its name, told apart by bold
    type or by a date set at the right, and its issuer (and date) follow on lines of their own. A plain list
    (no such openers, or every line one) stays as read."""
    if not lines:
        return lines
    if lines[0].bold and not all(ln.bold for ln in lines):

        def opens(line: Line) -> bool:
            return line.bold
    elif _dated_head(lines[0]):
        opens = _dated_head
    else:
        return lines
    out: list[Line] = []
    for line in lines:
        if out and not opens(line) and _is_detail(line):
            merge_field(out, line)
        else:
            out.append(line)
    return out


def column_edges(lines: list[Line]) -> dict[int, float]:
    """The right edge of each column of text (pages share their margins): where a wrapped line has run to."""
    edges: dict[int, float] = {}
    for ln in lines:
        edges[ln.column] = max(edges.get(ln.column, 0.0), ln.x1)
    return edges


def merge_list_wraps(lines: list[Line], key: str, edges: dict[int, float] | None = None) -> list[Line]:
    """Skills and certificate lines wrapped in a narrow column continue the previous item. ``edges`` (from
    ``column_edges`` over the whole document) tells a wrapped line from a short one that ends a field."""
    out: list[Line] = []
    dated = sum(1 for ln in lines if re.search(r"\d{4}\)?\s*$", ln.text))
    categorised = sum(1 for ln in lines if re.match(r"^[^:]{2,40}:\s", clean_bullet(ln.text)))
    right = max((ln.x1 for ln in lines), default=0.0)
    left = min((ln.x0 for ln in lines), default=0.0)
    # One comma list wrapped over several lines: most lines end with a comma, so every line continues
    # the one before it (a line without the comma was cut inside an item: "Django REST" / "Framework").
    comma_ended = sum(1 for ln in lines[:-1] if ln.text.rstrip().endswith(","))
    wrapped_list = (
        key == "skills" and not categorised and len(lines) > 2 and comma_ended * 2 >= len(lines) - 1
    )
    for line in lines:
        text = clean_bullet(line.text)
        if out and wrapped_list and not line.is_bullet:
            merge_into(out, line)
            continue
        if out and not (line.is_bullet and BULLET_RE.match(line.text)):
            prev = out[-1].text
            # A line that ran to the column's right edge was wrapped: the next line continues it.
            full = (
                right > 0
                and out[-1].x1 >= right - 0.15 * (right - left)
                and out[-1].page == line.page
                and not _would_fit(out[-1], text, (edges or {}).get(out[-1].column, right))
            )
            if full and key in ("skills", "languages") and not re.match(r"^[^:,]{2,40}:\s", text):
                merge_into(out, line)
                continue
            if key == "skills" and categorised >= 2 and ":" not in text:
                merge_into(out, line)
                continue
            if (
                key == "certificates"
                and dated
                and re.search(r"\d{4}\)?\s*$", lines[-1].text)
                and not re.search(r"\d{4}\)?\s*$", prev)
            ):
                # Every certificate ends with its date: a line before the date continues the certificate,
                # as a wrapped name when it ran to the column's edge, else as a field of its own (issuer).
                edge = (edges or {}).get(out[-1].column, right)
                wrapped = edge > 0 and out[-1].x1 >= edge - 0.15 * (edge - left)
                # A name that already has its issuer ("CKA — CNCF") takes the rest as a wrap ("Services").
                if wrapped or not _is_detail(line) or _DETAIL_SEPARATOR.search(prev):
                    merge_into(out, line)
                else:
                    merge_field(out, line)
                continue
            if prev.rstrip().endswith((",", "&", "/")) or (text[:1].islower() and key != "languages"):
                merge_into(out, line)
                continue
        out.append(line)
    return out


_LABEL = re.compile(r"^[^\W\d][^,;:()|]{0,30}$")


def label_rows(lines: list[Line]) -> list[Line]:
    """A row of a two-column table ("Cloud      AWS, Docker", "English      Native": a label, a gap, its
    values) reads as "Cloud: AWS, Docker", the form the list parsers know. Where the labels are written
    with their colon, a gap is only a wrap in newspaper columns ("Tools: Git, GitHub   C#, Actions")."""
    if any(re.match(r"^[^:,]{2,40}:\s", clean_bullet(ln.text)) for ln in lines):
        return lines
    out = []
    for line in lines:
        # Two cells only: a row of three or more is a row of items (skill chips, a table of languages).
        cells = [clean_bullet(part) for part in line.parts]
        label = cells[0] if len(cells) == 2 else ""
        if all(cell.lower() in LANGUAGE_NAMES for cell in cells) or all(
            _FLUENCY_RE.fullmatch(cell) for cell in cells
        ):
            label = ""  # a row of languages, or the row of their levels below it: paired later
        if label and _LABEL.match(label) and len(label.split()) <= 4:
            text = f"{label}: {' '.join(line.parts[1:])}"
            line = replace(line, text=text, parts=[text])
        out.append(line)
    return out


def _would_fit(prev: Line, text: str, edge: float) -> bool:
    """Whether the next line's first word had room at the end of ``prev``: then the break was the writer's
    (one item a line in a narrow column), not a wrap."""
    words = text.split()
    if not words or prev.x1 <= prev.x0 or not prev.text:
        return False
    char = (prev.x1 - prev.x0) / len(prev.text)
    return prev.x1 + (len(words[0]) + 1) * char <= edge


def split_list(text: str) -> list[str]:
    """Split a skills line on commas, semicolons, bars, bullets; never inside parentheses."""
    protected = re.sub(r"\([^()]*\)", lambda m: m.group(0).replace(",", "\x00").replace(";", "\x01"), text)
    items = [i.strip(" .").replace("\x00", ",").replace("\x01", ";") for i in _LIST_SPLIT.split(protected)]
    return [i for i in items if i and len(i) < 60]


_TECH_NAMES = frozenset(alias.rstrip("!").lower() for name, _, aliases in TECH for alias in (name, *aliases))
_SEPARATED = re.compile(r"[,;|•·]")


def _spaced_items(line: Line) -> tuple[str | None, list[str]] | None:
    """Items set apart by wide gaps or tabs, no separator written (chips, a row of a skills table); a
    first cell that is no skill while others are is the group's name ("Data   Snowflake   Airflow")."""
    parts = [clean_bullet(p) for p in line.parts]
    if len(parts) < 2:
        return None
    named = parts[0].lower() not in _TECH_NAMES and not _SEPARATED.search(parts[0]) and len(parts[0]) <= 40
    if len(parts) == 2 and named and _SEPARATED.search(parts[1]):
        return parts[0].rstrip(":"), split_list(parts[1])  # "Languages   Python, Go" (a table's row)
    if _SEPARATED.search(line.text) or any(len(p.split()) > 4 for p in parts):
        return None
    if named and any(p.lower() in _TECH_NAMES for p in parts[1:]):
        return parts[0].rstrip(":"), parts[1:]
    return None, parts


def parse_skills(lines: list[Line], conf: dict[str, float]) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    loose: list[str] = []
    # Bold titles over plain item lines ("Data" above "Kafka", "Snowflake"): each titles a group.
    titled = any(ln.bold for ln in lines) and not all(ln.bold for ln in lines)
    current: dict[str, Any] | None = None
    for line in lines:
        text = clean_bullet(line.text)
        m = re.match(r"^([^:]{2,40}):\s*(.+)$", text)
        if m:
            keywords = split_list(m.group(2))
            if keywords:
                groups.append({"name": m.group(1).strip(), "keywords": keywords})
                current = None
                continue
        spaced = _spaced_items(line)
        if spaced is not None:
            name, items = spaced
            if name is None:
                (current["keywords"] if current else loose).extend(items)
            else:
                groups.append({"name": name, "keywords": items})
                current = None
            continue
        if titled and line.bold and not _SEPARATED.search(text) and len(text.split()) <= 4:
            current = {"name": text.rstrip(":"), "keywords": []}
            groups.append(current)
            continue
        (current["keywords"] if current else loose).extend(split_list(text))
    groups = [g for g in groups if g["keywords"]]
    if loose:
        groups.append({"name": "Skills", "keywords": loose})
    for i in range(len(groups)):
        conf[f"skills[{i}]"] = 0.85
    return groups


_PAIR = re.compile(r"(?:^|\s)[^\W\d_][\w-]*:\s")
_PAIR_SPLIT = re.compile(r"\s+(?=[^\W\d_][\w-]*:\s)")


def _pair_language_rows(lines: list[Line]) -> list[Line]:
    """A table with a column per language: a row of languages over a row of their levels ("German  English"
    over "Fluent  Native") pairs them cell by cell."""
    out: list[Line] = []
    skip = False
    for i, line in enumerate(lines):
        below = lines[i + 1] if i + 1 < len(lines) else None
        if skip:
            skip = False
            continue
        names = [clean_bullet(p) for p in line.parts]
        levels = [clean_bullet(p) for p in below.parts] if below is not None else []
        if (
            len(names) >= 2
            and len(levels) == len(names)
            and all(n.lower() in LANGUAGE_NAMES for n in names)
            and all(_FLUENCY_RE.fullmatch(v) for v in levels)
        ):
            pairs = [f"{n} ({v})" for n, v in zip(names, levels, strict=True)]
            out.append(replace(line, text=", ".join(pairs), parts=[", ".join(pairs)]))
            skip = True
            continue
        out.append(line)
    return out


def _language_items(line: Line) -> list[str]:
    """'English (Native), German (B2)' -> one item each; cells set apart by gaps or tabs ('Polish   Native')
    pair a language with its level."""
    parts = [clean_bullet(p) for p in line.parts if p.strip(" ·|•")]
    if len(parts) >= 2 and len(parts) % 2 == 0:
        pairs = list(zip(parts[::2], parts[1::2], strict=True))
        if all(a.lower() in LANGUAGE_NAMES and _FLUENCY_RE.search(b) for a, b in pairs):
            return [f"{a} ({b})" for a, b in pairs]
    text = clean_bullet(line.text)
    if len(_PAIR.findall(text)) >= 2 and not re.search(r"[,;|•·]", text):
        # "English: Native    German: Fluent": pairs set apart by space alone.
        return [i for i in _PAIR_SPLIT.split(text) if i.strip()]
    if text.count("(") <= 1 and not re.search(r"[,;|•·]", text):
        return [text]
    return re.split(r"\s*[,;|•·]\s*(?![^()]*\))", text)


_FLUENCY_RE = re.compile("|".join(re.escape(w) for w in sorted(FLUENCY_WORDS, key=len, reverse=True)), re.I)


def parse_languages(lines: list[Line], conf: dict[str, float]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    lines = _pair_language_rows(lines)
    for line in lines:
        for item in _language_items(line):
            item = item.strip()
            if not item:
                continue
            if out and "fluency" not in out[-1] and _FLUENCY_RE.fullmatch(item):
                # A level on a line (or in a cell) of its own, under its language.
                out[-1]["fluency"] = item
                continue
            m = re.match(r"^([A-Za-zÀ-ÿ]+(?: [A-Za-zÀ-ÿ]+)?)\s*(?:[:\-–—(]\s*(.*?)\)?\s*)?$", item)
            if not m:
                continue
            language, fluency = m.group(1).strip(), (m.group(2) or "").strip(" )")
            if language.lower() not in LANGUAGE_NAMES and not _FLUENCY_RE.search(fluency or "~"):
                continue
            entry = {"language": language}
            if fluency:
                entry["fluency"] = fluency
            conf[f"languages[{len(out)}]"] = 0.9 if language.lower() in LANGUAGE_NAMES else 0.6
            out.append(entry)
    return out


_CERT_LEVEL = re.compile(
    r"(?:associate|professional|expert|specialty|foundation(?:al)?|practitioner|advanced|"
    r"level\s*\d|part\s*\d|[ivx]{1,3})",
    re.IGNORECASE,
)


def parse_certificates(lines: list[Line], conf: dict[str, float]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    # A date alone on its line (a table's date cell) belongs to the certificate beside it: the next one
    # where the list opens with a date, else the one before.
    pending: str | None = None
    leading = False
    for i, line in enumerate(lines):
        text = clean_bullet(line.text)
        entry: dict[str, Any] = {}
        ranges = find_ranges(text)
        if ranges and ranges[-1].start:
            entry["date"] = ranges[-1].start
            text = (text[: ranges[-1].span[0]] + text[ranges[-1].span[1] :]).strip(" ,()–—-|·")
        text = re.sub(r"\(\s*\)", "", text).strip()
        pieces = [
            p for p in re.split(r"\s+(?:—|–|-|\||·|by|von|par|por|da)\s+|\s*[,(]\s*", text) if p.strip(" )")
        ]
        if not pieces:
            leading = leading or i == 0
            if "date" in entry and leading:
                pending = entry["date"]
            elif "date" in entry and out and "date" not in out[-1]:
                out[-1]["date"] = entry["date"]
            continue
        if pending is not None and "date" not in entry:
            entry["date"] = pending
        pending = None
        entry["name"] = pieces[0].strip(" )")
        rest = [p.strip(" )") for p in pieces[1:]]
        # "AWS Certified Solutions Architect – Associate": a level belongs to the name, not the issuer.
        while rest and _CERT_LEVEL.fullmatch(rest[0]):
            entry["name"] += f" – {rest.pop(0)}"
        if rest:
            entry["issuer"] = rest[0]
        conf[f"certificates[{len(out)}].name"] = 0.85
        out.append(entry)
    return out
