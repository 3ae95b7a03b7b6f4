"""Auto-service refunds through the real hooks: Yizhongyi's return within 7 days of the registered sale, paid in
full, for a return claim that was accepted (seed 003), and Carmax's marketplace job refunds up to what was paid, to the original payment (seed 002)."""

from __future__ import annotations

import pytest

from aftersales.contract import ClaimDecision, Money, RefundFacts, RefundMethod

PRICE = Money(12_800_00, "CNY")


@pytest.fixture(scope="module")
def decide(plugin_hooks, seed_tenant):
    def decision(slug: str, facts: RefundFacts):
        tenant = seed_tenant(slug)
        return plugin_hooks(tenant).aftersales_refund_policy(tenant=tenant, refund=facts)

    return decision


def returned(day: int, paid: Money = PRICE, claim: ClaimDecision | None = ClaimDecision.RETURN) -> RefundFacts:
    return RefundFacts(source="return", requested=PRICE, paid=paid, paid_in_full=paid == PRICE,
                       days_since_sale=day, claim_decision=claim)


def test_aftersales_refund_policy_yizhongyi_return_on_day_7_refunds_the_full_price(decide):
    decision = decide("yizhongyi", returned(7))
    assert decision.granted and decision.allowed == PRICE
    assert decision.methods == (RefundMethod.ORIGINAL_PAYMENT,) and decision.needs_finance_approval


def test_return_refused_on_day_8(decide):
    decision = decide("yizhongyi", returned(8, claim=ClaimDecision.REJECT))
    assert not decision.granted
    assert decision.reasons == ("a return is refunded within 7 days of the sale; this sale was 8 days ago",)
    assert decide("yizhongyi", returned(8, claim=None)).reasons == decision.reasons


def test_a_return_accepted_in_time_is_refunded_when_asked_later(decide):
    assert decide("yizhongyi", returned(9)).granted


def test_return_refused_when_one_minor_unit_short_of_paid_in_full(decide):
    decision = decide("yizhongyi", returned(3, paid=Money(12_799_99, "CNY")))
    assert not decision.granted and "paid in full; 12799.99 CNY of it was paid" in decision.reasons[0]


def test_return_without_a_sale_date_names_it(decide):
    facts = RefundFacts(source="return", requested=PRICE, paid=PRICE)
    decision = decide("yizhongyi", facts)
    assert not decision.granted and decision.requirements == ("sale_date",)
    assert "names no unit" in decision.reasons[0]


def test_return_without_a_return_claim_asks_for_one(decide):
    decision = decide("yizhongyi", returned(3, claim=None))
    assert not decision.granted and decision.requirements == ("return_claim",)


def test_return_whose_claim_was_not_accepted_as_a_return_is_refused_with_the_decision(decide):
    decision = decide("yizhongyi", returned(3, claim=ClaimDecision.REJECT))
    assert not decision.granted and decision.reasons == (
        "a return is refunded only for a return claim accepted on the unit; the claim named was decided: reject",)


def test_carmax_job_refund_is_capped_at_what_was_paid_to_the_original_payment(decide):
    paid = Money(1_500_000, "IRR")
    decision = decide("carmax", RefundFacts(source="payment", requested=Money(1_500_001, "IRR"), paid=paid,
                                            purpose="job"))
    assert decision.granted and decision.allowed == paid
    assert decision.methods == (RefundMethod.ORIGINAL_PAYMENT,)
    decision = decide("carmax", RefundFacts(source="payment", requested=paid, paid=paid, purpose="job"))
    assert decision.allowed == paid
