"""From positioned text runs to lines in reading order: columns, margins, tables."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from shortlist.ats.engine.columns import ColumnStarts, column_stops, gutter_headings, side_dates
from shortlist.ats.engine.extract import PageFacts, Segment
from shortlist.ats.engine.wraps import join_wrapped

# Bullet glyphs; U+F020-F0FF are Symbol/Wingdings list markers that Word's PDF export keeps in the private use area.
# C1 control codes are never text: a glyph read as one is a symbol font's character without a Unicode mapping
# (TeX's \textbullet in a bitmap font reads as U+0088), and alone before a line it is the line's marker.
# A list marker and its space; a number of two or more digits may touch its item ("10.Introduced …"): a word
# processor's numbered list sets the number in a fixed indent that the wider numbers fill. A nested list's
# items are lettered ("a)", "(b)") or in small roman numerals ("ii.").
BULLET_RE = re.compile(
    r"^\s*(?:(?:[•●○◦∘∙▪▫■□◆◇►▶▷▸▹‣⁃➤➢✓✔›»\-–*·\x80-\x9f\uf020-\uf0ff]|\d{1,2}[.)]|\(?[a-h]\)|(?:i|ii|iii|iv|v|vi|vii)[.)])\s+"
    r"|\d{2}[.)](?=[A-Z][a-z]))"
)
_PAGE_NO = re.compile(
    r"^(?:page|seite|página|pagina|p\.)?\s*\d{1,3}(?:\s*(?:/|of|von|de|di)\s*\d{1,3})?$", re.I
)


@dataclass
class Line:
    """A visual line (or a DOCX paragraph, or a text line) with the facts the field parser needs."""

    text: str
    page: int = 1
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0
    bold: bool = False
    column: int = 0
    parts: list[str] = field(default_factory=list)  # runs separated by wide gaps (e.g. a right-aligned date)
    gap_before: float = 0.0  # vertical whitespace above, in units of the line's font size
    is_bullet: bool = False
    style_heading: bool = False  # DOCX heading style / outline level
    in_table: bool = False
    in_margin: bool = False
    in_textbox: bool = False
    section: str | None = None


@dataclass
class PageLayout:
    columns: int
    lines: list[Line]
    reordered: bool  # reading order differs from plain top-to-bottom


def _group_lines(segments: list[Segment]) -> list[list[Segment]]:
    rows: list[list[Segment]] = []
    for seg in sorted(segments, key=lambda s: (round(s.top, 1), s.x0)):
        mid = (seg.top + seg.bottom) / 2
        placed = False
        for row in reversed(rows[-3:]):
            top = min(s.top for s in row)
            bottom = max(s.bottom for s in row)
            # Same row only if the sizes are alike or the runs touch: a large name beside a small,
            # right-aligned contact block stays its own line.
            sizes_alike = all(abs(s.size - seg.size) <= 0.3 * max(s.size, seg.size) for s in row)
            touching = any(abs(seg.x0 - s.x1) < 2 * max(s.size, 4) for s in row)
            if top - 1 <= mid <= bottom + 1 and (sizes_alike or touching):
                row.append(seg)
                placed = True
                break
        if not placed:
            rows.append([seg])
    return rows


def _make_line(row: list[Segment], column: int, stops: list[float] | None = None) -> Line:
    row.sort(key=lambda s: s.x0)
    parts: list[str] = []
    current: list[str] = []
    prev: Segment | None = None
    for seg in row:
        gap = seg.x0 - prev.x1 if prev is not None else 0.0
        at_stop = (
            gap > 0.6 * seg.size
            and any(abs(seg.x0 - x) <= 1.5 for x in stops or ())
            and not BULLET_RE.match(" ".join(current) + " ")  # a list marker stays with its item
        )
        if prev is not None and (gap > max(prev.size, 6) * 1.5 or at_stop):
            parts.append(" ".join(current))
            current = []
        touching = prev is not None and seg.x0 - prev.x1 < 0.22 * max(seg.size, prev.size, 1.0)
        # Letter against letter ("Lisbon"+"August", "Madrid"+"juin") is a collapsed flexible space between
        # two words; only digits, hyphens and punctuation glue runs ("2023"+"-"+"05").
        case_break = bool(current) and current[-1][-1:].isalpha() and seg.text[:1].isalpha()
        # Small caps: a capital, then the word's other letters in the smaller size ("M"+"ATEUS").
        if case_break and prev is not None and current[-1][-1:].isupper() and seg.size < 0.92 * prev.size:
            case_break = seg.x0 - prev.x1 > 0.15 * prev.size
        # A word hyphenated at a line's end, then smaller type set flush against it (a right-aligned date).
        case_break = case_break or (
            prev is not None and prev.text.endswith("-") and seg.size < prev.size - 0.5
        )
        if (
            current
            and prev is not None
            and touching
            and not prev.space_after
            and not seg.space_before
            and not case_break
        ):
            # Touching runs (a font change inside a word, a hyphen drawn on its own) share no space.
            current[-1] += seg.text
        else:
            current.append(seg.text)
        prev = seg
    parts.append(" ".join(current))
    parts = [re.sub(r"\s+", " ", p).strip() for p in parts if p.strip()]
    text = " ".join(parts)
    sizes = Counter[float]()
    bold_chars = 0
    for seg in row:
        sizes[seg.size] += len(seg.text)
        if seg.bold:
            bold_chars += len(seg.text)
    total = sum(sizes.values()) or 1
    return Line(
        text=text,
        page=row[0].page,
        x0=row[0].x0,
        x1=max(s.x1 for s in row),
        top=min(s.top for s in row),
        bottom=max(s.bottom for s in row),
        size=sizes.most_common(1)[0][0],
        bold=bold_chars / total > 0.6,
        column=column,
        parts=parts,
        is_bullet=bool(BULLET_RE.match(text)),
    )


def _columns_top(segments: list[Segment], x: float) -> float:
    """Where both columns have started: the later of the two columns' first runs."""
    left = [s.top for s in segments if s.x1 <= x]
    right = [s.top for s in segments if s.x0 >= x]
    if not left or not right:
        return 0.0
    return max(min(left), min(right))


