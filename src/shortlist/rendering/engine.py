"""Typst compilation: one warm compiler per template, reused under a lock.

A reused ``typst.Compiler`` keeps its parsed sources, fonts and memoised layout, so a typical resume
compiles in a few milliseconds instead of tens. Compilers are not safe to share between threads mid-compile,
hence the lock per template (different templates compile in parallel).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import typst

from shortlist.rendering.exceptions import RenderError
from shortlist.rendering.fonts import font_dirs
from shortlist.rendering.schemas import PdfStandard
from shortlist.template import TYPST_DIR, get_template

# Discovered once when the module loads; a missing font package shows up in fonts.missing_packages().
FONT_PATHS: tuple[str, ...] = tuple(str(p) for p in font_dirs())

# A fixed creation date keeps output byte-identical for the same input, which the cache key promises.
_EPOCH = 1_704_067_200  # 2024-01-01T00:00:00Z

_PAGE_OBJ = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


@dataclass(slots=True)
class _Slot:
    compiler: Any
    lock: threading.Lock


_slots: dict[str, _Slot] = {}
_slots_lock = threading.Lock()


def _slot(slug: str) -> _Slot:
    slot = _slots.get(slug)
    if slot is not None:
        return slot
    with _slots_lock:
        slot = _slots.get(slug)
        if slot is None:
            info = get_template(slug)
            compiler = typst.Compiler(
                str(info.source),
                root=str(TYPST_DIR),
                font_paths=list(FONT_PATHS),
                ignore_system_fonts=True,
            )
            slot = _Slot(compiler, threading.Lock())
            _slots[slug] = slot
    return slot


def warm(slugs: Sequence[str]) -> None:
    """Create the compilers ahead of the first request (the first compile also loads the fonts)."""
    for slug in slugs:
        _slot(slug)


def _compile(slug: str, payload: dict[str, Any], **kwargs: Any) -> Any:
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    slot = _slot(slug)
    with slot.lock:
        try:
            return slot.compiler.compile(sys_inputs={"data": data}, timestamp=_EPOCH, **kwargs)
        except typst.TypstError as exc:  # a template bug, not the user's data: report, do not leak internals
            raise RenderError(f"The {slug!r} template could not be compiled: {_first_line(exc)}") from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else exc.__class__.__name__


def pdf_page_count(pdf: bytes) -> int:
    """Typst writes every page dictionary as a plain object, so counting them is exact and cheap."""
    return len(_PAGE_OBJ.findall(pdf))


def compile_pdf(slug: str, payload: dict[str, Any], standard: PdfStandard | None = None) -> tuple[bytes, int]:
    kwargs: dict[str, Any] = {}
    if standard is not None:
        kwargs["pdf_standards"] = [standard.value]
    pdf = _compile(slug, payload, **kwargs)
    if not isinstance(pdf, bytes):
        raise RenderError("The PDF compiler returned no document.")
    return pdf, pdf_page_count(pdf)


def compile_png(slug: str, payload: dict[str, Any], ppi: float = 110.0) -> list[bytes]:
    out = _compile(slug, payload, format="png", ppi=ppi)
    # typst returns bytes for a single page and a list of bytes for several.
    pages = [out] if isinstance(out, bytes) else list(out)
    if not pages or not all(isinstance(p, bytes) for p in pages):
        raise RenderError("The image compiler returned no pages.")
    return pages
