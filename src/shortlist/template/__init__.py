"""Resume templates: the catalogue, Typst sources and thumbnails."""

from shortlist.template.catalogue import TYPST_DIR, get_template, list_templates
from shortlist.template.exceptions import TemplateError, TemplateNotFound
from shortlist.template.schemas import ALL_OPTIONS, OptionName, TemplateDefaults, TemplateInfo

__all__ = [
    "ALL_OPTIONS",
    "TYPST_DIR",
    "OptionName",
    "TemplateDefaults",
    "TemplateError",
    "TemplateInfo",
    "TemplateNotFound",
    "get_template",
    "list_templates",
]
