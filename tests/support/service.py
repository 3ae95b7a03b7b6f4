"""Shared helpers of the service tests."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def at(zone: ZoneInfo, day: str, hour: int, minute: int = 0) -> datetime:
    """``day`` (ISO) at ``hour:minute`` local time in ``zone``."""
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=zone)
