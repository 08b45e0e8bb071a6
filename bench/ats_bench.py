"""Timings of the ATS engine on one core (medians; this machine's speed drifts, compare runs side by side).

    .venv/bin/python bench/ats_bench.py [--repeat 30]

Figures: parse + report of a 2-page PDF (fast path, and with the pdfplumber cross-check), of a DOCX and a TXT;
match of one resume against one job (and its steps: read the job, read the resume, score with the
explanation); ranking 10,000 resume profiles against one job; skills-taxonomy matching throughput in MB/s;
sandboxed parse (fork server start, then one forked child each); and ``shortlist ats check FILE`` as a
one-shot command in a fresh process (wall and CPU; the machine is shared, so CPU is the steadier figure).
"""

from __future__ import annotations

import argparse
import copy
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shortlist.ats.engine import build_report, match, parse_bytes, score_profile
from shortlist.ats.engine.matching import build_profile, extract_requirements, rank, score
from shortlist.ats.engine.matching.labelled import resumes
from shortlist.ats.engine.skills import get_taxonomy
from shortlist.ats.evaluation.corpus import BULLETS, make_resume
from shortlist.ats.evaluation.renderers import render_docx, render_txt, view
from shortlist.ats.sandbox import parse_file_sandboxed

JOB = """Senior Backend Engineer (Python)
Requirements
- 5+ years building backend services in Python with FastAPI or Django REST Framework
- PostgreSQL, Redis, message queues (Kafka or RabbitMQ)
- Docker and Kubernetes in production; CI/CD
Nice to have
- OpenTelemetry, Prometheus, GraphQL
"""


