"""Run the labelled corpus through renderers and the parser; collect field metrics and timings."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from shortlist.ats.engine.parser import Extractor, parse_bytes
from shortlist.ats.evaluation.families import Document
from shortlist.ats.evaluation.metrics import Evaluation
from shortlist.ats.evaluation.renderers import Renderer


@dataclass
class RunResult:
    overall: Evaluation = field(default_factory=Evaluation)
    per_renderer: dict[str, Evaluation] = field(default_factory=dict)
    parse_seconds: dict[str, list[float]] = field(default_factory=dict)
    bytes_parsed: dict[str, int] = field(default_factory=dict)


def run(
    resumes: Sequence[dict[str, Any]],
    renderers: Sequence[Renderer],
    cross_check: bool = False,
    extractors: Sequence[Extractor] = ("pdfium",),
) -> RunResult:
    """Render each resume with each renderer, parse it back, and score the fields against the source.

    A PDF is parsed once per extractor; results after the first extractor are named ``<renderer>/<extractor>``
    (``classic/pdfplumber``)."""
    result = RunResult()
    for renderer in renderers:
        runs = extractors if renderer.file_type == "pdf" else extractors[:1]
        names = {ex: renderer.name if i == 0 else f"{renderer.name}/{ex}" for i, ex in enumerate(runs)}
        for truth in resumes:
            data = renderer.render(truth)
            for extractor, label in names.items():
                evaluation = result.per_renderer.setdefault(label, Evaluation())
                start = time.perf_counter()
                parsed = parse_bytes(data, cross_check=cross_check, extractor=extractor)
                result.parse_seconds.setdefault(label, []).append(time.perf_counter() - start)
                result.bytes_parsed[label] = result.bytes_parsed.get(label, 0) + len(data)
                name = f"{label}:{truth.get('meta', {}).get('lang', '?')}"
                evaluation.add(name, parsed.resume, truth)
                result.overall.add(name, parsed.resume, truth)
    return result


def run_documents(documents: Sequence[Document], cross_check: bool = False) -> RunResult:
    """Parse already rendered documents (the layout families) and score them per family and per field."""
    result = RunResult()
    for doc in documents:
        evaluation = result.per_renderer.setdefault(doc.family, Evaluation())
        start = time.perf_counter()
        parsed = parse_bytes(doc.data, cross_check=cross_check)
        result.parse_seconds.setdefault(doc.family, []).append(time.perf_counter() - start)
        result.bytes_parsed[doc.family] = result.bytes_parsed.get(doc.family, 0) + len(doc.data)
        name = f"{doc.family}:{doc.seed}"
        evaluation.add(name, parsed.resume, doc.truth)
        result.overall.add(name, parsed.resume, doc.truth)
    return result
