"""RFC 9457 problem details: one error hierarchy, one document shape for every failure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from pydantic import ValidationError

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://shortlist.dev/problems/"


class AppError(Exception):
    """Base for every error the API answers on purpose; subclasses fix the status and type."""

    status: ClassVar[int] = 400
    # Keep the work of the failed request (e.g. revoking a token family that was replayed).
    commit_transaction: ClassVar[bool] = False
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        extensions: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = dict(headers or {})
        self.extensions = dict(extensions or {})

    @classmethod
    def type_uri(cls) -> str:
        return PROBLEM_BASE + cls.slug


class BadRequest(AppError):
    pass


class Unauthorized(AppError):
    status = 401
    slug = "unauthorized"
    title = "Authentication required"

    def __init__(self, detail: str, *, error: str = "invalid_token") -> None:
        # RFC 6750: tell the client which scheme to use and why the credentials failed.
        super().__init__(detail, headers={"WWW-Authenticate": f'Bearer error="{error}"'})


class Forbidden(AppError):
    status = 403
    slug = "forbidden"
    title = "Forbidden"


class NotFound(AppError):
    status = 404
    slug = "not-found"
    title = "Not found"


class MethodNotAllowed(AppError):
    status = 405
    slug = "method-not-allowed"
    title = "Method not allowed"


class Conflict(AppError):
    status = 409
    slug = "conflict"
    title = "Conflict"


class Gone(AppError):
    status = 410
    slug = "gone"
    title = "Gone"


class PreconditionFailed(AppError):
    status = 412
    slug = "precondition-failed"
    title = "Precondition failed"


class PreconditionRequired(AppError):
    status = 428
    slug = "precondition-required"
    title = "Precondition required"


class PayloadTooLarge(AppError):
    status = 413
    slug = "payload-too-large"
    title = "Payload too large"


class UnsupportedMediaType(AppError):
    status = 415
    slug = "unsupported-media-type"
    title = "Unsupported media type"


class UnprocessableContent(AppError):
    status = 422
    slug = "unprocessable-content"
    title = "Unprocessable content"


class ValidationFailed(UnprocessableContent):
    slug = "validation-error"
    title = "Request validation failed"

    def __init__(self, detail: str, errors: Sequence[Mapping[str, Any]]) -> None:
        super().__init__(detail, extensions={"errors": list(errors)})

    @classmethod
    def from_pydantic(cls, exc: ValidationError, *location: str) -> ValidationFailed:
        """The problem for input validated after the request was parsed (a merge-patched document, a GraphQL
        input): the same `errors` list of `{location, message, type}` as FastAPI's own 422, each location
        prefixed with where the input came from (``"body"``, ``"content"``, ``"input"``)."""
        errors = [
            {"location": [*location, *map(str, e["loc"])], "message": e["msg"], "type": e["type"]}
            for e in exc.errors()
        ]
        first = errors[0]
        return cls(f"{'.'.join(first['location'])}: {first['message']}", errors)

    @classmethod
    def for_fields(
        cls, detail: str, fields: Sequence[str], message: str, error_type: str
    ) -> ValidationFailed:
        """The problem for a rule a schema cannot express, broken by the named body fields."""
        errors = [{"location": ["body", name], "message": message, "type": error_type} for name in fields]
        return cls(detail, errors)


class TooManyRequests(AppError):
    status = 429
    slug = "rate-limited"
    title = "Too many requests"


class ServiceUnavailable(AppError):
    status = 503
    slug = "service-unavailable"
    title = "Service unavailable"


class InternalError(AppError):
    status = 500
    slug = "internal-error"
    title = "Internal server error"


def problem_document(
    *,
    type_uri: str,
    title: str,
    status: int,
    detail: str,
    instance: str,
    request_id: str | None,
    extensions: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "type": type_uri,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if request_id:
        document["request_id"] = request_id
    for key, value in (extensions or {}).items():
        document.setdefault(key, value)
    return document
