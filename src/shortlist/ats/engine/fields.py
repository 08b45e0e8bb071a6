"""Lines in reading order -> JSON Resume fields, each with a confidence."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from shortlist.ats.engine.basics import parse_basics
from shortlist.ats.engine.blocks import URL_PIECE, is_prose, split_entries, split_sections
from shortlist.ats.engine.contact import find_location
from shortlist.ats.engine.dates import (
    DateRange,
    first_range,
    strip_duration,
)
from shortlist.ats.engine.layout import Line
from shortlist.ats.engine.lexicon import (
    DEGREE_PATTERNS,
    INSTITUTION_WORDS,
)
from shortlist.ats.engine.lists import (
    clean_bullet,
    column_edges,
    group_entries,
    label_rows,
    merge_into,
    merge_list_wraps,
    parse_certificates,
    parse_languages,
    parse_skills,
    split_list,
)
from shortlist.ats.engine.sections import Section
from shortlist.ats.engine.titles import org_score, title_score
from shortlist.ats.engine.wraps import join_lines, join_wrapped

_STRONG_SEP = re.compile(r"\s+(?:\||·|•|—|–|-|@|at|chez|bei|en|em|presso)\s+|\s*\|\s*|\t")
_DEGREE_RE = re.compile(r"(?<![\w])(?:" + "|".join(DEGREE_PATTERNS) + r")(?![\w])", re.IGNORECASE)
_SCORE_RE = re.compile(
    r"\b(?:C?GPA|Grade|Note|Nota|Notas|Voto|Mention|Score|Abschlussnote|Gesamtnote|Notendurchschnitt|"
    r"Durchschnitt|Moyenne|Promedio|Calificación|Classificação|成績|成绩|绩点)\s*[:：\-]?\s*"
    r"([0-9]+(?:[.,][0-9]+)?(?:\s*/\s*[0-9]+(?:[.,][0-9]+)?)?|[A-Za-zÀ-ÿ ]{3,20})"
    # Honours written without a label: "First Class", "magna cum laude", "with distinction".
    r"|\b((?:first[- ]class|upper second|lower second|2:1|2:2)(?: honou?rs)?|(?:summa |magna )?cum laude|"
    r"(?:with )?(?:high )?(?:distinction|honou?rs)|mit auszeichnung|très bien|sobresaliente|con lode)\b",
    re.IGNORECASE,
)
# A grade written alone under a degree: "3.8/4.0", "17/20", "110/110" (a date such as 04/2021 never gets here).
_BARE_SCORE = re.compile(r"[0-9]+(?:[.,][0-9]+)?\s*/\s*[0-9]{1,3}(?:[.,][0-9]+)?")


@dataclass
class Extraction:
    resume: dict[str, Any]
    confidence: dict[str, float]
    sections: list[Section]
    headings: list[str]
    unknown_headings: list[str]


# A separator left at the edge of a part ("· London" when the writer split the line into runs there).
_EDGE = " ,;:·•|–—"
# Words a title, a school or an employer never ends on: a line that does was wrapped inside the name.
_DANGLING = re.compile(r"\s(?:of|in|and|for|at|the|&|de|da|do|der|für|und|et|di)$", re.IGNORECASE)


def _pieces(text: str) -> list[str]:
    return [p.strip(_EDGE) for p in _STRONG_SEP.split(text) if p and p.strip(_EDGE)]


def _rejoin_dates(parts: list[str]) -> list[str]:
    """Justified text stretches spaces into gaps: "Mai" | "2023 – Aug." | "2023" is one date range."""
    out = list(parts)
    i = 0
    while i < len(out) - 1:
        joined = f"{out[i]} {out[i + 1]}"
        found = first_range(joined)
        if found is not None and found.span[0] < len(out[i]) < found.span[1]:
            alone = first_range(out[i])
            if (
                alone is None
                or (alone.end is None and not alone.current and found.end is not None)
                or (found.span[1] - found.span[0] > alone.span[1] - alone.span[0])
            ):
                out[i : i + 2] = [joined]
                continue
        i += 1
    return out


_BRACKETED_PLACE = re.compile(r"\s\(([^()\d]{2,40})\)\s*$")


def _header_pieces(header: list[Line]) -> tuple[list[str], DateRange | None, str | None]:
    """Split header lines into pieces, pulling out the date range and a location."""
    date: DateRange | None = None
    location: str | None = None
    pieces: list[str] = []
    for line in header:
        parts = _rejoin_dates(line.parts or [line.text])
        for part in parts:
            text = part
            if date is None:
                found = first_range(text)
                if found is not None:
                    date = found
                    text = (text[: found.span[0]] + " " + text[found.span[1] :]).strip(" ,|–—-()")
            text = strip_duration(text)
            for piece in _pieces(text):
                bracketed = _BRACKETED_PLACE.search(piece)
                if bracketed and (find_location(bracketed[1]) or _looks_like_place(bracketed[1])):
                    # "Acme Corp (Berlin)": the place in brackets after the organisation.
                    location = location or bracketed[1].strip()
                    piece = piece[: bracketed.start()].strip()
                sub = [s.strip() for s in piece.split(",") if s.strip()]
                # "Acme Corp, Berlin, Germany" -> organisation + location.
                for k in range(len(sub)):
                    tail = ", ".join(sub[k:])
                    loc = find_location(tail)
                    # The tail must start with the place itself ("Berlin, Germany"), not merely contain one.
                    if (
                        loc is not None
                        and loc.get("city", "").lower() == sub[k].lower()
                        and (k > 0 or len(sub) > 1 or _place_only(tail))
                    ):
                        if location is None:
                            location = tail
                        if k:
                            pieces.append(", ".join(sub[:k]))
                        break
                else:
                    if piece.lower() in ("remote", "hybrid"):
                        location = location or piece
                    else:
                        pieces.append(piece)
    if len(pieces) == 1 and "," in pieces[0]:
        # "Senior Developer, Zalando SE, Berlin" on one line: commas are the only separators.
        parts = [p.strip() for p in pieces[0].split(",") if p.strip()]
        if len(parts) > 1 and any(title_score(p) for p in parts):
            pieces = parts
    if location is None and len(pieces) >= 3 and org_score(pieces[-2]) and _looks_like_place(pieces[-1]):
        # "…, SAP SE, Walldorf": a short capitalised word after the organisation is its town.
        location = pieces.pop()
    return pieces, date, location


def _looks_like_place(text: str) -> bool:
    words = text.split()
    return (
        1 <= len(words) <= 3
        and all(w[:1].isupper() for w in words)
        and not title_score(text)
        and not org_score(text)
        and not any(ch.isdigit() for ch in text)
    )


def _place_only(text: str) -> bool:
    loc = find_location(text)
    return loc is not None and loc.get("city", "").lower() == text.split(",")[0].strip().lower()


def _dates_into(entry: dict[str, Any], date: DateRange | None, conf: dict[str, float], path: str) -> None:
    if date is None:
        return
    if date.start:
        entry["startDate"] = date.start
        conf[f"{path}.startDate"] = 0.9
    if date.end:
        entry["endDate"] = date.end
        conf[f"{path}.endDate"] = 0.9


def _join_wrapped_headers(header: list[Line], edges: dict[tuple[int, int], float]) -> list[Line]:
    """A header line that ran to the column's right edge without a date wrapped: "Junior Developer —
    Woodgrove" + "Bank, Austin June 2021 -" is one line (only positioned text knows where the edge is)."""
    out: list[Line] = []
    for line in header:
        prev = out[-1] if out else None
        right = edges.get((prev.page, prev.column), 0.0) if prev is not None else 0.0
        if (
            prev is not None
            and right > 0
            and prev.page == line.page
            and len(prev.parts) == 1
            and prev.x1 >= right - 2 * max(prev.size, 1)
            and first_range(prev.text) is None
            and not prev.text.rstrip().endswith(tuple(_EDGE))
            and line.gap_before < 0.8
        ):
            merge_into(out, line)
            continue
        if (
            prev is not None
            and len(prev.parts) <= 1
            and prev.page == line.page
            and line.gap_before < 0.8
            and first_range(prev.text) is None
            and _DANGLING.search(prev.text)
        ):
            # "Data Science (MSc), Indian Institute of" + "Technology Bombay 2015 – 2018": a name never ends
            # on "of" or "in"; the line wrapped inside it wherever the edge was.
            merge_into(out, line)
            continue
        joined = _hyphenated_before_date(prev, line) if prev is not None else None
        if prev is not None and joined is not None:
            out[-1] = replace(prev, parts=joined, text=" ".join(joined))
            continue
        if prev is not None and _title_wrapped_beside_date(prev, line):
            # "Backend Engineer, Adventure   June 2025 – Now" + "Works — Toronto": the title wrapped in its box.
            parts = list(prev.parts)
            parts[0] = join_wrapped(parts[0], line.text.strip())
            out[-1] = replace(prev, parts=parts, text=" ".join(parts))
            continue
        out.append(line)
    return out


