"""The one way to raise a validation problem: the same `errors` list FastAPI's own 422 carries."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field, ValidationError

from shortlist.kit.problems import ValidationFailed


class _Input(BaseModel):
    title: str = Field(max_length=3)
    count: int


def test_from_pydantic_prefixes_each_location_and_names_the_first_error() -> None:
    with pytest.raises(ValidationError) as caught:
        _Input.model_validate({"title": "toolong", "count": "many"})
    problem = ValidationFailed.from_pydantic(caught.value, "body", "content")
    errors = problem.extensions["errors"]
    assert [error["location"] for error in errors] == [
        ["body", "content", "title"],
        ["body", "content", "count"],
    ]
    assert [error["type"] for error in errors] == ["string_too_long", "int_parsing"]
    assert problem.status == 422 and problem.slug == "validation-error"
    assert problem.detail.startswith("body.content.title: ")


def test_for_fields_names_each_body_field() -> None:
    problem = ValidationFailed.for_fields(
        "url cannot be null.", ["url", "active"], "may not be null", "none_forbidden"
    )
    assert problem.extensions["errors"] == [
        {"location": ["body", "url"], "message": "may not be null", "type": "none_forbidden"},
        {"location": ["body", "active"], "message": "may not be null", "type": "none_forbidden"},
    ]
    assert problem.detail == "url cannot be null."
