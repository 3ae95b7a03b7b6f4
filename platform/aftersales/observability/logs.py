"""Structured logs: one JSON object a line when the log stream is not a terminal, readable text when it is.

Every line logged while a request runs carries its ``request_id``, ``tenant`` (slug) and ``principal_kind``
(:class:`ContextFilter`); a line logged with ``extra={...}`` (the hook guard's ``plugin``, ``hook``,
``error_id``) carries those members too. ``aftersales serve``, ``aftersales worker`` and the demo call
:func:`configure_logging` once at start; ``AFTERSALES_LOG_FORMAT=json|text`` overrides the choice.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from aftersales.observability.context import current

_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime",
                                                                                "color_message"}
"""The attributes every log record has (and uvicorn's terminal colours); anything else on a record was passed as
``extra`` and is logged."""


class ContextFilter(logging.Filter):
    """Adds the running request's id, tenant and principal kind to each record (nothing outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        ctx = current.get()
        if ctx is not None:
            record.request_id = ctx.request_id
            if ctx.tenant is not None and not hasattr(record, "tenant"):
                record.tenant = ctx.tenant
            kind = ctx.principal_kind
            if kind is not None:
                record.principal_kind = kind
        return True


class JsonFormatter(logging.Formatter):
    """A record as one JSON object: ``time``, ``level``, ``logger``, ``message``, every ``extra`` member, and
    ``exception`` with the traceback. Hand-written: the standard library has no JSON formatter, and these few
    lines cost less than a dependency (python-json-logger)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _RECORD_FIELDS and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Readable lines for a terminal, the request id and tenant in brackets when there is one."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        rid = getattr(record, "request_id", None)
        if rid is None:
            return text
        tenant = getattr(record, "tenant", None)
        return f"{text} [{rid}{' ' + tenant if tenant else ''}]"


def wants_json(stream: TextIO) -> bool:
    """JSON unless ``stream`` is a terminal; ``AFTERSALES_LOG_FORMAT`` (``json`` or ``text``) decides instead."""
    chosen = os.environ.get("AFTERSALES_LOG_FORMAT", "").strip().lower()
    if chosen in ("json", "text"):
        return chosen == "json"
    if chosen:
        raise ValueError(f"AFTERSALES_LOG_FORMAT must be json or text, not {chosen!r}")
    return not stream.isatty()


def configure_logging(level: int = logging.INFO, stream: TextIO | None = None) -> logging.Handler:
    """Send every log line (the root logger's, uvicorn's included) to ``stream`` (stderr) as JSON or text, with
    the request context; replaces handlers a previous call installed. Returns the handler."""
    stream = stream or sys.stderr
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if wants_json(stream) else TextFormatter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_aftersales", False)]:
        root.removeHandler(old)
    handler._aftersales = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):  # uvicorn's own lines go through ours
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    return handler
