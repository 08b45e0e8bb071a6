"""Session-wide cache of rendered corpus documents."""

from __future__ import annotations

from functools import cache

from shortlist.rendering import Design, OutputFormat, RenderedDocument, render
from tests.rendering.corpus import CORPUS

_BY_ID = {c.id: c for c in CORPUS}


@cache
def rendered(case_id: str, template: str, fmt: OutputFormat = OutputFormat.PDF) -> RenderedDocument:
    """Render once per (case, template, format) for the session: the suite reads the same bytes often."""
    case = _BY_ID[case_id]
    return render(case.resume, Design(template=template, language=case.language), fmt)
