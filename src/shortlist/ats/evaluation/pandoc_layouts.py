"""A resume written in Pandoc's Markdown, the source of the pandoc families (see ``families``).

Pandoc writes DOCX its own way (Title/Subtitle, Heading 1/2, Compact and First Paragraph styles, lists as
numbering definitions, pipe tables as Word tables, hyperlink runs) and PDF through pdfTeX with its default
LaTeX template. Its "smart" typography turns straight apostrophes into typographic ones on the way.
"""

from __future__ import annotations

from typing import Any

from shortlist.ats.evaluation.html_layouts import _contact, _groups
from shortlist.ats.evaluation.varied import date_range, degree_line


def _dates(entry: dict[str, Any], meta: dict[str, Any]) -> str:
    text, dur = date_range(entry, meta)
    return f"{text} {dur}".strip()


def _link(value: str) -> str:
    """Web addresses as Pandoc autolinks (the shown text stays without the scheme)."""
    if "/" in value and "@" not in value:
        return f"[{value}](https://{value})"
    return value


def pandoc_markdown(resume: dict[str, Any]) -> str:
    b, meta = resume["basics"], resume["meta"]
    h = meta["headings"]
    out = ["---", f'title: "{b["name"]}"', f'subtitle: "{b["label"]}"', "---", ""]
    out += [" · ".join(_link(v) for _, v in _contact(resume)), ""]
    out += [f"# {h['summary']}", "", b["summary"], "", f"# {h['work']}", ""]
    for employer, roles in _groups(resume):
        for i, w in roles:
            out += [f"## {w['position']} — {employer}", "", f"*{w['location']}* | {_dates(w, meta)}", ""]
            for text, level in zip(w["highlights"], meta["levels"][i], strict=True):
                out.append(("    " if level else "") + f"- {text}")
            out.append("")
    out += [f"# {h['education']}", ""]
    for e in resume["education"]:
        out += [f"**{degree_line(e, meta['eduStyle'])}**\\", f"{e['startDate']} – {e['endDate']}", ""]
        if e.get("score"):
            out += [f"Grade: {e['score']}", ""]
    out += [f"# {h['skills']}", ""]
    if meta["skillsFlat"]:
        out += [", ".join(k for g in resume["skills"] for k in g["keywords"]), ""]
    else:
        out += ["|   |   |", "|---|---|"]
        out += [f"| **{g['name']}** | {', '.join(g['keywords'])} |" for g in resume["skills"]] + [""]
    out += [f"# {h['languages']}", ""] + [f"- {x['language']}: {x['fluency']}" for x in resume["languages"]]
    out.append("")
    if resume.get("certificates"):
        out += [f"# {h['certificates']}", ""]
        out += [f"- {c['name']}, {c['issuer']} ({c['date']})" for c in resume["certificates"]] + [""]
    if resume.get("projects"):
        out += [f"# {h['projects']}", ""]
        for p in resume["projects"]:
            out += [f"**{p['name']}** · {_link(p['url'].removeprefix('https://'))}", "", p["description"], ""]
    return "\n".join(out)
