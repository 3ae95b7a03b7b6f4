"""Numbers, money and dates as a reader of a page, an API answer or an e-mail in their language expects them.

Separators, currency symbols and month names come from CLDR through Babel. Persian adds what CLDR data in Babel
does not do: Persian digits (۰–۹) and the Solar Hijri (Jalali) calendar through ``jdatetime``. Iranian tenants
may show rial amounts in toman (1 toman = 10 rial), the unit customers there count in, when their branding says
``irr_as_toman``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import jdatetime
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from aftersales.contract.money import Money
from aftersales.contract.text import CORE_DOMAIN
from aftersales.i18n.catalogues import translations

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
NATIVE_DIGITS = {"fa": PERSIAN_DIGITS}
"""Locales whose pages write numbers in their own digits."""
JALALI_LOCALES = frozenset({"fa"})
RIAL_PER_TOMAN = 10


@dataclass(frozen=True)
class LocaleFormat:
    """Formatters for one reader (a page, an API answer, an e-mail): the locale, and whether the tenant counts
    rial in toman (the word for toman is the core's catalogue's)."""

    locale: str
    irr_as_toman: bool = False

    @property
    def direction(self) -> str:
        """``rtl`` or ``ltr``: the page's writing direction according to CLDR."""
        return Locale.parse(self.locale).text_direction

    def digits(self, text: str) -> str:
        """``text`` with ASCII digits written in the locale's own digits (Persian digits in ``fa``)."""
        table = NATIVE_DIGITS.get(self.locale)
        return text.translate(table) if table else text

    def number(self, value: int | Decimal) -> str:
        """A number with the locale's grouping and decimal separators and digits: ``5٬000٬000`` → ``۵٬۰۰۰٬۰۰۰``."""
        return self.digits(format_decimal(value, locale=self.locale, numbering_system="default"))

    def money(self, money: Money) -> str:
        """An amount as the locale writes it (``¥12.50``, ``12,50 ₾``); rial as toman when the tenant counts so."""
        amount = Decimal(money.amount_minor).scaleb(-Money.minor_digits(money.currency))
        if money.currency == "IRR" and self.irr_as_toman:
            toman = translations(CORE_DOMAIN, self.locale).gettext("%(amount)s toman")
            return toman % {"amount": self.number(amount / RIAL_PER_TOMAN)}
        return self.digits(format_currency(amount, money.currency, locale=self.locale, numbering_system="default"))

    def date(self, day: date) -> str:
        """A date in the reader's calendar: Jalali with Persian month names in ``fa``, CLDR's long form elsewhere."""
        if self.locale in JALALI_LOCALES:
            jalali = jdatetime.date.fromgregorian(date=day)
            month = jdatetime.date.j_months_fa[jalali.month - 1]
            return self.digits(f"{jalali.day} {month} {jalali.year}")
        return format_date(day, format="long", locale=self.locale)
