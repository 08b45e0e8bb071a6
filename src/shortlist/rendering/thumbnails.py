"""Regenerate the catalogue thumbnails: ``python -m shortlist.rendering.thumbnails``."""

from __future__ import annotations

import sys
from pathlib import Path

from shortlist.rendering import engine
from shortlist.rendering.sample import sample_resume
from shortlist.rendering.schemas import Design
from shortlist.rendering.view import build_view, typst_payload
from shortlist.template import list_templates

THUMBNAIL_PPI = 36.0  # about 300 px wide for an A4 page


def write_thumbnails(directory: Path | None = None) -> list[Path]:
    written: list[Path] = []
    for info in list_templates():
        view = build_view(sample_resume(), Design(template=info.slug))
        first = engine.compile_png(info.slug, typst_payload(view), THUMBNAIL_PPI)[0]
        target = (directory or info.thumbnail.parent) / info.thumbnail.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(first)
        written.append(target)
    return written


if __name__ == "__main__":
    for path in write_thumbnails(Path(sys.argv[1]) if len(sys.argv) > 1 else None):
        print(path)
