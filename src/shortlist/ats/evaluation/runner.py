"""Run the labelled corpus through renderers and the parser; collect field metrics and timings."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from shortlist.ats.evaluation.metrics import Evaluation
from shortlist.ats.evaluation.renderers import Renderer
from shortlist.ats.parser import parse_bytes


@dataclass
class RunResult:
    overall: Evaluation = field(default_factory=Evaluation)
    per_renderer: dict[str, Evaluation] = field(default_factory=dict)
    parse_seconds: dict[str, list[float]] = field(default_factory=dict)
    bytes_parsed: dict[str, int] = field(default_factory=dict)


def run(
    resumes: Sequence[dict[str, Any]], renderers: Sequence[Renderer], cross_check: bool = False
) -> RunResult:
    """Render each resume with each renderer, parse it back, and score the fields against the source."""
    result = RunResult()
    for renderer in renderers:
        evaluation = result.per_renderer.setdefault(renderer.name, Evaluation())
        times = result.parse_seconds.setdefault(renderer.name, [])
        for truth in resumes:
            data = renderer.render(truth)
            start = time.perf_counter()
            parsed = parse_bytes(data, cross_check=cross_check)
            times.append(time.perf_counter() - start)
            result.bytes_parsed[renderer.name] = result.bytes_parsed.get(renderer.name, 0) + len(data)
            name = f"{renderer.name}:{truth.get('meta', {}).get('lang', '?')}"
            evaluation.add(name, parsed.resume, truth)
            result.overall.add(name, parsed.resume, truth)
    return result
