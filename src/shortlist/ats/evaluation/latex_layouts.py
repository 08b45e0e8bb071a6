"""Three LaTeX resume layouts in the styles people write by hand, typeset by pdfTeX (see ``families``).

Only the standard classes and the packages of TeX Live's latex-base/latex-recommended sets are used (article,
geometry, tabularx, xcolor, hyperref, the PostScript fonts of psnfss), as a resume written from a blank file
with a stock TeX Live would: lists and headings are tuned by hand instead of with enumitem or titlesec. What
pdfTeX puts in a PDF that the other writers do not: no space characters (word gaps are glyph positions),
ligature glyphs (fi, fl, ff), dashes typed as ``--`` and ``---``, bullets from the math symbol font
($\\bullet$, $\\circ$), small caps, words hyphenated at line ends in justified text, rules under headings.

``latex_classic``: LaTeX's own default, Computer Modern in the old OT1 encoding (accented letters are a letter
and an accent glyph drawn over it), a centred header, \\section* headings over a rule, \\hfill dates.
``latex_tabular``: Times (T1, glyph names mapped to Unicode as "ATS-friendly" advice says), a left date
column (tabularx), small-caps headings over a drawn rule.
``latex_sans``: Helvetica (T1), a two-column header (name left, contact right), coloured bold headings, dates
on their own line, skills in a table.

pdfTeX's stock fonts typeset Latin scripts only. A resume in Cyrillic, Greek, Vietnamese or Japanese needs
packages outside these sets, so its owner writes the name in Latin letters (``latin_truth``) and the ground
truth holds that spelling.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from shortlist.ats.evaluation.html_layouts import _contact, _groups
from shortlist.ats.evaluation.varied import date_range, degree_line

# How the owners of names outside T1's reach write them in Latin letters.
LATIN_NAMES = {
    "Олена Коваль": "Olena Koval",
    "Γιώργος Παπαδόπουλος": "Giorgos Papadopoulos",
    "Nguyễn Thị Lan": "Nguyen Thi Lan",
    "山田 太郎": "Taro Yamada",
}
# Characters pdfTeX's T1 fonts set (through LaTeX's UTF-8 input) beyond ASCII, and the typographic ones the
# escape below writes as TeX input.
_T1_EXTRA = set("–—·•’‘“”…€")


def typesettable(text: str) -> bool:
    return all(ord(c) < 0x180 or c in _T1_EXTRA for c in text)


def latin_truth(resume: dict[str, Any]) -> dict[str, Any]:
    """The resume as a LaTeX user without non-Latin font packages writes it: the name in Latin letters."""
    out = copy.deepcopy(resume)
    basics = out["basics"]
    basics["name"] = LATIN_NAMES.get(basics["name"], basics["name"])

    def check(value: Any) -> None:
        if isinstance(value, str) and not typesettable(value):
            raise ValueError(f"no Latin spelling for {value!r}")
        if isinstance(value, dict):
            for item in value.values():
                check(item)
        if isinstance(value, list):
            for item in value:
                check(item)

    check({k: v for k, v in out.items() if k != "meta"})
    return out


_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "–": "--",
    "—": "---",
    "·": r"$\cdot$",  # the math fonts have it in every encoding
    "•": r"$\bullet$",
}
_SPECIAL_RE = re.compile("|".join(re.escape(k) for k in _SPECIAL))


def tex(text: str) -> str:
    """Text as LaTeX input: special characters escaped, dashes typed as TeX users type them."""
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], text)


def _url(url: str) -> str:
    shown = url.removeprefix("https://")
    return rf"\href{{{url}}}{{{tex(shown)}}}"


def _contact_items(resume: dict[str, Any]) -> list[str]:
    b = resume["basics"]
    items = [rf"\href{{mailto:{b['email']}}}{{{tex(b['email'])}}}", tex(b["phone"])]
    items.append(tex(f"{b['location']['city']}, {b['location']['country']}"))
    items += [_url(p["url"]) for p in b["profiles"]]
    if b.get("url"):
        items.append(_url(b["url"]))
    assert len(items) == len(_contact(resume))  # the same facts the other families print
    return items


def _dates(entry: dict[str, Any], meta: dict[str, Any]) -> str:
    text, dur = date_range(entry, meta)
    return tex(f"{text} {dur}".strip())


def _items(entry: dict[str, Any], levels: list[int], sub: str = "itemize") -> str:
    """Highlights as itemize lists, nested ones inside the item before them."""
    out, open_sub = [r"\begin{itemize}"], False
    for text, level in zip(entry["highlights"], levels, strict=True):
        if level and not open_sub:
            out.append(rf"\begin{{{sub}}}")
            open_sub = True
        elif not level and open_sub:
            out.append(rf"\end{{{sub}}}")
            open_sub = False
        out.append(rf"\item {tex(text)}")
    if open_sub:
        out.append(rf"\end{{{sub}}}")
    out.append(r"\end{itemize}")
    return "\n".join(out)


def _skill_lines(resume: dict[str, Any]) -> list[tuple[str, str]]:
    if resume["meta"]["skillsFlat"]:
        return [("", tex(", ".join(k for g in resume["skills"] for k in g["keywords"])))]
    return [(tex(g["name"]), tex(", ".join(g["keywords"]))) for g in resume["skills"]]


# Lists set tight by hand, as enumitem would: no gaps between items, a small indent.
_TIGHT_LISTS = "\n".join(
    [
        r"\makeatletter",
        r"\def\tightlist{\setlength{\itemsep}{0pt}\setlength{\parsep}{0pt}\setlength{\topsep}{2pt}}",
        r"\let\@olditemize\itemize \renewcommand{\itemize}{\@olditemize\tightlist}",
        r"\setlength{\leftmargini}{1.4em}\setlength{\leftmarginii}{1.2em}",
        r"\makeatother",
    ]
)


def _document(preamble: str, body: str, encoding: str = "T1") -> str:
    return "\n".join(
        [
            r"\documentclass[10pt,a4paper]{article}",
            r"\usepackage[utf8]{inputenc}",
            rf"\usepackage[{encoding}]{{fontenc}}",
            preamble,
            _TIGHT_LISTS,
            r"\usepackage[hidelinks]{hyperref}",
            r"\pagestyle{empty}",
            r"\begin{document}",
            body,
            r"\end{document}",
            "",
        ]
    )


def latex_classic(resume: dict[str, Any]) -> str:
    """Computer Modern in OT1 (LaTeX's default), a centred header, ruled headings, \\hfill dates."""
    b, meta = resume["basics"], resume["meta"]
    h = meta["headings"]
    preamble = "\n".join(
        [
            r"\usepackage[margin=2cm]{geometry}",
            r"\newcommand{\heading}[1]{\section*{#1}\vspace{-2ex}\hrule\vspace{1ex}}",
            r"\setlength{\parindent}{0pt}",
        ]
    )
    sep = r" $\cdot$ " if meta["variant"] % 2 else r" \textbar{} "
    out = [
        r"\begin{center}",
        rf"{{\Huge\bfseries {tex(b['name'])}}}\\[4pt]",
        rf"{{\large {tex(b['label'])}}}\\[4pt]",
        sep.join(_contact_items(resume)),
        r"\end{center}",
        rf"\heading{{{tex(h['summary'])}}}",
        tex(b["summary"]),
        rf"\heading{{{tex(h['work'])}}}",
    ]
    for employer, roles in _groups(resume):
        if len(roles) > 1:
            out.append(rf"\textbf{{{tex(employer)}}} \hfill {tex(roles[0][1]['location'])}\\")
            for i, w in roles:
                out.append(rf"\textit{{{tex(w['position'])}}} \hfill {_dates(w, meta)}")
                out.append(_items(w, meta["levels"][i]))
            continue
        i, w = roles[0]
        out.append(rf"\textbf{{{tex(w['position'])}}}, {tex(employer)} \hfill {_dates(w, meta)}\\")
        out.append(rf"\textit{{{tex(w['location'])}}}")
        out.append(_items(w, meta["levels"][i]))
    out.append(rf"\heading{{{tex(h['education'])}}}")
    for e in resume["education"]:
        out.append(rf"{tex(degree_line(e, meta['eduStyle']))} \hfill {e['startDate']}--{e['endDate']}\\")
        if e.get("score"):
            out.append(rf"Grade: {tex(e['score'])}\\")
    out.append(rf"\heading{{{tex(h['skills'])}}}")
    out += [(rf"\textbf{{{name}:}} " if name else "") + rf"{words}\\" for name, words in _skill_lines(resume)]
    out.append(rf"\heading{{{tex(h['languages'])}}}")
    out.append(", ".join(f"{tex(x['language'])} ({tex(x['fluency'])})" for x in resume["languages"]))
    if resume.get("certificates"):
        out.append(rf"\heading{{{tex(h['certificates'])}}}")
        out.append(r"\begin{itemize}")
        out += [
            rf"\item {tex(c['name'])}, \textit{{{tex(c['issuer'])}}} \hfill {c['date']}"
            for c in resume["certificates"]
        ]
        out.append(r"\end{itemize}")
    if resume.get("projects"):
        out.append(rf"\heading{{{tex(h['projects'])}}}")
        for p in resume["projects"]:
            out.append(rf"\textbf{{{tex(p['name'])}}} --- {_url(p['url'])}\\")
            out.append(rf"{tex(p['description'])}\par\smallskip")
    return _document(preamble, "\n".join(out), "OT1")


def latex_tabular(resume: dict[str, Any]) -> str:
    """Times, a left column of dates beside the entries (tabularx), small-caps headings over a rule."""
    b, meta = resume["basics"], resume["meta"]
    h = meta["headings"]
    preamble = "\n".join(
        [
            r"\usepackage{mathptmx}",
            r"\usepackage[margin=18mm]{geometry}",
            r"\usepackage{tabularx}",
            r"\renewcommand{\labelitemi}{$\bullet$}\renewcommand{\labelitemii}{$\circ$}",
            r"\setlength{\parindent}{0pt}",
            r"\input{glyphtounicode}\pdfgentounicode=1",  # the usual 'ATS friendly' advice
            r"\newcommand{\heading}[1]{\par\vspace{8pt}{\large\scshape #1}\\[-6pt]\rule{\textwidth}{0.6pt}\\[2pt]}",
            r"\newenvironment{entries}{\tabularx{\textwidth}{@{}p{33mm}X@{}}}{\endtabularx}",
        ]
    )
    out = [
        rf"{{\LARGE\scshape {tex(b['name'])}}}\hfill {tex(b['label'])}\\[2pt]",
        r"\rule{\textwidth}{1pt}\\",
        r"{\small " + r" \quad ".join(_contact_items(resume)) + "}\\\\",
        rf"\heading{{{tex(h['summary'])}}}",
        tex(b["summary"]),
        rf"\heading{{{tex(h['work'])}}}",
        r"\begin{entries}",
    ]
    for employer, roles in _groups(resume):
        for i, w in roles:
            title = rf"\textbf{{{tex(w['position'])}}}, {tex(employer)}, {tex(w['location'])}"
            if meta["variant"] % 2:
                title = rf"\textbf{{{tex(employer)}}} --- {tex(w['position'])}\newline \textit{{{tex(w['location'])}}}"
            out.append(rf"{_dates(w, meta)} & {title}")
            out.append(_items(w, meta["levels"][i]) + r"\\[4pt]")
    out += [r"\end{entries}", rf"\heading{{{tex(h['education'])}}}", r"\begin{entries}"]
    for e in resume["education"]:
        grade = rf"\newline Grade: {tex(e['score'])}" if e.get("score") else ""
        out.append(rf"{e['startDate']} -- {e['endDate']} & {tex(degree_line(e, meta['eduStyle']))}{grade}\\")
    out += [r"\end{entries}", rf"\heading{{{tex(h['skills'])}}}", r"\begin{entries}"]
    out += [rf"{name} & {words}\\" for name, words in _skill_lines(resume)]
    out += [r"\end{entries}", rf"\heading{{{tex(h['languages'])}}}", r"\begin{entries}"]
    out += [rf"{tex(x['language'])} & {tex(x['fluency'])}\\" for x in resume["languages"]]
    out.append(r"\end{entries}")
    if resume.get("certificates"):
        out += [rf"\heading{{{tex(h['certificates'])}}}", r"\begin{entries}"]
        out += [rf"{c['date']} & {tex(c['name'])}, {tex(c['issuer'])}\\" for c in resume["certificates"]]
        out.append(r"\end{entries}")
    if resume.get("projects"):
        out += [rf"\heading{{{tex(h['projects'])}}}", r"\begin{entries}"]
        out += [
            rf"{tex(p['name'])} & {_url(p['url'])}\newline {tex(p['description'])}\\"
            for p in resume["projects"]
        ]
        out.append(r"\end{entries}")
    return _document(preamble, "\n".join(out))


def latex_sans(resume: dict[str, Any]) -> str:
    """Helvetica, a two-column header, coloured small-caps headings, dates on their own line."""
    b, meta = resume["basics"], resume["meta"]
    h = meta["headings"]
    preamble = "\n".join(
        [
            r"\usepackage{helvet}",
            r"\renewcommand{\familydefault}{\sfdefault}",
            r"\usepackage[margin=15mm,top=12mm]{geometry}",
            r"\usepackage{xcolor}",
            r"\definecolor{accent}{RGB}{20,80,140}",
            r"\makeatletter",
            r"\renewcommand{\section}{\@startsection{section}{1}{0pt}{1.6ex}{0.6ex}"
            r"{\color{accent}\normalsize\bfseries\MakeUppercase}}",
            r"\makeatother",
            r"\renewcommand{\labelitemi}{\textendash}\renewcommand{\labelitemii}{$\triangleright$}",
            r"\setlength{\parindent}{0pt}",
            r"\setlength{\parskip}{2pt}",
        ]
    )
    out = [
        r"\begin{minipage}[t]{0.55\textwidth}",
        rf"{{\huge\bfseries {tex(b['name'])}}}\\[3pt]",
        rf"{{\large\color{{accent}} {tex(b['label'])}}}",
        r"\end{minipage}\hfill",
        r"\begin{minipage}[t]{0.42\textwidth}\raggedleft\small",
        "\\\\\n".join(_contact_items(resume)),
        r"\end{minipage}",
        rf"\section*{{{tex(h['summary'])}}}",
        tex(b["summary"]),
        rf"\section*{{{tex(h['work'])}}}",
    ]
    for employer, roles in _groups(resume):
        for i, w in roles:
            out.append(
                rf"\textbf{{{tex(w['position'])}}} \textbar{{}} {tex(employer)} \textbar{{}} {tex(w['location'])}\\"
            )
            out.append(rf"{{\small\itshape {_dates(w, meta)}}}")
            out.append(_items(w, meta["levels"][i]))
    out.append(rf"\section*{{{tex(h['education'])}}}")
    for e in resume["education"]:
        out.append(rf"\textbf{{{tex(degree_line(e, meta['eduStyle']))}}}\\")
        score = rf" \textbar{{}} Grade: {tex(e['score'])}" if e.get("score") else ""
        out.append(rf"{{\small\itshape {e['startDate']} -- {e['endDate']}}}{score}\par")
    out.append(rf"\section*{{{tex(h['skills'])}}}")
    out.append(r"\begin{tabular}{@{}l p{0.78\textwidth}@{}}")
    out += [
        (rf"\textbf{{{name}}}" if name else "") + rf" & {words}\\" for name, words in _skill_lines(resume)
    ]
    out.append(r"\end{tabular}")
    out.append(rf"\section*{{{tex(h['languages'])}}}")
    out.append(r" \quad ".join(rf"{tex(x['language'])}: {tex(x['fluency'])}" for x in resume["languages"]))
    if resume.get("certificates"):
        out.append(rf"\section*{{{tex(h['certificates'])}}}")
        out += [rf"{tex(c['name'])} --- {tex(c['issuer'])} ({c['date']})\par" for c in resume["certificates"]]
    if resume.get("projects"):
        out.append(rf"\section*{{{tex(h['projects'])}}}")
        for p in resume["projects"]:
            out.append(
                rf"\textbf{{{tex(p['name'])}}} \textbar{{}} {_url(p['url'])}\\ {tex(p['description'])}\par"
            )
    return _document(preamble, "\n".join(out))


LAYOUTS = {"latex-classic": latex_classic, "latex-tabular": latex_tabular, "latex-sans": latex_sans}
