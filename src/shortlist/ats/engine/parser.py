"""The parse pipeline: bytes -> sniff -> positioned lines -> fields -> ParseResult."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from typing import Literal

from shortlist.ats.engine.extract import (
    extract_pdf,
    extract_pdf_plumber,
    pdfplumber_cid_count,
    pdfplumber_text,
)
from shortlist.ats.engine.fields import extract_fields
from shortlist.ats.engine.files import DEFAULT_LIMITS, Limits, sniff
from shortlist.ats.engine.layout import Line, layout_pages, split_side_headings
from shortlist.ats.engine.readers import decode_text, read_docx, read_txt
from shortlist.ats.engine.results import FileType, FontUse, LayoutInfo, ParseResult, TextLine
from shortlist.ats.engine.sections import heading_key

_PUA = re.compile("[\ue000-\uf8ff\ufffd]")
_PUA_MARKER = re.compile("^\\s*[\uf020-\uf0ff]\\s")
Extractor = Literal["pdfium", "pdfplumber"]


def _norm_for_compare(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.findall(r"\w+", text)


def text_similarity(a: str, b: str) -> float:
    """Word-sequence similarity of two extractions, 0..1 (order-sensitive: catches scrambled order)."""
    wa, wb = _norm_for_compare(a), _norm_for_compare(b)
    if not wa and not wb:
        return 1.0
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    return round(matcher.ratio(), 4)


def _to_result(
    file_type: FileType, data: bytes, lines: list[Line], layout: LayoutInfo, warnings: list[str]
) -> ParseResult:
    extraction = extract_fields(lines)
    layout.headings = extraction.headings
    layout.unknown_headings = extraction.unknown_headings
    text = "\n".join(ln.text for ln in lines)
    # A symbol-font list marker opening a line (Word's bullets) is decoration, not text an ATS loses.
    markers = sum(1 for ln in lines if _PUA_MARKER.match(ln.text))
    layout.private_use_chars = len(_PUA.findall(text)) - markers
    text_lines = [
        TextLine(
            index=i + 1,
            page=ln.page,
            text=ln.text,
            column=ln.column,
            size=ln.size,
            bold=ln.bold,
            section=ln.section,
            in_table=ln.in_table,
            in_margin=ln.in_margin or ln.in_textbox,
        )
        for i, ln in enumerate(lines)
    ]
    return ParseResult(
        file_type=file_type,
        size_bytes=len(data),
        resume=extraction.resume,
        confidence=extraction.confidence,
        text=text,
        lines=text_lines,
        layout=layout,
        warnings=warnings,
    )


def parse_pdf(
    data: bytes, limits: Limits = DEFAULT_LIMITS, cross_check: bool = True, extractor: Extractor = "pdfium"
) -> ParseResult:
    """``extractor`` picks where the positioned text comes from: pypdfium2 (the default, and faster) or
    pdfplumber, which the evaluation uses to show that the fields do not depend on one extractor."""
    read = extract_pdf_plumber if extractor == "pdfplumber" else extract_pdf
    extraction = read(data, max_pages=limits.max_pages)
    lines, columns, reordered = layout_pages(extraction.pages, lambda text: heading_key(text) is not None)
    lines = split_side_headings(lines, lambda text: heading_key(text) is not None)
    fonts: Counter[tuple[str, float]] = Counter()
    for page in extraction.pages:
        for seg in page.segments:
            fonts[(seg.font.split("+", 1)[-1], seg.size)] += len(seg.text)
    warnings: list[str] = []
    has_text = sum(len(ln.text) for ln in lines) >= 20
    layout = LayoutInfo(
        pages=extraction.page_count,
        columns=columns,
        fonts=[FontUse(name=n, size=s, chars=c) for (n, s), c in fonts.most_common(12)],
        has_text_layer=has_text,
        image_count=sum(len(p.images) for p in extraction.pages),
        table_cells=sum(1 for ln in lines if ln.in_table),
        header_footer_lines=sum(1 for ln in lines if ln.in_margin),
        reading_order_reordered=reordered,
    )
    if not has_text:
        warnings.append("no text layer: the PDF holds only images (a scan?); nothing was read from it")
        return ParseResult(
            file_type="pdf",
            size_bytes=len(data),
            resume={},
            confidence={},
            text="",
            lines=[],
            layout=layout,
            warnings=warnings,
        )
    if cross_check:
        other = pdfplumber_text(data, max_pages=limits.max_pages)
        layout.cid_glyphs = pdfplumber_cid_count(other)
        ordered = "\n".join(ln.text for ln in lines)
        layout.extractor_similarity = max(
            text_similarity(ordered, other), text_similarity(extraction.raw_text, other)
        )
    return _to_result("pdf", data, lines, layout, warnings)


def parse_docx(data: bytes) -> ParseResult:
    facts = read_docx(data)
    layout = LayoutInfo(
        pages=facts.pages or max(1, round(sum(len(ln.text) for ln in facts.lines) / 3000)),
        columns=[1],
        fonts=[FontUse(name=n, size=s, chars=c) for (n, s), c in facts.fonts.most_common(12)],
        has_text_layer=bool(facts.lines),
        image_count=facts.images,
        table_cells=facts.table_cells,
        text_boxes=facts.text_boxes,
        header_footer_lines=facts.header_footer_lines,
    )
    return _to_result("docx", data, facts.lines, layout, [])


def parse_txt(data: bytes) -> ParseResult:
    lines = read_txt(decode_text(data))
    layout = LayoutInfo(pages=1, columns=[1], has_text_layer=bool(lines))
    return _to_result("txt", data, lines, layout, [])


def parse_bytes(
    data: bytes, limits: Limits = DEFAULT_LIMITS, cross_check: bool = True, extractor: Extractor = "pdfium"
) -> ParseResult:
    """Parse in this process, for trusted input; use parse_file_sandboxed for uploads."""
    kind = sniff(data, limits)
    if kind == "pdf":
        return parse_pdf(data, limits, cross_check=cross_check, extractor=extractor)
    if kind == "docx":
        return parse_docx(data)
    return parse_txt(data)


def parse_text(text: str) -> ParseResult:
    """Plain text already in memory (the stage the property tests drive)."""
    return parse_txt(text.encode("utf-8"))
