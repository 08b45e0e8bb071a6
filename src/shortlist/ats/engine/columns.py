"""Left-column features of a page, read from its runs before they become lines: headings in a gutter
beside the body, dates in a narrow column before the entries, where a table's later columns start."""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from shortlist.ats.engine.extract import Segment


@dataclass
class ColumnStarts:
    """Where runs begin after a gap (``starts``) and after a wide one (``wide``), carried from page to page:
    a table broken by a page end keeps its columns."""

    starts: list[float] = field(default_factory=list)
    wide: list[float] = field(default_factory=list)


def column_stops(rows: list[list[Segment]], seen: ColumnStarts) -> list[float]:
    """Where a table's later columns start: x positions at which runs begin after a gap on two or more rows,
    a wide one on at least one. A row whose label is the column's widest ("Languages  Kotlin, Go") leaves only
    a narrow gap before the next column, and is cut there too. ``seen`` gathers this page's starts too."""
    for row in rows:
        ordered = sorted(row, key=lambda s: s.x0)
        for prev, seg in itertools.pairwise(ordered):
            gap = seg.x0 - prev.x1
            if gap > 0.6 * seg.size:
                seen.starts.append(seg.x0)
            if gap > max(prev.size, 6) * 1.5:
                seen.wide.append(seg.x0)
    starts, wide = seen.starts, seen.wide
    # Glyphs' side bearings move a column's visible edge by a point or so from row to row.
    return [x for x in set(wide) if sum(1 for s in starts if abs(s - x) <= 1.5) >= 2]


def gutter_headings(
    segments: list[Segment], is_heading: Callable[[str], bool] | None = None
) -> tuple[list[Segment], list[Segment]]:
    """Headings set in a left gutter beside the body ("Work" left of the entries): short, bold or larger
    runs with body text beside them on the same row, wholly left of the edge where the body starts. Lines of
    a heading wrapped inside the gutter are joined. Returns the other runs and the headings (one run each).

    Bold labels on consecutive rows of a table ("Cloud" / "Data" / "Tools" beside their skills) look the same;
    joined they read as no heading (``is_heading``), so they stay in their rows."""
    if len(segments) < 6:
        return segments, []
    body_size = statistics.median(s.size for s in segments)
    styled = [s for s in segments if (s.bold or s.size > body_size * 1.05) and 1 <= len(s.text.split()) <= 3]
    candidates = [
        s
        for s in styled
        if any(o.x0 >= s.x1 + 8 and o.top < s.bottom and s.top < o.bottom for o in segments if o is not s)
    ]
    if len(candidates) < 2:
        return segments, []
    top = min(s.top for s in candidates) - 2
    ids = {id(s) for s in styled}
    rest = [s for s in segments if id(s) not in ids and s.top >= top]
    if not rest:
        return segments, []
    edge = min(s.x0 for s in rest)
    left = sorted((s for s in styled if s.top >= top and s.x1 < edge - 8), key=lambda s: s.top)
    if len(left) < 2:
        return segments, []
    clusters: list[list[Segment]] = []
    for seg in left:
        prev = clusters[-1][-1] if clusters else None
        if (
            prev is not None
            and 0 <= seg.top - prev.bottom < 0.9 * seg.size
            and (abs(seg.x1 - prev.x1) < 4 or abs(seg.x0 - prev.x0) < 4)
        ):
            clusters[-1].append(seg)
        else:
            clusters.append([seg])
    merged: list[Segment] = []
    for cluster in clusters:
        text = " ".join(s.text for s in cluster)
        if len(cluster) > 1 and is_heading is not None and not is_heading(text):
            left = [s for s in left if s not in cluster]  # table labels stay in their rows
            continue
        merged.append(
            replace(cluster[0], text=text, bottom=cluster[-1].bottom, x0=min(s.x0 for s in cluster))
        )
    taken = {id(s) for s in left}
    return [s for s in segments if id(s) not in taken], merged


_DATE_ISH = re.compile(
    r"\b(?:19|20)\d\d\b|^\(?\d{1,2}\s*(?:yrs?|years?|mos?|months?)\b|^(?:yrs?|mos?|years?|months?)\b|^\(\d{1,2}$|"
    r"^(?:to|since|present|current|now|heute|seit|depuis|aujourd['’]hui)\b",
    re.IGNORECASE,
)


_WORD = re.compile(r"[^\W\d_]{2,}")
_ENDS_DATE = re.compile(r"(?:\b(?:19|20)\d\d|\))\s*$")
_STARTS_DATE = re.compile(r"(?:\d{1,2}[./-])?(?:19|20)\d\d\b|[^\W\d_]{3,}\.? (?:19|20)\d\d\b")


