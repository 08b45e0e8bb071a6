"""Eleven HTML/CSS resume layouts in the styles resume sites and themes use, printed to PDF by Chromium.

Written for the corpus: a heading gutter, two columns, coloured sidebars (left and right), a table layout,
contact blocks in a header band or a sidebar with icons before each item, all-caps and small-caps headings,
headings with rules, dates right-aligned or on a line of their own, justified text. Each function takes a
varied resume (``varied.make_varied_resume``) and returns a whole HTML document.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from shortlist.ats.evaluation.varied import date_range, degree_line

ICONS = {"email": "✉", "phone": "☎", "location": "⌂", "link": "🔗"}


def _contact(resume: dict[str, Any]) -> list[tuple[str, str]]:
    b = resume["basics"]
    items = [("email", b["email"]), ("phone", b["phone"]), ("location", _place(b))]
    items += [("link", p["url"].removeprefix("https://")) for p in b["profiles"]]
    if b.get("url"):
        items.append(("link", b["url"].removeprefix("https://")))
    return items


def _place(b: dict[str, Any]) -> str:
    return f"{b['location']['city']}, {b['location']['country']}"


def _e(text: str) -> str:
    return escape(text, quote=True)


def _bullets(entry: dict[str, Any], depth: list[int]) -> str:
    out, open_sub = ["<ul>"], False
    for text, level in zip(entry["highlights"], depth, strict=True):
        if level and not open_sub:
            out[-1] = out[-1].removesuffix("</li>")
            out.append("<ul class='sub'>")
            open_sub = True
        elif not level and open_sub:
            out.append("</ul></li>")
            open_sub = False
        out.append(f"<li>{_e(text)}</li>")
    if open_sub:
        out.append("</ul></li>")
    return "".join(out) + "</ul>"


def _groups(resume: dict[str, Any]) -> list[tuple[str, list[tuple[int, dict[str, Any]]]]]:
    """Consecutive roles at one employer, grouped under it."""
    groups: list[tuple[str, list[tuple[int, dict[str, Any]]]]] = []
    for i, w in enumerate(resume["work"]):
        if groups and groups[-1][0] == w["name"]:
            groups[-1][1].append((i, w))
        else:
            groups.append((w["name"], [(i, w)]))
    return groups


def _dates(entry: dict[str, Any], meta: dict[str, Any]) -> str:
    text, dur = date_range(entry, meta)
    return _e(f"{text} {dur}".strip())


def _work(resume: dict[str, Any], dates: str = "right") -> str:
    """Entries: employer groups, each role a title line with its dates right-aligned, below, or in front."""
    meta = resume["meta"]
    out = []
    for employer, roles in _groups(resume):
        if len(roles) > 1:
            out.append(f"<div class='org'>{_e(employer)} · {_e(roles[0][1]['location'])}</div>")
            for i, w in roles:
                out.append(_role(f"<b>{_e(w['position'])}</b>", _dates(w, meta), dates))
                out.append(_bullets(w, meta["levels"][i]))
            continue
        i, w = roles[0]
        title = f"<b>{_e(w['position'])}</b>, {_e(employer)} — {_e(w['location'])}"
        if meta["variant"] % 2:
            title = f"<b>{_e(employer)}</b> | {_e(w['position'])} | {_e(w['location'])}"
        out.append(_role(title, _dates(w, meta), dates))
        out.append(_bullets(w, meta["levels"][i]))
    return "".join(out)


def _role(title: str, dates: str, where: str) -> str:
    if where == "own-line":
        return f"<div class='role'>{title}</div><div class='when'>{dates}</div>"
    if where == "left":
        return f"<div class='row'><span class='when'>{dates}</span><span>{title}</span></div>"
    return f"<div class='row'><span>{title}</span><span class='when'>{dates}</span></div>"


def _education(resume: dict[str, Any], dates: str = "right") -> str:
    meta = resume["meta"]
    out = []
    for e in resume["education"]:
        when = _e(f"{e['startDate']} – {e['endDate']}")
        out.append(_role(_e(degree_line(e, meta["eduStyle"])), when, dates))
        if e.get("score"):
            out.append(f"<div>Grade: {_e(e['score'])}</div>")
    return "".join(out)


def _skills(resume: dict[str, Any]) -> str:
    if resume["meta"]["skillsFlat"]:
        return "<p>" + _e(", ".join(k for g in resume["skills"] for k in g["keywords"])) + "</p>"
    return "".join(f"<p><b>{_e(g['name'])}:</b> {_e(', '.join(g['keywords']))}</p>" for g in resume["skills"])


def _languages(resume: dict[str, Any]) -> str:
    return "".join(f"<p>{_e(lg['language'])} ({_e(lg['fluency'])})</p>" for lg in resume["languages"])


def _extras(resume: dict[str, Any], heading: Callable[[str], str]) -> str:
    out = []
    if resume.get("certificates"):
        out.append(heading("certificates"))
        out += [f"<p>{_e(c['name'])} — {_e(c['issuer'])} ({c['date']})</p>" for c in resume["certificates"]]
    if resume.get("projects"):
        out.append(heading("projects"))
        for p in resume["projects"]:
            url = p["url"].removeprefix("https://")
            out.append(f"<p><b>{_e(p['name'])}</b> · {_e(url)}</p><p>{_e(p['description'])}</p>")
    return "".join(out)


def _h(resume: dict[str, Any], tag: str = "h2") -> Callable[[str], str]:
    return lambda kind: f"<{tag}>{_e(resume['meta']['headings'][kind])}</{tag}>"


def _page(css: str, body: str) -> str:
    base = (
        "@page{size:A4;margin:14mm 13mm} body{margin:0;font:10pt/1.35 'Liberation Sans',sans-serif;color:#222}"
        "ul{margin:2px 0 6px 0;padding-left:16px} ul.sub{list-style:circle} p{margin:2px 0}"
        ".row{display:flex;justify-content:space-between;gap:12px;margin-top:6px} .when{white-space:nowrap}"
        ".org{font-weight:bold;margin-top:8px} h1{margin:0;font-size:22pt} .label{font-size:12pt;color:#555}"
        "@font-face{font-family:'CJK';src:local('Noto Sans CJK TC')}"
    )
    return f"<!doctype html><html><head><meta charset='utf-8'><style>{base}{css}</style></head><body>{body}</body></html>"


def _header(resume: dict[str, Any], icons: bool = False, sep: str = " · ") -> str:
    b = resume["basics"]
    items = _contact(resume)
    if icons:
        contact = "".join(f"<span class='ci'>{ICONS[k]} {_e(v)}</span> " for k, v in items)
    else:
        contact = _e(sep.join(v for _, v in items))
    return f"<h1>{_e(b['name'])}</h1><div class='label'>{_e(b['label'])}</div><div class='contact'>{contact}</div>"


def _main(resume: dict[str, Any], heading: Callable[[str], str], dates: str = "right") -> str:
    return (
        heading("summary")
        + f"<p class='summary'>{_e(resume['basics']['summary'])}</p>"
        + heading("work")
        + _work(resume, dates)
        + heading("education")
        + _education(resume, dates)
    )


def gutter(resume: dict[str, Any]) -> str:
    """Section headings in a left gutter, the entries beside them (a common theme design)."""
    css = (
        ".sec{display:grid;grid-template-columns:30mm 1fr;column-gap:6mm;margin-top:10px}"
        ".sec>h2{font-size:11pt;margin:6px 0 0;color:#0a5;text-align:right} .row{margin-top:6px}"
    )
    meta = resume["meta"]

    def sec(kind: str, content: str) -> str:
        return f"<div class='sec'><h2>{_e(meta['headings'][kind])}</h2><div>{content}</div></div>"

    body = _header(resume)
    body += sec("summary", f"<p>{_e(resume['basics']['summary'])}</p>")
    body += sec("work", _work(resume)) + sec("education", _education(resume))
    body += sec("skills", _skills(resume)) + sec("languages", _languages(resume))
    if resume.get("certificates"):
        body += sec(
            "certificates",
            "".join(
                f"<p>{_e(c['name'])}, {_e(c['issuer'])}, {c['date']}</p>" for c in resume["certificates"]
            ),
        )
    if resume.get("projects"):
        body += sec(
            "projects",
            "".join(
                f"<p><b>{_e(p['name'])}</b> — {_e(p['url'].removeprefix('https://'))}</p><p>{_e(p['description'])}</p>"
                for p in resume["projects"]
            ),
        )
    return _page(css, body)


def two_column(resume: dict[str, Any]) -> str:
    css = (
        ".cols{display:flex;gap:8mm;margin-top:8px} .left{flex:0 0 62%} .right{flex:1}"
        "h2{font-size:12pt;border-bottom:1px solid #999;margin:10px 0 4px}"
    )
    h = _h(resume)
    side = h("skills") + _skills(resume) + h("languages") + _languages(resume) + _extras(resume, h)
    body = _header(resume) + f"<div class='cols'><div class='left'>{_main(resume, h)}</div>"
    return _page(css, body + f"<div class='right'>{side}</div></div>")


def sidebar(resume: dict[str, Any], right: bool = False) -> str:
    """A coloured sidebar with the contact block (icons before each item), skills and languages."""
    css = (
        ".wrap{display:flex;min-height:260mm} .side{flex:0 0 58mm;background:#1f3b57;color:#fff;padding:8mm 5mm}"
        ".side h2{font-size:11pt;text-transform:uppercase;letter-spacing:1px;margin:12px 0 4px}"
        ".main{flex:1;padding:0 7mm} .main h2{font-size:13pt;color:#1f3b57;margin:12px 0 4px}"
        ".ci{display:block;margin:3px 0;word-break:break-all} .side h1{font-size:18pt}"
        "@page{margin:0} body{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
        ".main{padding-top:8mm}"
    )
    h = _h(resume)
    b = resume["basics"]
    contact = "".join(f"<span class='ci'>{ICONS[k]} {_e(v)}</span>" for k, v in _contact(resume))
    side = f"<h2>Contact</h2>{contact}" + h("skills") + _skills(resume) + h("languages") + _languages(resume)
    name = f"<h1>{_e(b['name'])}</h1><div class='label'>{_e(b['label'])}</div>"
    main = (name if right else "") + _main(resume, h) + _extras(resume, h)
    side = (name if not right else "") + side
    panes = f"<div class='main'>{main}</div><div class='side'>{side}</div>"
    if not right:
        panes = f"<div class='side'>{side}</div><div class='main'>{main}</div>"
    return _page(css, f"<div class='wrap'>{panes}</div>")


def sidebar_right(resume: dict[str, Any]) -> str:
    return sidebar(resume, right=True)


def table(resume: dict[str, Any]) -> str:
    """The whole page as a table: a heading cell, then a dates cell beside each entry."""
    css = (
        "table{border-collapse:collapse;width:100%} td{vertical-align:top;padding:3px 4px}"
        "td.k{width:32mm;color:#444} th{text-align:left;font-size:12pt;padding-top:10px;border-bottom:2px solid #333}"
    )
    meta = resume["meta"]
    rows = []

    def head(kind: str) -> None:
        rows.append(f"<tr><th colspan='2'>{_e(meta['headings'][kind])}</th></tr>")

    head("summary")
    rows.append(f"<tr><td colspan='2'>{_e(resume['basics']['summary'])}</td></tr>")
    head("work")
    for i, w in enumerate(resume["work"]):
        title = f"<b>{_e(w['position'])}</b><br>{_e(w['name'])}, {_e(w['location'])}"
        rows.append(
            f"<tr><td class='k'>{_dates(w, meta)}</td><td>{title}{_bullets(w, meta['levels'][i])}</td></tr>"
        )
    head("education")
    for e in resume["education"]:
        score = f"<br>Grade: {_e(e['score'])}" if e.get("score") else ""
        rows.append(
            f"<tr><td class='k'>{e['startDate']} – {e['endDate']}</td>"
            f"<td>{_e(degree_line(e, meta['eduStyle']))}{score}</td></tr>"
        )
    head("skills")
    rows.append(f"<tr><td colspan='2'>{_skills(resume)}</td></tr>")
    head("languages")
    rows.append(f"<tr><td colspan='2'>{_languages(resume)}</td></tr>")
    extras = _extras(resume, lambda kind: f"<h3>{_e(meta['headings'][kind])}</h3>")
    if extras:
        rows.append(f"<tr><td colspan='2'>{extras}</td></tr>")
    css += "h3{font-size:12pt;margin:10px 0 2px;border-bottom:2px solid #333}"
    return _page(css, _header(resume) + f"<table>{''.join(rows)}</table>")


def caps_rules(resume: dict[str, Any]) -> str:
    """All-caps headings with a rule under them; centred header with separators."""
    css = (
        "h1,.label,.contact{text-align:center} h2{text-transform:uppercase;font-size:11pt;letter-spacing:.5px;"
        "border-bottom:1.5px solid #000;margin:12px 0 4px;padding-bottom:1px}"
    )
    h = _h(resume)
    body = _header(resume, sep="  |  ") + _main(resume, h)
    body += h("skills") + _skills(resume) + h("languages") + _languages(resume) + _extras(resume, h)
    return _page(css, body)


def small_caps(resume: dict[str, Any]) -> str:
    """Small-caps serif headings, dates on a line of their own under each role."""
    css = (
        "body{font-family:'Liberation Serif',serif;font-size:10.5pt} h2{font-variant:small-caps;font-size:14pt;"
        "font-weight:normal;margin:12px 0 2px} .when{font-style:italic;color:#555} .role{margin-top:6px}"
    )
    h = _h(resume)
    body = _header(resume) + _main(resume, h, dates="own-line")
    body += h("skills") + _skills(resume) + h("languages") + _languages(resume) + _extras(resume, h)
    return _page(css, body)


def justified(resume: dict[str, Any]) -> str:
    """Justified serif text, headings with a rule above, dates on their own line."""
    css = (
        "body{font-family:'DejaVu Serif',serif;font-size:9.5pt;text-align:justify} h2{font-size:12pt;"
        "border-top:1px solid #444;padding-top:3px;margin:12px 0 3px} .role{margin-top:6px}"
    )
    h = _h(resume)
    body = _header(resume) + _main(resume, h, dates="own-line")
    body += h("skills") + _skills(resume) + h("languages") + _languages(resume) + _extras(resume, h)
    return _page(css, body)


def timeline(resume: dict[str, Any]) -> str:
    """Dates in front of each entry, in a fixed column."""
    css = (
        ".row{justify-content:flex-start} .row .when{flex:0 0 40mm;color:#666} h2{font-size:13pt;color:#703}"
        "ul{margin-left:44mm}"
    )
    h = _h(resume)
    body = _header(resume) + _main(resume, h, dates="left")
    body += h("skills") + _skills(resume) + h("languages") + _languages(resume) + _extras(resume, h)
    return _page(css, body)


def header_band(resume: dict[str, Any]) -> str:
    """A coloured band with name, title and contact items with icons; one column below."""
    css = (
        "@page{margin:0 0 12mm 0} body{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
        ".band{background:#6b2d5c;color:#fff;padding:10mm 13mm 6mm} .band .label{color:#f0d8ea}"
        ".ci{margin-right:10px;white-space:nowrap} .body{padding:0 13mm} h2{font-size:12pt;color:#6b2d5c;"
        "text-transform:uppercase;margin:12px 0 4px}"
    )
    h = _h(resume)
    body = f"<div class='band'>{_header(resume, icons=True)}</div><div class='body'>{_main(resume, h)}"
    body += h("skills") + _skills(resume) + h("languages") + _languages(resume) + _extras(resume, h)
    return _page(css, body + "</div>")


def compact(resume: dict[str, Any]) -> str:
    """Dense one-page style: small type, bold headings with a left bar, dates right-aligned in grey."""
    css = (
        "body{font-size:9pt} h2{font-size:10.5pt;border-left:4px solid #08c;padding-left:5px;margin:9px 0 3px}"
        ".when{color:#777} .row{margin-top:4px}"
    )
    h = _h(resume)
    body = _header(resume, sep=" • ") + _main(resume, h)
    body += h("skills") + _skills(resume) + h("languages") + _languages(resume) + _extras(resume, h)
    return _page(css, body)


def cards(resume: dict[str, Any]) -> str:
    """Header with contact at the right, entries in light boxes, headings in a large light weight."""
    css = (
        ".top{display:flex;justify-content:space-between;align-items:flex-start} .top .contact{text-align:right;"
        "font-size:9pt} .contact span{display:block} h2{font-size:16pt;font-weight:300;color:#345;margin:12px 0 4px}"
        ".row{border:1px solid #ddd;border-bottom:none;border-radius:4px 4px 0 0;padding:4px 8px 0}"
        "ul{border:1px solid #ddd;border-top:none;border-radius:0 0 4px 4px;margin:0 0 6px;padding:2px 8px 4px 24px}"
        "ul.sub{border:none;padding:0 0 0 16px;margin:0}"
    )
    h = _h(resume)
    b = resume["basics"]
    contact = "".join(f"<span>{_e(v)}</span>" for _, v in _contact(resume))
    top = (
        f"<div class='top'><div><h1>{_e(b['name'])}</h1><div class='label'>{_e(b['label'])}</div></div>"
        f"<div class='contact'>{contact}</div></div>"
    )
    work = _work(resume)  # each entry boxed by its title row's and its list's borders
    body = top + h("summary") + f"<p>{_e(b['summary'])}</p>" + h("work") + work
    body += h("education") + _education(resume)
    body += h("skills") + _skills(resume) + h("languages") + _languages(resume) + _extras(resume, h)
    return _page(css, body)


LAYOUTS: dict[str, Callable[[dict[str, Any]], str]] = {
    "html-gutter": gutter,
    "html-two-column": two_column,
    "html-sidebar": sidebar,
    "html-sidebar-right": sidebar_right,
    "html-table": table,
    "html-caps-rules": caps_rules,
    "html-small-caps": small_caps,
    "html-justified": justified,
    "html-timeline": timeline,
    "html-header-band": header_band,
    "html-compact": compact,
    "html-cards": cards,
}
