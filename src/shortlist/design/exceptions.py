"""Problem types for designs and rendering; the library's own errors are translated here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import structlog
from pydantic import ValidationError

from shortlist.kit.problems import InternalError, NotFound, UnprocessableContent, ValidationFailed
from shortlist.rendering import RenderError, RenderLimitExceeded, TemplateNotFound, UnsupportedOption

log = structlog.get_logger(__name__)


class UnknownTemplate(NotFound):
    slug = "template-not-found"
    title = "Template not found"


class RenderTooLarge(UnprocessableContent):
    slug = "render-limit-exceeded"
    title = "Resume too large to render"


class UnsupportedRenderOption(UnprocessableContent):
    slug = "unsupported-render-option"
    title = "Unsupported rendering option"


class PageOutOfRange(UnprocessableContent):
    slug = "page-out-of-range"
    title = "No such page"


class RenderFailed(InternalError):
    slug = "render-failed"
    title = "Rendering failed"


def validation_failed(exc: ValidationError, location: str) -> ValidationFailed:
    return ValidationFailed.from_pydantic(exc, location)


@contextmanager
def rendering_problems() -> Iterator[None]:
    """Turn the rendering library's errors into problem documents (the library knows nothing of HTTP)."""
    try:
        yield
    except TemplateNotFound as exc:
        raise UnknownTemplate(exc.detail, extensions={"template": exc.slug}) from exc
    except RenderLimitExceeded as exc:
        raise RenderTooLarge(
            exc.detail, extensions={"limit": exc.limit, "value": exc.value, "maximum": exc.maximum}
        ) from exc
    except UnsupportedOption as exc:
        raise UnsupportedRenderOption(exc.detail) from exc
    except RenderError as exc:
        log.exception("render.failed", error_type=type(exc).__name__)
        # A template that fails to compile is our bug, never the user's data: keep the detail out of the
        # answer (it may quote resume text) but keep the type stable.
        raise RenderFailed("The resume could not be rendered; the error has been logged.") from exc
