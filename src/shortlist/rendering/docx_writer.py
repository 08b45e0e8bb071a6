"""DOCX export with python-docx: real Heading styles and List Bullet paragraphs, no layout tables."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.shared import Mm, Pt, RGBColor

from shortlist.rendering.view import ResumeView

_PAGE_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _para(doc: Any, text: str = "", style_id: str | None = None) -> Any:
    """A paragraph with a style set by id. python-docx resolves style *names* by scanning every style each
    time (most of the export's cost), so the id goes straight into the paragraph properties."""
    paragraph = doc.add_paragraph(text)
    if style_id is not None:
        paragraph._p.get_or_add_pPr().style = style_id
    return paragraph


def to_docx(view: ResumeView) -> bytes:
    st = view.style
    doc = Document()
    section = doc.sections[0]
    width, height = _PAGE_MM[st.page_size]
    section.page_width, section.page_height = Mm(width), Mm(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(st.margins_mm))

    accent = _rgb(st.color)
    normal = doc.styles["Normal"]
    normal.font.name = st.fonts[0]
    normal.font.size = Pt(st.base_size)
    for name in ("Title", "Heading 1", "Heading 2"):
        s = doc.styles[name]
        s.font.name = st.fonts[0]
        s.font.color.rgb = accent
    doc.styles["Heading 3"].font.name = st.fonts[0]

    props = doc.core_properties
    props.title = f"{view.name} — Resume" if view.name else "Resume"
    props.author = view.name
    props.language = st.language

    if view.name:
        _para(doc, view.name, "Title")
    if view.label:
        _para(doc, view.label, "Subtitle")
    if view.contacts:
        _para(doc, " · ".join(c.text for c in view.contacts))
    for s in view.sections:
        _para(doc, s.title, "Heading1")
        if s.text:
            _para(doc, s.text)
        for t in s.tags:
            p = _para(doc)
            p.add_run(t.name).bold = True
            if t.detail:
                p.add_run(f": {t.detail}")
        for e in s.entries:
            head = _para(doc, style_id="Heading2")
            head.add_run(e.title)
            if e.subtitle:
                head.add_run(f", {e.subtitle}" if e.title else e.subtitle)
            if e.link:
                head.add_run(f" · {e.link}")
            head.paragraph_format.keep_with_next = True
            meta = " · ".join(p for p in (e.dates, e.location) if p)
            if meta:
                _para(doc, meta).paragraph_format.keep_with_next = True
            if e.summary:
                _para(doc, e.summary)
            for b in e.bullets:
                _para(doc, b, "ListBullet")
            if e.keywords:
                _para(doc, e.keywords)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
