"""Shared fixtures: a small labelled corpus rendered once per test session."""

from __future__ import annotations

from typing import Any

import pytest

from shortlist.ats.evaluation.corpus import corpus
from shortlist.ats.evaluation.renderers import RENDERERS

CORPUS_SIZE = 7  # one resume per heading language (en twice) keeps the suite fast


@pytest.fixture(scope="session")
def labelled() -> list[dict[str, Any]]:
    return corpus(CORPUS_SIZE)


@pytest.fixture(scope="session")
def rendered(labelled: list[dict[str, Any]]) -> dict[str, list[tuple[dict[str, Any], bytes]]]:
    """renderer name -> [(ground truth, file bytes)]."""
    return {r.name: [(truth, r.render(truth)) for truth in labelled] for r in RENDERERS}
