"""A tenant of the industrial vertical built from settings alone (the seed tenant comes from its manifest, with
the ``manifest_tenant`` fixture of ``plugins/conftest.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest
from aftersales_industrial.settings import IndustrialSettings

from aftersales.contract import BusinessCalendarInfo, TenantContext


@pytest.fixture(scope="module")
def industrial_tenant() -> Callable[..., TenantContext]:
    """A Georgian tenant of the industrial vertical with ``settings`` over the vertical's defaults."""

    def context(**settings: Any) -> TenantContext:
        return TenantContext(
            id=UUID(int=4), slug="laser-co", vertical="industrial", country="GE", currency="GEL",
            time_zone="Asia/Tbilisi", locales=("ka", "en"),
            calendar=BusinessCalendarInfo(country="GE", weekend_days=(6, 7), business_hours=("09:00", "18:00")),
            settings=IndustrialSettings.model_validate(settings))

    return context
