"""Entekhab's late-delivery compensation (seed 001: "late delivery: tell the customer the production date and
what compensation applies").

The seed names no amount, so the rule is the tenant's: a share of the order's price for each day past the
promised date, capped (settings ``late_delivery_compensation_bps_per_day`` and
``late_delivery_compensation_cap_bps``; defaults 0.1 % a day, at most 5 %). Rounded down to the currency's
minor unit; a rate of 0 gives nothing and says so.
"""

from __future__ import annotations

from decimal import Decimal

from aftersales.contract import LateDelivery, LateDeliveryCompensation, Money, messages
from aftersales_appliances.settings import AppliancesSettings

_ = messages("aftersales_appliances")
BASIS_POINTS = 10_000


def compensation(settings: AppliancesSettings, delivery: LateDelivery) -> LateDeliveryCompensation:
    """The compensation for ``delivery.days_late`` days, with the rule in the customer's words."""
    per_day, cap = settings.late_delivery_compensation_bps_per_day, settings.late_delivery_compensation_cap_bps
    currency = delivery.total.currency
    if per_day == 0 or cap == 0:
        return LateDeliveryCompensation(Money(0, currency), _("no compensation is given for a late delivery"))
    share = min(per_day * max(delivery.days_late, 0), cap)
    amount = Money(delivery.total.amount_minor * share // BASIS_POINTS, currency)
    return LateDeliveryCompensation(amount, _(
        "{amount} for {days} days late: {per_day}% of the order's price for each day late, at most {cap}%",
        amount=amount, days=delivery.days_late, per_day=Decimal(per_day) / 100, cap=Decimal(cap) / 100))