def _hyphenated_before_date(prev: Line, line: Line) -> list[str] | None:
    """ "Senior Software Engi- January 2021 – …" + "neer | Warsaw": a title hyphenated by the typesetter just
    before the date set at its right; the next line finishes the title. Returns the mended (title, date)."""
    if len(prev.parts) != 1 or line.is_bullet or line.page != prev.page or not line.text[:1].islower():
        return None
    found = first_range(prev.text)
    if found is None or first_range(line.text) is not None:
        return None
    before = prev.text[: found.span[0]].rstrip()
    if not re.search(r"[^\W\d_]-$", before):
        return None
    return [join_wrapped(before, line.text.strip()), prev.text[found.span[0] :].strip()]


def _title_wrapped_beside_date(prev: Line, line: Line) -> bool:
    """The next line's first word would not have fitted in the room left between the title and the date
    on the line above: the title wrapped there (widths estimated at half an em a character)."""
    if len(prev.parts) != 2 or len(line.parts) != 1 or prev.x1 <= 0 or line.page != prev.page:
        return False
    if first_range(prev.parts[1]) is None or first_range(line.text) is not None or line.is_bullet:
        return False
    if abs(line.x0 - prev.x0) > 2 or line.gap_before > 0.6 or prev.parts[0].rstrip().endswith(tuple(_EDGE)):
        return False
    em = 0.5 * max(prev.size, 1)
    room = (prev.x1 - prev.x0) - em * (len(prev.parts[0]) + len(prev.parts[1]))
    first_word = line.text.split()[0] if line.text.split() else ""
    return room < em * (len(first_word) + 3)


