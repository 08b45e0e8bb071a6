"""structlog JSON logs (or readable console lines in development). Never log secrets or resume contents."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any, TextIO

import orjson
import structlog

from shortlist.platform.observability.tracing import add_trace_ids


def _dumps(value: object, default: Callable[[Any], Any] | None = None, **_: Any) -> str:
    # orjson is several times faster than json.dumps for a log line; structlog passes its fallback as default.
    return orjson.dumps(value, default=default, option=orjson.OPT_NON_STR_KEYS).decode()


# Marks the root handler installed here, so that configuring again replaces it rather than adding another.
_HANDLER_NAME = "shortlist"


def configure_logging(level: str = "INFO", *, json: bool = True, stream: TextIO | None = None) -> None:
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer(serializer=_dumps)
        if json
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        add_trace_ids,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.WriteLoggerFactory(file=stream or sys.stdout),
        cache_logger_on_first_use=True,
    )
    _route_standard_logging(level, shared, renderer, stream)


def _route_standard_logging(
    level: str,
    shared: list[structlog.types.Processor],
    renderer: structlog.types.Processor,
    stream: TextIO | None,
) -> None:
    """Render the standard library's records (uvicorn's start-up lines, SQLAlchemy warnings) in the same
    format, stream and level as our own, with the logger's name."""
    root = logging.getLogger()
    ours = [handler for handler in root.handlers if handler.get_name() == _HANDLER_NAME]
    if len(root.handlers) > len(ours):
        # Someone else (a test runner's capture, an embedding application) owns the root logger: leave it.
        root.setLevel(level.upper())
        return
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(formatter)
    for old in ours:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        # uvicorn's own configuration (absent with log_config=None) would otherwise decide; ours does.
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").disabled = True  # our access log carries more and less (no query)
    # One line per Alembic plugin at every start says nothing an operator acts on; migrations still log.
    logging.getLogger("alembic.runtime.plugins").setLevel(max(logging.WARNING, root.level))
