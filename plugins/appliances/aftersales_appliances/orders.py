"""Entekhab's order desk (seed 001): a pro-forma is valid for 7 business days, an order not funded within a
month goes to follow-up, a cheque not approved within the standard time goes to finance before the order
could be cancelled, and a bounced cheque waits two weeks before it is presented again. Each number is a
setting of the tenant. A customer orders with their national ID (seed 001: registration with national ID)."""

from __future__ import annotations

from aftersales.contract import OrderTerms
from aftersales_appliances.settings import AppliancesSettings


def order_terms(settings: AppliancesSettings) -> OrderTerms:
    """The tenant's order periods, straight from its settings (0 days of cancellation: never cancelled)."""
    return OrderTerms(
        proforma_valid_business_days=settings.proforma_valid_business_days,
        unfunded_followup_days=settings.unfunded_order_followup_days,
        bounced_cheque_wait_days=settings.bounced_cheque_wait_days,
        cheque_approval_business_days=settings.cheque_approval_business_days,
        unfunded_cancel_days=settings.unfunded_order_cancel_days or None,
        national_id_required=True,
    )
