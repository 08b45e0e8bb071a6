"""Word-style resumes written with python-docx using the features Word users reach for, plus text and Markdown.

``word_classic``: Title/Subtitle styles, contact details in the page header, a page-number field in the footer,
Heading 1 sections, numbered and nested bullet lists, skills in a two-column section. ``word_table``: the
page laid out as a two-cell table (a sidebar cell with contact, skills and languages beside the main cell).
LibreOffice turns each into the PDF a Word user would upload (see ``families``).
"""

from __future__ import annotations

import io
from typing import Any

from shortlist.ats.evaluation.html_layouts import _contact, _groups
from shortlist.ats.evaluation.varied import date_range, degree_line


def _dates(entry: dict[str, Any], meta: dict[str, Any]) -> str:
    text, dur = date_range(entry, meta)
    return f"{text} {dur}".strip()


def _page_number_field(paragraph: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _columns(section: Any, count: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    cols = section._sectPr.find(qn("w:cols"))
    if cols is None:
        cols = OxmlElement("w:cols")
        section._sectPr.append(cols)
    cols.set(qn("w:num"), str(count))
    cols.set(qn("w:space"), "425")


def _work(container: Any, resume: dict[str, Any], heading_style: str) -> None:
    meta = resume["meta"]
    numbered = meta["variant"] % 3 == 0
    for employer, roles in _groups(resume):
        if len(roles) > 1:
            p = container.add_paragraph()
            p.add_run(f"{employer}, {roles[0][1]['location']}").bold = True
        for i, w in roles:
            p = container.add_paragraph()
            title = w["position"] if len(roles) > 1 else f"{w['position']} — {employer}, {w['location']}"
            p.add_run(title).bold = True
            p.add_run(f"\t{_dates(w, meta)}")
            for text, level in zip(w["highlights"], meta["levels"][i], strict=True):
                style = ("List Number" if numbered else "List Bullet") + (" 2" if level else "")
                container.add_paragraph(text, style=style)


def _education(container: Any, resume: dict[str, Any]) -> None:
    for e in resume["education"]:
        p = container.add_paragraph()
        p.add_run(degree_line(e, resume["meta"]["eduStyle"])).bold = True
        p.add_run(f"\t{e['startDate']} – {e['endDate']}")
        if e.get("score"):
            container.add_paragraph(f"Grade: {e['score']}")


def _skills(resume: dict[str, Any]) -> list[str]:
    if resume["meta"]["skillsFlat"]:
        return [", ".join(k for g in resume["skills"] for k in g["keywords"])]
    return [f"{g['name']}: {', '.join(g['keywords'])}" for g in resume["skills"]]


def _extras(container: Any, resume: dict[str, Any], style: str) -> None:
    h = resume["meta"]["headings"]
    if resume.get("certificates"):
        container.add_paragraph(h["certificates"], style=style)
        for c in resume["certificates"]:
            container.add_paragraph(f"{c['name']} — {c['issuer']} ({c['date']})")
    if resume.get("projects"):
        container.add_paragraph(h["projects"], style=style)
        for pr in resume["projects"]:
            p = container.add_paragraph()
            p.add_run(pr["name"]).bold = True
            p.add_run(f" · {pr['url'].removeprefix('https://')}")
            container.add_paragraph(pr["description"])


def word_classic(resume: dict[str, Any]) -> bytes:
    import docx
    from docx.enum.section import WD_SECTION

    document = docx.Document()
    b, h = resume["basics"], resume["meta"]["headings"]
    document.add_paragraph(b["name"], style="Title")
    document.add_paragraph(b["label"], style="Subtitle")
    section = document.sections[0]
    section.header.paragraphs[0].text = " | ".join(v for _, v in _contact(resume))
    footer = section.footer.paragraphs[0]
    footer.add_run("Page ")
    _page_number_field(footer)
    document.add_heading(h["summary"], level=1)
    document.add_paragraph(b["summary"])
    document.add_heading(h["work"], level=1)
    _work(document, resume, "Heading 1")
    document.add_heading(h["education"], level=1)
    _education(document, resume)
    document.add_heading(h["languages"], level=1)
    for lg in resume["languages"]:
        document.add_paragraph(f"{lg['language']}: {lg['fluency']}")
    _extras(document, resume, "Heading 1")
    document.add_heading(h["skills"], level=1)
    _columns(document.add_section(WD_SECTION.CONTINUOUS), 2)
    for line in _skills(resume):
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def word_table(resume: dict[str, Any]) -> bytes:
    import docx
    from docx.shared import Mm, Pt

    document = docx.Document()
    b, h = resume["basics"], resume["meta"]["headings"]
    name = document.add_paragraph()
    run = name.add_run(b["name"])
    run.bold, run.font.size = True, Pt(22)
    document.add_paragraph(b["label"])
    grid = document.add_table(rows=1, cols=2)
    grid.autofit = False
    side, main = grid.rows[0].cells
    for column, cell, width in zip(grid.columns, (side, main), (Mm(50), Mm(115)), strict=True):
        column.width = cell.width = width  # Word reads the cell widths, LibreOffice the grid's
    side.paragraphs[0].add_run("Contact").bold = True
    for _, value in _contact(resume):
        side.add_paragraph(value)
    side.add_paragraph(h["skills"], style="Heading 2")
    for line in _skills(resume):
        side.add_paragraph(line)
    side.add_paragraph(h["languages"], style="Heading 2")
    for lg in resume["languages"]:
        side.add_paragraph(f"{lg['language']} – {lg['fluency']}")
    main.paragraphs[0].text = h["summary"]
    main.paragraphs[0].style = document.styles["Heading 2"]
    main.add_paragraph(b["summary"])
    main.add_paragraph(h["work"], style="Heading 2")
    _work(main, resume, "Heading 2")
    main.add_paragraph(h["education"], style="Heading 2")
    _education(main, resume)
    _extras(main, resume, "Heading 2")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def plain_text(resume: dict[str, Any]) -> bytes:
    b, meta = resume["basics"], resume["meta"]
    h = meta["headings"]
    out = [b["name"], b["label"], *(v for _, v in _contact(resume)), ""]

    def head(kind: str) -> None:
        out.extend([h[kind].upper(), "=" * len(h[kind]) if meta["variant"] % 2 else "", ""])

    head("summary")
    out += [b["summary"], ""]
    head("work")
    for employer, roles in _groups(resume):
        for i, w in roles:
            out.append(f"{w['position']}, {employer} ({w['location']})")
            out.append(_dates(w, meta))
            for text, level in zip(w["highlights"], meta["levels"][i], strict=True):
                out.append(("    " if level else "") + f"{'-' if level else '*'} {text}")
            out.append("")
    head("education")
    for e in resume["education"]:
        out.append(f"{degree_line(e, meta['eduStyle'])}, {e['startDate']} – {e['endDate']}")
        if e.get("score"):
            out.append(f"Grade: {e['score']}")
    out.append("")
    head("skills")
    out += [*_skills(resume), ""]
    head("languages")
    out += [f"{lg['language']} ({lg['fluency']})" for lg in resume["languages"]] + [""]
    if resume.get("certificates"):
        head("certificates")
        out += [f"{c['name']}, {c['issuer']}, {c['date']}" for c in resume["certificates"]] + [""]
    if resume.get("projects"):
        head("projects")
        for pr in resume["projects"]:
            out += [f"{pr['name']} | {pr['url'].removeprefix('https://')}", pr["description"], ""]
    return "\n".join(out).encode("utf-8")


def markdown(resume: dict[str, Any]) -> bytes:
    b, meta = resume["basics"], resume["meta"]
    h = meta["headings"]
    out = [f"# {b['name']}", "", f"**{b['label']}**", "", " · ".join(v for _, v in _contact(resume)), ""]
    out += [f"## {h['summary']}", "", b["summary"], "", f"## {h['work']}", ""]
    for employer, roles in _groups(resume):
        if len(roles) > 1:
            out += [f"### {employer} — {roles[0][1]['location']}", ""]
        for i, w in roles:
            title = w["position"] if len(roles) > 1 else f"{w['position']} at {employer}, {w['location']}"
            out += [f"{'####' if len(roles) > 1 else '###'} {title}", "", f"*{_dates(w, meta)}*", ""]
            for text, level in zip(w["highlights"], meta["levels"][i], strict=True):
                out.append(("  " if level else "") + f"- {text}")
            out.append("")
    out += [f"## {h['education']}", ""]
    for e in resume["education"]:
        out += [f"**{degree_line(e, meta['eduStyle'])}** ({e['startDate']} – {e['endDate']})", ""]
        if e.get("score"):
            out += [f"Grade: {e['score']}", ""]
    out += [f"## {h['skills']}", ""] + [f"- {s}" for s in _skills(resume)] + [""]
    out += [f"## {h['languages']}", ""] + [f"- {x['language']}: {x['fluency']}" for x in resume["languages"]]
    out.append("")
    if resume.get("certificates"):
        out += [f"## {h['certificates']}", ""]
        out += [f"- {c['name']} — {c['issuer']} ({c['date']})" for c in resume["certificates"]] + [""]
    if resume.get("projects"):
        out += [f"## {h['projects']}", ""]
        for pr in resume["projects"]:
            out += [f"**{pr['name']}** · {pr['url'].removeprefix('https://')}", "", pr["description"], ""]
    return "\n".join(out).encode("utf-8")
