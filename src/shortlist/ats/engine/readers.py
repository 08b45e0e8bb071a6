"""DOCX (from its structure: styles, headings, lists, tables, headers, text boxes) and TXT into lines."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from shortlist.ats.engine.errors import MalformedDocumentError
from shortlist.ats.engine.layout import BULLET_RE, Line

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class DocxFacts:
    lines: list[Line]
    fonts: Counter[tuple[str, float]] = field(default_factory=Counter)
    images: int = 0
    table_cells: int = 0
    text_boxes: int = 0
    header_footer_lines: int = 0
    pages: int = 0  # as Word last saved it (docProps/app.xml); 0 when unknown


def _paragraph_line(par: Any, fonts: Counter[tuple[str, float]], default_size: float) -> Line | None:
    text = par.text.replace("\xa0", " ")
    if not text.strip():
        return None
    style = par.style
    style_name = (style.name or "") if style is not None else ""
    style_font = style.font if style is not None else None
    runs = [r for r in par.runs if r.text.strip()]
    bold_chars = 0
    sizes: Counter[float] = Counter()
    for run in runs:
        bold = run.bold if run.bold is not None else bool(style_font is not None and style_font.bold)
        if bold:
            bold_chars += len(run.text)
        size_obj = run.font.size or (style_font.size if style_font is not None else None)
        size = size_obj.pt if size_obj is not None else default_size
        sizes[size] += len(run.text)
        name = run.font.name or (style_font.name if style_font is not None else None) or "default"
        fonts[(name, size)] += len(run.text)
    total = sum(sizes.values()) or 1
    p_pr = par._p.pPr
    is_list = "List" in style_name or (p_pr is not None and p_pr.numPr is not None)
    heading = style_name.startswith(("Heading", "Title")) or (
        p_pr is not None and p_pr.find(f"{_W}outlineLvl") is not None
    )
    parts = [p.strip() for p in re.split(r"\t+| {3,}", text) if p.strip()]
    return Line(
        text=" ".join(parts),
        size=sizes.most_common(1)[0][0] if sizes else default_size,
        bold=bold_chars / total > 0.6,
        parts=parts,
        is_bullet=is_list or bool(BULLET_RE.match(text)),
        style_heading=heading,
        gap_before=0.0,  # paragraph spacing is not measured in DOCX; structure cues are used instead
    )


def _row_as_line(cells: list[Line], count: int) -> list[Line]:
    """A table row of one-line cells ("Cloud" | "AWS, Docker") is one line with a part per cell, as a PDF
    reads it; rows whose cells hold whole blocks (a sidebar beside the main text) stay line by line."""
    if count < 2 or len(cells) != count or any(ln.is_bullet for ln in cells):
        return cells
    parts = [p for ln in cells for p in ln.parts]
    return [replace(cells[0], text=" ".join(parts), parts=parts, bold=cells[0].bold and cells[-1].bold)]


def read_docx(data: bytes) -> DocxFacts:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise MalformedDocumentError("The DOCX file cannot be read: its structure is damaged.") from exc
    except Exception as exc:
        raise MalformedDocumentError(f"The DOCX file cannot be read ({type(exc).__name__}).") from exc
    fonts: Counter[tuple[str, float]] = Counter()
    normal = document.styles["Normal"] if "Normal" in [s.name for s in document.styles] else None
    default_size = 11.0
    if normal is not None and getattr(normal, "font", None) is not None and normal.font.size is not None:
        default_size = normal.font.size.pt
    facts = DocxFacts(lines=[], fonts=fonts)
    header_lines: list[Line] = []
    footer_lines: list[Line] = []
    for section in document.sections:
        for target, part in ((header_lines, section.header), (footer_lines, section.footer)):
            if part.is_linked_to_previous and target:
                continue
            for par in part.paragraphs:
                line = _paragraph_line(par, fonts, default_size)
                if line is not None:
                    line.in_margin = True
                    target.append(line)
    body: list[Line] = []
    for block in document.element.body.iterchildren():
        if block.tag == f"{_W}p":
            par = Paragraph(block, document)
            line = _paragraph_line(par, fonts, default_size)
            if line is not None:
                body.append(line)
            for box in block.iter(f"{_W}txbxContent"):
                facts.text_boxes += 1
                for inner in box.iter(f"{_W}p"):
                    inner_line = _paragraph_line(Paragraph(inner, document), fonts, default_size)
                    if inner_line is not None:
                        inner_line.in_textbox = True
                        body.append(inner_line)
        elif block.tag == f"{_W}tbl":
            table = Table(block, document)
            for row in table.rows:
                seen: set[int] = set()
                row_lines: list[Line] = []
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat
                        continue
                    seen.add(id(cell._tc))
                    facts.table_cells += 1
                    for par in cell.paragraphs:
                        line = _paragraph_line(par, fonts, default_size)
                        if line is not None:
                            line.in_table = True
                            row_lines.append(line)
                body.extend(_row_as_line(row_lines, len(seen)))
    facts.pages = _saved_page_count(data)
    facts.images = sum(1 for rel in document.part.rels.values() if "image" in rel.reltype)
    facts.header_footer_lines = len(header_lines) + len(footer_lines)
    facts.lines = header_lines + body + footer_lines
    return facts


def _saved_page_count(data: bytes) -> int:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            app = archive.read("docProps/app.xml")[:100_000].decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError):
        return 0
    m = re.search(r"<(?:\w+:)?Pages>(\d{1,4})</", app)
    return int(m.group(1)) if m else 0


def decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


# Markdown emphasis around words (not a "* " list marker): **bold**, *italic*, __bold__, _italic_.
_EMPHASIS = re.compile(r"(?<!\w)(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1(?!\w)")


def read_txt(text: str) -> list[Line]:
    """Plain text: one line each; blank lines become vertical gaps; underlines (=== / ---) mark headings."""
    lines: list[Line] = []
    gap = 2.0
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for raw in raw_lines:
        stripped = raw.strip()
        if not stripped:
            gap += 1.0
            continue
        if re.fullmatch(r"[=\-_~*#]{3,}", stripped):
            if lines:
                lines[-1].style_heading = True
            continue
        heading = bold = False
        if stripped.startswith("#"):
            level = len(stripped) - len(stripped.lstrip("#"))
            stripped = stripped.lstrip("#").strip()
            # Markdown: '#' and '##' are the name and the sections; '###' and below title entries.
            heading, bold = level <= 2, level > 2
        emphasis = _EMPHASIS.sub(r"\2", stripped)
        if emphasis != stripped:
            bold = bold or (stripped.startswith("**") and stripped.endswith("**"))
            stripped = emphasis
        indent = len(raw) - len(raw.lstrip(" \t"))
        parts = [p.strip() for p in re.split(r"\t+| {3,}", stripped) if p.strip()]
        line = Line(
            text=" ".join(parts),
            x0=float(indent),
            size=10.0,
            parts=parts,
            is_bullet=bool(BULLET_RE.match(stripped)),
            style_heading=heading,
            gap_before=gap,
            bold=bold,
        )
        # A wrapped bullet continues on an indented line without a marker.
        if lines and lines[-1].is_bullet and not line.is_bullet and gap == 0.0 and indent > 0 and not heading:
            lines[-1].text += " " + line.text
            lines[-1].parts[-1] += " " + line.text
        else:
            lines.append(line)
        gap = 0.0
    return lines
