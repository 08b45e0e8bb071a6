"""JSON Merge Patch (RFC 7396)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def apply_merge_patch(target: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return patch
    result: dict[str, Any] = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = apply_merge_patch(result.get(key), value)
    return result


def changes_of(body: BaseModel) -> dict[str, Any]:
    """The members a merge-patch request body sets (RFC 7396): absent means unchanged, null means clear.

    Every PATCH endpoint reads its body through this, so "not sent" and "sent as null" are never confused.
    """
    return body.model_dump(exclude_unset=True)