def _free(segments: list[Segment], x: float) -> bool:
    """No run crosses x, except runs lying wholly above where the columns start (a contact line)."""
    crossing = [s for s in segments if s.x0 < x < s.x1]
    if not crossing:
        return True
    top = _columns_top(segments, x)
    return top > 0 and all(s.top < top - 0.5 for s in crossing)


def _find_gutter(segments: list[Segment], width: float) -> float | None:
    """An x position no text run crosses, with a real column of text on each side."""
    if len(segments) < 8:
        return None
    # A large name or title may span both columns; it is placed above them, not read across them.
    median_size = statistics.median(s.size for s in segments)
    body = [s for s in segments if s.x1 - s.x0 < width * 0.9 and s.size <= median_size * 1.25]
    if len(body) < 8:
        return None
    resolution = 2.0
    lo, hi = int(width * 0.2 / resolution), int(width * 0.8 / resolution)
    runs: list[tuple[int, int]] = []
    run_start = None
    for i in range(lo, hi + 1):
        if i < hi and _free(body, i * resolution):
            if run_start is None:
                run_start = i
        elif run_start is not None:
            runs.append((run_start, i))
            run_start = None
    # Widest free band first, but only one with a real column of text on each side counts.
    for start, end in sorted(runs, key=lambda r: r[0] - r[1]):
        if (end - start) * resolution < 8:
            break
        gutter = (start + end) / 2 * resolution
        if _columns_either_side(body, gutter):
            return gutter
    return None


def _columns_either_side(body: list[Segment], gutter: float) -> bool:
    top = _columns_top(body, gutter)
    left = [s for s in body if s.x1 <= gutter and s.top >= top - 1]
    right = [s for s in body if s.x0 >= gutter and s.top >= top - 1]
    if len(left) < 4 or len(right) < 4:
        return False

    # A right-aligned date column is not a text column: each side needs several runs of real words.
    def wordy(segs: list[Segment]) -> int:
        return sum(1 for s in segs if len(re.findall(r"[^\W\d_]{2,}", s.text)) >= 4)

    sides = sorted([(wordy(left), len(left), left), (wordy(right), len(right), right)], key=lambda c: c[:2])
    if sides[1][0] < 3 or sides[0][0] < 1 or sides[0][1] < 6:
        return False
    # Nor is a flush-right column of dates and links (every run ends at one edge, their starts vary).
    sparse = sides[0][2]
    edge = max(s.x1 for s in sparse)
    flush = sum(1 for s in sparse if edge - s.x1 < 2)
    return not (flush >= 0.8 * len(sparse) and max(s.x0 for s in sparse) - min(s.x0 for s in sparse) > 10)


def _near(sorted_values: list[float], value: float, tolerance: float) -> bool:
    import bisect

    i = bisect.bisect_left(sorted_values, value - tolerance)
    return i < len(sorted_values) and sorted_values[i] <= value + tolerance


