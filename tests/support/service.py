"""Shared helpers of the service tests."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def at(zone: ZoneInfo, day: str, hour: int, minute: int = 0) -> datetime:
    """``day`` (ISO) at ``hour:minute`` local time in ``zone``."""
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=zone)


TEHRAN = ZoneInfo("Asia/Tehran")
IRAN = {"time_zone": "Asia/Tehran", "currency": "IRR",
        "calendar": {"country": "IR", "weekend_days": ["fri"], "business_hours": {"opens": "08:00", "closes": "17:00"}}}
"""A tenant's settings in Iran: Tehran time, rials, Friday weekend, 08:00–17:00 business hours."""


def tehran(day: str, hour: int, minute: int = 0) -> datetime:
    """``day`` (ISO) at ``hour:minute`` in Tehran."""
    return at(TEHRAN, day, hour, minute)
