"""Resumes typeset by pdfTeX (three hand-written LaTeX layouts, Pandoc's LaTeX template) and written by
Pandoc as DOCX, parsed field by field against the resume each was made from.

pdfTeX and Pandoc are not installed where the tests run, so the documents are a frozen set in
tests/ats/corpus (``<family>/<seed>.<pdf|docx>`` beside its ground truth ``<seed>.json``), made by
``scripts/freeze_foreign_corpus.py`` from seeds never used while building the parser. The large evaluation,
with fresh documents, is ``bench/ats_eval.py --foreign --families latex-classic,... --seeds 1000:1030``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shortlist.ats.engine import build_report, parse_bytes
from shortlist.ats.evaluation.families import FAMILIES, TYPESET, Document, load_frozen
from shortlist.ats.evaluation.latex_layouts import LATIN_NAMES, latin_truth, tex, typesettable
from shortlist.ats.evaluation.metrics import Evaluation
from shortlist.ats.evaluation.varied import make_varied_resume

CORPUS = Path(__file__).parent / "corpus"
# Each family's documents together: precision and recall over all fields, and recall of the fields an
# applicant tracking system must never lose.
OVERALL = 0.95
KEY_FIELDS = {
    "basics.name": 1.0,
    "basics.email": 1.0,
    "basics.phone": 1.0,
    "work.name": 0.9,
    "work.position": 0.9,
    "work.startDate": 0.9,
    "education.institution": 0.9,
    "work.highlights": 0.9,
    "skills.keywords": 0.85,
}


@pytest.fixture(scope="module")
def frozen() -> list[Document]:
    return load_frozen(CORPUS)


def _evaluate(docs: list[Document]) -> Evaluation:
    evaluation = Evaluation()
    for doc in docs:
        evaluation.add(f"{doc.family}:{doc.seed}", parse_bytes(doc.data, cross_check=False).resume, doc.truth)
    return evaluation


def test_every_typeset_family_is_frozen(frozen: list[Document]) -> None:
    for name in TYPESET:
        docs = [d for d in frozen if d.family == name]
        assert len(docs) >= 2, name
        assert all(d.file_type == FAMILIES[name].file_type for d in docs)
    assert sum(len(d.data) for d in frozen if d.family in TYPESET) < 2_000_000


@pytest.mark.parametrize("family", TYPESET)
def test_fields_per_family(frozen: list[Document], family: str) -> None:
    evaluation = _evaluate([d for d in frozen if d.family == family])
    total = evaluation.overall
    assert total.precision >= OVERALL and total.recall >= OVERALL, (total.f1, evaluation.misses[:15])
    for key, floor in KEY_FIELDS.items():
        score = evaluation.per_field[key]
        assert score.recall >= floor, (key, score.recall, [m for m in evaluation.misses if m[1] == key])
        assert score.precision >= floor, (key, score.precision, [m for m in evaluation.misses if m[1] == key])


@pytest.mark.parametrize("family", [name for name in TYPESET if FAMILIES[name].file_type == "pdf"])
def test_report_reads_the_typeset_page(frozen: list[Document], family: str) -> None:
    """TeX draws rules and bullets from symbol fonts and writes no spaces: the report still finds the
    headings and every bullet, and no role is left without its start date."""
    for doc in (d for d in frozen if d.family == family):
        parsed = parse_bytes(doc.data, cross_check=False)
        report = build_report(parsed)
        sections = {line.section for line in parsed.lines}
        assert {"work", "education", "skills"} <= sections, (doc.seed, parsed.layout.headings)
        bullets = sum(len(w["highlights"]) for w in doc.truth["work"])
        assert report.bullets.count >= 0.9 * bullets, (doc.seed, report.bullets.count, bullets)
        assert report.verdict == "resume"
        assert all(role.get("startDate") for role in parsed.resume.get("work", []))


def test_latex_source_escapes_what_tex_would_read_as_commands() -> None:
    assert tex("C# & R&D: 40% of $5_000 {x}") == r"C\# \& R\&D: 40\% of \$5\_000 \{x\}"
    assert tex("2019 – 2021 — Lisbon · 1 yr") == r"2019 -- 2021 --- Lisbon $\cdot$ 1 yr"


def test_names_outside_latin_script_are_written_in_latin_letters() -> None:
    seen = set()
    for seed in range(300):
        resume = make_varied_resume(seed)
        truth = latin_truth(resume)
        assert typesettable(truth["basics"]["name"])
        if resume["basics"]["name"] in LATIN_NAMES:
            seen.add(resume["basics"]["name"])
            assert truth["basics"]["name"] == LATIN_NAMES[resume["basics"]["name"]]
        else:
            assert truth == resume  # nothing else changes
    assert seen == set(LATIN_NAMES)
