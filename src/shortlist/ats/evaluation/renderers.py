"""Render corpus resumes to PDF (Typst layouts of our own), DOCX (python-docx) and TXT.

``RENDERERS`` is the list the evaluation iterates; the product's own templates can be appended as more
``Renderer`` entries when the rendering library is available.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from shortlist.ats.evaluation.corpus import HEADINGS, PRESENT, format_date


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
        "entry_style": "one-line" if len(b["name"]) % 2 else "two-line",
        "name": b["name"],
        "label": b.get("label", ""),
        "contact": contact,
        "headings": HEADINGS[lang],
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
        "skills": [f"{s['name']}: {', '.join(s['keywords'])}" for s in resume.get("skills", [])],
        "languages": [f"{lg['language']} ({lg['fluency']})" for lg in resume.get("languages", [])],
        "certificates": [
            f"{c['name']} — {c['issuer']} ({c['date']})" for c in resume.get("certificates", [])
        ],
        "projects": [
            {"name": p["name"], "url": p["url"].removeprefix("https://"), "description": p["description"]}
            for p in resume.get("projects", [])
        ],
    }


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
        out += [f"{w['position']} — {w['name']}, {w['location']}    {w['dates']}"]
        out += [f"- {x}" for x in w["highlights"]]
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


def render_docx(resume: dict[str, Any]) -> bytes:
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
        p = document.add_paragraph()
        p.add_run(w["position"]).bold = True
        p.add_run(f"\t{w['dates']}")
        document.add_paragraph(f"{w['name']} | {w['location']}")
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
    Renderer("typst-table", "pdf", _typst("table")),
    Renderer("typst-header-footer", "pdf", _typst("header-footer")),
    Renderer("docx", "docx", render_docx),
    Renderer("txt", "txt", render_txt),
]
