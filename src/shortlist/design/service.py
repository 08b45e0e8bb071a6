"""Design rules: the saved design (or the defaults), template switches, and per-request overrides."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from annotated_types import Ge, Le
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from shortlist.design import repository
from shortlist.design.exceptions import rendering_problems, validation_failed
from shortlist.design.schemas import (
    ColorOption,
    DateFormatOption,
    DesignOptions,
    FontOption,
    LanguageOption,
    NumberRange,
)
from shortlist.kit.db import utcnow
from shortlist.kit.problems import ValidationFailed
from shortlist.models import Resume, ResumeDesign
from shortlist.rendering import (
    PALETTE,
    Design,
    SectionKey,
    TemplateNotFound,
    carry_design,
    get_template,
    list_templates,
)
from shortlist.rendering.fonts import FAMILIES
from shortlist.rendering.i18n import LANGUAGE_NAMES, format_date
from shortlist.rendering.schemas import DATE_FORMATS, HEX_COLOR_PATTERN, LANGUAGES, PAGE_SIZES


def _bounds(field: str) -> NumberRange:
    """The limits a Design field declares, so the list cannot drift from the validation."""
    metadata = Design.model_fields[field].metadata
    low = next(m.ge for m in metadata if isinstance(m, Ge))
    high = next(m.le for m in metadata if isinstance(m, Le))
    return NumberRange(min=float(low), max=float(high))  # type: ignore[arg-type]


@cache
def design_options() -> DesignOptions:
    """What a design may choose from, read from the same definitions that validate it."""
    return DesignOptions(
        templates=[t.slug for t in list_templates()],
        fonts=[
            FontOption(slug=f.slug, family=f.family, category=f.category, licence=f.licence)
            for f in FAMILIES
            if f.selectable
        ],
        colors=[ColorOption(name=name, hex=value) for name, value in PALETTE.items()],
        color_pattern=HEX_COLOR_PATTERN,
        languages=[LanguageOption(code=code, name=LANGUAGE_NAMES[code]) for code in LANGUAGES],
        page_sizes=list(PAGE_SIZES),
        date_formats=[
            DateFormatOption(id=style, example=format_date("2024-03", "en", style))  # type: ignore[arg-type]
            for style in DATE_FORMATS
        ],
        sections=[key.value for key in SectionKey],
        base_size=_bounds("base_size"),
        line_spacing=_bounds("line_spacing"),
        margins_mm=_bounds("margins_mm"),
    )


def etag_of(row: ResumeDesign | None) -> str:
    return f'"d{row.version if row else 0}"'


def stored_design(row: ResumeDesign | None) -> Design:
    """The saved design, or the defaults. A design saved under an older catalogue still loads."""
    if row is None:
        return Design()
    try:
        design = Design.model_validate(row.design)
        get_template(design.template)
    except ValidationError:
        return Design()
    except TemplateNotFound:
        return carry_design(Design.model_validate(row.design), Design().template)
    return design


def normalise(design: Design) -> Design:
    """Check the template exists and drop the options it does not honour (they would be ignored)."""
    with rendering_problems():
        return carry_design(design, design.template)


def merged(current: Design, patch: Mapping[str, Any], *, location: str = "body") -> Design:
    """JSON Merge Patch of a design: ``null`` restores the default. Switching template keeps every option
    the new template honours (``carry_design``) before the patch's own values apply."""
    base = current
    template = patch.get("template")
    if isinstance(template, str) and template != current.template:
        with rendering_problems():
            base = carry_design(current, template)
    values = base.model_dump(mode="json", exclude_defaults=True)
    for name, value in patch.items():
        if value is None:
            values.pop(name, None)
        else:
            values[name] = value
    try:
        return normalise(Design.model_validate(values))
    except ValidationError as exc:
        raise validation_failed(exc, location) from exc


def with_overrides(base: Design, overrides: Mapping[str, Any]) -> Design:
    """A saved design with query-string overrides for a live preview (nothing is saved)."""
    chosen = {k: v for k, v in overrides.items() if v is not None}
    return merged(base, chosen, location="query") if chosen else base


async def for_write(session: AsyncSession, resume: Resume) -> ResumeDesign | None:
    """The stored design row for a read-modify-write. Concurrent writes to one resume's design take turns,
    so two merge patches sent at once (a page size, then a template) both land instead of the later one
    writing back the state it read before the first committed."""
    return await repository.get_for_update(session, resume.id)


async def save(
    session: AsyncSession, resume: Resume, row: ResumeDesign | None, design: Design
) -> ResumeDesign:
    stored = design.model_dump(mode="json")
    if row is None:
        row = ResumeDesign(resume_id=resume.id, design=stored, version=1)
        session.add(row)
    elif row.design != stored:
        row.design = stored
        row.version += 1
        row.updated_at = utcnow()
    await session.flush()
    return row


def require_object(patch: Any) -> dict[str, Any]:
    if not isinstance(patch, dict):
        raise ValidationFailed("The merge patch must be a JSON object.", [])
    return patch
