"""Entekhab's follow-ups (seed 001): no schedule of its own, only the core's survey after a closed request.
Called through the tenant's real hook chain."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aftersales.contract.testing.factories import make_service_event


@pytest.mark.parametrize(("kind", "expected"), [("installed", []), ("repaired", []), ("sold", []),
                                                 ("request_closed", ["satisfaction_survey"])])
def test_aftersales_followups_entekhab_gets_only_the_core_survey(plugin_hooks, seed_tenant, kind: str,
                                                                  expected: list[str]) -> None:
    entekhab = seed_tenant("entekhab")
    event = make_service_event(kind=kind, occurred_at=datetime(2026, 3, 16, 6, 0, tzinfo=UTC))
    found = plugin_hooks(entekhab).aftersales_followups(tenant=entekhab, event=event)
    assert [plan.name for answer in found for plan in answer] == expected
