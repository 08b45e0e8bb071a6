"""Semantic, accessible HTML with a print stylesheet (Jinja2, autoescaped)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

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


def to_html(view: ResumeView) -> str:
    style = view.style
    page_rule = "letter" if style.page_size == "letter" else "A4"
    # Values injected into CSS are all validated numbers, hex colours or font names from our own list.
    # @page cannot read CSS variables, so the page rule is written out.
    css = _css() + (
        f'\n:root {{ --font: "{style.fonts[0]}"; }}\n'
        f"@media print {{ @page {{ size: {page_rule}; margin: {style.margins_mm}mm; }} }}\n"
    )
    title = f"{view.name} — Resume" if view.name else "Resume"
    return (
        _env()
        .get_template("resume.html")
        .render(
            view=view,
            style=style,
            css=Markup(css),  # noqa: S704 - our own stylesheet, no user text
            title=title,
            contact_label=_CONTACT_LABEL[style.language],
            icons=_ICONS,
        )
    )
