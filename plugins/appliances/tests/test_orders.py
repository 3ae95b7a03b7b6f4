"""Entekhab's order desk periods (seed 001), read from the tenant's settings."""

from __future__ import annotations

import pytest
from aftersales_appliances import plugin

from aftersales.contract import OrderTerms


@pytest.fixture(scope="module")
def terms(tenant_context):
    """The order terms of an appliances tenant with the given settings over the defaults."""
    return lambda **settings: plugin.aftersales_order_terms(tenant=tenant_context("appliances", settings))


def test_aftersales_order_terms_entekhab_7_business_days_a_month_and_two_weeks(terms):
    assert terms() == OrderTerms(proforma_valid_business_days=7, unfunded_followup_days=30,
                                 bounced_cheque_wait_days=14, cheque_approval_business_days=3,
                                 unfunded_cancel_days=60, national_id_required=True)


def test_every_order_period_is_the_tenants_own_setting(terms):
    own = terms(proforma_valid_business_days=5, unfunded_order_followup_days=20, bounced_cheque_wait_days=10,
                cheque_approval_business_days=2, unfunded_order_cancel_days=0)
    assert own == OrderTerms(proforma_valid_business_days=5, unfunded_followup_days=20, bounced_cheque_wait_days=10,
                             cheque_approval_business_days=2, unfunded_cancel_days=None, national_id_required=True)

