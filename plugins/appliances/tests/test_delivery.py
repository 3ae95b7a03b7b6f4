"""Entekhab's late-delivery compensation (seed 001: "tell the customer the production date and what
compensation applies"): a share of the order's price for each day late, capped, from the tenant's settings."""

from __future__ import annotations

from datetime import date

from aftersales.contract import LateDelivery, Money
from aftersales.i18n.rendering import reader_format, render


def late(days: int, total: int = 200_000_000) -> LateDelivery:
    return LateDelivery(order_number=7, total=Money(total, "IRR"), promised_on=date(2026, 3, 1), days_late=days,
                        production_on=date(2026, 2, 10))


def test_aftersales_late_delivery_compensation_gives_a_tenth_of_a_percent_a_day_up_to_five(plugin_hooks,
                                                                                           seed_tenant):
    entekhab = seed_tenant("entekhab")
    hooks = plugin_hooks(entekhab)
    one = hooks.aftersales_late_delivery_compensation(tenant=entekhab, delivery=late(1))
    assert one.amount == Money(200_000, "IRR")
    assert str(one.reason) == ("200000 IRR for 1 days late: 0.1% of the order's price for each day late, at most "
                               "5%")
    at_cap = hooks.aftersales_late_delivery_compensation(tenant=entekhab, delivery=late(50))
    beyond = hooks.aftersales_late_delivery_compensation(tenant=entekhab, delivery=late(51))
    assert at_cap.amount == beyond.amount == Money(10_000_000, "IRR")


def test_the_rates_are_the_tenants_own_and_zero_gives_nothing(plugin_hooks, tenant_context):
    generous = tenant_context("appliances", {"late_delivery_compensation_bps_per_day": 100,
                                             "late_delivery_compensation_cap_bps": 1_000})
    decided = plugin_hooks(generous).aftersales_late_delivery_compensation(tenant=generous, delivery=late(3))
    assert decided.amount == Money(6_000_000, "IRR")
    capped = plugin_hooks(generous).aftersales_late_delivery_compensation(tenant=generous, delivery=late(30))
    assert capped.amount == Money(20_000_000, "IRR")
    none = tenant_context("appliances", {"late_delivery_compensation_bps_per_day": 0})
    nothing = plugin_hooks(none).aftersales_late_delivery_compensation(tenant=none, delivery=late(9))
    assert nothing.amount == Money(0, "IRR")
    assert str(nothing.reason) == "no compensation is given for a late delivery"


def test_the_compensation_is_said_in_persian_with_persian_digits(plugin_hooks, seed_tenant):
    entekhab = seed_tenant("entekhab")
    decided = plugin_hooks(entekhab).aftersales_late_delivery_compensation(tenant=entekhab, delivery=late(2))
    said = render(decided.reason, reader_format("fa"))
    assert "روز تأخیر" in said and "۲" in said
