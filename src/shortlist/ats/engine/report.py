"""ATS compatibility report: named, weighted checks (pass/warn/fail) with evidence and a fix each."""

from __future__ import annotations

import re
from collections.abc import Callable

from shortlist.ats.engine.bullets import review_bullets
from shortlist.ats.engine.dates import MONTH_WORD
from shortlist.ats.engine.results import BulletSummary, Check, Evidence, ParseResult, Report, Status, TextLine

# Check id -> (name, weight). Weights add up to 100; a warning earns half the weight.
WEIGHTS: dict[str, tuple[str, float]] = {
    "text_layer": ("Text layer present", 15),
    "extractor_agreement": ("Two extractors agree", 10),
    "reading_order": ("Reading order", 8),
    "standard_headings": ("Standard section headings", 10),
    "contact": ("Contact details found and parseable", 12),
    "dates": ("Dates consistent", 8),
    "containers": ("No text in tables, text boxes, images, headers or footers", 10),
    "fonts_unicode": ("Fonts map to Unicode", 8),
    "length": ("Length", 6),
    "file": ("File type and size", 5),
    "bullets": ("Bullet quality", 8),
}
_POINTS = {"pass": 1.0, "warn": 0.5, "fail": 0.0, "not_applicable": 0.0}


def _check(
    cid: str, status: Status, message: str, fix: str | None = None, evidence: list[Evidence] | None = None
) -> Check:
    name, weight = WEIGHTS[cid]
    return Check(
        id=cid,
        name=name,
        status=status,
        weight=weight,
        points=weight * _POINTS[status],
        message=message,
        fix=fix if status != "pass" else None,
        evidence=evidence or [],
    )


def _sentence(text: str) -> str:
    """First letter up, the rest as written (names and headings keep their case), full stop."""
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _ev(line: TextLine) -> Evidence:
    return Evidence(page=line.page, line=line.index, text=line.text[:160], section=line.section)


def check_text_layer(p: ParseResult) -> Check:
    if p.file_type != "pdf":
        return _check(
            "text_layer", "not_applicable", f"A {p.file_type.upper()} file is text: nothing to check."
        )
    if p.layout.has_text_layer:
        return _check("text_layer", "pass", f"{len(p.text)} characters of selectable text.")
    return _check(
        "text_layer",
        "fail",
        "No text layer: the file is an image (a scan or a 'print to image' export). An ATS "
        "reads nothing from it.",
        "Export the resume from your editor as a text PDF (File → Save as PDF), not a scan or screenshot.",
    )


def check_agreement(p: ParseResult) -> Check:
    sim = p.layout.extractor_similarity
    if p.file_type != "pdf":
        return _check(
            "extractor_agreement",
            "not_applicable",
            "Structured document: its text is read from its content, not extracted from a page.",
        )
    if sim is None:
        # Fast path (cross_check=False): the second extractor did not run; nothing is claimed or granted.
        return _check(
            "extractor_agreement",
            "not_applicable",
            "Not measured: parsed without the second extractor (fast path).",
        )
    pct = f"{sim:.0%}"
    if sim >= 0.9:
        return _check(
            "extractor_agreement", "pass", f"pdfium and pdfminer read the same text ({pct} similar)."
        )
    status: Status = "warn" if sim >= 0.75 else "fail"
    return _check(
        "extractor_agreement",
        status,
        f"Two independent text extractors disagree ({pct} similar): different ATS will read different text.",
        "Use a simple single-column layout with standard fonts; avoid overlapping text and "
        "unusual encodings.",
    )


def check_reading_order(p: ParseResult) -> Check:
    multi = [i + 1 for i, c in enumerate(p.layout.columns) if c > 1]
    if not multi:
        return _check("reading_order", "pass", "Single-column text: reading order is top to bottom.")
    ev = [_ev(ln) for ln in p.lines if ln.column == 2][:2]
    return _check(
        "reading_order",
        "warn",
        f"Multi-column layout on page(s) {', '.join(map(str, multi))}: we restored column order, "
        "but many ATS read straight across the columns and mix them.",
        "Prefer one column; if you keep a sidebar, keep only short facts (skills, languages) in it.",
        ev,
    )


