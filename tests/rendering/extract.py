"""Text extraction and matching helpers shared by the rendering tests."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
from docx import Document

from shortlist.rendering.view import PAGE_OF, ResumeView, clean

_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff\U000f0000-\U0010ffff]")
_LIGATURES = re.compile(r"[\ufb00-\ufb06]")


def plumber_pages(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def pdfium_pages(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    try:
        # pdfium reports a hyphen that ends a line as U+FFFE ("may be a soft hyphen"); it is a real "-" here
        # because Typst hyphenation is off, so only explicit hyphens in the text can end a line.
        return [page.get_textpage().get_text_range().replace("\ufffe", "-") for page in doc]
    finally:
        doc.close()


def split_running(pages: list[str], name: str, language: str) -> tuple[str, list[str]]:
    """The body text of a rendered PDF without its running lines, and what is wrong with those lines.

    A multi-page PDF must end every page with "Page N of M" (in the resume's language) and start every page
    after the first with the name; a one-page PDF has neither. The running lines are removed so that a
    bullet broken across pages reads as one piece, which is how an ATS that drops running lines reads it.
    """
    problems: list[str] = []
    body: list[str] = []
    count = len(pages)
    for number, page in enumerate(pages, start=1):
        lines = [ln for ln in page.splitlines() if ln.strip()]
        footer = PAGE_OF[language].format(n=number, m=count)
        if count > 1:
            if lines and squash(lines[-1]) == squash(footer):
                lines.pop()
            else:
                problems.append(f"page {number} does not end with {footer!r}")
            if number > 1 and name:
                first = squash(lines[0]) if lines else ""
                if first in (squash(name), squash(name)[::-1]):
                    lines.pop(0)
                else:
                    problems.append(f"page {number} does not start with the name")
        elif any(squash(footer) in squash(ln) for ln in lines):
            problems.append("a one-page PDF carries a page number")
        body.append("\n".join(lines))
    return "\n".join(body), problems


def docx_paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(style name, text) for every body paragraph."""
    doc = Document(io.BytesIO(data))
    return [(p.style.name if p.style is not None else "", p.text) for p in doc.paragraphs]


def squash(text: str) -> str:
    """Whitespace removed and case folded: line wrapping and capitalised headings do not change a match."""
    return "".join(text.split()).casefold()


def is_rtl(text: str) -> bool:
    return bool(_RTL.search(text))


def _locate(text: str, needle: str, pos: int, visual_rtl: bool) -> tuple[int, int] | None:
    n = squash(needle)
    candidates = [n, n[::-1]] if visual_rtl and is_rtl(n) else [n]
    hits = [i for i in (text.find(c, pos) for c in candidates) if i >= 0]
    return (min(hits), min(hits) + len(n)) if hits else None


def find_in_order(
    haystack: str, needles: Iterable[str | tuple[str, ...]], *, visual_rtl: bool = False
) -> list[str]:
    """Needles that are missing or out of order (empty list means all found in order).

    A tuple is a group whose members may come in any order among themselves (an entry's title, organisation
    and dates), but all after what precedes the group and before what follows it. With ``visual_rtl`` a purely
    right-to-left needle may also appear reversed, which is how extractors that sort glyphs by x position
    (pdfplumber) return RTL runs.
    """
    text = squash(haystack)
    pos = 0
    problems: list[str] = []
    for item in needles:
        group = item if isinstance(item, tuple) else (item,)
        end = pos
        for needle in group:
            if not squash(needle):
                continue
            found = _locate(text, needle, pos, visual_rtl)
            if found is None:
                anywhere = _locate(text, needle, 0, visual_rtl) is not None
                problems.append(f"{needle!r} ({'out of order' if anywhere else 'missing'})")
                continue
            end = max(end, found[1])
        pos = end
    return problems


def bad_characters(text: str) -> list[str]:
    out = []
    if "(cid:" in text:
        out.append("(cid:…) glyphs without a Unicode mapping")
    if _PRIVATE_USE.search(text):
        out.append("private-use characters")
    if "\ufffd" in text:
        out.append("replacement characters")
    if _LIGATURES.search(text):
        out.append("ligature characters instead of letters")
    return out


_FIELDS: dict[str, tuple[str, ...]] = {
    "work": ("name", "position", "description", "summary", "highlights", "location", "location.city"),
    "volunteer": ("organization", "position", "summary", "highlights"),
    "education": ("institution", "area", "studyType", "score", "courses"),
    "projects": ("name", "description", "highlights", "keywords", "entity", "roles"),
    "awards": ("title", "awarder", "summary"),
    "certificates": ("name", "issuer"),
    "publications": ("name", "publisher", "summary"),
    "skills": ("name", "level", "keywords"),
    "languages": ("language", "fluency"),
    "interests": ("name", "keywords"),
    "references": ("name", "reference"),
}
_BASICS = ("name", "label", "email", "phone", "url", "summary", "location.city", "location.countryCode")


def _get(item: Mapping[str, Any], dotted: str) -> list[str]:
    value: Any = item
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    values = value if isinstance(value, list) else [value]
    return [clean(v) for v in values if isinstance(v, str) and clean(v)]


def _web(url: str) -> str:
    """A web address as printed: "https://www.github.com/ada" reads "github.com/ada" on the page."""
    return re.sub(r"^https://(?:www\.)?", "", url, flags=re.IGNORECASE).rstrip("/") or url


def input_values(resume: Mapping[str, Any], hidden: Iterable[str] = ()) -> list[str]:
    """Every text value of the input that a resume must show, straight from the JSON (not from our view)."""
    skip = set(hidden)
    basics = resume.get("basics")
    out: list[str] = []
    if isinstance(basics, Mapping):
        for f in _BASICS:
            if f == "summary" and "summary" in skip:
                continue
            out += [_web(v) for v in _get(basics, f)] if f == "url" else _get(basics, f)
        profiles = basics.get("profiles")
        for p in profiles if isinstance(profiles, list) else []:
            if isinstance(p, Mapping):
                # A profile with a web address shows the address (an ATS reads text, not links).
                web = [_web(u) for u in _get(p, "url") if u.lower().startswith(("http://", "https://"))]
                out += web or _get(p, "username") or _get(p, "url")
    for key, fields in _FIELDS.items():
        items = resume.get(key)
        if key in skip or not isinstance(items, list):
            continue
        for item in items:
            if isinstance(item, Mapping):
                for f in fields:
                    out += _get(item, f)
                if key == "projects":
                    out += [
                        _web(u) for u in _get(item, "url") if u.lower().startswith(("http://", "https://"))
                    ]
    return out


def reading_order(view: ResumeView) -> list[str | tuple[str, ...]]:
    """Name first, then each section's heading, then each entry's title, organisation and dates (in any order
    among themselves), then its summary and bullets."""
    seq: list[str | tuple[str, ...]] = [view.name, view.label]
    for s in view.sections:
        seq.append(s.title)
        seq.append(s.text)
        for e in s.entries:
            seq += [(e.title, e.subtitle, e.link, e.dates, e.location), e.summary, *e.bullets, e.keywords]
        for t in s.tags:
            seq += [t.name, t.detail]
    return [x for x in seq if x]


def contains_all(haystack: str, needles: Iterable[str], *, visual_rtl: bool = False) -> list[str]:
    text = squash(haystack)
    missing = []
    for needle in needles:
        n = squash(needle)
        if n and n not in text and not (visual_rtl and is_rtl(n) and n[::-1] in text):
            missing.append(needle)
    return missing


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)
