"""JSON Merge Patch (RFC 7396): the RFC's own examples, and properties that hold for any document."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shortlist.kit.merge_patch import apply_merge_patch, changes_of
from shortlist.kit.schemas import RequestModel

# Appendix A of RFC 7396: (original, patch, result).
RFC_EXAMPLES: list[tuple[Any, Any, Any]] = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(("original", "patch", "expected"), RFC_EXAMPLES)
def test_rfc_7396_examples(original: Any, patch: Any, expected: Any) -> None:
    assert apply_merge_patch(original, patch) == expected


def test_the_target_is_not_mutated() -> None:
    original = {"basics": {"name": "Ada", "label": "Engineer"}}
    apply_merge_patch(original, {"basics": {"label": None}})
    assert original == {"basics": {"name": "Ada", "label": "Engineer"}}


json_leaf = st.one_of(st.booleans(), st.integers(), st.text(max_size=5))
json_doc = st.recursive(
    json_leaf,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=12,
)
null_free_object = st.dictionaries(st.text(max_size=3), json_doc, max_size=4)


@given(json_doc, null_free_object)
def test_applying_the_same_patch_twice_changes_nothing_more(target: Any, patch: dict[str, Any]) -> None:
    once = apply_merge_patch(target, patch)
    assert apply_merge_patch(once, patch) == once


@given(null_free_object)
def test_a_patch_without_nulls_applied_to_nothing_is_itself(patch: dict[str, Any]) -> None:
    assert apply_merge_patch({}, patch) == patch


class _Patch(RequestModel):
    name: str | None = None
    note: str | None = None


def test_changes_of_tells_absent_from_null() -> None:
    assert changes_of(_Patch.model_validate({})) == {}
    assert changes_of(_Patch.model_validate({"name": None})) == {"name": None}  # clear it
    assert changes_of(_Patch.model_validate({"note": "hi"})) == {"note": "hi"}
