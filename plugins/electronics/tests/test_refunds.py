"""Mehr's replace-or-refund rule (seed 000), through the real hooks: the invoice price when it was the market
price at invoice time, else the expert-assessed price."""

from __future__ import annotations

import pytest

from aftersales.contract import Money, RefundFacts, RefundMethod

INVOICE = Money(250_000_000, "IRR")
EXPERT = Money(180_000_000, "IRR")


@pytest.fixture(scope="module")
def decide(plugin_hooks, seed_tenant):
    mehr = seed_tenant("mehr")
    return lambda facts: plugin_hooks(mehr).aftersales_refund_policy(tenant=mehr, refund=facts)


def replacement(market: bool | None, expert: Money | None = None) -> RefundFacts:
    return RefundFacts(source="replacement_refund", requested=INVOICE, invoice_price=INVOICE,
                       invoice_price_was_market_price=market, expert_price=expert)


def test_aftersales_refund_policy_mehr_refunds_the_invoice_price_when_it_was_the_market_price(decide):
    decision = decide(replacement(market=True, expert=EXPERT))
    assert decision.granted and decision.allowed == INVOICE and decision.needs_finance_approval
    assert RefundMethod.ORIGINAL_PAYMENT in decision.methods


def test_mehr_refunds_the_expert_price_when_the_invoice_was_not_the_market_price(decide):
    decision = decide(replacement(market=False, expert=EXPERT))
    assert decision.granted and decision.allowed == EXPERT
    assert "expert-assessed price 180000000 IRR" in decision.reasons[0]


def test_mehr_names_a_missing_expert_price(decide):
    decision = decide(replacement(market=False))
    assert not decision.granted and decision.requirements == ("expert_price",)


def test_mehr_names_a_missing_invoice_judgement(decide):
    assert decide(replacement(market=None)).requirements == ("invoice_price",)


def test_other_refunds_of_mehr_get_the_core_default(decide):
    decision = decide(RefundFacts(source="payment", requested=INVOICE, paid=EXPERT))
    assert decision.allowed == EXPERT and decision.methods == (RefundMethod.ORIGINAL_PAYMENT,)
