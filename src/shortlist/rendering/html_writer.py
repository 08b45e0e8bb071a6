"""Semantic, accessible HTML laid out like the template's PDF (Jinja2, autoescaped): the same header, heading,
entry and column styles, read from the template's knobs, and its fonts embedded."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from shortlist.rendering.html_fonts import css_font_stack, font_face_css
from shortlist.rendering.knobs import flag, knobs, number, text
from shortlist.rendering.photo import photo_data_url
from shortlist.rendering.view import ResumeView

_HTML_DIR = Path(__file__).resolve().parent / "html"

_CONTACT_LABEL = {
    "en": "Contact",
    "de": "Kontakt",
    "fr": "Contact",
    "es": "Contacto",
    "pt": "Contacto",
    "ja": "連絡先",
    "zh": "联系方式",
    "ko": "연락처",
}


# Decorative contact icons as SVG shapes (aria-hidden, so screen readers and parsers skip them).
_ICONS = {
    "email": Markup('<rect x="1" y="2.5" width="8" height="5.5" rx=".5"/><path d="M1 3l4 3 4-3"/>'),
    "phone": Markup('<rect x="3" y="1" width="4" height="8" rx="1"/>'),
    "location": Markup('<circle cx="5" cy="4.5" r="2.5"/><path d="M5 7v2"/>'),
    "url": Markup('<rect x="1" y="3.5" width="5" height="3" rx="1.5"/><path d="M5 5h3.5"/>'),
}


@cache
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(_HTML_DIR),
        autoescape=select_autoescape(("html",), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _css() -> str:
    return (_HTML_DIR / "resume.css").read_text(encoding="utf-8")


def _mix(hex_colour: str, amount: float) -> str:
    """The colour moved ``amount`` of the way to white (Typst's ``lighten``)."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in (r, g, b))


def _length(value: str | float, default: str) -> str:
    return value if isinstance(value, str) and re.fullmatch(r"[0-9.]+(em|pt|mm|%)", value) else default


_RANGED = ("work", "volunteer", "education", "projects")


def to_html(view: ResumeView) -> str:
    style = view.style
    k = knobs(style.template.slug)
    letter = style.page_size == "letter"
    # Values injected into CSS are validated numbers, hex colours, our own knobs or font names from our own
    # list. @page cannot read CSS variables, so the print page rule is written out.
    page_rule = f"@media print {{ @page {{ size: {'letter' if letter else 'A4'}; margin: 0; }} }}\n"
    fill = text(k, "name-fill", "")
    luma = re.fullmatch(r"luma\((\d+)\)", fill)
    name_fill = f"rgb({luma.group(1)} {luma.group(1)} {luma.group(1)})" if luma else "var(--accent)"
    longest_range = max(
        (len(e.dates) for s in view.sections if s.key.value in _RANGED for e in s.entries), default=0
    )
    title = f"{view.name} — Resume" if view.name else "Resume"
    primary = style.fonts[0]
    return (
        _env()
        .get_template("resume.html")
        .render(
            view=view,
            style=style,
            css=Markup(_css() + page_rule),  # noqa: S704 - our own stylesheet, no user text
            fonts=Markup(font_face_css(primary)),  # noqa: S704 - base64 data of our own font files
            font_stack=Markup(css_font_stack(primary)),  # noqa: S704 - family names from our own list
            title=title,
            contact_label=_CONTACT_LABEL[style.language],
            icons=_ICONS,
            tint=_mix(style.color, 0.88),
            soft=_mix(style.color, 0.4),
            # Typst's line pitch: cap height (~0.7em) plus the leading; paragraphs add half a leading more.
            line_height=round(0.7 + style.leading, 3),
            par_gap=round(style.leading * 0.5, 3),
            page_width="215.9mm" if letter else "210mm",
            page_height="279.4mm" if letter else "297mm",
            name_size=number(k, "name-size", 2.1),
            section_gap=_length(k.get("section-gap", ""), "1.25em"),
            entry_gap=_length(k.get("entry-gap", ""), "0.45em"),
            header_below=_length(k.get("header-below", ""), "1.1em"),
            gutter=_length(k.get("gutter", ""), "30mm"),
            date_column=f"min(40mm, {max(longest_range, 4) * 0.52:.2f}em)",
            header_rule=_length(k.get("header-rule-stroke", ""), "1.2pt"),
            marker=text(k, "marker", "•").replace('"', ""),
            name_fill=Markup(name_fill),  # noqa: S704 - built from digits or a CSS variable
            photo_radius=_length(k.get("photo-radius", ""), "50%"),
            photo=photo_data_url(view.photo) if view.photo else "",
            k_header=text(k, "header", "left"),
            k_heading=text(k, "heading", "rule"),
            k_entry=text(k, "entry", "inline"),
            k_gutter="gutter" in k,
            k_rail=flag(k, "entry-rail"),
            k_dated=flag(k, "date-column"),
            k_caps=flag(k, "name-caps"),
            k_rule=flag(k, "header-rule"),
            ranged=_RANGED,
        )
    )
