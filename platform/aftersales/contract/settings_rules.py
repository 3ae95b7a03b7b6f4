"""Validators that plugin settings schemas share (part of the plugin contract).

Use them inside ``field_validator`` (with ``validate_default=True`` for cross-field rules), so a broken rule is
reported on the field that broke it, e.g. ``settings.auto_service.exchange_days``, with every other bad field.
"""

from __future__ import annotations

import re

from pydantic import ValidationInfo


def valid_regular_expression(pattern: str) -> str:
    """``pattern`` itself if it compiles as a Python regular expression; otherwise a ValueError saying why."""
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None
    return pattern


def at_least(other: str, value: int, info: ValidationInfo) -> int:
    """``value`` if it is not below the already validated field ``other``; else a ValueError naming it."""
    bound = info.data.get(other)
    if bound is not None and value < bound:
        raise ValueError(f"must be at least {other} ({bound})")
    return value
