"""Usage tracking of auto-service tenants (seed 003): a monthly call after installation. Called through the
tenant's real hook chain, so the core's survey is in the results."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from dateutil.relativedelta import relativedelta

from aftersales.contract import FollowUpPlan
from aftersales.contract.testing.factories import make_service_event

AT = datetime(2026, 1, 31, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def plans(plugin_hooks, seed_tenant):
    """Every plan the tenant ``slug`` gets after an event of ``kind``, by name (the core's included)."""
    def after(slug: str, kind: str) -> dict[str, FollowUpPlan]:
        tenant = seed_tenant(slug)
        event = make_service_event(kind=kind, occurred_at=AT, request_kind="installation")
        found = plugin_hooks(tenant).aftersales_followups(tenant=tenant, event=event)
        return {plan.name: plan for answer in found for plan in answer}

    return after


def test_aftersales_followups_yizhongyi_tracks_usage_every_calendar_month_after_installation(plans) -> None:
    tracking = plans("yizhongyi", "installed")["usage_tracking"]
    assert tracking.after == tracking.repeat_every == relativedelta(months=1)
    assert AT + tracking.after == datetime(2026, 2, 28, 8, 0, tzinfo=UTC)  # a calendar month, not 30 days
    assert tracking.channel == "call" and tracking.repeat_count is None  # until the warranty ends
    assert tracking.questionnaire


@pytest.mark.parametrize("kind", ["sold", "repaired", "training_signed_off"])
def test_no_usage_tracking_after_other_events(plans, kind: str) -> None:
    assert plans("yizhongyi", kind) == {}


def test_closed_request_gets_only_the_core_survey(plans) -> None:
    assert list(plans("yizhongyi", "request_closed")) == ["satisfaction_survey"]


def test_carmax_tracks_no_usage_as_its_manifest_says_usage_followup_months_0(plans) -> None:
    """Issue 19 §2.2: usage tracking of installed equipment is Yizhongyi's (seed 003), not Carmax's."""
    assert "usage_tracking" not in plans("carmax", "installed")
