"""DOCX export with python-docx: real Heading styles and List Bullet paragraphs, no layout tables."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Mm, Pt, RGBColor

from shortlist.rendering.view import ResumeView

_PAGE_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


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
        doc.add_heading(view.name, level=0)
    if view.label:
        doc.add_paragraph(view.label, style="Subtitle")
    if view.contacts:
        doc.add_paragraph(" · ".join(c.text for c in view.contacts))
    for s in view.sections:
        doc.add_heading(s.title, level=1)
        if s.text:
            doc.add_paragraph(s.text)
        for t in s.tags:
            p = doc.add_paragraph()
            p.add_run(t.name).bold = True
            if t.detail:
                p.add_run(f": {t.detail}")
        for e in s.entries:
            head = doc.add_heading(level=2)
            head.add_run(e.title)
            if e.subtitle:
                head.add_run(f", {e.subtitle}" if e.title else e.subtitle)
            head.paragraph_format.keep_with_next = True
            meta = " · ".join(p for p in (e.dates, e.location) if p)
            if meta:
                mp = doc.add_paragraph(meta)
                mp.paragraph_format.keep_with_next = True
            if e.summary:
                doc.add_paragraph(e.summary)
            for b in e.bullets:
                doc.add_paragraph(b, style="List Bullet")
            if e.keywords:
                doc.add_paragraph(e.keywords)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
