"""Ranking quality of the matcher on the labelled set, beside the plain keyword-ratio baseline.

Both directions are measured: resumes for a job (what a recruiter sees) and jobs for a resume (what a
candidate sees). nDCG uses gains 2^grade - 1; tied scores are broken worst grade first, so a method
earns nothing from ties. Spearman's rho compares scores with grades over the whole list (ties averaged).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from shortlist.ats.engine.evidence import keywords, resume_texts
from shortlist.ats.engine.matching.candidate import build_profile
from shortlist.ats.engine.matching.labelled import TODAY, jobs, labels, resumes
from shortlist.ats.engine.matching.requirements import extract_requirements, job_text
from shortlist.ats.engine.matching.scoring import part_scores, plan, total


def keyword_ratio(resume: dict[str, Any], job: str | dict[str, Any]) -> float:
    """The baseline: share of the job's 30 most frequent words that appear in the resume."""
    words = keywords(job_text(job))
    text = "\n".join(t for _, t in resume_texts(resume)).lower()
    if not words:
        return 0.0
    return sum(1 for w in words if re.search(r"(?<![a-z])" + re.escape(w), text)) / len(words)


def ndcg(scores: Sequence[float], grades: Sequence[int], k: int) -> float:
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], grades[i]))
    dcg = sum((2 ** grades[i] - 1) / math.log2(rank + 2) for rank, i in enumerate(order[:k]))
    ideal = sorted(grades, reverse=True)
    best = sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(ideal[:k]))
    return dcg / best if best else 0.0


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2
        i = j + 1
    return ranks


def spearman(scores: Sequence[float], grades: Sequence[int]) -> float:
    a, b = _ranks(scores), _ranks([float(g) for g in grades])
    ma, mb = statistics.fmean(a), statistics.fmean(b)
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True))
    va = math.sqrt(sum((x - ma) ** 2 for x in a))
    vb = math.sqrt(sum((y - mb) ** 2 for y in b))
    return cov / (va * vb) if va and vb else 0.0


@dataclass(frozen=True)
class Figures:
    method: str
    ndcg_resumes: float  # resumes for a job, nDCG@10, mean over jobs
    spearman_resumes: float
    ndcg_jobs: float  # jobs for a resume, nDCG@5, mean over resumes
    spearman_jobs: float


def _figures(method: str, matrix: list[list[float]], grades: list[list[int]]) -> Figures:
    n_jobs, n_res = len(grades), len(grades[0])
    by_job = [(matrix[j], grades[j]) for j in range(n_jobs)]
    by_resume = [
        ([matrix[j][r] for j in range(n_jobs)], [grades[j][r] for j in range(n_jobs)]) for r in range(n_res)
    ]
    by_resume = [(s, g) for s, g in by_resume if len(set(g)) > 1]
    return Figures(
        method=method,
        ndcg_resumes=statistics.fmean(ndcg(s, g, 10) for s, g in by_job),
        spearman_resumes=statistics.fmean(spearman(s, g) for s, g in by_job),
        ndcg_jobs=statistics.fmean(ndcg(s, g, 5) for s, g in by_resume),
        spearman_jobs=statistics.fmean(spearman(s, g) for s, g in by_resume),
    )


def evaluate(
    read: Callable[[int, dict[str, Any]], dict[str, Any]] | None = None, variant: int = 0
) -> list[Figures]:
    """The matcher and the keyword-ratio baseline on the labelled set, in one run.

    ``read(i, resume)`` gives the resume both methods see instead (e.g. the labelled resume rendered to a
    file and parsed back), so the whole pipeline is measured; the grades stay those of the originals.
    ``variant`` picks another draw of resumes under the same rubric.
    """
    job_list, resume_list = jobs(), resumes(variant)
    grades = labels(job_list, resume_list)
    today = dt.date(TODAY[0], TODAY[1], 1)
    seen = [read(i, r.resume) if read else r.resume for i, r in enumerate(resume_list)]
    profiles = [build_profile(resume, today=today) for resume in seen]
    plans = [plan(extract_requirements(j.job)) for j in job_list]
    methods: dict[str, Callable[[int, int], float]] = {
        "matcher": lambda j, r: total(part_scores(plans[j], profiles[r])),
        "keyword ratio": lambda j, r: keyword_ratio(seen[r], job_list[j].job),
    }
    out = []
    # The ceiling: the grades themselves (ties broken at random) — Spearman cannot reach 1 when most
    # pairs share grade 0 and a score tells them apart.
    jitter = random.Random(0)  # noqa: S311 - tie-breaking, not security
    ceiling = [[g + jitter.random() * 1e-3 for g in row] for row in grades]
    for name, fn in methods.items():
        matrix = [[fn(j, r) for r in range(len(resume_list))] for j in range(len(job_list))]
        out.append(_figures(name, matrix, grades))
    out.append(_figures("ceiling (the grades)", ceiling, grades))
    return out
