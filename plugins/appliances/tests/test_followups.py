"""Entekhab's follow-ups (seed 001): no schedule of its own, only the core's survey after a closed request.
Called through the tenant's real hook chain."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aftersales.contract import ServiceEvent


@pytest.mark.parametrize(("kind", "expected"), [("installed", []), ("repaired", []), ("sold", []),
                                                 ("request_closed", ["satisfaction_survey"])])
def test_aftersales_followups_entekhab_gets_only_the_core_survey(registry, manifest_tenant, kind: str,
                                                                  expected: list[str]) -> None:
    event = ServiceEvent(kind=kind, occurred_at=datetime(2026, 3, 16, 6, 0, tzinfo=UTC), request_kind="repair")
    found = registry.hooks_for(["appliances"]).aftersales_followups(tenant=manifest_tenant("entekhab"), event=event)
    assert [plan.name for answer in found for plan in answer] == expected
