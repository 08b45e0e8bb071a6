"""Glyph-level repairs of PDF text runs, for typesetters that draw what a word processor would type.

TeX's fonts draw accents and the stroke of Ł as glyphs of their own, and TeX writes no space characters (only
gaps), so a run pdfium joins may hold a title and its right-aligned date. These functions read the glyph
boxes to split such runs and to put accents back on their letters.
"""

from __future__ import annotations

import ctypes
import re
import statistics
import unicodedata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shortlist.ats.engine.extract import Segment


def split_at_gaps(
    raw: Any, handle: Any, first: int, text: str, left: float, right: float, size: float
) -> list[tuple[int, int, float, float]]:
    """A run cut where a space spans more than an em and a half: pdfium joins runs of one font across any
    gap, so a title and its date pushed to the right margin (TeX's \\hfill, a tab) read as one run. TeX
    writes no space characters at all, only the gap, so the check is on the glyphs either side. Returns
    (start, end) offsets into the text with each piece's left and right edges."""
    pieces: list[tuple[int, int, float, float]] = []
    start, x0 = 0, left
    for m in re.finditer(r"\s+", text):
        before, after = m.start() - 1, m.end()
        if before < 0 or after >= len(text):
            continue
        end_x, next_x = _char_box(raw, handle, first + before)[1], _char_box(raw, handle, first + after)[0]
        if next_x - end_x > 1.5 * max(size, 4.0):
            pieces.append((start, m.start(), x0, end_x))
            start, x0 = after, next_x
    pieces.append((start, len(text), x0, right))
    return pieces


def untrack(glyphs: list[tuple[str, float, bool]], size: float) -> str | None:
    """The text of a letter-spaced run ("S O F T W A R E  E N G I N E E R" as set with CSS letter-spacing or
    Word's expanded spacing), or None when the run is not one. The extractor reads a space between nearly
    every two tracked letters; the words are where a gap is wider than the run's usual gap by about a space.
    ``glyphs`` holds each glyph, the gap before it and whether a space was read there (the first is ignored)."""
    if len(glyphs) < 3:
        return None
    inner = glyphs[1:]
    # Ordinary text (every run of a browser's PDF passes here): spaces between words only, letters set close.
    if sum(1 for _, _, space in inner if space) < 0.8 * len(inner):
        return None
    letter_gap = statistics.median(gap for _, gap, _ in inner)
    if letter_gap < 0.08 * size:
        return None
    words = [glyphs[0][0]]
    for char, gap, _ in inner:
        if gap > letter_gap + 0.18 * size:
            words.append(char)
        else:
            words[-1] += char
    return " ".join(words)


def untrack_range(raw: Any, handle: Any, first: int, text: str, size: float) -> str | None:
    """``untrack`` for a run read as a range of characters from ``first``: the glyphs' boxes give the gaps.
    Only a run that reads as single letters apart is looked at glyph by glyph."""
    tokens = text.split()
    if len(tokens) < 3 or sum(1 for token in tokens if len(token) == 1) < 0.8 * len(tokens):
        return None
    glyphs: list[tuple[str, float, bool]] = []
    right: float | None = None
    space = False
    for offset, char in enumerate(text):
        if char.isspace():
            space = True
            continue
        left, edge = _char_box(raw, handle, first + offset)
        glyphs.append((char, 0.0 if right is None else left - right, space))
        right, space = edge, False
    return untrack(glyphs, size)


def _char_box(raw: Any, handle: Any, index: int) -> tuple[float, float]:
    """A glyph's left and right edges."""
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    raw.FPDFText_GetCharBox(
        handle, index, ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top)
    )
    return left.value, right.value


# Spacing accents that old TeX fonts (OT1) draw as a glyph of their own over the letter.
_ACCENTS = {
    "´": "\u0301",
    "`": "\u0300",
    "ˆ": "\u0302",
    "^": "\u0302",
    "˜": "\u0303",
    "~": "\u0303",
    "¨": "\u0308",
    "˚": "\u030a",
    "ˇ": "\u030c",
    "˘": "\u0306",
    "¯": "\u0304",
    "˙": "\u0307",
    "¸": "\u0327",
    "˝": "\u030b",
}
_HAS_ACCENT = re.compile("[" + "".join(_ACCENTS) + "\u0300-\u036f]")
ACCENT_OR_STROKE = re.compile("[" + "".join(_ACCENTS) + "\u0300-\u036f]| [Ll]")
_DOTLESS = {"ı": "i", "ȷ": "j"}


