"""DOCX export with python-docx: real Heading styles and List Bullet paragraphs, no layout tables, styled
like the template's PDF (its font, colours, sizes, spacing, header and section-heading style, read from the
template's knobs), so the document keeps the design and runs to the same number of pages."""

from __future__ import annotations

import base64
import io
import re
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from shortlist.rendering.knobs import Knobs, flag, knobs, number, text
from shortlist.rendering.photo import photo_data_url
from shortlist.rendering.view import ResumeView

_PAGE_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
_MUTED = "555555"
_BODY = "141414"
_RANGED = ("work", "volunteer", "education", "projects")


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _lighten(hex_colour: str, amount: float) -> str:
    r, g, b = (int(hex_colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return "".join(f"{round(c + (255 - c) * amount):02X}" for c in (r, g, b))


def _em(k: Knobs, key: str, default: float) -> float:
    value = k.get(key)
    if isinstance(value, str) and value.endswith("em"):
        return float(value[:-2])
    return default


def _para(doc: Any, text_: str = "", style_id: str | None = None) -> Any:
    """A paragraph with a style set by id. python-docx resolves style *names* by scanning every style each
    time (most of the export's cost), so the id goes straight into the paragraph properties."""
    paragraph = doc.add_paragraph(text_)
    if style_id is not None:
        paragraph._p.get_or_add_pPr().style = style_id
    return paragraph


def _border(ppr: Any, side: str, size_pt: float, colour: str, space: int = 1) -> None:
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(max(2, round(size_pt * 8))))  # eighths of a point
    edge.set(qn("w:space"), str(space))
    edge.set(qn("w:color"), colour)
    borders.append(edge)


def _shade(ppr: Any, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    ppr.append(shading)


def _font(style: Any, family: str, size: float, colour: str, bold: bool | None = None) -> None:
    style.font.name = family
    # East Asian and complex-script text use the same family (Word keeps separate slots for them).
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:eastAsia", "w:cs", "w:hAnsi", "w:ascii"):
        rfonts.set(qn(slot), family)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)
    style.font.size = Pt(round(size * 2) / 2)  # Word keeps half points: the nearest, not python-docx's floor
    style.font.color.rgb = RGBColor.from_string(colour)
    if bold is not None:
        style.font.bold = bold
    style.font.italic = False


def _spacing(style: Any, before: float, after: float, pitch: float) -> None:
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = Pt(pitch)


def _styles(doc: Any, view: ResumeView, k: Knobs, content_width_mm: float) -> None:
    st = view.style
    size, family, accent = st.base_size, st.fonts[0], st.color.lstrip("#").upper()
    pitch = size * (0.7 + st.leading) * 1.06  # Typst's line pitch; Word adds a little less below descenders
    para_gap = size * st.leading * 0.5
    styles = doc.styles
    _font(styles["Normal"], family, size, _BODY)
    _spacing(styles["Normal"], 0, para_gap, pitch)

    fill = text(k, "name-fill", "")
    luma = re.fullmatch(r"luma\((\d+)\)", fill)
    name_colour = f"{int(luma.group(1)):02X}" * 3 if luma else accent
    header = text(k, "header", "left")
    title = styles["Title"]
    _font(
        title,
        family,
        size * number(k, "name-size", 2.1),
        name_colour,
        bold=text(k, "name-weight", "bold") != "regular",
    )
    _spacing(title, 0, size * 0.2, size * number(k, "name-size", 2.1) * 1.15)
    title.font.all_caps = header == "band" or flag(k, "name-caps")
    title_ppr = title.element.get_or_add_pPr()
    for old in title_ppr.findall(qn("w:pBdr")):
        title_ppr.remove(old)
    subtitle = styles["Subtitle"]
    _font(subtitle, family, size * 1.12, "464646", bold=False)
    _spacing(subtitle, 0, size * 0.15, size * 1.12 * 1.2)
    subtitle.font.all_caps = header == "band"

    heading = styles["Heading 1"]
    style_name = text(k, "heading", "rule")
    _font(heading, family, size * 1.12, accent if style_name != "plain" else "1A1A1A", bold=True)
    _spacing(heading, size * _em(k, "section-gap", 1.25), size * 0.5, size * 1.12 * 1.25)
    heading.paragraph_format.keep_with_next = True
    hppr = heading.element.get_or_add_pPr()
    for old in hppr.findall(qn("w:pBdr")):
        hppr.remove(old)
    if style_name in ("rule", "tracked", "leader", "overline", "centered"):
        heading.font.all_caps = True
    if style_name == "caps":
        heading.font.small_caps = True
    if style_name == "rule":
        _border(hppr, "bottom", 0.6, accent)
    elif style_name == "caps":
        _border(hppr, "bottom", 0.4, "969696")
    elif style_name == "overline":
        _border(hppr, "top", 2, accent, space=4)
    elif style_name == "bar":
        _border(hppr, "left", 3, accent, space=6)
    elif style_name == "tint":
        _shade(hppr, _lighten(accent, 0.88))
    elif style_name == "underline":
        heading.font.underline = True
    elif style_name == "centered":
        heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if style_name == "leader":
        # The heading's hairline to the margin: a right tab with a line leader.
        heading.paragraph_format.tab_stops.add_tab_stop(
            Mm(content_width_mm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.HEAVY
        )

    entry = styles["Heading 2"]
    _font(entry, family, size, _BODY, bold=True)
    _spacing(entry, size * _em(k, "entry-gap", 0.45), size * 0.2, pitch)
    entry.paragraph_format.keep_with_next = True
    # Dates flush right, as in the PDF: a right-aligned tab stop at the margin.
    entry.paragraph_format.tab_stops.add_tab_stop(Mm(content_width_mm), WD_TAB_ALIGNMENT.RIGHT)

    bullet = styles["List Bullet"]
    _font(bullet, family, size, _BODY)
    _spacing(bullet, 0, size * 0.45 - (pitch - size * 1.0) + size * 0.1, pitch)


def _run(
    paragraph: Any, value: str, *, colour: str | None = None, italic: bool = False, bold: bool | None = None
) -> Any:
    run = paragraph.add_run(value)
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)
    if italic:
        run.italic = True
    if bold is not None:
        run.bold = bold
    return run


def to_docx(view: ResumeView) -> bytes:
    st = view.style
    k = knobs(st.template.slug)
    doc = Document()
    section = doc.sections[0]
    width, height = _PAGE_MM[st.page_size]
    section.page_width, section.page_height = Mm(width), Mm(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(st.margins_mm))
    content_width = width - 2 * st.margins_mm
    _styles(doc, view, k, content_width)

    props = doc.core_properties
    props.title = f"{view.name} — Resume" if view.name else "Resume"
    props.author = view.name
    props.language = st.language

    header = text(k, "header", "left")
    centred = WD_ALIGN_PARAGRAPH.CENTER if header == "center" else None
    banded = header in ("band", "banner")
    accent = st.color.lstrip("#").upper()
    head_paragraphs: list[Any] = []
    if view.photo:
        picture = _para(doc)
        picture.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        data = base64.b64decode(photo_data_url(view.photo).split(",", 1)[1])
        picture.add_run().add_picture(io.BytesIO(data), width=Mm(24))
    if view.name:
        head_paragraphs.append(_para(doc, view.name, "Title"))
    if view.label:
        head_paragraphs.append(_para(doc, view.label, "Subtitle"))
    if view.contacts:
        contacts = _para(doc)
        for i, c in enumerate(view.contacts):
            if i:
                _run(contacts, f" {text(k, 'sep', '·')} ", colour=None if header == "banner" else "8C8C8C")
            _run(contacts, c.text)
        for run in contacts.runs:
            run.font.size = Pt(st.base_size * 0.92)
        if header != "band":
            head_paragraphs.append(contacts)
        rule = flag(k, "header-rule") or header == "band"
        if rule:
            _border(
                contacts._p.get_or_add_pPr(),
                "bottom",
                0.8 if header != "band" else 0.5,
                accent if header != "band" else "AAAAAA",
                space=4,
            )
    for paragraph in head_paragraphs:
        if centred is not None:
            paragraph.alignment = centred
        if banded:
            _shade(paragraph._p.get_or_add_pPr(), accent)
            for run in paragraph.runs:
                run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    if header == "side":
        for paragraph in head_paragraphs:
            _border(paragraph._p.get_or_add_pPr(), "left", 4, accent, space=8)

    oneline = text(k, "entry", "inline") == "oneline"
    stacked = text(k, "entry", "inline") == "stacked"
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
            if oneline:
                rest = " · ".join(x for x in (e.subtitle, e.dates, e.location) if x)
                if e.link:
                    _run(head, f" · {e.link}", colour=_MUTED, bold=False)
                if rest:
                    _run(head, f" — {rest}" if e.title else rest, colour=_MUTED, bold=False)
                meta = ""
            else:
                if e.subtitle and not stacked:
                    _run(head, f", {e.subtitle}" if e.title else e.subtitle, bold=False)
                if e.link:
                    _run(head, f" · {e.link}", colour=_MUTED, bold=False)
                if e.dates and not stacked:
                    _run(head, f"\t{e.dates}", colour=_MUTED, bold=False)
                meta_parts = (e.subtitle, e.location, e.dates) if stacked else (e.location,)
                meta = " · ".join(x for x in meta_parts if x)
            if meta:
                m = _para(doc)
                _run(m, meta, colour=_MUTED, italic=stacked)
                m.paragraph_format.keep_with_next = True
                m.paragraph_format.space_after = Pt(st.base_size * 0.2)
            if e.summary:
                _para(doc, e.summary)
            for b in e.bullets:
                _para(doc, b, "ListBullet")
            if e.keywords:
                kw = _para(doc)
                _run(kw, e.keywords, colour="505050")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
