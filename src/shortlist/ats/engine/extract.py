"""Positioned text from PDFs.

pypdfium2 is the primary extractor: it gives text runs with boxes and font facts quickly. pdfplumber
(pdfminer.six) is the independent second opinion used to check that two extractors read the same text.
"""

from __future__ import annotations

import bisect
import ctypes
import io
import itertools
import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

from shortlist.ats.engine.errors import DocumentTooLargeError, EncryptedDocumentError, MalformedDocumentError
from shortlist.ats.engine.glyphs import (
    ACCENT_OR_STROKE,
    attach_accents,
    place_accents,
    split_at_gaps,
    stroked,
    untrack,
    untrack_range,
)


@dataclass
class Segment:
    """A run of text in one font on one line (top-left origin, points)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    page: int
    font: str = ""
    size: float = 0.0
    bold: bool = False
    # Whether the run began / ended with a space: runs without one may continue a word.
    space_before: bool = True
    space_after: bool = True


@dataclass
class PageFacts:
    width: float
    height: float
    segments: list[Segment] = field(default_factory=list)
    images: list[tuple[float, float, float, float]] = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)  # thin path boxes
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)  # larger path rectangles
    # Small square shapes: list bullets drawn as discs or squares (browsers draw them, no glyph in the text).
    markers: list[tuple[float, float, float, float]] = field(default_factory=list)
    # pdfium's text boxes hug the glyphs; pdfminer's span the font's ascent to descent on every line.
    tight_boxes: bool = True


@dataclass
class PdfExtraction:
    pages: list[PageFacts]
    page_count: int
    raw_text: str  # pdfium's own reading of the page text, used for the agreement check


# Ligature glyphs become their letters (ATS keyword search would miss "ﬁnance"); pdfium's hyphen
# line-end hyphen markers (\x02, U+FFFE) become "-" so the line join can mend the word; soft hyphens go.
_CLEAN = str.maketrans(
    {
        "ﬀ": "ff",
        "ﬁ": "fi",
        "ﬂ": "fl",
        "ﬃ": "ffi",
        "ﬄ": "ffl",
        "ﬅ": "st",
        "ﬆ": "st",
        "\x02": "-",
        "\ufffe": "-",
        "\xad": "",
        "\x00": "",  # a glyph without a character (an emoji the font lacks) reads as nothing
    }
)
_FONT_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_PDFIUM_BOLD_FLAG = 1 << 18  # PDF font descriptor ForceBold


def extract_pdf(data: bytes, max_pages: int = 20) -> PdfExtraction:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message:
            raise EncryptedDocumentError(
                "The PDF is password-protected; upload an unprotected copy."
            ) from exc
        raise MalformedDocumentError("The PDF cannot be opened: its structure is damaged.") from exc
    try:
        count = len(doc)
        if count == 0:
            raise MalformedDocumentError("The PDF has no pages.")
        if count > max_pages:
            raise DocumentTooLargeError(f"The PDF has {count} pages; at most {max_pages} are parsed.")
        pages: list[PageFacts] = []
        texts: list[str] = []
        by_glyph = "skia" in str(doc.get_metadata_dict().get("Producer", "")).lower()
        buf = ctypes.create_string_buffer(256)
        flags = ctypes.c_int()
        programs: dict[int, bool] = {}  # font handle -> bold, read from the embedded program once
        for number in range(count):
            page = doc[number]
            width, height = page.get_width(), page.get_height()
            facts = PageFacts(width=width, height=height)
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            total = textpage.count_chars()
            rect_count = textpage.count_rects()
            rects = (
                [textpage.get_rect(i) for i in range(rect_count)]
                if rect_count <= 0.5 * total and not by_glyph
                else []
            )
            # pdfium builds its rectangles by walking the characters in order, so each run is the character
            # range from its first glyph up to the next run's first glyph. Reading by index (not by box) keeps
            # glyphs of tightly set neighbouring lines out.
            firsts = [
                _scan_char(raw, textpage.raw, r[0], r[2], (r[1] + r[3]) / 2, (r[3] - r[1]) / 2, forward=True)
                for r in rects
            ]
            for i in range(1, len(firsts)):
                prev_rect, rect = rects[i - 1], rects[i]
                if firsts[i] >= 0 and firsts[i] == firsts[i - 1] and rect[0] < prev_rect[2] < rect[2]:
                    # A kerned glyph ("Y" before "AMADA") reaches into the next run's box: scan past it.
                    mid, half = (rect[1] + rect[3]) / 2, (rect[3] - rect[1]) / 2
                    firsts[i] = _scan_char(raw, textpage.raw, prev_rect[2], rect[2], mid, half, forward=True)
            if any(f < 0 for f in firsts):
                # A glyph of a larger neighbouring line covers this run's start (a big name over its
                # headline): the run's first character is then looked for among every glyph's box.
                boxes = _char_boxes(raw, textpage.raw, total)
                firsts = [
                    f if f >= 0 else _first_inside(boxes, r) for f, r in zip(firsts, rects, strict=True)
                ]
            starts = sorted({f for f in firsts if f >= 0})
            if by_glyph or (total > 20 and len(rects) < rect_count):
                # A rectangle per glyph, or Skia (Chromium's PDF writer), which places glyphs one by one and
                # draws small caps as separate runs: the runs are rebuilt from the glyphs instead.
                facts.segments.extend(
                    _glyph_runs(raw, textpage.raw, total, height, number + 1, buf, flags, programs)
                )
                rects = []
            for i, (left, bottom, right, top) in enumerate(rects):
                mid_y = (bottom + top) / 2
                first = firsts[i]
                # The run ends where the next run (in character order, not rectangle order) begins.
                at = bisect.bisect_right(starts, first)
                nxt = starts[at] if at < len(starts) else total
                if 0 <= first < nxt and nxt - first < 4000:
                    text = textpage.get_text_range(first, nxt - first)
                else:
                    band = (top - bottom) * 0.2
                    text = textpage.get_text_bounded(left, mid_y - band, right, mid_y + band)
                raw_text = text.replace("\r", " ").replace("\n", " ")
                if not raw_text.strip():
                    continue
                idx = first
                font, size, bold = "", top - bottom, False
                if idx >= 0:
                    font, bold = _font_facts(raw, textpage.raw, idx, buf, flags, programs)
                    size = float(raw.FPDFText_GetFontSize(textpage.raw, idx)) or size
                located = 0 <= first < nxt
                pieces = (
                    split_at_gaps(raw, textpage.raw, first, raw_text, left, right, size)
                    if located and " " in raw_text.strip()
                    else [(0, len(raw_text), left, right)]
                )
                for start, end, x0, x1 in pieces:
                    piece = raw_text[start:end]
                    tracked = (
                        untrack_range(raw, textpage.raw, first + start, piece, size) if located else None
                    )
                    if tracked is not None:
                        piece = f" {tracked} "  # the run's own spaces either side decide how it joins
                    if located and piece[:1] in ("L", "l") and stroked(raw, textpage.raw, first + start):
                        piece = ("Ł" if piece[0] == "L" else "ł") + piece[1:]
                    if located and tracked is None and ACCENT_OR_STROKE.search(piece):
                        piece = attach_accents(raw, textpage.raw, first + start, piece)
                    clean = piece.translate(_CLEAN)
                    if not clean.strip():
                        continue
                    # Whether the run touched a space on either side decides how runs are joined later.
                    facts.segments.append(
                        Segment(
                            clean.strip(),
                            x0,
                            x1,
                            height - top,
                            height - bottom,
                            number + 1,
                            font,
                            round(size, 1),
                            bold,
                            clean[:1].isspace(),
                            clean[-1:].isspace(),
                        )
                    )
            _drop_repeated_tails(facts.segments)
            place_accents(facts.segments)
            for kind, (left, bottom, right, top) in _shapes(raw, page.raw):
                box = (left, height - top, right, height - bottom)
                if kind == raw.FPDF_PAGEOBJ_IMAGE:
                    facts.images.append(box)
                elif _is_marker(box):
                    facts.markers.append(box)
                elif min(right - left, top - bottom) < 2.5:
                    facts.rules.append(box)
                elif (right - left) > 20 and (top - bottom) > 8:
                    facts.boxes.append(box)
            textpage.close()
            page.close()
            pages.append(facts)
        return PdfExtraction(pages=pages, page_count=count, raw_text="\n".join(texts))
    finally:
        doc.close()


def _drop_repeated_tails(segments: list[Segment]) -> None:
    """A run whose next run's first glyph was not found reads on into that run: "paperweight · github.com/x"
    followed by "· github.com/x". The repeated tail is cut from the first."""
    for seg, nxt in itertools.pairwise(segments):
        if (
            abs(seg.top - nxt.top) < 2
            and nxt.x0 >= seg.x1 - 1
            and len(seg.text) > len(nxt.text)
            and seg.text.endswith(nxt.text)
        ):
            seg.text = seg.text[: -len(nxt.text)].rstrip()
            seg.space_after = True


def _shapes(raw: Any, page: Any, depth: int = 2) -> list[tuple[int, tuple[float, float, float, float]]]:
    """Images and paths with their bounds, read through the raw API: a browser's PDF holds a text object per
    glyph, and wrapping each of them as a Python object cost more than reading the text."""
    out: list[tuple[int, tuple[float, float, float, float]]] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))

    def walk(count: int, get: Any, parent: Any, level: int) -> None:
        for index in range(count):
            obj = get(parent, index)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_FORM and level < depth:
                walk(raw.FPDFFormObj_CountObjects(obj), raw.FPDFFormObj_GetObject, obj, level + 1)
            elif kind in (raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_PATH):
                raw.FPDFPageObj_GetBounds(
                    obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top)
                )
                out.append((kind, (left.value, bottom.value, right.value, top.value)))

    walk(raw.FPDFPage_CountObjects(page), raw.FPDFPage_GetObject, page, 1)
    return out


def _is_marker(box: tuple[float, float, float, float]) -> bool:
    width, height = box[2] - box[0], box[3] - box[1]
    return (
        min(width, height) >= 1.5
        and max(width, height) <= 7.5
        and max(width, height) < 1.6 * min(width, height)
    )


def _font_facts(
    raw: Any, handle: Any, index: int, buf: Any, flags: Any, programs: dict[int, bool]
) -> tuple[str, bool]:
    n = raw.FPDFText_GetFontInfo(handle, index, buf, 256, ctypes.byref(flags))
    font = buf.value.decode("utf-8", "replace") if n else ""
    weight = raw.FPDFText_GetFontWeight(handle, index)
    bold = weight >= 600 or bool(_FONT_BOLD.search(font)) or bool(flags.value & _PDFIUM_BOLD_FLAG)
    if not bold and weight <= 0:
        # No weight in the descriptor and a name without one (jsPDF names every face of a family alike):
        # the embedded font program still says whether it is the bold face.
        bold = _program_bold(raw, handle, index, programs)
    return font, bold


def _program_bold(raw: Any, handle: Any, index: int, programs: dict[int, bool]) -> bool:
    text_object = raw.FPDFText_GetTextObject(handle, index)
    font = raw.FPDFTextObj_GetFont(text_object) if text_object else None
    key = ctypes.cast(font, ctypes.c_void_p).value if font else None
    if key is None:
        return False
    if key not in programs:
        length = ctypes.c_size_t()
        bold = False
        if raw.FPDFFont_GetFontData(font, None, 0, ctypes.byref(length)) and 0 < length.value <= 30_000_000:
            program = (ctypes.c_uint8 * length.value)()
            if raw.FPDFFont_GetFontData(font, program, length.value, ctypes.byref(length)):
                bold = sfnt_bold(bytes(program))
        programs[key] = bold
    return programs[key]


def sfnt_bold(program: bytes) -> bool:
    """Whether a TrueType/OpenType program is a bold face: its OS/2 weight class, else head.macStyle."""
    if len(program) < 12 or program[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        return False
    offsets: dict[bytes, int] = {}
    for i in range(min(int.from_bytes(program[4:6], "big"), 64)):
        record = program[12 + 16 * i : 28 + 16 * i]
        if len(record) == 16:
            offsets[record[:4]] = int.from_bytes(record[8:12], "big")
    os2, head = offsets.get(b"OS/2"), offsets.get(b"head")
    if os2 is not None and os2 + 6 <= len(program):
        return int.from_bytes(program[os2 + 4 : os2 + 6], "big") >= 600
    if head is not None and head + 46 <= len(program):
        return bool(int.from_bytes(program[head + 44 : head + 46], "big") & 1)
    return False


def _glyph_runs(
    raw: Any,
    handle: Any,
    total: int,
    height: float,
    page: int,
    buf: Any,
    flags: Any,
    programs: dict[int, bool],
) -> list[Segment]:
    """Runs built glyph by glyph: same baseline band, size and weight, and no gap wider than an em.

    The size is the font size times the glyph's matrix scale (a browser draws 10 pt text as 13.3 px
    scaled by 0.75), so sizes compare with those of other producers."""
    out: list[Segment] = []
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    matrix = raw.FS_MATRIX()
    run: Segment | None = None
    run_weight = -1
    scale = 1.0
    pending_space = False
    gaps: list[tuple[str, float, bool]] = []  # the run's glyphs: the gap before each, and a space there

    def close() -> None:
        nonlocal run
        if run is not None:
            tracked = untrack(gaps, run.size)
            run.text = (tracked if tracked is not None else run.text).translate(_CLEAN).strip()
            run.space_after = pending_space
            if run.text:
                out.append(run)
        run = None

    for index in range(total):
        char = chr(raw.FPDFText_GetUnicode(handle, index))
        if char in "\r\n":
            close()
            pending_space = True
            continue
        if char.isspace():
            pending_space = True
            continue
        raw.FPDFText_GetCharBox(
            handle, index, ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top)
        )
        if run is None or pending_space:  # the scale holds within a run of glyphs
            raw.FPDFText_GetMatrix(handle, index, ctypes.byref(matrix))
            scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c)) or 1.0
        size = round(raw.FPDFText_GetFontSize(handle, index) * scale, 1)
        weight = raw.FPDFText_GetFontWeight(handle, index)
        x0, x1, y0, y1 = left.value, right.value, height - top.value, height - bottom.value
        if run is not None:
            mid = (y0 + y1) / 2
            same_line = run.top - 0.3 * size <= mid <= run.bottom + 0.3 * size
            gap = x0 - run.x1
            # Small caps mix two sizes inside a word: glyphs that touch stay one run whatever their size.
            alike = abs(size - run.size) < 0.6 or (not pending_space and gap < 0.15 * max(size, run.size))
            if same_line and alike and weight == run_weight and -0.35 * size < gap < 0.9 * size:
                run.text += (" " if pending_space or gap > 0.45 * size else "") + char
                gaps.append((char, gap, pending_space))
                run.size = max(run.size, size)
                run.x1 = max(run.x1, x1)
                run.top, run.bottom = min(run.top, y0), max(run.bottom, y1)
                pending_space = False
                continue
            close()
        font, bold = _font_facts(raw, handle, index, buf, flags, programs)
        run = Segment(char, x0, x1, y0, y1, page, font, size, bold, pending_space, True)
        gaps.clear()
        gaps.append((char, 0.0, False))
        run_weight = weight
        pending_space = False
    close()
    return out


def _char_boxes(raw: Any, handle: Any, total: int) -> list[tuple[float, float, float, float] | None]:
    cl, cr, cb, ct = (ctypes.c_double() for _ in range(4))
    out: list[tuple[float, float, float, float] | None] = []
    for index in range(total):
        if chr(raw.FPDFText_GetUnicode(handle, index)).isspace():
            out.append(None)
            continue
        raw.FPDFText_GetCharBox(
            handle, index, ctypes.byref(cl), ctypes.byref(cr), ctypes.byref(cb), ctypes.byref(ct)
        )
        out.append((cl.value, cb.value, cr.value, ct.value))
    return out


def _first_inside(
    boxes: list[tuple[float, float, float, float] | None], rect: tuple[float, float, float, float]
) -> int:
    """The first glyph wholly inside the run's box (a descender of the line above only reaches into it)."""
    left, bottom, right, top = rect
    for index, box in enumerate(boxes):
        if (
            box is not None
            and left - 0.5 <= (box[0] + box[2]) / 2 <= right + 0.5
            and bottom - 1 <= box[1]
            and box[3] <= top + 1
        ):
            return index
    return -1


