"""Fonts for the HTML export, embedded as ``@font-face`` rules with base64 data: the page looks the same on
any machine and fetches nothing.

Embedding whole families would add 1–3 MB to every page, and subsetting costs fontTools 5–30 seconds per
family, far too slow for a request. So ``scripts/subset_html_fonts.py`` subsets every selectable family once,
to a fixed repertoire (Latin with its extensions, typographic punctuation, arrows and bullets), and the
subsets ship in ``html/fonts/`` with a manifest; variable fonts keep their weight axis, so one face serves
every weight a template uses. At render time the faces are only read and base64-encoded (cached). Greek,
Cyrillic and the script fallbacks Typst uses (Arabic, Hebrew, CJK, emoji) are named in the CSS font stack
but not embedded.
"""

from __future__ import annotations

import base64
import io
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from shortlist.rendering.fonts import FALLBACK_FAMILIES, FAMILIES, FontFamily, _module_dir

# Weights the templates set (regular, semibold, bold); static families embed only these.
_WEIGHTS = (400, 600, 700)
# Basic Latin, Latin-1, Latin Extended-A, general punctuation, currency, arrows and geometric bullets.
REPERTOIRE: str = "".join(
    chr(c)
    for lo, hi in (
        (0x20, 0x7E),
        (0xA0, 0x17F),
        (0x2000, 0x206F),
        (0x20A0, 0x20BF),
        (0x2190, 0x21FF),
        (0x25A0, 0x25FF),
    )
    for c in range(lo, hi + 1)
)
SHIPPED_DIR = Path(__file__).resolve().parent / "html" / "fonts"
MANIFEST = SHIPPED_DIR / "manifest.json"
_FONT_FILE = re.compile(r"\.(ttf|otf)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Face:
    path: Path
    italic: bool
    weights: tuple[int, int]  # a range for a variable font, (w, w) for a static one
    cmap: frozenset[int]


def _family(name: str) -> list[FontFamily]:
    return [f for f in FAMILIES if f.family == name]


@cache
def faces(family: str) -> tuple[Face, ...]:
    """Every installed font file of a family, with its style, weights and the characters it covers."""
    from fontTools.ttLib import TTFont  # a build-time dependency (dev extra): only the script calls this

    out: list[Face] = []
    for fam in _family(family):
        base = _module_dir(fam.module)
        if base is None:
            continue
        folder = base / fam.subdir if fam.subdir else base
        for path in sorted(folder.rglob("*")):
            if not _FONT_FILE.search(path.name):
                continue
            font = TTFont(path, lazy=True)
            try:
                italic = bool(font["head"].macStyle & 2) or "italic" in path.name.lower()
                if "fvar" in font:
                    axis = next((a for a in font["fvar"].axes if a.axisTag == "wght"), None)
                    weights = (int(axis.minValue), int(axis.maxValue)) if axis else (400, 400)
                else:
                    weight = int(font["OS/2"].usWeightClass)
                    weights = (weight, weight)
                cmap = frozenset(font.getBestCmap() or {})
            finally:
                font.close()
            out.append(Face(path, italic, weights, cmap))
    return tuple(out)


def _wanted(face: Face) -> bool:
    low, high = face.weights
    if low != high:
        return True
    return low in _WEIGHTS and (not face.italic or low == 400)


@lru_cache(maxsize=64)
def _subset(path: Path, characters: str = REPERTOIRE) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    # fontTools keeps its default features (kerning, standard ligatures, marks): what the PDF uses too.
    options.hinting = False  # screens scale outlines well; hinting is most of a subset's size
    options.notdef_outline = True
    font = TTFont(path)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=characters)
        subsetter.subset(font)
        if "fvar" in font:
            # Only the weight axis is used; the others (optical size, width) are pinned at their defaults,
            # which takes a Merriweather face from about 900 KB to a third of that.
            from fontTools.varLib import instancer

            pinned = {a.axisTag: a.defaultValue for a in font["fvar"].axes if a.axisTag != "wght"}
            if pinned:
                font = instancer.instantiateVariableFont(font, pinned)
        out = io.BytesIO()
        font.save(out)
        return out.getvalue()
    finally:
        font.close()


def build_subsets(out_dir: Path = SHIPPED_DIR) -> list[dict[str, object]]:
    """Subset every selectable family's faces into ``out_dir`` and write the manifest (a build step)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, object]] = []
    for fam in FAMILIES:
        if not fam.selectable or fam.slug.startswith("noto-sans-cjk"):
            continue
        for face in faces(fam.family):
            if not _wanted(face):
                continue
            name = (
                f"{fam.slug}-{'italic' if face.italic else 'roman'}-{face.weights[0]}-{face.weights[1]}.ttf"
            )
            (out_dir / name).write_bytes(_subset(face.path))
            entries.append(
                {"family": fam.family, "file": name, "italic": face.italic, "weights": list(face.weights)}
            )
    MANIFEST.write_text(json.dumps(entries, indent=1) + "\n", encoding="utf-8")
    copy_licences(out_dir)
    return entries


def copy_licences(out_dir: Path = SHIPPED_DIR) -> list[Path]:
    """The OFL asks that the licence travel with the fonts: each family's licence file, beside its subsets."""
    written: list[Path] = []
    for fam in FAMILIES:
        base = _module_dir(fam.module)
        if base is None or not any(out_dir.glob(f"{fam.slug}-*.ttf")):
            continue
        licence = next(
            (f for f in sorted(base.rglob("*")) if f.name.upper().startswith(("LICENSE", "OFL"))), None
        )
        if licence is not None:
            target = out_dir / f"{fam.slug}-LICENSE.txt"
            target.write_text(licence.read_text(encoding="utf-8", errors="replace"), encoding="utf-8")
            written.append(target)
    return written


@cache
def _manifest() -> tuple[dict[str, Any], ...]:
    if not MANIFEST.is_file():
        return ()
    return tuple(json.loads(MANIFEST.read_text(encoding="utf-8")))


def _rule(family: str, entry: dict[str, Any]) -> str:
    low, high = entry["weights"]
    weight = f"{low} {high}" if low != high else str(low)
    encoded = base64.b64encode((SHIPPED_DIR / entry["file"]).read_bytes()).decode("ascii")
    style = "italic" if entry["italic"] else "normal"
    return (
        f'@font-face {{ font-family: "{family}"; font-style: {style}; font-weight: {weight}; '
        f'src: url("data:font/ttf;base64,{encoded}") format("truetype"); }}'
    )


@lru_cache(maxsize=32)
def font_face_css(primary: str) -> str:
    """``@font-face`` rules for every shipped face of a family (read and encoded once per process)."""
    return "\n".join(_rule(primary, e) for e in _manifest() if e["family"] == primary)


def css_font_stack(primary: str) -> str:
    """The CSS font-family value: the embedded family, then Typst's fallbacks by name, then a generic."""
    families = [primary, *(f for f in FALLBACK_FAMILIES if f != primary)]
    generic = next((f.category for f in FAMILIES if f.family == primary), "sans")
    return ", ".join([*(f'"{f}"' for f in families), "serif" if generic == "serif" else "sans-serif"])