def stroked(raw: Any, handle: Any, index: int) -> bool:
    """OT1 draws Ł as an L with a stroke glyph over it, which reads as a space: a space glyph (not one pdfium
    inferred) just before the L whose box lies over the L's."""
    if index < 1 or chr(raw.FPDFText_GetUnicode(handle, index - 1)) != " ":
        return False
    if raw.FPDFText_IsGenerated(handle, index - 1):
        return False
    stroke, letter = _full_box(raw, handle, index - 1), _full_box(raw, handle, index)
    # The stroke lies inside the letter: short, within its width and height (a typed space stands beside).
    return (
        stroke[2] - stroke[0] > 0.5
        and letter[0] - 0.5 <= stroke[0]
        and stroke[2] <= letter[2] + 0.5
        and letter[1] < stroke[1] < stroke[3] < letter[3]
        and stroke[3] - stroke[1] < 0.5 * (letter[3] - letter[1])
    )


def _full_box(raw: Any, handle: Any, index: int) -> tuple[float, float, float, float]:
    """A glyph's left, bottom, right and top."""
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    raw.FPDFText_GetCharBox(
        handle, index, ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top)
    )
    return left.value, bottom.value, right.value, top.value


def attach_accents(raw: Any, handle: Any, first: int, text: str) -> str:
    """ "Exp´eriences" -> "Expériences", "Sa˜o" -> "São": an accent drawn as a glyph of its own (before or after
    its letter in the content stream) joins the letter it is drawn over, found by position; the spaces pdfium
    inferred around it inside the word go. A dotless i under an accent is an i ("Mar´ıa")."""
    marks: dict[int, str] = {}
    dropped: set[int] = set()
    for k, char in enumerate(text):
        if char == " " and text[k + 1 : k + 2] in ("L", "l"):
            if stroked(raw, handle, first + k + 1):
                marks[k + 1] = "\u0335"
                dropped.add(k)
            continue
        if not _HAS_ACCENT.fullmatch(char):
            continue
        left, right = _char_box(raw, handle, first + k)
        centre = (left + right) / 2
        best: tuple[float, int] | None = None
        for step in (-1, 1):
            j = k + step
            while 0 <= j < len(text) and text[j].isspace():
                j += step
            if 0 <= j < len(text) and text[j].isalpha():
                l2, r2 = _char_box(raw, handle, first + j)
                distance = abs((l2 + r2) / 2 - centre)
                # Drawn over the letter: its centre inside the letter's box (a typed "~" stands beside it).
                if l2 - 0.5 <= centre <= r2 + 0.5 and (best is None or distance < best[0]):
                    best = (distance, j)
        if best is None:
            continue
        target = best[1]
        marks[target] = marks.get(target, "") + _ACCENTS.get(char, char)
        dropped.add(k)
        lo, hi = min(k, target), max(k, target)
        dropped.update(j for j in range(lo, hi) if text[j].isspace())
        # Spaces between the accent and the letter on its other side are inside the word too.
        j = k + (1 if target < k else -1)
        while 0 <= j < len(text) and text[j].isspace():
            j += 1 if target < k else -1
        if 0 <= j < len(text) and text[j].isalpha():
            dropped.update(range(min(j, k) + 1, max(j, k)))
    out = []
    for k, char in enumerate(text):
        if k in dropped:
            continue
        out.append(_DOTLESS.get(char, char) if k in marks else char)
        out.append(marks.get(k, ""))
    return unicodedata.normalize("NFC", "".join(out)).replace("L\u0335", "Ł").replace("l\u0335", "ł")


def _continues(first: Segment, second: Segment) -> bool:
    """The second run goes on with the first's word: same line and size, no space, touching."""
    return (
        first is not second
        and not first.space_after
        and abs(first.top - second.top) < 1
        and abs(first.size - second.size) < 0.1
        and abs(second.x0 - first.x1) < 0.15 * second.size
    )


def place_accents(segments: list[Segment]) -> None:
    """Accents over capitals ("À propos") sit above the line and read as runs of their own: each goes back
    onto the letter below it."""
    lone = [
        s for s in segments if len(s.text) == 1 and (s.text in _ACCENTS or "\u0300" <= s.text <= "\u036f")
    ]
    for acc in lone:
        mid = (acc.x0 + acc.x1) / 2
        for seg in segments:
            if seg is acc or not seg.x0 - 1 <= mid <= seg.x1 + 1 or not 0 <= seg.top - acc.top <= seg.size:
                continue
            at = min(len(seg.text) - 1, max(0, int((mid - seg.x0) / max(seg.x1 - seg.x0, 1) * len(seg.text))))
            if not seg.text[at].isalpha():
                continue
            mark = _ACCENTS.get(acc.text, acc.text)
            seg.text = unicodedata.normalize("NFC", seg.text[: at + 1] + mark + seg.text[at + 1 :])
            acc.text = ""
            before = next((s for s in segments if s.text and _continues(s, seg)), None) if at == 0 else None
            if before is not None:  # "Wi" + "śniewski": the accented letter was a run of its own
                before.text, before.x1, before.space_after = before.text + seg.text, seg.x1, seg.space_after
                seg.text = ""
            break
    segments[:] = [s for s in segments if s.text]