def two_page_resume() -> dict[str, Any]:
    resume = make_resume(1)
    work = resume["work"]
    while len(work) < 7:
        entry = copy.deepcopy(work[len(work) % 2])
        entry["highlights"] = BULLETS[:5]
        work.append(entry)
    return resume


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm caches (taxonomy, fonts)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def median_wall_cpu_ms(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall and CPU time of one call: on a shared machine CPU time is the steadier figure."""
    fn()
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--pool", type=int, default=10_000, help="resumes ranked against one job")
    parser.add_argument("--cli-runs", type=int, default=5, help="one-shot CLI runs (median)")
    args = parser.parse_args()
    import json
    from importlib import resources

    import typst

    resume = two_page_resume()
    source = resources.files("shortlist.ats.evaluation").joinpath("typst/resume.typ")
    with resources.as_file(source) as path:
        pdf = typst.compile(str(path), sys_inputs={"data": json.dumps(view(resume, "single"))})
    assert isinstance(pdf, bytes)
    docx_bytes = render_docx(resume)
    txt_bytes = render_txt(resume)
    parsed = parse_bytes(pdf)
    print(f"2-page PDF: {parsed.layout.pages} pages, {len(parsed.text.split())} words, {len(pdf)} bytes")
    start = time.perf_counter()
    get_taxonomy.cache_clear()
    taxonomy = get_taxonomy()
    load_ms = (time.perf_counter() - start) * 1000
    print(f"taxonomy load (once per process): {load_ms:.0f} ms, {len(taxonomy)} skills")
    requirements = extract_requirements(JOB)
    profile = build_profile(parsed.resume, parsed.lines)
    rows = [
        ("PDF parse + report (fast path)", lambda: build_report(parse_bytes(pdf, cross_check=False))),
        ("PDF parse + report (+ pdfplumber cross-check)", lambda: build_report(parse_bytes(pdf))),
        ("PDF parse only (fast path)", lambda: parse_bytes(pdf, cross_check=False)),
        ("DOCX parse + report", lambda: build_report(parse_bytes(docx_bytes))),
        ("TXT parse + report", lambda: build_report(parse_bytes(txt_bytes))),
        ("match resume vs job (text in, explained result)", lambda: match(parsed.resume, JOB, parsed.lines)),
        ("  read the job (extract_requirements)", lambda: extract_requirements(JOB)),
        ("  read the resume (build_profile)", lambda: build_profile(parsed.resume, parsed.lines)),
        ("  score a read resume, with explanation", lambda: score(profile, requirements)),
        ("profile python-backend", lambda: score_profile(parsed.resume, "python-backend", parsed.lines)),
    ]
    for name, fn in rows:
        wall, cpu = median_wall_cpu_ms(fn, args.repeat)
        print(f"{name:<48} {wall:8.1f} ms wall {cpu:8.1f} ms CPU")
    load = os.getloadavg()[0]
    print(f"(load average {load:.1f} on {os.cpu_count()} cores: wall times include waiting for a core)")
    started = time.perf_counter()
    parse_file_sandboxed(pdf, cross_check=False)  # the first call starts and warms the fork server
    print(
        f"{'sandbox fork server start (once per process)':<48} {(time.perf_counter() - started) * 1000:8.1f} ms"
    )
    rows = [
        (
            "sandboxed PDF parse (fast path, forked child)",
            lambda: parse_file_sandboxed(pdf, cross_check=False),
        ),
        ("sandboxed PDF parse (+ cross-check)", lambda: parse_file_sandboxed(pdf)),
    ]
    for name, fn in rows:
        print(f"{name:<48} {median_ms(fn, args.repeat):8.1f} ms")
    rank_pool(args.pool)
    cli_one_shot(pdf, args.cli_runs)
    corpus_text = ("\n".join(parsed.text for _ in range(40)) + "\n") * 3
    size_mb = len(corpus_text.encode()) / 1e6
    seconds = median_ms(lambda: taxonomy.find(corpus_text), 5) / 1000
    rate = size_mb / seconds
    print(f"{'taxonomy matching throughput':<48} {rate:8.2f} MB/s ({size_mb:.2f} MB in {seconds:.2f} s)")


def rank_pool(size: int) -> None:
    """Rank ``size`` read resumes (profiles kept from parse time) against one job, on one core."""
    distinct = [build_profile(r.resume) for r in resumes()] + [build_profile(two_page_resume())]
    pool = [distinct[i % len(distinct)] for i in range(size)]
    requirements = extract_requirements(JOB)
    ms = median_ms(lambda: rank(requirements, pool, top=50), 5)
    cpu = []
    for _ in range(5):
        started = time.process_time()
        rank(requirements, pool, top=50)
        cpu.append(time.process_time() - started)
    cpu_ms = statistics.median(cpu) * 1000
    name = f"rank {size:,} resumes vs one job (top 50)"
    print(f"{name:<48} {ms:8.1f} ms wall, {cpu_ms:.0f} ms CPU ({cpu_ms * 1000 / size:.1f} us CPU a resume)")


def cli_one_shot(pdf: bytes, runs: int) -> None:
    """``shortlist ats check FILE`` (and with ``--job``) in a fresh interpreter: wall and CPU, medians."""
    with tempfile.TemporaryDirectory() as tmp:
        resume = Path(tmp) / "resume.pdf"
        resume.write_bytes(pdf)
        job = Path(tmp) / "job.txt"
        job.write_text(JOB, encoding="utf-8")
        command = [sys.executable, "-c", "from shortlist.cli import app; app()", "ats", "check", str(resume)]
        for label, extra in (("", []), (" --job", ["--job", str(job)])):
            walls, cpus = [], []
            for _ in range(runs):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                started = time.perf_counter()
                subprocess.run(
                    [*command, *extra], check=True, stdout=subprocess.DEVNULL, env=dict(os.environ)
                )
                walls.append(time.perf_counter() - started)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            wall, cpu = statistics.median(walls) * 1000, statistics.median(cpus) * 1000
            name = f"`shortlist ats check FILE{label}` one-shot"
            print(f"{name:<48} {wall:8.1f} ms wall, {cpu:.0f} ms CPU")


if __name__ == "__main__":
    main()