def check_headings(p: ParseResult) -> Check:
    found = {ln.section for ln in p.lines if ln.section}
    missing = [k for k in ("work", "education", "skills") if k not in found]
    ev = [Evidence(text=h) for h in p.layout.unknown_headings[:5]]
    if "work" not in found and "education" not in found:
        return _check(
            "standard_headings",
            "fail",
            "No standard Experience or Education heading was recognised.",
            "Use standard headings such as 'Experience', 'Education', 'Skills' (or their "
            "equivalents in your language).",
            ev,
        )
    if missing or p.layout.unknown_headings:
        parts = []
        if missing:
            parts.append(f"missing: {', '.join(missing)}")
        if p.layout.unknown_headings:
            parts.append(f"unrecognised headings: {', '.join(p.layout.unknown_headings[:5])}")
        return _check(
            "standard_headings",
            "warn",
            _sentence("; ".join(parts)),
            "Rename creative headings to standard ones ('My Journey' → 'Experience').",
            ev,
        )
    return _check("standard_headings", "pass", f"Recognised: {', '.join(p.layout.headings[:8])}.")


def check_contact(p: ParseResult) -> Check:
    basics = p.resume.get("basics", {})
    have = {k: bool(basics.get(k)) for k in ("name", "email", "phone")}
    ev = []
    for key in ("email", "phone"):
        value = basics.get(key)
        if value:
            probe = value if key == "email" else re.sub(r"\D", "", value)[-6:]
            line = next(
                (ln for ln in p.lines if probe and (probe in ln.text or probe in re.sub(r"\D", "", ln.text))),
                None,
            )
            if line:
                ev.append(_ev(line))
    missing = [k for k, ok in have.items() if not ok]
    in_margin = [e for e in ev if any(ln.index == e.line and ln.in_margin for ln in p.lines)]
    if not have["email"] and not have["phone"]:
        return _check(
            "contact",
            "fail",
            "No email address or phone number could be read.",
            "Put your name, email and phone as plain text at the top of the first page (not "
            "in a header or image).",
            ev,
        )
    if missing or in_margin:
        msg = f"Missing or unparseable: {', '.join(missing)}." if missing else ""
        if in_margin:
            msg += " Contact details sit in the page header/footer, which many ATS skip."
        return _check(
            "contact",
            "warn",
            msg.strip(),
            "Write contact details in the body; phone in international form (+44 20 7946 0958).",
            ev,
        )
    return _check(
        "contact", "pass", f"Found name, email {basics['email']} and phone {basics['phone']}.", evidence=ev
    )


_STYLE_PATTERNS = {
    "Mon YYYY": re.compile(MONTH_WORD + r"\s+(?:19|20)\d\d\b", re.IGNORECASE),
    "MM/YYYY": re.compile(r"\b[01]?\d[/.](?:19|20)\d\d\b"),
    "YYYY-MM": re.compile(r"\b(?:19|20)\d\d-[01]\d\b"),
}


def check_dates(p: ParseResult) -> Check:
    problems: list[str] = []
    ev: list[Evidence] = []
    for i, entry in enumerate(p.resume.get("work", [])):
        start, end = entry.get("startDate"), entry.get("endDate")
        label = entry.get("position") or entry.get("name") or f"entry {i + 1}"
        if not start:
            problems.append(f"no start date for '{label}'")
        elif end and end < start:
            problems.append(f"end before start for '{label}'")
    styles = set()
    for ln in p.lines:
        if ln.section in ("work", "education"):
            for style, rx in _STYLE_PATTERNS.items():
                if rx.search(ln.text):
                    styles.add(style)
                    seen = {e.section for e in ev} | {e.line for e in ev}
                    if len(ev) < 3 and style not in seen and ln.index not in seen:
                        ev.append(Evidence(page=ln.page, line=ln.index, text=ln.text[:160], section=style))
    if any("end before start" in x for x in problems):
        return _check("dates", "fail", _sentence("; ".join(problems)), "Fix the date ranges.", ev)
    if problems or len(styles) > 1:
        msg = "; ".join(problems)
        if len(styles) > 1:
            msg = (msg + "; " if msg else "") + f"mixed date formats ({', '.join(sorted(styles))})"
        return _check(
            "dates",
            "warn",
            _sentence(msg),
            "Give every role a start and end ('Jan 2020 – Present') in one format throughout.",
            ev,
        )
    if not p.resume.get("work"):
        return _check("dates", "warn", "No dated work entries found.", "Add dates to each role.")
    return _check("dates", "pass", "Every role has a start date; ranges are ordered and written one way.")


