"""Ranking quality of job matching on the labelled set (shortlist.ats.engine.matching.labelled), beside the
keyword-ratio baseline, in one run:

    .venv/bin/python bench/match_eval.py [--parsed] [--variant N]

Resumes for a job: nDCG@10 and Spearman's rho, mean over the jobs. Jobs for a resume: nDCG@5 and rho,
mean over the resumes. The last row is the ceiling: the grades themselves, with their ties broken at
random (most pairs share grade 0, so no score reaches rho = 1).

With ``--parsed``, each resume is first rendered to a file by one of the evaluation corpus's renderers
(Typst PDF layouts, DOCX, text; in turn) and parsed back, so both methods see what the parser reads.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from shortlist.ats.engine.matching.evaluation import evaluate
from shortlist.ats.engine.matching.labelled import jobs, labels, resumes


def parsed_back(index: int, resume: dict[str, Any]) -> dict[str, Any]:
    from shortlist.ats.engine import parse_bytes
    from shortlist.ats.evaluation.renderers import RENDERERS

    renderer = RENDERERS[index % len(RENDERERS)]
    return parse_bytes(renderer.render(resume), cross_check=False).resume


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--parsed", action="store_true", help="render each resume and parse it back first")
    parser.add_argument(
        "--variant", type=int, default=0, help="another draw of resumes under the same rubric"
    )
    args = parser.parse_args()
    job_list, resume_list = jobs(), resumes()
    grades = labels(job_list, resume_list)
    spread = {g: sum(row.count(g) for row in grades) for g in range(4)}
    print(f"labelled set: {len(resume_list)} resumes x {len(job_list)} jobs; pairs per grade {spread}")
    started = time.perf_counter()
    figures = evaluate(parsed_back if args.parsed else None, args.variant)
    print(f"resume variant {args.variant}")
    if args.parsed:
        print("resumes rendered (Typst PDF layouts, DOCX, text, in turn) and parsed back")
    elapsed = time.perf_counter() - started
    print()
    print(f"{'method':<22} {'resumes for a job':>28} {'jobs for a resume':>28}")
    print(f"{'':<22} {'nDCG@10':>14} {'Spearman':>13} {'nDCG@5':>14} {'Spearman':>13}")
    for f in figures:
        print(
            f"{f.method:<22} {f.ndcg_resumes:>14.3f} {f.spearman_resumes:>13.3f}"
            f" {f.ndcg_jobs:>14.3f} {f.spearman_jobs:>13.3f}"
        )
    print(f"\n(evaluated in {elapsed:.1f} s)")


if __name__ == "__main__":
    main()
