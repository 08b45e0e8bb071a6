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


def configure_logging(level: str = "INFO", *, json: bool = True, stream: TextIO | None = None) -> None:
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer(serializer=_dumps)
        if json
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            add_trace_ids,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.WriteLoggerFactory(file=stream or sys.stdout),
        cache_logger_on_first_use=True,
    )
    # Route the standard library's records (uvicorn, SQLAlchemy warnings) to the same stream and level.
    logging.basicConfig(level=level.upper(), stream=sys.stdout, format="%(levelname)s %(name)s %(message)s")
    logging.getLogger("uvicorn.access").disabled = True  # our access log carries more and less (no query)
