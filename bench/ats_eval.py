"""Field-level precision / recall / F1 of the ATS parser on the labelled synthetic corpus, and throughput.

    .venv/bin/python bench/ats_eval.py [--size 42] [--renderers typst-single,docx] [--misses 20]
    .venv/bin/python bench/ats_eval.py --product [--size 21]   # the product's templates instead
    .venv/bin/python bench/ats_eval.py --extractors pdfium,pdfplumber   # PDFs read by both extractors
    .venv/bin/python bench/ats_eval.py --foreign --seeds 1000:1030   # layouts that are not ours, unseen seeds
    .venv/bin/python bench/ats_eval.py --foreign --families html-gutter,markdown --seeds 0:10 --misses 20

--foreign renders the layout families of shortlist.ats.evaluation.families (HTML/CSS printed by Chromium,
Word documents and their LibreOffice PDFs, text, Markdown, LaTeX typeset by pdfTeX, Pandoc's DOCX and PDF,
and where Node and tools/resume-corpus-js are installed the react-pdf, jsPDF and npm docx families, where
WeasyPrint is installed four HTML layouts printed by it) from varied resumes; each document is cached per
(family, seed) under the temp directory (--cache-dir to choose), so a second run only parses. The latex-* and
pandoc-* families need pdflatex and pandoc (without them, tests/ats/corpus holds a frozen set:
scripts/freeze_foreign_corpus.py; the Node and WeasyPrint families' frozen set comes from
bench/freeze_foreign_corpus.py). Seeds 0-9 were used while building the parser; report figures on other seeds.

    .venv/bin/python bench/ats_eval.py --foreign --families latex-classic,latex-tabular,latex-sans,pandoc-docx,pandoc-pdf --seeds 2000:2030

With --product, PDFs are parsed with both extractors unless --extractors says otherwise; rows for the second
extractor are named ``<renderer>/pdfplumber``.

Add a renderer (for example the product's own templates) by appending a ``Renderer`` to ``RENDERERS`` in
shortlist.ats.evaluation.renderers, or by passing ``renderers=`` to ``shortlist.ats.evaluation.runner.run``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import cast, get_args

from shortlist.ats.engine.parser import Extractor
from shortlist.ats.evaluation.corpus import corpus
from shortlist.ats.evaluation.families import (
    FAMILIES,
    NODE_FAMILIES,
    TYPESET,
    WEASY_FAMILIES,
    build,
    optional_families,
)
from shortlist.ats.evaluation.product import product_renderers
from shortlist.ats.evaluation.renderers import RENDERERS
from shortlist.ats.evaluation.runner import RunResult, run, run_documents
from shortlist.ats.evaluation.typeset import have_tools


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--size", type=int, default=42, help="resumes in the corpus (each rendered by every renderer)"
    )
    parser.add_argument("--start", type=int, default=0, help="first seed")
    parser.add_argument("--renderers", default="", help="comma-separated renderer names (default: all)")
    parser.add_argument("--misses", type=int, default=0, help="print this many field misses")
    parser.add_argument(
        "--product", action="store_true", help="every product template (PDF) and the DOCX writer as renderers"
    )
    parser.add_argument(
        "--extractors",
        default="",
        help="comma-separated PDF extractors: pdfium, pdfplumber (default: pdfium; both with --product)",
    )
    parser.add_argument("--foreign", action="store_true", help="the layout families that are not ours")
    parser.add_argument("--families", default="", help="comma-separated family names (default: all)")
    parser.add_argument("--seeds", default="1000:1020", help="START:END seed range for --foreign")
    parser.add_argument("--cache-dir", default="", help="where rendered family documents are kept")
    args = parser.parse_args()
    if args.foreign:
        foreign(args)
        return
    default = "pdfium,pdfplumber" if args.product else "pdfium"
    extractors: list[Extractor] = []
    for name in (args.extractors or default).split(","):
        if name not in get_args(Extractor):
            parser.error(f"unknown extractor {name!r}")
        extractors.append(cast(Extractor, name))
    available = product_renderers() if args.product else RENDERERS
    chosen = [r for r in available if not args.renderers or r.name in args.renderers.split(",")]
    resumes = corpus(args.size, args.start)
    result = run(resumes, chosen, extractors=extractors)
    print(
        f"corpus: {len(resumes)} resumes x {len(chosen)} renderers = {len(resumes) * len(chosen)} documents"
        f" (PDFs read by {', '.join(extractors)})\n"
    )
    print(f"{'field':<26} {'P':>6} {'R':>6} {'F1':>6} {'n':>6}")
    for key, score in sorted(result.overall.per_field.items()):
        n = score.tp + score.fn
        print(f"{key:<26} {score.precision:6.3f} {score.recall:6.3f} {score.f1:6.3f} {n:6d}")
    total = result.overall.overall
    print(f"{'OVERALL (micro)':<26} {total.precision:6.3f} {total.recall:6.3f} {total.f1:6.3f}\n")
    width = max(22, *(len(name) for name in result.per_renderer))
    print(f"{'renderer':<{width}} {'P':>6} {'R':>6} {'F1':>6} {'median ms':>10} {'docs/s':>8} {'MB/s':>7}")
    for name, evaluation in result.per_renderer.items():
        times = result.parse_seconds[name]
        median = statistics.median(times)
        mbps = result.bytes_parsed[name] / sum(times) / 1e6
        score = evaluation.overall
        print(
            f"{name:<{width}} {score.precision:6.3f} {score.recall:6.3f} {score.f1:6.3f} {median * 1000:10.1f} "
            f"{1 / median:8.1f} {mbps:7.2f}"
        )
    if args.misses:
        print("\nmost frequent misses:")
        counts = Counter((doc.split(":")[0], key) for doc, key, _ in result.overall.misses)
        for (renderer, key), n in counts.most_common(10):
            print(f"  {n:4d}  {renderer:<20} {key}")
        for doc, key, what in result.overall.misses[: args.misses]:
            print(f"  {doc:<24} {key:<24} {what}")


def _print(result: RunResult, label: str, misses: int) -> None:
    print(f"{'field':<26} {'P':>6} {'R':>6} {'F1':>6} {'n':>6}")
    for key, score in sorted(result.overall.per_field.items()):
        n = score.tp + score.fn
        print(f"{key:<26} {score.precision:6.3f} {score.recall:6.3f} {score.f1:6.3f} {n:6d}")
    total = result.overall.overall
    print(f"{'OVERALL (micro)':<26} {total.precision:6.3f} {total.recall:6.3f} {total.f1:6.3f}\n")
    width = max(22, *(len(name) for name in result.per_renderer))
    print(f"{label:<{width}} {'P':>6} {'R':>6} {'F1':>6} {'worst field':>26} {'median ms':>10}")
    for name, evaluation in result.per_renderer.items():
        score = evaluation.overall
        worst = min(evaluation.per_field.items(), key=lambda kv: kv[1].f1)
        median = statistics.median(result.parse_seconds[name]) * 1000
        print(
            f"{name:<{width}} {score.precision:6.3f} {score.recall:6.3f} {score.f1:6.3f} "
            f"{worst[0] + f' {worst[1].f1:.2f}':>26} {median:10.1f}"
        )
    if misses:
        print("\nmost frequent misses:")
        counts = Counter((doc.split(":")[0], key) for doc, key, _ in result.overall.misses)
        for (family, key), n in counts.most_common(15):
            print(f"  {n:4d}  {family:<20} {key}")
        for doc, key, what in result.overall.misses[:misses]:
            print(f"  {doc:<24} {key:<24} {what}")


def foreign(args: argparse.Namespace) -> None:
    start, _, end = args.seeds.partition(":")
    seeds = list(range(int(start), int(end)))
    # Families whose tools are not installed here are left out of the default set, and refused by name.
    typeset_ready = have_tools()
    offered = {n: f for n, f in FAMILIES.items() if typeset_ready or n not in TYPESET} | optional_families()
    names = args.families.split(",") if args.families else list(offered)
    unknown = [n for n in names if n not in offered]
    if unknown:
        if any(n in TYPESET for n in unknown):
            raise SystemExit(
                f"{unknown} need pdflatex and pandoc (Debian: texlive-latex-recommended, pandoc)"
            )
        missing = [n for n in unknown if n in NODE_FAMILIES | WEASY_FAMILIES]
        if missing:
            raise SystemExit(f"{missing} need Node (`npm ci` in tools/resume-corpus-js) or WeasyPrint")
        raise SystemExit(f"unknown families {unknown}; known: {', '.join(offered)}")
    left_out = set(NODE_FAMILIES | WEASY_FAMILIES).union(TYPESET) - set(offered)
    if not args.families and left_out:
        print(f"(left out, their tools are missing: {', '.join(sorted(left_out))})")
    began = time.perf_counter()
    documents = build(names, seeds, Path(args.cache_dir) if args.cache_dir else None)
    built = time.perf_counter() - began
    result = run_documents(documents)
    print(
        f"corpus: {len(seeds)} varied resumes (seeds {args.seeds}) x {len(names)} layout families = "
        f"{len(documents)} documents (rendered or read from the cache in {built:.1f} s)\n"
    )
    _print(result, "family", args.misses)


if __name__ == "__main__":
    main()
