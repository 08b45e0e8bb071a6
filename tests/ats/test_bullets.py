from __future__ import annotations

import pytest

from shortlist.ats.engine import review_bullet, review_bullets


def rules(text: str, past_role: bool | None = None) -> set[str]:
    return {f.rule for f in review_bullet(text, past_role=past_role).findings}


def test_impact_examples_from_the_brief() -> None:
    assert not review_bullet("Improved API performance").has_impact
    assert "impact.missing" in rules("Improved API performance")
    good = review_bullet("Reduced API response latency from 850 ms to 180 ms with Redis caching")
    assert good.has_impact
    assert good.findings == []
    assert good.score == 100


@pytest.mark.parametrize(
    "text",
    [
        "Cut cloud spend by 32% through rightsizing",
        "Saved €120k a year by consolidating vendors",
        "Grew the newsletter to 40,000 subscribers in 6 months",
        "Halved deployment time by parallelising the pipeline",
        "Served 2M requests per day from a single region",
    ],
)
def test_kinds_of_impact(text: str) -> None:
    assert review_bullet(text).has_impact


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Responsible for the billing service and its on-call rota", "verb.weak-phrase"),
        ("Helped with the migration of the payments database", "verb.weak-phrase"),
        ("Worked on the search ranking service for the shop", "verb.weak-phrase"),
        ("The reporting pipeline was rebuilt by me to cut costs by 20%", "voice.passive"),
        ("Leveraged synergies across various teams to ship 3 features", "style.buzzword"),
        ("I built our internal deploy tool used by 40 engineers", "style.pronoun"),
        ("Shipped it", "length.short"),
        ("Team player with strong attention to detail and 5 years of experience", "verb.missing"),
        ("Used Terraform to provision 30 environments for QA teams", "verb.weak"),
    ],
)
def test_rules_fire_with_ids_and_suggestions(text: str, rule: str) -> None:
    feedback = review_bullet(text)
    found = {f.rule: f for f in feedback.findings}
    assert rule in found, [f.rule for f in feedback.findings]
    assert found[rule].suggestion
    assert feedback.score < 100


def test_long_bullet() -> None:
    text = "Designed " + " ".join(["the service"] * 20) + " for 10 teams"
    assert "length.long" in rules(text)


def test_tense_rules_across_an_entry() -> None:
    resume = {
        "work": [
            {
                "name": "Acme",
                "startDate": "2019-01",
                "endDate": "2021-01",
                "highlights": [
                    "Built a billing service handling 1M invoices a month",
                    "Designed the retry queue that cut failures by 80%",
                    "Lead a team of 4 engineers across 2 time zones",
                ],
            }
        ]
    }
    summary = review_bullets(resume)
    last = summary.bullets[2]
    assert {"tense.mixed", "tense.past-role"} <= {f.rule for f in last.findings}
    assert summary.count == 3 and summary.with_impact == 3


def test_repeated_openings() -> None:
    resume = {"work": [{"highlights": [f"Built service number {i} serving 10 teams" for i in range(4)]}]}
    summary = review_bullets(resume)
    flagged = [b for b in summary.bullets if any(f.rule == "opening.repeated" for f in b.findings)]
    assert len(flagged) == 2
    assert summary.rule_counts["opening.repeated"] == 2


@pytest.mark.parametrize(
    "text",
    [
        "Migrated the billing service to Java 17",
        "Upgraded from Python 3 and Django 2",
        "Used Python 3.11 for scripts",
    ],
)
def test_version_numbers_are_not_impact(text: str) -> None:
    assert not review_bullet(text).has_impact
