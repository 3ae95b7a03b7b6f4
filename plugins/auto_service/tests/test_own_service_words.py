"""Carmax's ratings, clocks and follow-ups are its own (issue 19 §2.2): Carmax (seed 002, a car-service
marketplace) and Yizhongyi (seed 003, a garage-equipment seller) side by side, through their real manifests.
Carmax never says "the service centre", never runs Yizhongyi's large-item rule or asks about "the equipment";
Yizhongyi never says "paid through the app" nor inherits Carmax's limit of ratings a day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from aftersales_auto_service.settings import AutoServiceSettings

from aftersales.contract import REQUEST_KINDS
from aftersales.contract.testing.factories import (
    make_product,
    make_rating_facts,
    make_request_facts,
    make_service_event,
)
from aftersales.i18n.rendering import reader_format, render

LIFT = make_product(sku="LIFT-4T", name="Four-post lift", volume_m3=2.4, weight_kg=650)
"""Large by seed 003's rule (> 1 m³ or > 100 kg)."""
AT = datetime(2026, 1, 31, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def hooks_of(plugin_hooks, seed_tenant):
    def of(slug: str):
        tenant = seed_tenant(slug)
        return tenant, plugin_hooks(tenant)

    return of


def rate(hooks_of, slug: str, **facts):
    tenant, hooks = hooks_of(slug)
    return hooks.aftersales_rating_policy(tenant=tenant, rating=make_rating_facts(**facts))


def clocks(hooks_of, slug: str, kind: str = "repair", product=LIFT):
    tenant, hooks = hooks_of(slug)
    found = hooks.aftersales_sla_targets(tenant=tenant, request=make_request_facts(kind=kind, product=product))
    return {target.name: target for target in found}


# -- ratings ----------------------------------------------------------------------------------------------


def test_carmax_holds_a_customers_fourth_rating_in_a_day_and_yizhongyi_sets_no_limit(hooks_of) -> None:
    assert not rate(hooks_of, "carmax", ratings_by_rater_last_24h=2).flagged
    fourth = rate(hooks_of, "carmax", ratings_by_rater_last_24h=3)
    assert fourth.flagged and [str(r) for r in fourth.reasons] == [
        "more than 3 ratings from this customer in 24 hours: held for review"]
    for earlier in (3, 50):
        assert not rate(hooks_of, "yizhongyi", ratings_by_rater_last_24h=earlier).flagged


def test_the_ratings_limit_is_the_tenants_setting_and_zero_is_no_limit() -> None:
    assert AutoServiceSettings().customer_ratings_per_day == 0
    assert AutoServiceSettings(customer_ratings_per_day=5).customer_ratings_per_day == 5
    with pytest.raises(ValueError):
        AutoServiceSettings(customer_ratings_per_day=-1)


def test_an_unpaid_job_is_held_in_each_tenants_words(hooks_of) -> None:
    carmax, yizhongyi = rate(hooks_of, "carmax", job_paid=False), rate(hooks_of, "yizhongyi", job_paid=False)
    assert carmax.flagged and yizhongyi.flagged
    assert [str(r) for r in carmax.reasons] == ["the job was never paid through the app: held for review"]
    assert [str(r) for r in yizhongyi.reasons] == ["no payment for the job was recorded: held for review"]


@pytest.mark.parametrize(("locale", "carmax", "yizhongyi"), [
    ("fa", "برنامه", "پرداختی"), ("zh", "应用", "付款记录"), ("ka", "აპლიკაცი", "გადახდა")])
def test_the_unpaid_reasons_are_translated(hooks_of, locale, carmax, yizhongyi) -> None:
    said = {slug: render(rate(hooks_of, slug, job_paid=False).reasons[0], reader_format(locale))
            for slug in ("carmax", "yizhongyi")}
    assert carmax in said["carmax"] and yizhongyi in said["yizhongyi"]
    assert said["carmax"] != said["yizhongyi"]


# -- clocks -----------------------------------------------------------------------------------------------


def test_carmax_calls_back_through_its_support_team_and_yizhongyi_through_its_service_centre(hooks_of) -> None:
    carmax, yizhongyi = clocks(hooks_of, "carmax")["first_contact"], clocks(hooks_of, "yizhongyi")["first_contact"]
    assert str(carmax.reason) == "the support team calls the customer back within 2-4 business hours"
    assert str(yizhongyi.reason) == "the service centre contacts the customer within 2-4 business hours"
    assert (carmax.duration, carmax.clock) == (yizhongyi.duration, yizhongyi.clock) == (timedelta(hours=4),
                                                                                       "business_hours")
    for locale in ("fa", "zh", "ka"):
        assert render(carmax.reason, reader_format(locale)) != render(yizhongyi.reason, reader_format(locale))


def test_no_carmax_clock_speaks_of_a_service_centre(hooks_of) -> None:
    for kind in ("repair", "installation", "maintenance", "inquiry"):
        assert not any("service centre" in str(t.reason) for t in clocks(hooks_of, "carmax", kind).values())


def test_the_large_item_rule_is_yizhongyis_only(hooks_of) -> None:
    yizhongyi, carmax = clocks(hooks_of, "yizhongyi")["onsite"], clocks(hooks_of, "carmax")["onsite"]
    assert yizhongyi.duration == timedelta(hours=48) and "large item" in str(yizhongyi.reason)
    assert carmax.duration == timedelta(hours=24)
    assert str(carmax.reason) == "staff on site within 24 h of the report"


def test_the_large_item_limits_go_together() -> None:
    assert not AutoServiceSettings(large_item_volume_m3=0, large_item_weight_kg=0).is_large(LIFT)
    assert AutoServiceSettings().is_large(LIFT)
    with pytest.raises(ValueError, match="both large-item limits"):
        AutoServiceSettings(large_item_volume_m3=0)


# -- follow-ups -------------------------------------------------------------------------------------------


def test_carmax_asks_nothing_about_the_equipment_after_an_installation(hooks_of) -> None:
    event = make_service_event(kind="installed", occurred_at=AT, request_kind="installation")
    plans = {}
    for slug in ("carmax", "yizhongyi"):
        tenant, hooks = hooks_of(slug)
        plans[slug] = {plan.name: plan for answer in hooks.aftersales_followups(tenant=tenant, event=event)
                       for plan in answer}
    assert "usage_tracking" in plans["yizhongyi"]
    assert "usage_tracking" not in plans["carmax"]
    asked = [str(q) for plan in plans["carmax"].values() for q in plan.questionnaire]
    assert not any("equipment" in question for question in asked)


# -- request kinds ----------------------------------------------------------------------------------------


def test_aftersales_request_kinds_carmax_takes_no_return_or_exchange_and_yizhongyi_takes_every_kind(hooks_of):
    answers = {}
    for slug in ("carmax", "yizhongyi"):
        tenant, hooks = hooks_of(slug)
        answers[slug] = hooks.aftersales_request_kinds(tenant=tenant)
    assert answers["yizhongyi"].offered == REQUEST_KINDS and not answers["yizhongyi"].refusals
    carmax = answers["carmax"]
    assert carmax.offered == ("repair", "installation", "maintenance", "complaint", "inquiry")
    assert str(carmax.refusal("return")) == "returns are not offered: a unit is not taken back for a refund"
    assert str(carmax.refusal("exchange")) == "exchanges are not offered: a unit is not swapped for a new one"
    assert render(carmax.refusal("exchange"), reader_format("zh")) != str(carmax.refusal("exchange"))

