"""Cursor pagination by keyset: the cursor is the last row's sort key, so a page never
repeats or skips an article when new ones are published while a client pages through, and
page 500 costs what page 1 costs (an index range scan, no OFFSET).

Cursors are opaque to clients (base64 of a small JSON list); a malformed one is a 400.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _


class BadCursor(ValueError):
    pass


def encode_cursor(values: list) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, size: int) -> list:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError) as exc:
        raise BadCursor(_("The cursor is not valid: use the one a previous page gave.")) from exc
    if not isinstance(values, list) or len(values) != size:
        raise BadCursor(_("The cursor is not valid: use the one a previous page gave."))
    return values


class Keyset:
    """Order by ``fields`` (``"-published_at"``, ``"-id"``: the last must be unique) and cut
    the queryset after a cursor."""

    def __init__(self, *fields: str, datetimes: tuple[str, ...] = ()):
        self.fields = fields
        self.datetimes = datetimes

    def _key(self, obj) -> list:
        values = []
        for field in self.fields:
            value = getattr(obj, field.lstrip("-"))
            values.append(value.isoformat() if isinstance(value, datetime) else value)
        return values

    def _parse(self, values: list) -> list:
        parsed = []
        for field, value in zip(self.fields, values, strict=True):
            name = field.lstrip("-")
            try:
                if name in self.datetimes:
                    value = datetime.fromisoformat(value)
                    if value.tzinfo is None:
                        raise ValueError(value)
                elif name == "id":
                    if isinstance(value, bool) or not isinstance(value, int):
                        raise ValueError(value)
                elif not isinstance(value, str):
                    raise ValueError(value)
            except (TypeError, ValueError) as exc:
                raise BadCursor(
                    _("The cursor is not valid: use the one a previous page gave.")
                ) from exc
            parsed.append(value)
        return parsed

    def after(self, queryset: QuerySet, cursor: str | None) -> QuerySet:
        queryset = queryset.order_by(*self.fields)
        if not cursor:
            return queryset
        values = self._parse(decode_cursor(cursor, len(self.fields)))
        # (a, b) after (x, y): a beyond x, or a = x and b beyond y, and so on.
        condition, equal = Q(), Q()
        for field, value in zip(self.fields, values, strict=True):
            name = field.lstrip("-")
            beyond = Q(**{f"{name}__{'lt' if field.startswith('-') else 'gt'}": value})
            condition |= equal & beyond
            equal &= Q(**{name: value})
        return queryset.filter(condition)

    def page(self, queryset: QuerySet, cursor: str | None, limit: int) -> tuple[list, str | None]:
        """One page and the cursor of the next (None on the last page): one query."""
        rows = list(self.after(queryset, cursor)[: limit + 1])
        if len(rows) <= limit:
            return rows, None
        rows = rows[:limit]
        return rows, encode_cursor(self._key(rows[-1]))


def offset_page(items: list, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """For ranked results (search, bounded to a few hundred): the cursor holds an offset."""
    start = 0
    if cursor:
        (start,) = decode_cursor(cursor, 1)
        if isinstance(start, bool) or not isinstance(start, int) or start < 0:
            raise BadCursor(_("The cursor is not valid: use the one a previous page gave."))
    page = items[start : start + limit]
    more = start + limit < len(items)
    return page, encode_cursor([start + limit]) if more else None