def _table_regions(facts: PageFacts) -> list[tuple[float, float, float, float]]:
    """Areas ruled by both horizontal and vertical lines (or drawn cell boxes)."""
    horizontal = [r for r in facts.rules if (r[2] - r[0]) > (r[3] - r[1])]
    vertical = [r for r in facts.rules if (r[3] - r[1]) > (r[2] - r[0])]
    regions: list[tuple[float, float, float, float]] = []
    if len(horizontal) >= 2 and len(vertical) >= 2:
        for v in vertical:
            crossing = [
                h for h in horizontal if h[0] - 1 <= v[0] <= h[2] + 1 and v[1] - 1 <= h[1] <= v[3] + 1
            ]
            if len(crossing) >= 2:
                regions.append((v[0], v[1], v[2], v[3]))
        if regions:
            x0 = min(r[0] for r in regions)
            x1 = max(r[2] for r in regions)
            # Expand the verticals sideways to the horizontal rules they cross.
            hs = [h for h in horizontal if h[2] >= x0 - 1 and h[0] <= x1 + 1]
            if hs:
                x0 = min(x0, *(h[0] for h in hs))
                x1 = max(x1, *(h[2] for h in hs))
            regions = [(x0, min(r[1] for r in regions), x1, max(r[3] for r in regions))]
    # Cells touch a neighbouring cell; a shaded band behind a heading stands alone and is no table.
    cells = [b for b in facts.boxes if (b[2] - b[0]) < facts.width * 0.9 and _touches_another(b, facts.boxes)]
    if len(cells) >= 4:
        regions.extend(cells)
    return regions


def _touches_another(
    box: tuple[float, float, float, float], boxes: list[tuple[float, float, float, float]]
) -> bool:
    x0, top, x1, bottom = box
    for other in boxes:
        if other is box:
            continue
        ox0, otop, ox1, obottom = other
        side_by_side = otop < bottom and top < obottom and min(abs(ox0 - x1), abs(x0 - ox1)) < 3
        stacked = ox0 < x1 and x0 < ox1 and min(abs(otop - bottom), abs(top - obottom)) < 3
        if side_by_side or stacked:
            return True
    return False


def _inside(line: Line, region: tuple[float, float, float, float]) -> bool:
    cy = (line.top + line.bottom) / 2
    return region[0] - 2 <= line.x0 and line.x1 <= region[2] + 2 and region[1] - 2 <= cy <= region[3] + 2


def _attach_side_dates(lines: list[Line], blocks: list[Segment]) -> None:
    for block in blocks:
        line = next(
            (ln for ln in lines if abs(ln.top - block.top) < 0.6 * block.size and ln.x0 > block.x1), None
        )
        if line is None:
            lines.insert(
                next((i for i, ln in enumerate(lines) if ln.top > block.top), len(lines)),
                _make_line([block], 0),
            )
            continue
        line.parts.insert(0, block.text)  # read first, as it stands on the page
        line.text = f"{block.text} {line.text}"


def _mark_drawn_bullets(lines: list[Line], markers: list[tuple[float, float, float, float]]) -> None:
    """A line with a small drawn disc or square just left of it, on its first row, is a list item: the
    marker becomes a bullet glyph in the text, as if the document had typed it."""
    if not markers:
        return
    for line in lines:
        if line.is_bullet:
            continue
        for x0, top, x1, bottom in markers:
            centre = (top + bottom) / 2
            if (
                line.top - 1 <= centre <= line.bottom + 1
                and x1 <= line.x0 + 0.5
                and line.x0 - x1 < 2.5 * line.size
            ):
                line.text = "• " + line.text
                line.x0 = x0  # the item begins at its marker: wrapped lines sit indented from it
                if line.parts:
                    line.parts[0] = "• " + line.parts[0]
                line.is_bullet = True
                break