# "Page 2 of 3", "Seite 2 von 3", "2 / 3", "- 2 -": at most two short numbers among a few words.
_PAGE_LABEL = re.compile(r"^[^\d@]{0,12}\d{1,4}(?:[^\d@]{1,12}\d{1,4})?[^\d@]{0,12}$")


def _running_label(text: str, name: str) -> bool:
    """A running line that repeats the candidate's name or numbers the page: an ATS loses nothing there."""
    folded = " ".join(text.split()).casefold()
    return bool(folded) and (folded == name or _PAGE_LABEL.match(folded) is not None)


def check_containers(p: ParseResult) -> Check:
    lay = p.layout
    table_lines = [ln for ln in p.lines if ln.in_table]
    basics = p.resume.get("basics") or {}
    name = " ".join(str(basics.get("name") or "").split()).casefold()
    margin_lines = [ln for ln in p.lines if ln.in_margin and not _running_label(ln.text, name)]
    issues = []
    if table_lines:
        issues.append(f"{len(table_lines)} line(s) inside tables")
    if lay.text_boxes:
        issues.append(f"{lay.text_boxes} text box(es)")
    if margin_lines:
        issues.append(f"{len(margin_lines)} line(s) in page headers/footers")
    if lay.image_count:
        issues.append(f"{lay.image_count} image(s) (any text in them is invisible to an ATS)")
    ev = [_ev(ln) for ln in (table_lines[:2] + margin_lines[:2])]
    if not issues:
        return _check("containers", "pass", "All text is in the main flow.")
    important = sum(1 for ln in table_lines + margin_lines if ln.section in ("work", "education", "header"))
    status: Status = "fail" if important >= 6 else "warn"
    return _check(
        "containers",
        status,
        "Found " + "; ".join(issues) + ".",
        "Move text out of tables, text boxes, headers and footers into plain paragraphs; "
        "never put text in images.",
        ev,
    )


def check_fonts(p: ParseResult) -> Check:
    bad = p.layout.cid_glyphs + p.layout.private_use_chars
    if p.file_type != "pdf" and bad == 0:
        # Text files carry characters, not glyphs; only private-use characters pasted in (icon fonts) count.
        return _check("fonts_unicode", "not_applicable", "Text files carry Unicode characters, not glyphs.")
    total = max(len(p.text), 1)
    if bad == 0:
        return _check("fonts_unicode", "pass", "Every glyph maps to a Unicode character.")
    ev = [_ev(ln) for ln in p.lines if re.search("[\ue000-\uf8ff\ufffd]", ln.text)][:3]
    status: Status = "fail" if bad / total > 0.005 else "warn"
    return _check(
        "fonts_unicode",
        status,
        f"{bad} glyph(s) without a Unicode mapping ('(cid:…)' or private-use characters): "
        "they read as garbage.",
        "Use a standard embedded font (e.g. Source Sans, Calibri, Arial) and export again; "
        "avoid icon fonts for text.",
        ev,
    )


def check_length(p: ParseResult) -> Check:
    words = len(p.text.split())
    pages = p.layout.pages
    if words < 150:
        return _check(
            "length",
            "warn",
            f"Only {words} words.",
            "Add achievements, skills and context: aim for 300–900 words.",
        )
    if pages > 3 or words > 1600:
        return _check(
            "length", "fail", f"{pages} pages, {words} words.", "Cut to two pages: keep the last 10 years."
        )
    if pages == 3 or words > 1100:
        return _check(
            "length", "warn", f"{pages} pages, {words} words.", "Two pages are enough for most roles."
        )
    return _check("length", "pass", f"{pages} page(s), {words} words.")


def check_file(p: ParseResult) -> Check:
    size_mb = p.size_bytes / 1_048_576
    if size_mb > 5:
        return _check(
            "file",
            "fail",
            f"{size_mb:.1f} MB is larger than many ATS accept.",
            "Compress images or remove them.",
        )
    if p.file_type == "txt":
        return _check("file", "warn", "Plain text loses all structure cues.", "Upload a DOCX or a text PDF.")
    if size_mb > 2:
        return _check("file", "warn", f"{size_mb:.1f} MB.", "Keep the file under 2 MB.")
    return _check("file", "pass", f"{p.file_type.upper()}, {p.size_bytes / 1024:.0f} KB.")


