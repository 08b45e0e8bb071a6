"""The template catalogue: every shipped template, its options and defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from shortlist.template.exceptions import TemplateNotFound
from shortlist.template.schemas import ALL_OPTIONS, Layout, OptionName, TemplateDefaults, TemplateInfo

TYPST_DIR: Final = Path(__file__).resolve().parent / "typst"
THUMBNAIL_DIR: Final = Path(__file__).resolve().parent / "thumbnails"

# Bump when lib.typ or the shared view model (shortlist.rendering.view) changes what a template prints: it
# invalidates every cached render.
_LIB_VERSION: Final = "4"

_ORDER_TECH = (
    "summary",
    "skills",
    "work",
    "projects",
    "education",
    "certificates",
    "awards",
    "publications",
    "volunteer",
    "languages",
    "interests",
    "references",
)
_ORDER_ACADEMIC = (
    "summary",
    "education",
    "publications",
    "work",
    "awards",
    "projects",
    "skills",
    "certificates",
    "volunteer",
    "languages",
    "interests",
    "references",
)


def _info(
    slug: str,
    name: str,
    description: str,
    defaults: TemplateDefaults,
    without: frozenset[OptionName] = frozenset(),
    layout: Layout = "single-column",
) -> TemplateInfo:
    return TemplateInfo(
        slug=slug,
        name=name,
        description=description,
        version=f"{_LIB_VERSION}.1",
        layout=layout,
        supports=ALL_OPTIONS - without,
        defaults=defaults,
        source=TYPST_DIR / f"{slug}.typ",
        thumbnail=THUMBNAIL_DIR / f"{slug}.png",
    )


_TEMPLATES: Final[tuple[TemplateInfo, ...]] = (
    _info(
        "classic",
        "Classic",
        "Centred name, ruled capital headings and right-aligned dates in a serif face.",
        TemplateDefaults(color="navy", font="source-serif-4", base_size=10.5),
    ),
    _info(
        "modern",
        "Modern",
        "Large coloured name beside a thick accent rule, accent bars before headings, contact icons.",
        TemplateDefaults(color="teal", font="inter", base_size=10.0, show_icons=True),
    ),
    _info(
        "compact",
        "Compact",
        "Dense layout that fits a lot on one page; headings with a hairline leader to the margin.",
        TemplateDefaults(color="slate", font="source-sans-3", base_size=9.5, leading=0.52, margins_mm=12.0),
        without=frozenset({"show_icons"}),
    ),
    _info(
        "academic",
        "Academic",
        "Serif CV with education and publications first and small caps headings.",
        TemplateDefaults(
            color="burgundy",
            font="eb-garamond",
            base_size=11.0,
            section_order=_ORDER_ACADEMIC,
        ),
        without=frozenset({"show_icons"}),
    ),
    _info(
        "technical",
        "Technical",
        "Skills up front, tinted headings, projects before education.",
        TemplateDefaults(
            color="blue", font="ibm-plex-sans", base_size=9.8, section_order=_ORDER_TECH, show_icons=True
        ),
    ),
    _info(
        "executive",
        "Executive",
        "Name in capitals on a full-width band of colour, tracked capital headings, generous spacing.",
        TemplateDefaults(
            color="charcoal",
            font="merriweather",
            base_size=10.0,
            leading=0.7,
            margins_mm=20.0,
            date_format="long",
        ),
        without=frozenset({"show_icons"}),
    ),
    _info(
        "minimal",
        "Minimal",
        "Black on white, plain headings, each entry on one line with its dates: nothing but the words.",
        TemplateDefaults(color="black", font="lato", base_size=10.5, margins_mm=22.0),
        without=frozenset({"color", "show_icons", "show_photo"}),
    ),
    _info(
        "elegant",
        "Elegant",
        "Letter-spaced name and centred headings with a short rule.",
        TemplateDefaults(color="plum", font="noto-serif", base_size=10.0, margins_mm=20.0),
    ),
    _info(
        "sidebar",
        "Sidebar",
        "Section headings in a left gutter beside their content.",
        TemplateDefaults(color="forest", font="fira-sans", base_size=10.0),
        layout="gutter-headings",
    ),
    _info(
        "banner",
        "Banner",
        "Name and contacts in a coloured band with underlined headings.",
        TemplateDefaults(color="navy", font="roboto", base_size=10.0, show_icons=True),
    ),
    _info(
        "timeline",
        "Timeline",
        "Each role on an accent rail with dates beneath the title.",
        TemplateDefaults(color="rust", font="open-sans", base_size=9.8),
    ),
    _info(
        "two-column",
        "Two-column",
        "A narrow column of dates beside the content, each range level with its own role or study.",
        TemplateDefaults(color="teal", font="source-sans-3", base_size=10.0, margins_mm=16.0),
        without=frozenset({"show_icons"}),
        layout="two-column",
    ),
    _info(
        "corporate",
        "Corporate",
        "Left-aligned header; each section opens under a heavy rule; numeric dates.",
        TemplateDefaults(color="slate", font="ibm-plex-serif", base_size=10.2, date_format="numeric"),
    ),
)

_BY_SLUG: Final = {t.slug: t for t in _TEMPLATES}


def list_templates() -> list[TemplateInfo]:
    return list(_TEMPLATES)


def get_template(slug: str) -> TemplateInfo:
    try:
        return _BY_SLUG[slug]
    except KeyError:
        raise TemplateNotFound(slug) from None