def _date_column(
    segments: list[Segment], dated: list[Segment], edge: int
) -> tuple[list[Segment], list[Segment], int] | None:
    """The runs left of ``edge`` and the dates among them, if they read as a date column beside entries."""
    left = [s for s in segments if s.x1 <= edge - 4 and s.top >= min(d.top for d in dated) - 2]
    # Entry text, not a separator between a date and its duration ("2021 – 2023 · 2 yrs").
    beside = [s for s in segments if s.x0 >= edge - 1 and any(c.isalnum() for c in s.text)]
    # Only runs with entry text beside them count (a skills row across the page is not in the column).
    # Words only: a justified date cell leaves pieces ("·", "1") and small caps their first letter.
    plain = [
        s
        for s in left
        if not s.bold
        and (_WORD.search(s.text) or _DATE_ISH.search(s.text))
        and any(o.top < s.bottom + s.size and s.top - s.size < o.bottom for o in beside)
    ]
    side = [s for s in plain if _DATE_ISH.search(s.text)]
    # Only the stretch from the first date to the last is the date column (a languages table below it uses
    # the same left cells for other words).
    last = max((s.bottom for s in side), default=0.0)
    plain = [s for s in plain if s.top <= last]
    if len(side) < 3 or len(side) < 0.8 * len(plain) or len(beside) < len(side):
        return None
    # An edge through a date ("12/2024 - 08/2026 · 1" reaching past it) would keep only wrapped tails.
    if any(d.x0 < edge - 4 < d.x1 and d.top <= last for d in dated):
        return None
    # In a column, no line of the entries runs from under the dates across the edge (dates on a line of
    # their own, "2021 – 2023 · 2 yrs", have the bullets below them run across the gap after the date).
    first = min(d.top for d in side)
    inner = min(d.x1 for d in side)
    crossing = sum(
        1
        for s in segments
        if s.x0 < inner and edge - 4 < s.x1 and s.top >= first and not _DATE_ISH.search(s.text)
    )
    # Nor does the edge cut a line of text: a run just after a date, a word space away, is its own text
    # ("12/2024" "-" "08/2026" read word by word).
    cut = sum(
        1
        for d in side
        for s in segments
        if s.x1 > edge - 4 and abs(s.top - d.top) < 0.5 * d.size and 0 <= s.x0 - d.x1 < 0.6 * d.size
    )
    return (left, side, len(plain) - len(side)) if crossing < len(side) and cut * 2 < len(side) else None


def side_dates(segments: list[Segment]) -> tuple[list[Segment], list[Segment]]:
    """Dates set in a narrow column left of the entries (a table's date cell, a timeline), wrapped over
    several lines there: each block is joined and later read at the end of the entry line beside it.

    The column's edge is where the most dates lie wholly left of it (of those, the one leaving the fewest
    other words in the column, and the furthest: pieces of a justified date stand at the cell's right),
    looked for a little way past the first edge that qualifies (an
    edge inside the column leaves its longer dates out)."""
    dated = [s for s in segments if _DATE_ISH.search(s.text) and len(s.text) <= 40]
    if len(dated) < 3:
        return segments, []
    best: tuple[list[Segment], list[Segment], int] | None = None
    limit = float("inf")
    for edge in sorted({round(s.x0) for s in segments if s.x0 > min(d.x1 for d in dated)}):
        if edge > limit:
            break
        found = _date_column(segments, dated, edge)
        # Most dates, then fewest other words in the column, then the furthest edge.
        if found is not None and (best is None or (len(found[1]), -found[2]) >= (len(best[1]), -best[2])):
            best = found
            limit = min(limit, edge + 120)
    if best is None:
        return segments, []
    left, side, _ = best
    # A justified date cell spreads its lines ("June   2021   -", "·   1"): a dash, the dot before a
    # duration or a lone number joins the date before it.
    side += [
        s
        for s in left
        if len(s.text) <= 3
        and not _WORD.search(s.text)
        and s not in side
        and any(
            d.top - 1 <= s.top and s.bottom <= d.bottom + 1 and 0 < s.x0 - d.x1 < 4 * s.size for d in side
        )
    ]
    # A word hyphenated at the cell's edge ("au-" / "jourd'hui (2 yrs") goes on on the line below.
    side += [
        s
        for s in left
        if s not in side
        and any(
            d.text.endswith("-") and abs(s.x0 - d.x0) < 3 and -1 <= s.top - d.bottom < 0.9 * s.size
            for d in side
        )
    ]
    # Line by line (a raised "·" sits higher than the words beside it), left to right within a line.
    rows: list[list[Segment]] = []
    for seg in sorted(side, key=lambda s: s.top):
        if rows and rows[-1][0].top <= (seg.top + seg.bottom) / 2 <= rows[-1][0].bottom:
            rows[-1].append(seg)
        else:
            rows.append([seg])
    blocks: list[Segment] = []
    for row in rows:
        row.sort(key=lambda s: s.x0)
        line = replace(
            row[0],
            text=" ".join(s.text for s in row),
            top=min(s.top for s in row),
            bottom=max(s.bottom for s in row),
            x1=max(s.x1 for s in row),
        )
        prev = blocks[-1] if blocks else None
        # A wrapped date goes on below; a date under a finished one ("2015 – 2018" over "2010 – 2013") is the
        # next entry's.
        wraps = (
            prev is not None
            and -1 <= line.top - prev.bottom < 0.9 * line.size
            and abs(line.x0 - prev.x0) < 3
            and not (_ENDS_DATE.search(prev.text) and _STARTS_DATE.match(line.text))
        )
        if prev is not None and wraps:
            # A month hyphenated at the cell's edge ("Oc-" / "tober 2024") is mended.
            hyphenated = re.search(r"[^\W\d_]-$", prev.text) and line.text[:1].islower()
            text = prev.text[:-1] + line.text if hyphenated else f"{prev.text} {line.text}"
            blocks[-1] = replace(prev, text=text, bottom=line.bottom, x1=max(prev.x1, line.x1))
        else:
            blocks.append(line)
    taken = {id(s) for s in side}
    return [s for s in segments if id(s) not in taken], blocks
