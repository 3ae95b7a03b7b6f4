"""The service half of the contract's v2 additions (issue 17 §4), as the core defaults answer them: labour by the
hour and travel by the km on a quote, and the routing of an answered follow-up."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from aftersales.contract.money import Money
from aftersales.contract.text import Message
from aftersales.contract.values import (
    BusinessCalendarInfo,
    FollowUpAnswer,
    FollowUpRouting,
    JobFacts,
    JobItem,
    PluginSettings,
    TenantContext,
)
from aftersales.plugins import build_plugin_registry

AT = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def hooks():
    return build_plugin_registry(load_entry_points=False).core_only


@pytest.fixture(scope="module")
def tenant():
    return TenantContext(
        id=uuid.uuid4(), slug="plain", vertical="none", country="GE", currency="GEL", time_zone="Asia/Tbilisi",
        locales=("en",), calendar=BusinessCalendarInfo("GE", (6, 7), ("09:00", "18:00")), settings=PluginSettings(),
    )


def gel(amount: int) -> Money:
    return Money(amount, "GEL")


def lines(quote):
    return [(line.kind, line.amount.amount_minor) for line in quote.lines]


def test_aftersales_quote_default_charges_labour_by_the_hour_and_travel_by_the_km_when_the_tenant_has_rates(
        hooks, tenant):
    job = JobFacts(offering="repair", labour_price=gel(0), parts=(JobItem("LENS", "focus lens", 1, gel(120_00)),),
                   labour_hours=Decimal("2.5"), labour_rate_per_hour=gel(80_00),
                   visit_distance_km=Decimal("123.4"), travel_rate_per_km=gel(1_50))
    quote = hooks.aftersales_quote(tenant=tenant, job=job)
    assert lines(quote) == [("labour", 200_00), ("part", 120_00), ("travel", 185_10)]
    assert quote.total("GEL") == gel(505_10)
    labour, travel = quote.lines[0].description, quote.lines[2].description
    assert isinstance(labour, Message) and labour == "2.5 h of labour at 80.00 GEL an hour"
    assert travel.msgid == "{km} km of travel at {rate} a km" and travel.domain == "aftersales"


def test_aftersales_quote_default_rounds_half_up_to_a_minor_unit(hooks, tenant):
    job = JobFacts(offering="repair", labour_price=gel(0), labour_hours=Decimal("0.01"),
                   labour_rate_per_hour=gel(50), visit_distance_km=Decimal("0.1"), travel_rate_per_km=gel(5))
    assert lines(hooks.aftersales_quote(tenant=tenant, job=job)) == [("labour", 1), ("travel", 1)]


def test_aftersales_quote_default_keeps_the_flat_price_without_a_rate_and_charges_no_travel_without_one(hooks, tenant):
    hours_only = JobFacts(offering="oil change", labour_price=gel(40_00), labour_hours=Decimal(1),
                          visit_distance_km=Decimal(30))
    assert lines(hooks.aftersales_quote(tenant=tenant, job=hours_only)) == [("labour", 40_00)]
    no_distance = JobFacts(offering="repair", labour_price=gel(40_00), travel_rate_per_km=gel(1_00))
    assert lines(hooks.aftersales_quote(tenant=tenant, job=no_distance)) == [("labour", 40_00)]


def test_aftersales_quote_default_covers_hours_and_travel_under_warranty(hooks, tenant):
    job = JobFacts(offering="repair", labour_price=gel(0), under_warranty=True, labour_hours=Decimal(3),
                   labour_rate_per_hour=gel(80_00), visit_distance_km=Decimal(10), travel_rate_per_km=gel(1_00))
    quote = hooks.aftersales_quote(tenant=tenant, job=job)
    assert all(line.covered_by_warranty for line in quote.lines) and quote.total("GEL") == gel(0)


def answer(*, problem: bool, routing: tuple[str, ...] = ()) -> FollowUpAnswer:
    return FollowUpAnswer(plan_name="repair_call_3d", answers={"Does the machine work?": "no" if problem else "yes"},
                          problem_reported=problem, answered_at=AT, routing=routing)


def test_aftersales_followup_answered_default_calls_a_reported_problem_back_once_then_closes(hooks, tenant):
    first = hooks.aftersales_followup_answered(tenant=tenant, answer=answer(problem=True))
    assert (first.step, first.due_at) == ("call_back", None)
    assert isinstance(first.reason, Message) and first.reason.domain == "aftersales"
    again = hooks.aftersales_followup_answered(tenant=tenant, answer=answer(problem=True, routing=("call_back",)))
    assert again.step == "close"


def test_aftersales_followup_answered_default_closes_when_no_problem_was_reported(hooks, tenant):
    routed = hooks.aftersales_followup_answered(tenant=tenant, answer=answer(problem=False))
    assert (routed.step, routed.reason) == ("close", "no problem reported")


@pytest.mark.parametrize(("kw", "complaint"), [
    ({"step": "sales"}, "step must be one of engineer, rnd, call_back, close"),
    ({"step": "close", "reason": "  "}, "carries its reason"),
    ({"step": "rnd", "due_at": datetime(2026, 12, 8, 9, 0)}, "needs a time zone"),
])
def test_a_routing_that_names_no_real_step_or_no_reason_is_refused(kw, complaint):
    with pytest.raises(ValueError, match=complaint):
        FollowUpRouting(**{"reason": "why", **kw})