def layout_page(
    facts: PageFacts,
    repeated: set[str],
    is_heading: Callable[[str], bool] | None = None,
    starts: ColumnStarts | None = None,
) -> PageLayout:
    segments = facts.segments
    if not segments:
        return PageLayout(columns=0, lines=[], reordered=False)
    band = facts.height * 0.06
    body_segments = [s for s in segments if band < s.top and s.bottom < facts.height - band]
    gutter = _find_gutter(body_segments, facts.width)
    lines: list[Line] = []
    reordered = False
    if gutter is None:
        segments, headings = gutter_headings(segments, is_heading)
        segments, dates = side_dates(segments)
        rows = _group_lines(segments)
        stops = column_stops(rows, starts if starts is not None else ColumnStarts())
        lines = [_make_line(row, 0, stops) for row in rows]
        _attach_side_dates(lines, dates)
        for heading in headings:
            # A heading in a left gutter belongs to the block beside it: it is read just before that block.
            at = next(
                (i for i, ln in enumerate(lines) if ln.top >= heading.top - 0.5 * heading.size), len(lines)
            )
            lines.insert(at, _make_line([heading], 0))
    else:
        # Everything above the point where both columns have started is read top to bottom first.
        column_top = _columns_top([s for s in segments if not s.x0 < gutter < s.x1], gutter)
        head = [s for s in segments if s.top < column_top - 0.5]
        rest = [s for s in segments if s.top >= column_top - 0.5]
        spanning = [s for s in rest if s.x0 < gutter < s.x1]
        left = [s for s in rest if s.x1 <= gutter]
        right = [s for s in rest if s.x0 >= gutter]
        lines = [_make_line(row, 0) for row in _group_lines(head)]
        # Left column first, then right: how a person reads a sidebar layout.
        lines += [_make_line(row, 1) for row in _group_lines(left)]
        lines += [_make_line(row, 2) for row in _group_lines(right)]
        lines += [_make_line(row, 0) for row in _group_lines(spanning)]
        reordered = True
    _mark_drawn_bullets(lines, facts.markers)
    median_size = statistics.median([ln.size for ln in lines]) if lines else 10.0
    regions = _table_regions(facts)
    for line in lines:
        centre = (line.top + line.bottom) / 2
        in_band = centre < band or centre > facts.height - band
        if in_band and (line.text in repeated or _PAGE_NO.match(line.text) or line.size < median_size - 0.5):
            line.in_margin = True
        if any(_inside(line, r) for r in regions):
            line.in_table = True
    _merge_wrapped(lines)
    return PageLayout(columns=1 if gutter is None else 2, lines=lines, reordered=reordered)


def _merge_wrapped(lines: list[Line]) -> None:
    """Join the continuation lines of a wrapped bullet to the bullet itself."""
    i = 1
    while i < len(lines):
        prev, cur = lines[i - 1], lines[i]
        gap = cur.top - prev.bottom
        if (
            prev.is_bullet
            and not cur.is_bullet
            and cur.column == prev.column
            and cur.page == prev.page
            and cur.x0 > prev.x0 + 2
            and 0 <= gap < 0.7 * max(prev.size, 1)
            and abs(cur.size - prev.size) < 0.6
            and len(cur.parts) == 1
        ):
            prev.text = join_wrapped(prev.text, cur.text)
            prev.parts[-1] = join_wrapped(prev.parts[-1], cur.text)
            prev.bottom = cur.bottom
            prev.x1 = max(prev.x1, cur.x1)
            del lines[i]
            continue
        i += 1


def layout_pages(
    pages: list[PageFacts], is_heading: Callable[[str], bool] | None = None
) -> tuple[list[Line], list[int], bool]:
    """All pages' lines in reading order, the column count per page, and whether order was restored.
    ``is_heading`` tells a section heading from other text (labels in a left column)."""
    band_texts: Counter[str] = Counter()
    for facts in pages:
        band = facts.height * 0.06
        seen = {s.text for s in facts.segments if s.top < band or s.bottom > facts.height - band}
        band_texts.update(seen)
    repeated = {t for t, n in band_texts.items() if n > 1 and len(pages) > 1}
    out: list[Line] = []
    columns: list[int] = []
    reordered = False
    starts = ColumnStarts()  # table columns seen so far, for a table that goes on over a page end
    laid = [layout_page(facts, repeated, is_heading, starts) for facts in pages]
    _mark_running_lines(laid, pages)
    _keep_title_copies(laid)
    for page in laid:
        columns.append(page.columns)
        reordered = reordered or page.reordered
        body = [ln for ln in page.lines if not ln.in_margin]
        last = next((ln for ln in reversed(out) if not ln.in_margin), None)
        if last is not None and body and _continues_over_page(last, body[0]):
            last.text = join_wrapped(last.text, body[0].text)
            last.parts[-1] = join_wrapped(last.parts[-1], body[0].text)
            page.lines.remove(body[0])
        out.extend(page.lines)
    _set_gaps(out, tight=all(p.tight_boxes for p in pages))
    return out, columns, reordered


def _mark_running_lines(laid: list[PageLayout], pages: list[PageFacts]) -> None:
    """A running header or footer of several lines (Word's page header with the contact details) reaches
    past the margin band: a line repeated on every page near its top or bottom edge belongs to it."""
    if len(pages) < 2:
        return
    near: list[list[Line]] = []
    for page, facts in zip(laid, pages, strict=True):
        band = facts.height * 0.14
        near.append([ln for ln in page.lines if ln.top < band or ln.bottom > facts.height - band])
    common = set.intersection(*({ln.text for ln in lines} for lines in near))
    for lines in near:
        for line in lines:
            if line.text in common and len(line.text) > 3:
                line.in_margin = True


