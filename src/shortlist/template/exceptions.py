"""Errors raised by the template catalogue."""

from __future__ import annotations


class TemplateError(Exception):
    """Base class; ``detail`` is a human sentence fit for a problem document."""

    title = "Template error"
    status = 400
    type_slug = "template-error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class TemplateNotFound(TemplateError):
    title = "Template not found"
    status = 404
    type_slug = "template-not-found"

    def __init__(self, slug: str) -> None:
        super().__init__(f"There is no template called {slug!r}.")
        self.slug = slug

    def __reduce__(self) -> tuple[type[TemplateNotFound], tuple[str]]:
        # Raised in a render worker, it crosses a pipe: rebuild it from the slug, not from the message.
        return type(self), (self.slug,)