def _join_cells_wrapped_after_dates(header: list[Line], edges: dict[int, float]) -> list[Line]:
    """ "2014 – 2017   Bachelor of Science, Sorbonne" + "University": a table row holds the dates in one cell
    and the title in the next, and the title wrapped in its cell. The next line's first word would not have
    fitted before the column's right edge (``edges`` from the whole document; half an em a character)."""
    out: list[Line] = []
    for line in header:
        prev = out[-1] if out else None
        if (
            prev is not None
            and len(prev.parts) == 2
            and len(line.parts) <= 1
            and line.page == prev.page
            and not line.is_bullet
            and line.gap_before < 0.6
            and line.x0 >= prev.x0 - 2
            and first_range(prev.parts[0]) is not None
            and first_range(prev.parts[1]) is None
            and first_range(line.text) is None
            and edges.get(prev.column, 0.0) > 0
        ):
            first_word = line.text.split(maxsplit=1)[0] if line.text.strip() else ""
            if prev.x1 + 0.5 * max(prev.size, 1) * (len(first_word) + 1) > edges[prev.column]:
                merge_into(out, line)
                continue
        out.append(line)
    return out


def parse_work(
    entries: list[list[Line]],
    conf: dict[str, float],
    prefix: str = "work",
    columns: dict[int, float] | None = None,
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    employer: dict[str, str] = {}  # the employer line above several roles ("Acme Corp · Berlin")
    edges: dict[tuple[int, int], float] = {}  # the section's right edge per page and column
    for line in (ln for lines in entries for ln in lines):
        edges[(line.page, line.column)] = max(edges.get((line.page, line.column), 0.0), line.x1)
    for lines in entries:
        header = [ln for ln in lines if not ln.is_bullet and not is_prose(ln)]
        header = _join_wrapped_headers(_join_cells_wrapped_after_dates(header, columns or {}), edges)
        pieces, date, location = _header_pieces(header)
        if not pieces and date is None:
            continue
        dated = next((k for k, ln in enumerate(header) if first_range(ln.text) is not None), None)
        opens_group = bool(dated) and title_score(header[0].text) <= 0
        path = f"{prefix}[{len(out)}]"
        entry: dict[str, Any] = {}
        titles = [title_score(p) - org_score(p) for p in pieces]
        pos_idx: int | None = None
        if pieces:
            best = max(range(len(pieces)), key=lambda i: (titles[i], -i))
            pos_idx = best if titles[best] > 0 else 0
            entry["position"] = pieces[pos_idx]
            conf[f"{path}.position"] = 0.9 if titles[pos_idx] > 0 else 0.6
        rest = [p for i, p in enumerate(pieces) if i != pos_idx]
        if rest:
            org = max(rest, key=lambda p: (org_score(p), -rest.index(p)))
            entry["name"] = org
            conf[f"{path}.name"] = (
                0.9 if org_score(org) > 0 or (pos_idx is not None and titles[pos_idx] > 0) else 0.6
            )
        if location:
            entry["location"] = location
            conf[f"{path}.location"] = 0.8
        if opens_group and entry.get("name"):
            employer = {k: entry[k] for k in ("name", "location") if entry.get(k)}
        elif "name" not in entry and employer and date is not None:
            # A further role under the same employer: only its title and dates are printed.
            for key, value in employer.items():
                entry.setdefault(key, value)
                conf[f"{path}.{key}"] = 0.7
        elif entry.get("name"):
            employer = {}
        _dates_into(entry, date, conf, path)
        summary = join_lines([ln.text for ln in lines if not ln.is_bullet and is_prose(ln)])
        if summary:
            entry["summary"] = summary
        highlights = [clean_bullet(ln.text) for ln in lines if ln.is_bullet]
        if highlights:
            entry["highlights"] = highlights
        out.append(entry)
    return out


def _split_degree(text: str) -> tuple[str, str | None]:
    """'Master of Science in Computer Science' -> ('Master of Science', 'Computer Science')."""
    m = _DEGREE_RE.search(text)
    if m is None:
        return text, None
    degree = text[m.start() : m.end()].strip()
    rest = text[m.end() :].strip(" ,:-–—()")
    rest = re.sub(r"^(?:in|of|en|em|in|de|di|im|der|in der)\s+", "", rest, flags=re.IGNORECASE)
    if not rest:
        before = text[: m.start()].strip(" ,:-–—(")  # "Data Science (MSc)"
        return degree, before or None
    if re.match(r"of\s", text[m.end() :].strip(), re.IGNORECASE) and " in " in rest:
        head, _, area = rest.partition(" in ")
        return f"{degree} of {head}".strip(), area.strip() or None
    return degree, rest or None


def parse_education(
    entries: list[list[Line]], conf: dict[str, float], columns: dict[int, float] | None = None
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for lines in entries:
        header = [ln for ln in lines if not ln.is_bullet]
        header = _join_wrapped_headers(
            _join_cells_wrapped_after_dates(header, columns or {}),
            {(ln.page, ln.column): (columns or {}).get(ln.column, 0.0) for ln in header},
        )
        pieces, date, _location = _header_pieces(header)
        score = None
        kept: list[str] = []
        for piece in pieces:
            m = _SCORE_RE.search(piece)
            if m:
                score = (m.group(1) or m.group(2)).strip()
                piece = (piece[: m.start()] + piece[m.end() :]).strip(" ,;:()")
            elif score is None and _BARE_SCORE.fullmatch(piece):
                score, piece = piece, ""
            if piece:
                kept.append(piece)
        if not kept and date is None:
            if score and out and "score" not in out[-1]:
                # A grade line split off its degree (a page or cell break between them).
                out[-1]["score"] = score
                conf[f"education[{len(out) - 1}].score"] = 0.7
            continue
        path = f"education[{len(out)}]"
        entry: dict[str, Any] = {}
        # "B.S. in Computer Science, Stanford University": the institution rides after a comma.
        for i, piece in enumerate(list(kept)):
            if _DEGREE_RE.search(piece) and "," in piece:
                bits = [b.strip() for b in piece.split(",") if b.strip()]
                inst = [b for b in bits if any(w in b.lower() + " " for w in INSTITUTION_WORDS)]
                if inst and len(bits) > 1:
                    kept[i] = ", ".join(b for b in bits if b not in inst)
                    kept.extend(inst)
        degree_idx = next((i for i, p in enumerate(kept) if _DEGREE_RE.search(p)), None)
        inst_idx = next(
            (
                i
                for i, p in enumerate(kept)
                if i != degree_idx and any(w in p.lower() + " " for w in INSTITUTION_WORDS)
            ),
            None,
        )
        if inst_idx is None:
            inst_idx = next((i for i in range(len(kept)) if i != degree_idx), None)
        if inst_idx is not None:
            entry["institution"] = kept[inst_idx]
            conf[f"{path}.institution"] = 0.9 if org_score(kept[inst_idx]) else 0.6
        if degree_idx is not None:
            study, area = _split_degree(kept[degree_idx])
            entry["studyType"] = study
            conf[f"{path}.studyType"] = 0.85
            rest = [p for i, p in enumerate(kept) if i not in (degree_idx, inst_idx)]
            if area:
                entry["area"] = area
                conf[f"{path}.area"] = 0.75
            elif rest:
                # "Master of Engineering, Electrical Engineering, Politecnico di Milano": the field is the
                # piece that is neither the degree nor the school.
                entry["area"] = rest[0]
                conf[f"{path}.area"] = 0.6
        elif len(kept) > 1:
            other = [p for i, p in enumerate(kept) if i != inst_idx]
            if other:
                entry["area"] = other[0]
                conf[f"{path}.area"] = 0.5
        _dates_into(entry, date, conf, path)
        if score:
            entry["score"] = score
            conf[f"{path}.score"] = 0.8
        courses = [clean_bullet(ln.text) for ln in lines if ln.is_bullet]
        if courses:
            entry["courses"] = courses
        out.append(entry)
    return out


def parse_projects(entries: list[list[Line]], conf: dict[str, float]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for lines in entries:
        header = [ln for ln in lines if not ln.is_bullet and not is_prose(ln)]
        body = [ln for ln in lines if ln not in header]
        if not header:
            header, body = lines[:1], lines[1:]
        # "ledgerline ·" with its address on the next line: a title ending at a separator continues.
        title = 2 if len(header) > 1 and header[0].text.rstrip().endswith(tuple("·|–—,")) else 1
        pieces, date, _loc = _header_pieces(header[:title])
        header = header[:1] + header[title:]
        entry: dict[str, Any] = {}
        url = None
        names = []
        for piece in pieces:
            if re.match(r"^(?:https?://)?[\w.-]+\.[a-z]{2,}(?:/\S*)?$", piece, re.I):
                url = piece if piece.startswith("http") else "https://" + piece
            else:
                names.append(piece)
        if not names:
            continue
        path = f"projects[{len(out)}]"
        entry["name"] = names[0]
        conf[f"{path}.name"] = 0.8
        if url:
            entry["url"] = url
        _dates_into(entry, date, conf, path)
        description = join_lines([ln.text for ln in header[1:] + [b for b in body if not b.is_bullet]])
        if description:
            entry["description"] = description
        highlights = [clean_bullet(ln.text) for ln in body if ln.is_bullet]
        if highlights:
            entry["highlights"] = highlights
        out.append(entry)
    return out


def _dated_pieces(text: str) -> tuple[list[str], str | None]:
    """A line cut at its separators (commas when it has no other), its first date taken out (ISO)."""
    found = first_range(text)
    date = None
    if found is not None:
        date = found.start
        text = (text[: found.span[0]] + " " + text[found.span[1] :]).strip()
    text = re.sub(r"\(\s*\)", "", text).strip(_EDGE)
    pieces = _pieces(text)
    if len(pieces) == 1:
        pieces = [p.strip() for p in pieces[0].split(",") if p.strip()]
    return pieces, date


def parse_awards(lines: list[Line], conf: dict[str, float]) -> list[dict[str, Any]]:
    """One award a line: "Best Paper Award — ACM SIGMOD, 2021" -> title, awarder, date."""
    out: list[dict[str, Any]] = []
    for line in lines:
        pieces, date = _dated_pieces(clean_bullet(line.text))
        if not pieces:
            continue
        path = f"awards[{len(out)}]"
        award: dict[str, Any] = {"title": pieces[0]}
        conf[f"{path}.title"] = 0.8
        if len(pieces) > 1:
            award["awarder"] = ", ".join(pieces[1:])
            conf[f"{path}.awarder"] = 0.6
        if date:
            award["date"] = date
            conf[f"{path}.date"] = 0.8
        out.append(award)
    return out


def parse_publications(entries: list[list[Line]], conf: dict[str, float]) -> list[dict[str, Any]]:
    """Publications, patents and talks (JSON Resume keeps all three as publications): the title, the venue
    or publisher, the date, an address; lines under them are the summary."""
    out: list[dict[str, Any]] = []
    for lines in entries:
        # A bullet or a dated line opens a publication; other lines under it are its summary.
        items: list[list[Line]] = []
        for line in lines:
            if not items or line.is_bullet or first_range(line.text) is not None:
                items.append([line])
            else:
                items[-1].append(line)
        for item in items:
            head = clean_bullet(item[0].text)
            url = URL_PIECE.search(head)
            pieces, date = _dated_pieces(URL_PIECE.sub(" ", head))
            if not pieces:
                continue
            path = f"publications[{len(out)}]"
            entry: dict[str, Any] = {"name": pieces[0].strip("\"“”' ")}
            conf[f"{path}.name"] = 0.8
            if len(pieces) > 1:
                entry["publisher"] = ", ".join(pieces[1:])
                conf[f"{path}.publisher"] = 0.6
            if date:
                entry["releaseDate"] = date
                conf[f"{path}.releaseDate"] = 0.8
            if url:
                address = url.group(0).rstrip(".,;)")
                entry["url"] = address if "://" in address else f"https://{address}"
            summary = join_lines([clean_bullet(ln.text) for ln in item[1:]])
            if summary:
                entry["summary"] = summary
            out.append(entry)
    return out


def extract_fields(lines: list[Line]) -> Extraction:
    conf: dict[str, float] = {}
    sections, headings, unknown = split_sections(lines)
    resume: dict[str, Any] = {}
    basics = parse_basics(sections, lines, conf)
    if basics:
        resume["basics"] = basics

    def gather(key: str) -> list[Line]:
        return [ln for s in sections if s.key == key for ln in s.lines]

    columns = column_edges(lines)
    work = parse_work(split_entries(gather("work")), conf, columns=columns)
    if work:
        resume["work"] = work
    volunteer = parse_work(split_entries(gather("volunteer")), conf, prefix="volunteer", columns=columns)
    if volunteer:
        resume["volunteer"] = [
            {("organization" if k == "name" else k): v for k, v in e.items() if k != "location"}
            for e in volunteer
        ]
    education = parse_education(split_entries(gather("education")), conf, columns)
    if education:
        resume["education"] = education
    skills = parse_skills(merge_list_wraps(label_rows(gather("skills")), "skills", columns), conf)
    if skills:
        resume["skills"] = skills
    languages = parse_languages(label_rows(gather("languages")), conf)
    if languages:
        resume["languages"] = languages
    certificates = parse_certificates(
        merge_list_wraps(group_entries(gather("certificates")), "certificates", columns), conf
    )
    if certificates:
        resume["certificates"] = certificates
    projects = parse_projects(split_entries(gather("projects")), conf)
    if projects:
        resume["projects"] = projects
    awards = parse_awards(gather("awards"), conf)
    if awards:
        resume["awards"] = awards
    publications = parse_publications(split_entries(gather("publications")), conf)
    if publications:
        resume["publications"] = publications
    interests = [{"name": i} for ln in gather("interests") for i in split_list(clean_bullet(ln.text))]
    if interests:
        resume["interests"] = interests
    return Extraction(resume, conf, sections, headings, unknown)
