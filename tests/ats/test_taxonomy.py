from __future__ import annotations

import time

import pytest

from shortlist.ats.engine.skills import get_taxonomy


def test_size_and_data_file() -> None:
    taxonomy = get_taxonomy()
    assert len(taxonomy) >= 5000
    categories = {s.category for s in taxonomy.skills}
    assert len(categories) > 20


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("Postgres", "PostgreSQL"),
        ("k8s", "Kubernetes"),
        ("FastAPI", "FastAPI"),
        ("Django REST Framework", "Django REST Framework"),
        ("DRF", "Django REST Framework"),
        ("golang", "Go"),
        ("ReactJS", "React"),
        ("sklearn", "scikit-learn"),
        ("OAuth 2.0", "OAuth2"),
        ("GKE", "Kubernetes"),
    ],
)
def test_aliases(alias: str, canonical: str) -> None:
    skill = get_taxonomy().lookup(alias)
    assert skill is not None and skill.name == canonical


def test_find_longest_and_case_rules() -> None:
    text = (
        "Built APIs with Django REST Framework on Postgres, deployed to k8s. We go to market with Go and C++."
    )
    names = [m.skill.name for m in get_taxonomy().find(text)]
    assert "Django REST Framework" in names and "Django" not in names
    assert names.count("Go") == 1  # "go to market" is not the language
    assert "PostgreSQL" in names and "Kubernetes" in names and "C++" in names
    hit = next(m for m in get_taxonomy().find(text) if m.skill.name == "PostgreSQL")
    assert text[hit.start : hit.end] == "Postgres"


@pytest.mark.alone  # compares wall-clock times: parallel tests would skew them
def test_matching_time_grows_linearly() -> None:
    taxonomy = get_taxonomy()
    unit = "Designed REST APIs in FastAPI with PostgreSQL, Redis caching and Kafka on Kubernetes. " * 20
    taxonomy.find(unit)

    def timed(text: str) -> float:
        start = time.perf_counter()
        taxonomy.find(text)
        return time.perf_counter() - start

    small = min(timed(unit) for _ in range(5))
    large = min(timed(unit * 10) for _ in range(5))
    assert large < small * 40  # x10 text: linear gives ~x10, quadratic ~x100; slack for a noisy machine
