"""Structured logs: one JSON object per line, with the request's id, user, path and timing.

``RequestLogMiddleware`` (newsroom.middleware) stores the current request in a context
variable; ``RequestContextFilter`` copies its id, user and path onto every record logged
while it is handled, so an error's traceback and the request line share a ``request_id``.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging

current_request: contextvars.ContextVar = contextvars.ContextVar("newsroom_request", default=None)

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is kept.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
_SKIP = {"request", "server_time"}  # Django's own extras: not JSON, and covered by our fields


class RequestContextFilter(logging.Filter):
    """Add ``request_id``, ``user_id`` and ``path`` of the request being handled, if any."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = current_request.get()
        record.request_id = getattr(request, "request_id", "-") if request else "-"
        if request is not None:
            record.path = getattr(record, "path", request.path)
            record.method = getattr(record, "method", request.method)
            user = getattr(request, "_cached_user", None)  # never trigger a query from logging
            record.user_id = getattr(record, "user_id", getattr(user, "pk", None))
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in _SKIP and not key.startswith("_"):
                entry[key] = (
                    value if isinstance(value, str | int | float | bool | None) else str(value)
                )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
