"""The core's default answer to every hook: what a tenant gets where its vertical is silent.

Each test is named for its hook (``tests/contract/test_contract_guard.py`` checks that every hook has one).
They call the hooks through a plugin manager with no vertical, exactly as a tenant's dispatch would.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

from aftersales.contract.money import Money
from aftersales.contract.values import (
    BusinessCalendarInfo,
    CardEvidence,
    ClaimDecision,
    ClaimFacts,
    ClaimKind,
    CoverageItem,
    JobFacts,
    JobItem,
    PluginSettings,
    ProductInfo,
    ProviderCandidate,
    RatingFacts,
    RefundFacts,
    RefundMethod,
    RequestFacts,
    ResolutionContext,
    SaleInfo,
    ServiceEvent,
    TenantContext,
    WarrantyTerms,
)
from aftersales.plugins import build_plugin_registry

PHONE = ProductInfo(sku="PH-1", name="Phone")


@pytest.fixture(scope="module")
def hooks():
    return build_plugin_registry(load_entry_points=False).core_only


@pytest.fixture(scope="module")
def tenant():
    return TenantContext(
        id=uuid.uuid4(), slug="plain", vertical="none", country="DE", currency="EUR", time_zone="Europe/Berlin",
        locales=("en",), calendar=BusinessCalendarInfo("DE", (6, 7), ("09:00", "17:00")), settings=PluginSettings(),
    )


def test_aftersales_vertical_info_is_not_answered_by_the_core(hooks):
    assert hooks.aftersales_vertical_info() == []


def test_aftersales_validate_serial_default_trims_upper_cases_and_refuses_blanks(hooks, tenant):
    ok = hooks.aftersales_validate_serial(tenant=tenant, serial="  ab-12/x ", product=None)
    assert (ok.valid, ok.normalized, ok.scheme) == (True, "AB-12/X", "any")
    for bad, reason in (("   ", "empty"), ("a b", "spaces"), ("x" * 65, "longer than 64")):
        check = hooks.aftersales_validate_serial(tenant=tenant, serial=bad, product=None)
        assert not check.valid and reason in check.reason


def test_aftersales_warranty_terms_default_is_twelve_months_or_the_model_override(hooks, tenant):
    terms = hooks.aftersales_warranty_terms(tenant=tenant, product=PHONE, sale=SaleInfo(sold_on=date(2026, 1, 31)))
    assert (terms.warranty_start, terms.warranty_end) == (date(2026, 1, 31), date(2027, 1, 31))
    overridden = hooks.aftersales_warranty_terms(
        tenant=tenant, product=ProductInfo("PH-2", "Phone 2", warranty_months=1), sale=SaleInfo(sold_on=date(2026, 1, 31))
    )
    assert overridden.warranty_end == date(2026, 2, 28)  # month arithmetic clamps to the month's last day


def test_aftersales_assess_claim_default_repairs_free_inside_and_charges_outside(hooks, tenant):
    terms = hooks.aftersales_warranty_terms(tenant=tenant, product=PHONE, sale=SaleInfo(sold_on=date(2026, 1, 1)))
    on_last_day = ClaimFacts(kind=ClaimKind.WARRANTY_REPAIR, reported_on=date(2027, 1, 1), product=PHONE)
    on_day_after = ClaimFacts(kind=ClaimKind.WARRANTY_REPAIR, reported_on=date(2027, 1, 2), product=PHONE)
    # Judged on the day it was reported, not on the day an agent gets to it.
    last_day = hooks.aftersales_assess_claim(tenant=tenant, claim=on_last_day, terms=terms, today=date(2027, 3, 1))
    day_after = hooks.aftersales_assess_claim(tenant=tenant, claim=on_day_after, terms=terms, today=date(2027, 3, 1))
    assert last_day.decision is ClaimDecision.FREE_REPAIR
    assert day_after.decision is ClaimDecision.PAID_REPAIR
    ret = ClaimFacts(kind=ClaimKind.RETURN, reported_on=date(2026, 1, 2), product=PHONE)
    refused = hooks.aftersales_assess_claim(tenant=tenant, claim=ret, terms=terms, today=date(2026, 1, 2))
    assert refused.decision is ClaimDecision.REJECT and "no return window" in refused.failed_conditions[0]


def test_aftersales_warranty_terms_default_starts_at_the_sale_whatever_the_installation(hooks, tenant):
    sale = SaleInfo(sold_on=date(2026, 1, 31), installed_on=date(2026, 3, 1), training_signed_off_on=date(2026, 3, 5))
    terms = hooks.aftersales_warranty_terms(tenant=tenant, product=PHONE, sale=sale)
    assert (terms.warranty_start, terms.warranty_end, terms.coverage) == (date(2026, 1, 31), date(2027, 1, 31), ())


def test_aftersales_assess_claim_default_decides_a_named_component_by_its_own_item(hooks, tenant):
    terms = WarrantyTerms(date(2026, 1, 1), date(2027, 1, 1), coverage=(
        CoverageItem("laser_source", date(2028, 1, 1)), CoverageItem("machine", None),
        CoverageItem("consumables", None, covered=False, reason="lenses wear out"),
        CoverageItem("belts", None, covered=False)))

    def assess(component, reported_on, kind=ClaimKind.WARRANTY_REPAIR):
        claim = ClaimFacts(kind=kind, reported_on=reported_on, product=PHONE, component=component)
        return hooks.aftersales_assess_claim(tenant=tenant, claim=claim, terms=terms, today=reported_on)

    last_day = assess("laser_source", date(2028, 1, 1))
    assert last_day.decision is ClaimDecision.FREE_REPAIR
    assert last_day.reasons == ("the laser source is under warranty until 2028-01-01",)
    assert last_day.reasons[0].domain == "aftersales"
    day_after = assess("laser_source", date(2028, 1, 2))
    assert day_after.decision is ClaimDecision.PAID_REPAIR
    assert day_after.reasons == ("the laser source warranty ended on 2028-01-01: repair is charged",)
    assert assess("machine", date(2027, 1, 1)).decision is ClaimDecision.FREE_REPAIR  # no end: the unit's
    assert assess("machine", date(2027, 1, 2)).decision is ClaimDecision.PAID_REPAIR
    assert assess("laser_source", date(2027, 6, 1), ClaimKind.PAID_REPAIR).decision is ClaimDecision.PAID_REPAIR
    excluded = assess("consumables", date(2026, 2, 1))
    assert (excluded.decision, excluded.failed_conditions) == (ClaimDecision.REJECT, ("lenses wear out",))
    assert assess("belts", date(2026, 2, 1)).failed_conditions == ("the warranty does not cover the belts",)
    whole = assess(None, date(2027, 6, 1))  # no component: the unit's own warranty, ended on 2027-01-01
    assert whole.decision is ClaimDecision.PAID_REPAIR


def test_aftersales_judge_card_default_is_genuine_only_when_every_given_code_matches(hooks, tenant):
    def card(**given):
        base = dict(card_code_given=True, card_code_matches=True, hologram_code_given=False,
                    hologram_code_matches=False, unit_has_card_code=True, unit_has_hologram=False)
        return hooks.aftersales_judge_card(tenant=tenant, card=CardEvidence(**{**base, **given}))

    assert card().genuine
    wrong_card = card(card_code_matches=False)
    assert not wrong_card.genuine and "card code" in wrong_card.reasons[0]
    wrong_hologram = card(hologram_code_given=True, hologram_code_matches=False)
    assert not wrong_hologram.genuine and wrong_hologram.reasons[0].startswith("the hologram code")


def test_aftersales_resolution_options_default_is_to_keep_repairing(hooks, tenant):
    request = RequestFacts(kind="repair", channel="phone", opened_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
    options = hooks.aftersales_resolution_options(
        tenant=tenant, context=ResolutionContext(request=request, business_days_in_service=40)
    )
    assert [o.kind for o in options] == ["repair"]


def test_aftersales_sla_targets_default_is_a_two_business_day_first_response(hooks, tenant):
    request = RequestFacts(kind="inquiry", channel="email", opened_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
    [target] = hooks.aftersales_sla_targets(tenant=tenant, request=request)
    assert (target.name, target.duration, target.clock) == ("first_response", timedelta(days=2), "business_days")


def test_aftersales_sla_targets_default_answers_every_complaint_within_48_business_hours(hooks, tenant):
    request = RequestFacts(kind="complaint", channel="portal", opened_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
                           complaint_subject="cost")
    [target] = hooks.aftersales_sla_targets(tenant=tenant, request=request)
    assert (target.name, target.duration, target.clock, target.met_on, target.on_breach) == (
        "complaint_response", timedelta(hours=48), "business_hours", ("answered",), "notify")


def test_aftersales_followups_default_surveys_satisfaction_after_a_closed_request(hooks, tenant):
    closed = ServiceEvent(kind="request_closed", occurred_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
    installed = ServiceEvent(kind="installed", occurred_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
    [[plan]] = hooks.aftersales_followups(tenant=tenant, event=closed)
    assert plan.name == "satisfaction_survey" and "1-5" in plan.questionnaire[0]
    assert hooks.aftersales_followups(tenant=tenant, event=installed) == [[]]


def test_aftersales_quote_default_charges_labour_and_parts_and_nothing_under_warranty(hooks, tenant):
    job = JobFacts(offering="screen swap", labour_price=Money(3000, "EUR"), parts=(JobItem("SCR-1", "screen", 1, Money(9000, "EUR")),))
    paid = hooks.aftersales_quote(tenant=tenant, job=job)
    assert paid.total("EUR") == Money(12000, "EUR")
    free = hooks.aftersales_quote(tenant=tenant, job=JobFacts(**{**job.__dict__, "under_warranty": True}))
    assert free.total("EUR") == Money(0, "EUR") and len(free.lines) == 2


def test_aftersales_rating_policy_default_refuses_unfinished_jobs_and_flags_bursts(hooks, tenant):
    def rate(**kw):
        facts = RatingFacts(stars=5, direction="customer_rates_provider", job_completed=True, job_paid=True)
        return hooks.aftersales_rating_policy(tenant=tenant, rating=RatingFacts(**{**facts.__dict__, **kw}))

    assert not rate(job_completed=False).accepted
    assert not rate(ratings_by_rater_last_24h=4).flagged
    assert rate(ratings_by_rater_last_24h=5).flagged


def test_aftersales_rank_providers_default_does_not_let_one_review_beat_two_hundred(hooks, tenant):
    one_review, many_reviews = uuid.uuid4(), uuid.uuid4()
    candidates = [
        ProviderCandidate(one_review, 5.0, 1, Money(1000, "EUR"), 2.0),
        ProviderCandidate(many_reviews, 4.8, 200, Money(1000, "EUR"), 2.0),
    ]
    ranked = hooks.aftersales_rank_providers(tenant=tenant, offering="oil change", candidates=candidates)
    assert [r.provider_id for r in ranked] == [many_reviews, one_review]


def test_aftersales_refund_policy_default_caps_at_what_was_paid_with_finance_approval(hooks, tenant):
    decision = hooks.aftersales_refund_policy(
        tenant=tenant, refund=RefundFacts(source="payment", requested=Money(5000, "EUR"), paid=Money(3000, "EUR"))
    )
    assert decision.allowed == Money(3000, "EUR")
    assert decision.methods == (RefundMethod.ORIGINAL_PAYMENT,) and decision.needs_finance_approval


def test_aftersales_intake_checklist_default_requires_the_condition_and_expects_a_transfer_in_5_business_days(
        hooks, tenant):
    checklist = hooks.aftersales_intake_checklist(tenant=tenant, product=None)
    assert [(i.code, i.kind, i.required) for i in checklist.items] == [
        ("condition", "text", True), ("accessories", "text", False), ("photos", "photos", False)]
    assert checklist.transfer_expected_business_days == 5


def test_aftersales_used_part_terms_default_gives_no_warranty_and_says_so(hooks, tenant):
    from aftersales.contract.values import PartFacts

    terms = hooks.aftersales_used_part_terms(tenant=tenant, part=PartFacts(code="LCD-1", name="Screen"))
    assert terms.warranty_days == 0 and "no warranty" in str(terms.reasons[0])


def test_aftersales_dispatch_terms_default_has_no_cutoff_and_no_authorisation_rule(hooks, tenant):
    terms = hooks.aftersales_dispatch_terms(tenant=tenant)
    assert terms.plan_cutoff_hour is None and terms.warranty_needs_authorisation is False
