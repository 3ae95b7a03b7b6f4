"""Entekhab's refund rules (seed 001) at their edges, through the real hooks: wallet balances under 500,000
toman, cash refunds under 3,000,000 toman with verified identity and a same-owner IBAN."""

from __future__ import annotations

import pytest

from aftersales.contract import ClaimDecision, Money, RefundFacts, RefundMethod


def irr(amount: int) -> Money:
    return Money(amount, "IRR")


@pytest.fixture(scope="module")
def decide(plugin_hooks, seed_tenant):
    entekhab = seed_tenant("entekhab")
    return lambda facts: plugin_hooks(entekhab).aftersales_refund_policy(tenant=entekhab, refund=facts)


def wallet(balance: int) -> RefundFacts:
    return RefundFacts(source="wallet_balance", requested=irr(balance), wallet_balance=irr(balance))


def cash(amount: int, *, identity: bool = True, iban: bool = True, owner: bool = True,
         wanted: RefundMethod | None = None) -> RefundFacts:
    return RefundFacts(source="payment", requested=irr(amount), paid=irr(amount), identity_verified=identity,
                       iban_on_file=iban, iban_owner_matches_national_id=owner, wanted=wanted)


def test_aftersales_refund_policy_entekhab_wallet_under_500k_toman_is_refundable_for_finance(decide):
    decision = decide(wallet(4_999_999))  # 499,999.9 toman
    assert decision.granted and decision.allowed == irr(4_999_999)
    assert decision.methods == (RefundMethod.BANK_TRANSFER,) and decision.needs_finance_approval
    assert "follow-up for finance" in decision.reasons[0]


def test_wallet_refund_at_500k_toman_is_store_credit_only(decide):
    decision = decide(wallet(5_000_000))  # 500,000 toman
    assert not decision.granted and decision.allowed == irr(0)
    assert decision.reasons == (("a wallet balance of 500,000 toman is at or above 500,000 toman: it can only be "
                                "spent on products"),)


def test_wallet_refund_is_judged_on_the_balance_not_the_part_asked_for(decide):
    facts = RefundFacts(source="wallet_balance", requested=irr(1_000_000), wallet_balance=irr(6_000_000))
    assert not decide(facts).granted


def test_cash_refund_under_3m_toman_with_identity_and_same_owner_iban_goes_to_finance(decide):
    decision = decide(cash(29_999_999))  # 2,999,999.9 toman
    assert decision.granted and decision.allowed == irr(29_999_999)
    assert decision.methods == (RefundMethod.BANK_TRANSFER,) and decision.needs_finance_approval
    assert decision.requirements == ()


def test_cash_refund_at_3m_toman_is_refused_for_cash_and_offered_as_store_credit(decide):
    decision = decide(cash(30_000_000))
    assert not decision.granted and decision.methods == (RefundMethod.WALLET,)
    assert "only under 3,000,000 toman and 3,000,000 toman was asked" in decision.reasons[0]
    assert decide(cash(30_000_000, wanted=RefundMethod.WALLET)).granted


def test_cash_refund_names_unverified_identity(decide):
    decision = decide(cash(1_000_000, identity=False))
    assert not decision.granted and decision.requirements == ("identity_verified",)


def test_cash_refund_names_a_missing_iban(decide):
    decision = decide(cash(1_000_000, iban=False, owner=False))
    assert not decision.granted and decision.requirements == ("iban",)
    assert "the customer must have an IBAN (Sheba) on file" in decision.reasons


def test_cash_refund_names_an_iban_of_someone_else(decide):
    decision = decide(cash(1_000_000, owner=False))
    assert decision.requirements == ("iban_owner_matches_national_id",)


def test_cash_refund_names_every_missing_requirement(decide):
    assert decide(cash(1_000_000, identity=False, iban=False)).requirements == ("identity_verified", "iban")


def test_cash_refund_is_capped_at_what_was_paid(decide):
    facts = RefundFacts(source="payment", requested=irr(2_000_000), paid=irr(1_500_000), identity_verified=True,
                        iban_on_file=True, iban_owner_matches_national_id=True)
    assert decide(facts).allowed == irr(1_500_000)


def test_a_refund_to_the_wallet_needs_no_identity(decide):
    decision = decide(cash(40_000_000, identity=False, iban=False, wanted=RefundMethod.WALLET))
    assert decision.granted and decision.methods == (RefundMethod.WALLET,)


def test_thresholds_come_from_the_tenant_settings(plugin_hooks, tenant_context):
    tenant = tenant_context("appliances", {"wallet_refund_below_irr": 1_000})
    decision = plugin_hooks(tenant).aftersales_refund_policy(tenant=tenant, refund=wallet(1_000))
    assert not decision.granted and "100 toman" in decision.reasons[0]


def returned(*, installed: bool | None, claim: ClaimDecision | None = None) -> RefundFacts:
    return RefundFacts(source="return", requested=irr(1_000_000), paid=irr(1_000_000), identity_verified=True,
                       iban_on_file=True, iban_owner_matches_national_id=True, installed=installed,
                       claim_decision=claim)


def test_an_installed_unit_returned_is_not_refunded_but_repaired_by_after_sales(decide):
    decision = decide(returned(installed=True, claim=ClaimDecision.FREE_REPAIR))
    assert not decision.granted and decision.methods == ()
    assert "repaired by after-sales" in decision.reasons[0]


@pytest.mark.parametrize(("installed", "claim"), [(False, None), (None, None), (True, ClaimDecision.RETURN)])
def test_a_return_is_refunded_before_installation_or_when_its_claim_was_decided_a_return(decide, installed, claim):
    assert decide(returned(installed=installed, claim=claim)).granted
