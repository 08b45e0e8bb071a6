"""Job matching: requirements read from postings, explained scores, comparability, ranking, and the
labelled-set floor against the keyword baseline."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from shortlist.ats.engine.matching import build_profile, extract_requirements, rank, score, top_matches
from shortlist.ats.engine.matching.evaluation import Figures, evaluate, ndcg, spearman
from shortlist.ats.engine.matching.labelled import grade, jobs, resumes
from shortlist.ats.engine.matching.scoring import part_scores, plan, total

TODAY = dt.date(2026, 6, 1)

POSTING = """Senior Data Engineer (m/f/d)
Location: Berlin, Germany (hybrid, 2 days in the office)

What you'll do
- Build batch and streaming pipelines on our lakehouse

Requirements
- 5+ years of experience in data engineering
- Python and SQL
- Airflow or Dagster for orchestration
- Fluent English; German is a plus
- Master's degree in Computer Science or a related field

Nice to have
- dbt, Snowflake

About us
We value diversity and inclusion and offer a yearly learning budget.
"""


def _resume(**overrides: Any) -> dict[str, Any]:
    resume: dict[str, Any] = {
        "basics": {"name": "Ada", "label": "Senior Data Engineer", "location": {"city": "Berlin"}},
        "work": [
            {
                "name": "Streamly",
                "position": "Senior Data Engineer",
                "startDate": "2020-01",
                "highlights": [
                    "Built Airflow DAGs loading 40 GB a day into Snowflake",
                    "Modelled the warehouse in dbt with 120 models",
                ],
            },
            {
                "name": "Clickwise",
                "position": "Data Engineer",
                "startDate": "2016-03",
                "endDate": "2019-12",
                "highlights": ["Wrote Spark jobs in Python and tuned SQL for reporting"],
            },
        ],
        "education": [{"institution": "TU", "studyType": "MSc", "area": "Computer Science"}],
        "languages": [{"language": "English"}, {"language": "German"}],
    }
    resume.update(overrides)
    return resume


def test_requirements_read_from_a_posting() -> None:
    req = extract_requirements(POSTING)
    assert req.title == "Senior Data Engineer (m/f/d)"
    assert req.seniority == "senior"
    assert req.years == 5
    required = {r.label for r in req.required}
    assert {"Python", "SQL"} <= required
    assert any("Apache Airflow" in r.skills for r in req.required)
    assert {"dbt", "Snowflake"} <= {r.label for r in req.preferred}
    assert req.degree_level == 2  # a master's
    assert req.languages == ("English", "German")
    assert req.remote == "hybrid"
    assert req.location is not None and req.location.startswith("Berlin")
    # The employer's own section asks nothing of the candidate.
    assert all("Diversity" not in r.label for r in req.required + req.preferred)
    assert "diversity" not in req.terms and "budget" not in req.terms
    line = next(r.line for r in req.required if r.label == "Python")
    assert line == "- Python and SQL"


def test_every_requirement_is_explained_with_resume_lines() -> None:
    result = score(build_profile(_resume(), today=TODAY), extract_requirements(POSTING))
    by_skill = {c.requirement: c for c in result.requirements}
    python = by_skill["Python"]
    assert python.status == "met" and python.kind == "required"
    assert python.evidence and "Python" in python.evidence[0].text
    assert python.job_line == "- Python and SQL"
    assert result.years is not None and result.years > 10
    assert result.seniority == "senior"
    assert round(sum(p.points for p in result.parts)) == result.score
    assert abs(sum(p.weight for p in result.parts) - 100) < 0.1
    seniority = next(p for p in result.parts if p.id == "seniority")
    assert "vs 5 asked" in seniority.detail
    assert result.score >= 85


def test_framework_implies_its_language_and_siblings_earn_part_credit() -> None:
    req = extract_requirements("Backend Engineer\nRequirements\n- Python\n- PostgreSQL\n- Kubernetes")
    resume = _resume(
        work=[
            {
                "name": "Acme",
                "position": "Backend Engineer",
                "startDate": "2022-01",
                "highlights": ["Built Django services on MySQL"],
            }
        ]
    )
    result = score(build_profile(resume, today=TODAY), req)
    checks = {c.requirement: c for c in result.requirements}
    assert checks["Python"].status == "implied"
    assert checks["Python"].skill == "Django" and "implies Python" in checks["Python"].detail
    assert checks["PostgreSQL"].status == "adjacent" and checks["PostgreSQL"].skill == "MySQL"
    assert 0 < checks["PostgreSQL"].credit < checks["Python"].credit < 1
    assert checks["Kubernetes"].status == "missing" and checks["Kubernetes"].credit == 0
    assert "Python" in {h.skill for h in result.matched_required}
    assert "PostgreSQL" in result.missing_required and "Kubernetes" in result.missing_required


def test_recent_long_use_beats_old_brief_use() -> None:
    req = extract_requirements("Requirements\n- Kafka")

    def with_kafka(start: str, end: str) -> float:
        work = [{"name": "A", "position": "Engineer", "startDate": start, "endDate": end,
                 "highlights": ["Ran Kafka clusters"]}]  # fmt: skip
        return score(build_profile(_resume(work=work), today=TODAY), req).requirements[0].credit

    assert with_kafka("2022-01", "2026-05") > with_kafka("2012-01", "2012-09") > 0


def test_a_long_posting_does_not_lower_the_score() -> None:
    profile = build_profile(_resume(), today=TODAY)
    padding = "\n\nAbout us\n" + "We are a friendly company with offices in many cities. " * 60
    plain, padded = (score(profile, extract_requirements(POSTING + extra)).score for extra in ("", padding))
    assert plain == padded


def test_a_better_fitting_job_scores_higher_for_the_same_candidate() -> None:
    profile = build_profile(_resume(), today=TODAY)
    fitting = extract_requirements(POSTING)
    other = extract_requirements(
        "Senior iOS Developer\nRequirements\n- 5+ years building iOS apps\n- Swift, SwiftUI, UIKit\n- Xcode"
    )
    assert score(profile, fitting).score > score(profile, other).score + 30


def test_rank_orders_like_score_and_keeps_indexes() -> None:
    req = extract_requirements(POSTING)
    junior = _resume(
        basics={"name": "B", "label": "Junior Data Engineer"},
        work=[
            {
                "name": "X",
                "position": "Junior Data Engineer",
                "startDate": "2025-06",
                "highlights": ["Wrote SQL reports"],
            }
        ],
    )
    unrelated = _resume(
        basics={"name": "C", "label": "Accountant"},
        work=[
            {"name": "Y", "position": "Accountant", "startDate": "2015-01", "highlights": ["Month-end close"]}
        ],
        education=[],
    )
    profiles = [build_profile(r, today=TODAY) for r in (unrelated, _resume(), junior)]
    ranked = rank(req, profiles)
    assert [r.index for r in ranked] == [1, 2, 0]
    assert [round(r.score) for r in ranked] == [score(profiles[r.index], req).score for r in ranked]
    assert len(rank(req, profiles, top=2)) == 2
    best = top_matches(req, profiles, top=2)
    assert [i for i, _ in best] == [1, 2] and best[0][1].requirements


def test_score_takes_a_profile_a_parse_result_or_a_json_resume() -> None:
    from shortlist.ats.engine import parse_text

    req = extract_requirements(POSTING)
    parsed = parse_text(
        "Ada Lovelace\nExperience\nData Engineer, Streamly, 2019 – 2024\n- Airflow and Python pipelines"
    )
    assert score(parsed, req) == score(build_profile(parsed.resume, parsed.lines), req)
    assert score(parsed.resume, req).score == score(build_profile(parsed.resume), req).score


def test_a_job_that_asks_nothing_known_still_scores() -> None:
    req = extract_requirements("Gardener wanted for our rooftop.")
    result = score(build_profile(_resume(), today=TODAY), req)
    assert 0 <= result.score <= 100
    assert next(p for p in result.parts if p.id == "required").weight == 0
    empty = score(build_profile({}, today=TODAY), extract_requirements(POSTING))
    assert empty.score < 20 and empty.missing_required


def test_metrics() -> None:
    assert ndcg([3.0, 2.0, 1.0], [2, 1, 0], 3) == pytest.approx(1.0)
    assert ndcg([1.0, 2.0, 3.0], [2, 1, 0], 3) < 0.7
    assert ndcg([1.0, 1.0], [0, 2], 2) < 1.0  # ties earn nothing
    assert spearman([1, 2, 3], [1, 2, 3]) == pytest.approx(1.0)
    assert spearman([3, 2, 1], [1, 2, 3]) == pytest.approx(-1.0)


def test_rubric() -> None:
    assert grade("frontend", 2, "frontend", 2) == 3
    assert grade("frontend", 3, "frontend", 1) == 1  # two levels short
    assert grade("python-backend", 1, "python-backend", 3) == 2  # overqualified
    assert grade("frontend", 2, "fullstack-js", 2) == 2
    assert grade("ios", 2, "accountant", 3) == 0


@pytest.fixture(scope="session", params=[0, 1], ids=["first-draw", "second-draw"])
def figures(request: pytest.FixtureRequest) -> dict[str, Figures]:
    return {f.method: f for f in evaluate(variant=request.param)}


def test_labelled_set_is_large_enough() -> None:
    assert len(jobs()) >= 10 and len(resumes()) >= 36


def test_matcher_beats_the_keyword_baseline_in_both_directions(figures: dict[str, Figures]) -> None:
    ours, base = figures["matcher"], figures["keyword ratio"]
    assert ours.ndcg_resumes >= 0.93 and ours.ndcg_resumes >= base.ndcg_resumes + 0.08
    assert ours.ndcg_jobs >= 0.92 and ours.ndcg_jobs >= base.ndcg_jobs + 0.08
    assert ours.spearman_resumes >= base.spearman_resumes + 0.05
    assert ours.spearman_jobs >= base.spearman_jobs + 0.08


def test_rank_matches_total_on_the_labelled_set() -> None:
    job = extract_requirements(jobs()[0].job)
    profiles = [build_profile(copy.deepcopy(r.resume), today=TODAY) for r in resumes()[:12]]
    prepared = plan(job)
    assert [r.score for r in rank(job, profiles)] == sorted(
        (total(part_scores(prepared, p)) for p in profiles), reverse=True
    )


def test_sentence_tagging() -> None:
    from shortlist.ats.engine.matching.spans import tag_spans

    spans = tag_spans("At least 3 years experience as a Senior Java Developer in financial services.")
    assert [(s.tag, s.text) for s in spans] == [
        ("Experience", "At least 3 years experience"),
        ("Occupation", "Senior Java Developer"),
        ("Domain", "financial services"),
    ]
    spans = tag_spans("You hold a full clean driving licence and the ability to manage budgets, plus Python.")
    assert ("Qualification", "full clean driving licence") in [(s.tag, s.text) for s in spans]
    assert ("Skill", "manage budgets") in [(s.tag, s.text) for s in spans]
    assert ("Skill", "Python") in [(s.tag, s.text) for s in spans]


def test_a_stored_profile_scores_the_same() -> None:
    import json

    from shortlist.ats.engine.matching import CandidateProfile

    profile = build_profile(_resume(), today=TODAY)
    stored = json.loads(json.dumps(profile.to_json()))
    again = CandidateProfile.from_json(stored)
    req = extract_requirements(POSTING)
    assert score(again, req) == score(profile, req)
    with pytest.raises(ValueError, match="another version"):
        CandidateProfile.from_json({**stored, "version": 0})


def test_generic_asks_weigh_less() -> None:
    req = extract_requirements("Requirements\n- Kotlin\n- Teamwork\n- Agile")
    weights = {r.label: r.weight for r in req.required}
    assert weights["Kotlin"] == 1.0 and weights["Agile"] < 1.0 and weights["Teamwork"] < weights["Agile"]
    work = [{"name": "A", "position": "Engineer", "startDate": "2024-01", "highlights": ["Agile teamwork"]}]
    result = score(build_profile(_resume(work=work), today=TODAY), req)
    required = next(p for p in result.parts if p.id == "required")
    assert required.score < 0.5  # the one specific ask, Kotlin, is missing


def test_prose_posting_sentence_by_sentence() -> None:
    req = extract_requirements(
        "Java Developer\nWe are looking for a Java developer with 3+ years of experience. You will work with "
        "Spring Boot and PostgreSQL. Knowledge of Docker is an advantage. Fluent English is required."
    )
    assert {r.label for r in req.required} == {"Java", "Spring Boot", "PostgreSQL"}
    assert [r.label for r in req.preferred] == ["Docker"]
    assert req.years == 3 and req.languages == ("English",)
    assert next(r for r in req.preferred).line == "Knowledge of Docker is an advantage."


def test_years_claimed_in_the_summary_count_when_no_role_is_dated() -> None:
    resume = {
        "basics": {"label": "Backend Developer", "summary": "Backend developer with 8+ years of experience."},
        "work": [{"name": "Acme", "position": "Backend Developer", "highlights": ["Python services"]}],
    }
    assert build_profile(resume, today=TODAY).years == 8
    dated = _resume()
    dated["basics"]["summary"] = "30 years of experience"
    assert build_profile(dated, today=TODAY).years < 15  # dated roles win over a claim


def test_padding_any_labelled_posting_leaves_every_score_unchanged() -> None:
    from shortlist.ats.engine.matching.labelled import _BOILERPLATE

    profiles = [build_profile(r.resume, today=TODAY) for r in resumes()[::6]]
    for job in jobs():
        if not isinstance(job.job, str):
            continue
        plain, padded = (
            plan(extract_requirements(job.job)),
            plan(extract_requirements(job.job + "\n\n" + _BOILERPLATE * 3)),
        )
        assert [total(part_scores(plain, p)) for p in profiles] == [
            total(part_scores(padded, p)) for p in profiles
        ]


def test_a_german_posting() -> None:
    req = extract_requirements(
        "Senior Backend-Entwickler (m/w/d)\nStandort: München (hybrid)\nDein Profil\n"
        "- Mindestens 5 Jahre Erfahrung mit Python und Django\n- Sehr gute Deutsch- und Englischkenntnisse\n"
        "- Abgeschlossenes Studium der Informatik (Master)\nWünschenswert\n- Kubernetes\n"
        "Wir bieten\n- Jobrad und eine Python-Community"
    )
    assert req.seniority == "senior" and req.years == 5
    assert [r.label for r in req.required] == ["Python", "Django"]
    assert [r.label for r in req.preferred] == ["Kubernetes"]
    assert req.languages == ("German", "English")
    assert req.degree_level == 2 and req.remote == "hybrid" and req.location == "München (hybrid)"
