"""Rendering benchmark: JSON Resume -> bytes for every output format.

Run: .venv/bin/python bench/render_bench.py [--rounds N] [--template SLUG]

Prints the cold first render (new process state: compiler creation, font loading, first layout), then warm
median and p95 per format on a two-page resume whose content changes every round (so layout caches cannot
short-circuit the work), and renders per second on one core.
"""

from __future__ import annotations

import time

_IMPORT_START = time.perf_counter()

import argparse  # noqa: E402 - timed together with the library import below
import os  # noqa: E402
import statistics  # noqa: E402
from typing import Any  # noqa: E402

from shortlist.rendering import Design, OutputFormat, list_templates, render  # noqa: E402
from shortlist.rendering.sample import sample_resume  # noqa: E402

_IMPORT_MS = (time.perf_counter() - _IMPORT_START) * 1000


def two_page_resume(variant: int) -> dict[str, Any]:
    resume = sample_resume()
    resume["basics"]["name"] = f"Alex Morgan {variant}"
    extra = [
        {
            "name": f"Company {i}",
            "position": "Software Engineer",
            "startDate": f"{2005 + i}-01",
            "endDate": f"{2006 + i}-01",
            "highlights": [
                f"Delivered the {variant}-{i} migration with zero downtime and a measured 30% cost reduction",
                "Owned on-call for the payments API and halved the pager load within two quarters",
            ],
        }
        for i in range(6)
    ]
    resume["work"] = resume["work"] + extra
    return resume


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))
    return ordered[index]


def per_template(rounds: int) -> None:
    """Warm PDF median and p95 for every template, side by side in one run (the machine's speed drifts)."""
    print(f"{'template':<12}{'pages':>6}{'median ms':>11}{'p95 ms':>10}")
    for info in list_templates():
        design = Design(template=info.slug)
        pages = render(two_page_resume(0), design, OutputFormat.PDF).page_count
        timings = []
        for i in range(rounds):
            doc = two_page_resume(i + 1)
            t0 = time.perf_counter()
            render(doc, design, OutputFormat.PDF)
            timings.append((time.perf_counter() - t0) * 1000)
        print(f"{info.slug:<12}{pages:>6}{statistics.median(timings):>11.2f}{percentile(timings, 95):>10.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--template", default="classic", help="a slug, or 'all'")
    args = parser.parse_args()
    if args.template == "all":
        per_template(args.rounds)
        return
    design = Design(template=args.template)

    start = time.perf_counter()
    first = render(two_page_resume(-1), design, OutputFormat.PDF)
    cold_ms = (time.perf_counter() - start) * 1000
    print(f"template={args.template} pages={first.page_count} cpu_count={os.cpu_count()}")
    print(f"import shortlist.rendering (typst, python-docx, jinja2):  {_IMPORT_MS:8.1f} ms")
    print(f"cold first PDF render (compiler + fonts + layout):       {cold_ms:8.1f} ms")

    # Wall-clock figures move with whatever else the machine runs; CPU time per render is the steadier figure.
    print(f"{'format':<10}{'median ms':>11}{'p95 ms':>10}{'cpu ms':>9}{'renders/s/core':>16}{'bytes':>10}")
    for fmt in OutputFormat:
        rounds = args.rounds if fmt is not OutputFormat.PNG else max(20, args.rounds // 10)
        render(two_page_resume(0), design, fmt)  # warm this format's path
        timings: list[float] = []
        cpu_start = time.process_time()
        size = 0
        for i in range(rounds):
            doc = two_page_resume(i + 1)
            t0 = time.perf_counter()
            out = render(doc, design, fmt)
            timings.append((time.perf_counter() - t0) * 1000)
            size = len(out.content)
        cpu = time.process_time() - cpu_start
        median = statistics.median(timings)
        p95 = percentile(timings, 95)
        per_core = rounds / cpu if cpu > 0 else float("inf")
        cpu_ms = cpu / rounds * 1000
        print(f"{fmt.value:<10}{median:>11.2f}{p95:>10.2f}{cpu_ms:>9.2f}{per_core:>16.0f}{size:>10}")


if __name__ == "__main__":
    main()