def _scan_char(raw: Any, handle: Any, left: float, right: float, y: float, half: float, forward: bool) -> int:
    """The first (or last) character inside a run's box; steps past box-less leading/trailing spaces.

    A vertical slack reaches small glyphs on the baseline (periods, commas); the hit is kept only if the
    glyph's own box lies within the run's band, so a tightly set neighbouring line is never picked.
    """
    width = right - left
    lo, hi = y - half - 0.5, y + half + 0.5
    cl, cr, cb, ct = (ctypes.c_double() for _ in range(4))
    for step in (0.3, 1.2, 2.5, 4.0, 6.0):
        if step > width / 2:
            break
        x = left + step if forward else right - step
        for slack in (0.1, half):
            index = int(raw.FPDFText_GetCharIndexAtPos(handle, x, y, 0.1, slack))
            if index < 0:
                continue
            raw.FPDFText_GetCharBox(
                handle, index, ctypes.byref(cl), ctypes.byref(cr), ctypes.byref(cb), ctypes.byref(ct)
            )
            if lo <= (cb.value + ct.value) / 2 <= hi:
                return index
    return -1


# pdfminer joins glyphs into words across gaps below its tolerance (3 pt by default). TeX writes no space
# characters and sets 9-10 pt words about 2.5 pt apart, so a fixed 3 pt glues whole lines into one word;
# a gap wider than 15 % of the font size is a word break (kerning stays well under it).
_WORD_GAP = 0.15


