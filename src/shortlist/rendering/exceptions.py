"""Errors of the rendering library. Each carries a human ``detail`` sentence and an HTTP-ish ``status`` so the
service can turn it into an RFC 9457 problem document without knowing the library's internals."""

from __future__ import annotations

from typing import Any

from shortlist.template.exceptions import TemplateError, TemplateNotFound


class RenderError(Exception):
    title = "Rendering failed"
    status = 500
    type_slug = "render-failed"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class RenderLimitExceeded(RenderError):
    """The resume is too large to render within the configured bounds (size before, pages after compiling)."""

    title = "Resume too large to render"
    status = 422
    type_slug = "render-limit-exceeded"

    def __init__(self, detail: str, *, limit: str, value: int, maximum: int) -> None:
        super().__init__(detail)
        self.limit = limit
        self.value = value
        self.maximum = maximum

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in a render worker, it crosses a pipe: the keyword arguments must survive pickling.
        return _rebuild_limit, (self.detail, self.limit, self.value, self.maximum)


def _rebuild_limit(detail: str, limit: str, value: int, maximum: int) -> RenderLimitExceeded:
    return RenderLimitExceeded(detail, limit=limit, value=value, maximum=maximum)


class UnsupportedOption(RenderError):
    """A design option or output option the chosen format cannot honour (e.g. a PDF standard for DOCX)."""

    title = "Unsupported rendering option"
    status = 422
    type_slug = "unsupported-render-option"


__all__ = ["RenderError", "RenderLimitExceeded", "TemplateError", "TemplateNotFound", "UnsupportedOption"]
