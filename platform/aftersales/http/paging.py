"""Keyset paging for list endpoints: an opaque cursor naming the last row of the previous page.

A cursor is the sort key of that row, JSON in URL-safe base64: clients pass it back untouched, and a page costs
the same however deep it is (no OFFSET).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from aftersales.errors import FieldError, InvalidInput

ItemT = TypeVar("ItemT")
RowT = TypeVar("RowT")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class Page(BaseModel, Generic[ItemT]):
    """One page of a list, and the cursor of the next one (None on the last page)."""

    items: list[ItemT]
    next_cursor: str | None


def encode_cursor(*key: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, default=str).encode()).decode().rstrip("=")


def invalid_cursor() -> InvalidInput:
    """The error for a cursor this API did not issue (or whose values do not parse)."""
    return InvalidInput("invalid cursor", [FieldError("cursor", "is not a cursor from a previous page")])


def decode_cursor(cursor: str, size: int) -> list[Any]:
    """The ``size`` sort-key values a cursor carries. :raises InvalidInput: a cursor this API did not issue."""
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        key = None
    if not isinstance(key, list) or len(key) != size:
        raise invalid_cursor()
    return key


def split_page(rows: Sequence[RowT], limit: int, key: Callable[[RowT], tuple[Any, ...]]) -> tuple[list[RowT], str | None]:
    """The page and the next page's cursor, from ``limit + 1`` rows fetched in order (the extra row only says
    there is more); ``key`` gives the sort key of the page's last row."""
    page = list(rows[:limit])
    return page, encode_cursor(*key(page[-1])) if len(rows) > limit else None


def check_limit(limit: int) -> int:
    """:raises InvalidInput: a page size outside 1..MAX_LIMIT."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("invalid page size", [FieldError("limit", f"must be between 1 and {MAX_LIMIT}")])
    return limit