def _keep_title_copies(laid: list[PageLayout]) -> None:
    """A name set large on page one and repeated small as the running header of later pages: the large copy
    is the document's title, not a running line (a running header keeps one size on every page)."""
    smallest: dict[str, float] = {}
    for page in laid:
        for line in page.lines:
            if line.in_margin:
                smallest[line.text] = min(smallest.get(line.text, line.size), line.size)
    for page in laid:
        for line in page.lines:
            if line.in_margin and line.size > smallest[line.text] * 1.25:
                line.in_margin = False


def _continues_over_page(prev: Line, cur: Line) -> bool:
    """A bullet broken by the page end: the next page opens indented under it, in lower case."""
    return (
        prev.is_bullet
        and not cur.is_bullet
        and cur.page == prev.page + 1
        and cur.x0 > prev.x0 + 2
        and cur.text[:1].islower()
        and abs(cur.size - prev.size) < 0.6
        and len(cur.parts) == 1
    )


# Glyphs that reach below the baseline. Where text boxes hug the glyphs (pdfium), a line without any ends at
# its baseline and the space under it would read a descender's depth (about a fifth of the size) too large.
_DESCENDERS = frozenset("gjpqyQJ,;()[]{}|/@$çŞşţ")
_DESCENDER_DEPTH = 0.22


def _text_bottom(line: Line, tight: bool) -> float:
    if not tight or any(ch in _DESCENDERS for ch in line.text):
        return line.bottom
    return line.bottom + _DESCENDER_DEPTH * line.size


def _set_gaps(lines: list[Line], tight: bool = True) -> None:
    prev: Line | None = None
    for line in lines:
        if prev is not None and prev.page == line.page and prev.column == line.column and line.size > 0:
            line.gap_before = max(line.top - _text_bottom(prev, tight), 0.0) / line.size
        else:
            line.gap_before = 2.0
        prev = line


def split_side_headings(lines: list[Line], is_heading: Callable[[str], bool]) -> list[Line]:
    """A heading set in a left band on the baseline of its section's first line ("Experience   Engineer
    2023 – 2025") becomes a line of its own, so that the section is found."""
    out: list[Line] = []

    def row(i: int, x0: float) -> bool:
        ln = lines[i] if 0 <= i < len(lines) else None
        return ln is not None and len(ln.parts) >= 2 and abs(ln.x0 - x0) < 3 and len(ln.parts[0].split()) <= 3

    body = [i for i, ln in enumerate(lines) if not ln.in_margin]
    where = {i: n for n, i in enumerate(body)}

    def step(i: int, by: int) -> int:
        """The next line in reading order, over page numbers and running heads (a table may go on over a
        page end)."""
        n = where.get(i, -2) + by
        return body[n] if 0 <= n < len(body) else -1

    def in_table(i: int) -> bool:
        """Among consecutive rows of label and value at one edge, one label at least no heading ("Data")."""
        x0 = lines[i].x0
        lo = hi = i
        while row(step(lo, -1), x0):
            lo = step(lo, -1)
        while row(step(hi, 1), x0):
            hi = step(hi, 1)
        # Rows right under a heading are that section's table ("Skills" over
        # "Languages   Kotlin" / "Tools   Git"), even when every label is a heading word too.
        above = lines[lo - 1] if lo else None  # the line just above on the page, margin or not
        under_heading = (
            above is not None
            and len(above.parts) == 1
            and above.page == lines[i].page
            and is_heading(above.text)
        )
        rows = [j for j in body if lo <= j <= hi]
        return under_heading or (hi > lo and any(not is_heading(lines[j].parts[0]) for j in rows))

    for i, line in enumerate(lines):
        if len(line.parts) < 2 or line.is_bullet or not is_heading(line.parts[0]):
            out.append(line)
            continue
        # A table's label is written as a word ("Languages"); a heading beside other text often in capitals.
        if not line.parts[0].isupper() and in_table(i):
            out.append(line)  # "Languages   Kotlin, Go" among the rows of a skills table
            continue
        rest = " ".join(line.parts[1:])
        out.append(replace(line, text=line.parts[0], parts=[line.parts[0]], bold=True))
        out.append(
            replace(
                line, text=rest, parts=line.parts[1:], gap_before=0.0, is_bullet=bool(BULLET_RE.match(rest))
            )
        )
    return out