def check_bullets(summary: BulletSummary) -> Check:
    if summary.count == 0:
        return _check(
            "bullets",
            "warn",
            "No bullet points found under your roles.",
            "List 3–5 achievements per role as bullets.",
        )
    share = summary.with_impact / summary.count
    msg = (
        f"{summary.count} bullets: {summary.with_impact} show measurable impact, "
        f"{summary.strong_verb_first} open "
        f"with a strong verb; average {summary.average_score:.0f}/100."
    )
    worst = sorted(summary.bullets, key=lambda b: b.score)[:3]
    ev = [b.evidence for b in worst if b.score < 100]
    if share >= 0.5 and summary.average_score >= 70:
        return _check("bullets", "pass", msg, evidence=ev)
    status: Status = "warn" if share >= 0.25 else "fail"
    return _check(
        "bullets", status, msg, "Start bullets with action verbs and add numbers: 'Cut p95 latency 40%'.", ev
    )


CHECKS: list[Callable[[ParseResult], Check]] = [
    check_text_layer,
    check_agreement,
    check_reading_order,
    check_headings,
    check_contact,
    check_dates,
    check_containers,
    check_fonts,
    check_length,
    check_file,
]


def build_report(parsed: ParseResult) -> Report:
    """Score a parsed resume. The score is the sum of the checks' points (weights add up to 100)."""
    bullets = review_bullets(parsed.resume, parsed.lines)
    checks = [fn(parsed) for fn in CHECKS] + [check_bullets(bullets)]
    if not parsed.layout.has_text_layer:
        # Without text nothing else can be judged: everything that depends on text fails honestly.
        checks = [checks[0]] + [
            c.model_copy(update={"status": "fail", "points": 0.0, "message": "Not checked: no text layer."})
            if c.id not in ("file",)
            else c
            for c in checks[1:]
        ]
    # Checks that do not apply are left out: the score is the share of the applicable weight earned.
    applicable = [c for c in checks if c.status != "not_applicable"]
    weight = sum(c.weight for c in applicable) or 1.0
    score = round(100 * sum(c.points for c in applicable) / weight)
    verdict_message = _not_a_resume(parsed)
    if verdict_message:
        score = 0
    lines = [
        f"{c.name:<58} {'n/a':<4} {'—':>5} / {c.weight:g}"
        if c.status == "not_applicable"
        else f"{c.name:<58} {c.status:<4} {c.points:>5.1f} / {c.weight:g}"
        for c in checks
    ]
    lines.append(f"{'Total':<58} {'':<4} {score:>5d} / 100 (of {weight:g} applicable points)")
    return Report(
        score=max(0, min(100, score)),
        verdict="not_a_resume" if verdict_message else "resume",
        verdict_message=verdict_message,
        checks=checks,
        bullets=bullets,
        breakdown="\n".join(lines),
    )


# Headings of a job advertisement, not of a resume.
_JOB_AD_HEADINGS = re.compile(
    r"^(?:requirements|responsibilities|what you(?:'ll| will) do|what we offer|about (?:the role|us|the team)|"
    r"your (?:profile|tasks|role)|we offer|benefits|how to apply|who you are|nice to have|the role|"
    r"anforderungen|aufgaben|ihr profil|wir bieten|missions|profil recherché|avantages)\b",
    re.IGNORECASE,
)


def _not_a_resume(p: ParseResult) -> str | None:
    """A clear verdict for a document that is not a resume (a job advertisement, a letter): no dated
    experience or education, and at most one of a name and contact details, or the headings of a job ad."""
    if not p.layout.has_text_layer:
        return None
    resume = p.resume
    dated = any(e.get("startDate") for key in ("work", "education") for e in resume.get(key, []))
    if dated:
        return None
    basics = resume.get("basics", {})
    signals = sum(
        [
            bool(basics.get("name")),
            bool(basics.get("email") or basics.get("phone")),
            bool(resume.get("work") or resume.get("education")),
        ]
    )
    ad_headings = sum(1 for ln in p.lines if len(ln.text) < 40 and _JOB_AD_HEADINGS.match(ln.text.strip()))
    if signals > 1 and ad_headings < 2:
        return None
    what = "the headings of a job advertisement" if ad_headings >= 2 else "no name or no contact details"
    return (
        "This does not look like a resume: no dated experience or education was found, and it has "
        f"{what}. The score is 0; upload your resume (PDF, DOCX or TXT) to get a report."
    )
