"""Render corpus resumes to PDF (Typst layouts of our own), DOCX (python-docx) and TXT.

``RENDERERS`` is the list the evaluation iterates; the product's own templates can be appended as more
``Renderer`` entries when the rendering library is available.
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from shortlist.ats.evaluation.corpus import HEADINGS, HEADINGS_ALT, PRESENT, format_date


@dataclass(frozen=True)
class Renderer:
    name: str
    file_type: str
    render: Callable[[dict[str, Any]], bytes]


def _dates(item: dict[str, Any], lang: str, style: str) -> str:
    start = format_date(item["startDate"], lang, style) if item.get("startDate") else ""
    end = format_date(item["endDate"], lang, style) if item.get("endDate") else PRESENT[lang]
    return f"{start} – {end}"


def view(resume: dict[str, Any], layout: str = "single") -> dict[str, Any]:
    """Pre-formatted strings for the layouts (dates in the resume's language and style)."""
    meta = resume.get("meta", {})
    lang, style = meta.get("lang", "en"), meta.get("dateStyle", "named")
    b = resume["basics"]
    contact = [b["email"], b["phone"], f"{b['location']['city']}, {_country(b['location']['countryCode'])}"]
    contact += [p["url"].removeprefix("https://") for p in b.get("profiles", [])]
    contact.append(b["url"].removeprefix("https://"))
    # Contact order varies, but the name's line always comes first and the email leads most often.
    random.Random(meta.get("contactSeed", 0)).shuffle(contact)  # noqa: S311 - layout variety only
    edu = []
    for e in resume.get("education", []):
        edu.append(
            {
                "institution": e["institution"],
                "degree": f"{e['studyType']} in {e['area']}",
                "dates": f"{e['startDate']} – {e['endDate']}",
                "score": f"GPA: {e['score']}" if e.get("score") else "",
            }
        )
    return {
        "layout": layout,
        "lang": lang,
        "entry_style": meta.get("entryStyle", "one-line" if len(b["name"]) % 2 else "two-line"),
        "name": b["name"],
        "label": b.get("label", ""),
        "contact": contact,
        "headings": (HEADINGS_ALT if meta.get("headings") == "alternative" else HEADINGS)[lang],
        "bullet": meta.get("bullet", "-"),
        "justify": bool(meta.get("justify", False)),
        "summary": b.get("summary", ""),
        "work": [
            {
                "position": w["position"],
                "name": w["name"],
                "location": w["location"],
                "dates": _dates(w, lang, style),
                "highlights": w.get("highlights", []),
            }
            for w in resume.get("work", [])
        ],
        "education": edu,
        "skills": _skills(resume, meta.get("skillsStyle", "grouped")),
        "languages": [_language(lg, meta.get("langStyle", "paren")) for lg in resume.get("languages", [])],
        "certificates": [
            _certificate(c, meta.get("certStyle", "dash")) for c in resume.get("certificates", [])
        ],
        "projects": [
            {"name": p["name"], "url": p["url"].removeprefix("https://"), "description": p["description"]}
            for p in resume.get("projects", [])
        ],
    }


def _skills(resume: dict[str, Any], style: str) -> list[str]:
    groups = resume.get("skills", [])
    if style == "flat":
        return [", ".join(k for g in groups for k in g["keywords"])]
    return [f"{g['name']}: {', '.join(g['keywords'])}" for g in groups]


def _language(entry: dict[str, str], style: str) -> str:
    if style == "dash":
        return f"{entry['language']} – {entry['fluency']}"
    if style == "colon":
        return f"{entry['language']}: {entry['fluency']}"
    return f"{entry['language']} ({entry['fluency']})"


def _certificate(entry: dict[str, str], style: str) -> str:
    if style == "comma":
        return f"{entry['name']}, {entry['issuer']}, {entry['date']}"
    return f"{entry['name']} — {entry['issuer']} ({entry['date']})"


def entry_lines(entry: dict[str, Any], style: str) -> tuple[str, str]:
    """The one or two header lines of a work entry (tab separates the right-aligned dates)."""
    if style == "one-line":
        return f"{entry['position']} — {entry['name']}, {entry['location']}\t{entry['dates']}", ""
    if style == "company-first":
        return f"{entry['name']}\t{entry['dates']}", f"{entry['position']}, {entry['location']}"
    return f"{entry['position']}\t{entry['dates']}", f"{entry['name']} | {entry['location']}"


_COUNTRY_NAMES = {
    "DE": "Germany",
    "FR": "France",
    "ES": "Spain",
    "PT": "Portugal",
    "IT": "Italy",
    "GB": "United Kingdom",
    "NL": "Netherlands",
}


def _country(code: str) -> str:
    return _COUNTRY_NAMES.get(code, code)


_compiler: Any = None


def _typst(layout: str) -> Callable[[dict[str, Any]], bytes]:
    def render(resume: dict[str, Any]) -> bytes:
        import typst

        source = resources.files("shortlist.ats.evaluation").joinpath("typst/resume.typ")
        with resources.as_file(source) as path:
            data = json.dumps(view(resume, layout))
            pdf = typst.compile(str(path), sys_inputs={"data": data})
        assert isinstance(pdf, bytes)
        return pdf

    return render


def render_txt(resume: dict[str, Any]) -> bytes:
    v = view(resume)
    out = [v["name"], v["label"], " | ".join(v["contact"]), ""]
    h = v["headings"]
    out += [h["summary"].upper(), v["summary"], ""]
    out += [h["work"].upper()]
    for w in v["work"]:
        first, second = entry_lines(w, v["entry_style"])
        out += [first.replace("\t", "    ")] + ([second] if second else [])
        out += [f"{v['bullet']} {x}" for x in w["highlights"]]
        out.append("")
    out += [h["education"].upper()]
    for e in v["education"]:
        out += (
            [f"{e['institution']}    {e['dates']}", e["degree"]] + ([e["score"]] if e["score"] else []) + [""]
        )
    out += [h["skills"].upper(), *v["skills"], "", h["languages"].upper(), *v["languages"], ""]
    if v["certificates"]:
        out += [h["certificates"].upper(), *v["certificates"], ""]
    if v["projects"]:
        out += [h["projects"].upper()]
        for p in v["projects"]:
            out += [f"{p['name']} | {p['url']}", p["description"], ""]
    return "\n".join(out).encode("utf-8")


def render_docx_table(resume: dict[str, Any]) -> bytes:
    """Entries laid out in a two-column Word table (dates | details), as many CV templates do."""
    return render_docx(resume, tables=True)


def render_docx(resume: dict[str, Any], tables: bool = False) -> bytes:
    import docx
    from docx.shared import Pt

    v = view(resume)
    document = docx.Document()
    title = document.add_paragraph()
    run = title.add_run(v["name"])
    run.bold = True
    run.font.size = Pt(20)
    document.add_paragraph(v["label"])
    document.add_paragraph(" | ".join(v["contact"]))
    h = v["headings"]
    document.add_heading(h["summary"], level=1)
    document.add_paragraph(v["summary"])
    document.add_heading(h["work"], level=1)
    for w in v["work"]:
        if tables:
            row = document.add_table(rows=1, cols=2).rows[0]
            row.cells[0].text = w["dates"]
            cell = row.cells[1]
            cell.paragraphs[0].add_run(f"{w['position']} — {w['name']}, {w['location']}").bold = True
            for x in w["highlights"]:
                cell.add_paragraph(x, style="List Bullet")
            continue
        first, second = entry_lines(w, v["entry_style"])
        head, _, dates = first.partition("\t")
        p = document.add_paragraph()
        p.add_run(head).bold = True
        p.add_run(f"\t{dates}")
        if second:
            document.add_paragraph(second)
        for x in w["highlights"]:
            document.add_paragraph(x, style="List Bullet")
    document.add_heading(h["education"], level=1)
    for e in v["education"]:
        p = document.add_paragraph()
        p.add_run(e["institution"]).bold = True
        p.add_run(f"\t{e['dates']}")
        document.add_paragraph(e["degree"])
        if e["score"]:
            document.add_paragraph(e["score"])
    document.add_heading(h["skills"], level=1)
    for s in v["skills"]:
        document.add_paragraph(s)
    document.add_heading(h["languages"], level=1)
    for s in v["languages"]:
        document.add_paragraph(s)
    if v["certificates"]:
        document.add_heading(h["certificates"], level=1)
        for s in v["certificates"]:
            document.add_paragraph(s, style="List Bullet")
    if v["projects"]:
        document.add_heading(h["projects"], level=1)
        for pr in v["projects"]:
            p = document.add_paragraph()
            p.add_run(pr["name"]).bold = True
            p.add_run(f" | {pr['url']}")
            document.add_paragraph(pr["description"])
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


RENDERERS: list[Renderer] = [
    Renderer("typst-single", "pdf", _typst("single")),
    Renderer("typst-two-column", "pdf", _typst("two-column")),
    Renderer("typst-sidebar-right", "pdf", _typst("sidebar-right")),
    Renderer("typst-table", "pdf", _typst("table")),
    Renderer("typst-date-left", "pdf", _typst("date-left")),
    Renderer("typst-header-footer", "pdf", _typst("header-footer")),
    Renderer("docx", "docx", render_docx),
    Renderer("docx-table", "docx", render_docx_table),
    Renderer("txt", "txt", render_txt),
]