def extract_pdf_plumber(data: bytes, max_pages: int = 20) -> PdfExtraction:
    """The same positioned facts from the second extractor (pdfminer.six): one segment per word. Used to
    measure that the field parser does not depend on pdfium's reading of a document."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        raise MalformedDocumentError("The PDF cannot be opened: its structure is damaged.") from exc
    with pdf:
        count = len(pdf.pages)
        if count > max_pages:
            raise DocumentTooLargeError(f"The PDF has {count} pages; at most {max_pages} are parsed.")
        pages: list[PageFacts] = []
        texts: list[str] = []
        for number, page in enumerate(pdf.pages, start=1):
            facts = PageFacts(width=float(page.width), height=float(page.height), tight_boxes=False)
            texts.append(page.extract_text(x_tolerance_ratio=_WORD_GAP) or "")
            for word in page.extract_words(extra_attrs=["fontname", "size"], x_tolerance_ratio=_WORD_GAP):
                font = str(word["fontname"])
                facts.segments.append(
                    Segment(
                        str(word["text"]).translate(_CLEAN),
                        float(word["x0"]),
                        float(word["x1"]),
                        float(word["top"]),
                        float(word["bottom"]),
                        number,
                        font,
                        round(float(word["size"]), 1),
                        bool(_FONT_BOLD.search(font)),
                    )
                )
            facts.segments = _join_spaced_letters(facts.segments)
            for image in page.images:
                facts.images.append((image["x0"], image["top"], image["x1"], image["bottom"]))
            for shape in [*page.rects, *page.lines, *page.curves]:
                box = (shape["x0"], shape["top"], shape["x1"], shape["bottom"])
                width, height = box[2] - box[0], box[3] - box[1]
                if _is_marker(box):
                    facts.markers.append(box)
                elif shape["object_type"] == "curve":
                    continue
                elif min(width, height) < 2.5:
                    facts.rules.append(box)
                elif width > 20 and height > 8:
                    facts.boxes.append(box)
            pages.append(facts)
    return PdfExtraction(pages=pages, page_count=count, raw_text="\n".join(texts))


def _join_spaced_letters(words: list[Segment]) -> list[Segment]:
    """pdfminer reads each letter of a letter-spaced word as a word of its own: three or more one-letter
    words in a row on one line, in one size and evenly apart, are joined into what they spell (``untrack``)."""
    out: list[Segment] = []
    i = 0
    while i < len(words):
        first, j = words[i], i + 1
        while (
            len(first.text) == 1
            and j < len(words)
            and len(words[j].text) == 1
            and abs(words[j].top - first.top) < 0.3 * max(first.size, 1)
            and words[j].size == first.size
            and 0 <= words[j].x0 - words[j - 1].x1 < 0.9 * max(first.size, 1)
        ):
            j += 1
        letters = words[i:j]
        glyphs = [(w.text, w.x0 - letters[k - 1].x1 if k else 0.0, k > 0) for k, w in enumerate(letters)]
        text = untrack(glyphs, first.size) if len(letters) >= 3 else None
        if text is None:
            out.append(first)
            i += 1
            continue
        out.append(replace(first, text=text, x1=letters[-1].x1, bottom=max(w.bottom for w in letters)))
        i = j
    return out


def pdfplumber_text(data: bytes, max_pages: int = 20) -> str:
    """The second extractor's text (pdfminer.six layout analysis), for cross-checking."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return "\n".join(
                (page.extract_text(x_tolerance_ratio=_WORD_GAP) or "") for page in pdf.pages[:max_pages]
            )
    except Exception:
        return ""


def pdfplumber_cid_count(text: str) -> int:
    return len(re.findall(r"\(cid:\d+\)", text))
