"""Numbers, money and dates as each language writes them: CLDR through Babel, Persian digits and the Jalali
calendar for Persian, rial as toman where the tenant counts so."""

from __future__ import annotations

from datetime import date

import pytest

from aftersales.contract.money import Money
from aftersales.i18n.formatting import LocaleFormat


def fa(irr_as_toman: bool = False) -> LocaleFormat:
    return LocaleFormat("fa", irr_as_toman=irr_as_toman)


def test_five_million_rial_in_persian_digits_and_separators():
    assert fa().number(5_000_000) == "۵٬۰۰۰٬۰۰۰"
    assert fa().money(Money(5_000_000, "IRR")) == "\u200eریال\xa0۵٬۰۰۰٬۰۰۰"


def test_five_million_rial_is_500_000_toman_where_the_tenant_counts_in_toman():
    assert fa(irr_as_toman=True).money(Money(5_000_000, "IRR")) == "۵۰۰٬۰۰۰ تومان"
    english = LocaleFormat("en", irr_as_toman=True)
    assert english.money(Money(5_000_000, "IRR")) == "500,000 toman"


def test_a_rial_amount_that_is_not_whole_toman_keeps_its_fraction():
    assert fa(irr_as_toman=True).money(Money(5_000_005, "IRR")) == "۵۰۰٬۰۰۰٫۵ تومان"


def test_toman_applies_to_rial_only():
    assert LocaleFormat("en", irr_as_toman=True).money(Money(1250, "USD")) == "$12.50"


@pytest.mark.parametrize(("locale", "money", "shown"), [
    ("en", Money(1250, "USD"), "$12.50"),
    ("zh", Money(1250, "CNY"), "¥12.50"),
    ("ka", Money(1250, "GEL"), "12,50\xa0₾"),
    ("en", Money(-1, "USD"), "-$0.01"),
])
def test_money_in_each_locale(locale, money, shown):
    assert LocaleFormat(locale).money(money) == shown


def test_jalali_date_across_nowruz():
    assert fa().date(date(2026, 3, 20)) == "۲۹ اسفند ۱۴۰۴"  # the last day of 1404
    assert fa().date(date(2026, 3, 21)) == "۱ فروردین ۱۴۰۵"  # Nowruz: the first day of 1405


def test_jalali_leap_day():
    assert fa().date(date(2025, 3, 20)) == "۳۰ اسفند ۱۴۰۳"  # 1403 is a leap year: Esfand has 30 days


@pytest.mark.parametrize(("locale", "shown"), [
    ("en", "March 21, 2026"),
    ("zh", "2026年3月21日"),
    ("ka", "21 მარტი, 2026"),
])
def test_gregorian_dates_in_cldr_long_form(locale, shown):
    assert LocaleFormat(locale).date(date(2026, 3, 21)) == shown


def test_direction_and_digits():
    assert fa().direction == "rtl" and fa().digits("+98 21") == "+۹۸ ۲۱"
    assert LocaleFormat("ka").direction == "ltr" and LocaleFormat("zh").digits("2026") == "2026"
