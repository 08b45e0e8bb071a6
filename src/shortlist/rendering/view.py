"""From a JSON Resume dict and a Design to one neutral view model that every output format lays out.

All wording decisions (what a section is called, how a date reads, which fields make an entry's title) are
made here once, so PDF, HTML, DOCX, text and Markdown carry the same words in the same order. The input is
validated elsewhere; this module still treats every field as possibly missing or of the wrong type.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from shortlist.rendering import i18n
from shortlist.rendering.fonts import font_stack
from shortlist.rendering.photo import photo_svg
from shortlist.rendering.schemas import DateFormat, Design, Language, SectionKey, resolve_color
from shortlist.template import TemplateInfo, get_template

# C0/C1 controls (except tab/newline), lone surrogates and the BOM: never meaningful in a resume, sometimes
# harmful to a layout engine or an extractor.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ud800-\udfff]")
_SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")


def clean(value: Any) -> str:
    """Any JSON scalar as tidy NFC text; containers and null become empty."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    if not isinstance(value, str):
        return ""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", value)).replace("\t", " ").replace("\r\n", "\n")
    return text.strip()


def _items(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [s for s in (clean(v) for v in value) if s]


def safe_url(value: Any) -> str:
    url = clean(value)
    return url if url.lower().startswith(_SAFE_SCHEMES) and len(url) <= 2000 else ""


def display_url(url: str) -> str:
    """A web address as resumes print it ("github.com/ada"): ATS read the visible text, not the link
    annotation, so the address itself must be on the page. Only https and a leading www. are dropped."""
    if not url.lower().startswith(("http://", "https://")):
        return url
    shown = re.sub(r"^https://", "", url, flags=re.IGNORECASE)
    shown = re.sub(r"^((?:http://)?)www\.", r"\1", shown, flags=re.IGNORECASE)
    return shown.rstrip("/") or url


@dataclass(frozen=True, slots=True)
class Contact:
    kind: str  # email | phone | url | location | profile
    text: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class Entry:
    title: str = ""
    subtitle: str = ""
    dates: str = ""
    location: str = ""
    url: str = ""
    summary: str = ""
    bullets: tuple[str, ...] = ()
    keywords: str = ""
    link: str = ""  # the url as printed on the page, where the reader needs it (projects)


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    key: SectionKey
    title: str
    kind: str  # text | entries | tags
    text: str = ""
    entries: tuple[Entry, ...] = ()
    tags: tuple[Tag, ...] = ()


@dataclass(frozen=True, slots=True)
class Style:
    """A Design with every template default filled in."""

    template: TemplateInfo
    color: str
    font: str
    fonts: tuple[str, ...]
    base_size: float
    leading: float
    margins_mm: float
    page_size: str
    date_format: DateFormat
    show_icons: bool
    show_links: bool
    show_photo: bool
    language: Language
    section_order: tuple[SectionKey, ...]


@dataclass(frozen=True, slots=True)
class ResumeView:
    name: str
    label: str
    contacts: tuple[Contact, ...]
    sections: tuple[Section, ...]
    style: Style
    photo: str = ""  # an SVG wrapping the photo, when the design shows one and the resume has one


def resolve_style(design: Design) -> Style:
    """Fill the design's blanks from its template; options the template does not support take its defaults."""
    tpl = get_template(design.template)
    d = tpl.defaults
    sup = tpl.supports

    def pick(name: str, value: Any, default: Any) -> Any:
        return value if value is not None and name in sup else default

    order: tuple[SectionKey, ...] = pick("section_order", design.section_order, None) or tuple(
        SectionKey(k) for k in d.section_order
    )
    # Sections a custom order leaves out are hidden; hidden_sections removes more.
    hidden = design.hidden_sections if "hidden_sections" in sup else frozenset()
    order = tuple(k for k in order if k not in hidden)
    font = pick("font", design.font, d.font)
    return Style(
        template=tpl,
        color=resolve_color(pick("color", design.color, d.color)),
        font=font,
        fonts=tuple(font_stack(font, design.language)),
        base_size=pick("base_size", design.base_size, d.base_size),
        leading=d.leading * pick("line_spacing", design.line_spacing, 1.0),
        margins_mm=pick("margins_mm", design.margins_mm, d.margins_mm),
        page_size=design.page_size,
        date_format=pick("date_format", design.date_format, d.date_format),
        show_icons=pick("show_icons", design.show_icons, d.show_icons),
        show_links=design.show_links,
        show_photo=pick("show_photo", design.show_photo, d.show_photo),
        language=design.language,
        section_order=order,
    )


def carry_design(design: Design, template: str) -> Design:
    """The same design moved to another template: every option the new template supports is kept, the rest
    fall back to the new template's defaults (they stay stored as ``None`` so a later switch can use them)."""
    target = get_template(template)
    keep: dict[str, Any] = {"template": target.slug}
    for name in Design.model_fields:
        if name == "template":
            continue
        if name in target.supports:
            keep[name] = getattr(design, name)
    return Design.model_validate(keep)


def _location(loc: Any) -> str:
    if not isinstance(loc, Mapping):
        return clean(loc)
    parts: list[str] = []
    for k in ("city", "region", "countryCode"):
        part = clean(loc.get(k))
        if part and part not in parts:  # "Berlin, Berlin" reads as a mistake
            parts.append(part)
    return ", ".join(parts)


def _contacts(basics: Mapping[str, Any]) -> tuple[Contact, ...]:
    out: list[Contact] = []
    email = clean(basics.get("email"))
    if email:
        out.append(Contact("email", email, f"mailto:{email}" if "@" in email and " " not in email else ""))
    phone = clean(basics.get("phone"))
    if phone:
        digits = re.sub(r"[^0-9+]", "", phone)
        out.append(Contact("phone", phone, f"tel:{digits}" if digits else ""))
    loc = _location(basics.get("location"))
    if loc:
        out.append(Contact("location", loc))
    url = clean(basics.get("url"))
    if url:
        out.append(Contact("url", display_url(url), safe_url(url)))
    for p in _items(basics.get("profiles")):
        network, user, purl = clean(p.get("network")), clean(p.get("username")), clean(p.get("url"))
        link = _profile_url(safe_url(purl), user)
        if link:
            shown = display_url(link)
            if user and _handle(user).casefold() not in link.casefold():
                # An address that does not name the account ("https://twitter.com") would lose the username.
                shown = f"{shown} ({user})"
            # The address, not "GitHub: ada": the network and the username both read from it.
            out.append(Contact("profile", shown, link))
            continue
        shown = user or purl
        if shown:
            out.append(Contact("profile", f"{network}: {shown}" if network else shown))
    return tuple(out)


def _handle(user: str) -> str:
    return user.lstrip("@")


def _profile_url(url: str, user: str) -> str:
    """A profile address that names its account: a bare site ("https://twitter.com/") plus a username
    becomes the account's own page, the form every such network uses."""
    if not url or not user or not re.fullmatch(r"[\w.\-]{1,80}", _handle(user)):
        return url
    bare = re.fullmatch(r"(https?://[^/?#\s]+)/?", url, flags=re.IGNORECASE)
    return f"{bare.group(1)}/{_handle(user)}" if bare else url


def _join(*parts: str, sep: str = ", ") -> str:
    return sep.join(p for p in parts if p)


def _entries(
    key: SectionKey, resume: Mapping[str, Any], lang: Language, fmt: DateFormat
) -> tuple[Entry, ...]:
    def rng(item: Mapping[str, Any]) -> str:
        return i18n.format_range(clean(item.get("startDate")), clean(item.get("endDate")), lang, fmt)

    def one(item: Mapping[str, Any], name: str) -> str:
        return i18n.format_date(clean(item.get(name)), lang, fmt)

    out: list[Entry] = []
    for it in _items(resume.get(key.value)):
        if key is SectionKey.WORK:
            e = Entry(
                clean(it.get("position")),
                clean(it.get("name") or it.get("company")),
                rng(it),
                _location(it.get("location")),  # a string in JSON Resume 1.0, an object in some exports
                safe_url(it.get("url")),
                # "description" describes the organisation; it leads the role's own summary.
                _join(clean(it.get("description")), clean(it.get("summary")), sep="\n"),
                tuple(_strings(it.get("highlights"))),
            )
        elif key is SectionKey.VOLUNTEER:
            e = Entry(
                clean(it.get("position")),
                clean(it.get("organization")),
                rng(it),
                "",
                safe_url(it.get("url")),
                clean(it.get("summary")),
                tuple(_strings(it.get("highlights"))),
            )
        elif key is SectionKey.EDUCATION:
            title = _join(clean(it.get("studyType")), clean(it.get("area")))
            e = Entry(
                title,
                clean(it.get("institution")),
                rng(it),
                "",
                safe_url(it.get("url")),
                i18n.score(clean(it.get("score")), lang),
                tuple(_strings(it.get("courses"))),
            )
        elif key is SectionKey.PROJECTS:
            link = safe_url(it.get("url"))
            e = Entry(
                clean(it.get("name")),
                # The organisation and the person's roles are different facts: "Smoogle · Team lead, Designer".
                _join(clean(it.get("entity")), ", ".join(_strings(it.get("roles"))), sep=" · "),
                rng(it),
                "",
                link,
                clean(it.get("description")),
                tuple(_strings(it.get("highlights"))),
                ", ".join(_strings(it.get("keywords"))),
                display_url(link),
            )
        elif key is SectionKey.AWARDS:
            e = Entry(
                clean(it.get("title")),
                clean(it.get("awarder")),
                one(it, "date"),
                "",
                "",
                clean(it.get("summary")),
            )
        elif key is SectionKey.CERTIFICATES:
            e = Entry(
                clean(it.get("name")), clean(it.get("issuer")), one(it, "date"), "", safe_url(it.get("url"))
            )
        elif key is SectionKey.PUBLICATIONS:
            e = Entry(
                clean(it.get("name")),
                clean(it.get("publisher")),
                one(it, "releaseDate"),
                "",
                safe_url(it.get("url")),
                clean(it.get("summary")),
            )
        elif key is SectionKey.REFERENCES:
            e = Entry(clean(it.get("name")), summary=clean(it.get("reference")))
        else:  # pragma: no cover - tags sections never reach here
            continue
        if any((e.title, e.subtitle, e.summary, e.bullets, e.keywords)):
            out.append(e)
    return tuple(out)


def _tags(key: SectionKey, resume: Mapping[str, Any]) -> tuple[Tag, ...]:
    out: list[Tag] = []
    for it in _items(resume.get(key.value)):
        if key is SectionKey.LANGUAGES:
            tag = Tag(clean(it.get("language")), clean(it.get("fluency")))
        else:
            words = ", ".join(_strings(it.get("keywords")))
            level = clean(it.get("level")) if key is SectionKey.SKILLS else ""
            tag = Tag(
                clean(it.get("name")), _join(level, words, sep=" — ") if level and words else level or words
            )
        if tag.name or tag.detail:
            out.append(tag if tag.name else Tag(tag.detail))
    return tuple(out)


_TAG_SECTIONS = frozenset({SectionKey.SKILLS, SectionKey.LANGUAGES, SectionKey.INTERESTS})


def build_view(resume: Mapping[str, Any], design: Design) -> ResumeView:
    style = resolve_style(design)
    lang = style.language
    raw_basics = resume.get("basics")
    basics: Mapping[str, Any] = raw_basics if isinstance(raw_basics, Mapping) else {}
    sections: list[Section] = []
    for key in style.section_order:
        title = i18n.heading(lang, key)
        if key is SectionKey.SUMMARY:
            text = clean(basics.get("summary"))
            if text:
                sections.append(Section(key, title, "text", text=text))
        elif key in _TAG_SECTIONS:
            tags = _tags(key, resume)
            if tags:
                sections.append(Section(key, title, "tags", tags=tags))
        else:
            entries = _entries(key, resume, lang, style.date_format)
            if entries:
                sections.append(Section(key, title, "entries", entries=entries))
    image = clean(basics.get("image"))
    return ResumeView(
        clean(basics.get("name")),
        clean(basics.get("label")),
        _contacts(basics),
        tuple(sections),
        style,
        photo_svg(image) if style.show_photo and image else "",
    )


def iter_text(view: ResumeView) -> Iterable[str]:
    """Every visible string in reading order (used for size limits and by the tests' expectations)."""
    yield view.name
    yield view.label
    for c in view.contacts:
        yield c.text
    for s in view.sections:
        yield s.title
        yield s.text
        for e in s.entries:
            yield from (e.title, e.subtitle, e.link, e.dates, e.location, e.summary, *e.bullets, e.keywords)
        for t in s.tags:
            yield t.name
            yield t.detail


# "Page N of M" as each language writes it; the running footer of a multi-page PDF.
PAGE_OF: dict[str, str] = {
    "en": "Page {n} of {m}",
    "de": "Seite {n} von {m}",
    "fr": "Page {n} sur {m}",
    "es": "Página {n} de {m}",
    "pt": "Página {n} de {m}",
    "ja": "{n} / {m} ページ",
    "zh": "第 {n} 页，共 {m} 页",
    "ko": "{n} / {m} 페이지",
}


def typst_payload(view: ResumeView) -> dict[str, Any]:
    """The JSON the Typst templates read."""
    st = view.style
    return {
        "lang": st.language,
        "page_of": PAGE_OF.get(st.language, PAGE_OF["en"]),
        "meta": {"title": f"{view.name} — Resume" if view.name else "Resume"},
        "style": {
            "color": st.color,
            "fonts": list(st.fonts),
            "size": st.base_size,
            "leading": st.leading,
            "margin_mm": st.margins_mm,
            "paper": "us-letter" if st.page_size == "letter" else "a4",
            "icons": st.show_icons,
            "links": st.show_links,
        },
        "basics": {
            "name": view.name,
            "label": view.label,
            "contacts": [{"kind": c.kind, "text": c.text, "url": c.url} for c in view.contacts],
            "photo": view.photo,
        },
        "sections": [
            {
                "key": s.key.value,
                "title": s.title,
                "kind": s.kind,
                "text": s.text,
                "entries": [
                    {
                        "title": e.title,
                        "subtitle": e.subtitle,
                        "dates": e.dates,
                        "location": e.location,
                        "url": e.url,
                        "link": e.link,
                        "summary": e.summary,
                        "bullets": list(e.bullets),
                        "keywords": e.keywords,
                    }
                    for e in s.entries
                ],
                "tags": [{"name": t.name, "detail": t.detail} for t in s.tags],
            }
            for s in view.sections
        ],
    }
