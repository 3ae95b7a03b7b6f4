"""Money as integer minor units plus an ISO 4217 currency; never a float.

The number of minor units per currency comes from CLDR via Babel (IRR: 0, CNY: 2, GEL: 2, USD: 2), so a
tenant's amounts mean what its customers read on an invoice.

No amount and no balance may exceed :data:`MAX_MAJOR_UNITS` major units of its currency (:meth:`Money.cap`): the
API checks every amount it takes against it and the ledger every balance a posting makes, so a 64-bit column
(``BIGINT``) or a sum of thousands of amounts never overflows. The widest cap, that of a currency with four
decimals, is :data:`MAX_MINOR_UNITS` minor units, a thousandth of the 64-bit range.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from babel.numbers import get_currency_precision, is_currency, list_currencies

from aftersales.contract.numerals import ascii_digits

_known_currency = cache(is_currency)
"""Babel rebuilds its list of currencies on every ``is_currency`` call; a search makes a Money per candidate."""

MAX_MAJOR_UNITS = 10**12
"""The most one amount or balance may hold, in major units of any currency: a trillion (euro, rial, yuan), far
beyond any after-sales payment, yet the sum of 9,000 of the widest caps still fits in 64 bits."""
MAX_MINOR_UNITS = MAX_MAJOR_UNITS * 10 ** max(get_currency_precision(code) for code in list_currencies())
"""The widest cap in minor units (10^16: a currency with four decimals): the ``maximum`` the API documents on
every amount, whose currency it cannot know in advance."""


def known_currency(code: str) -> bool:
    """``code`` is an ISO 4217 currency CLDR knows (``EUR``, ``IRR``; not ``000`` nor ``eur``)."""
    return _known_currency(code)


@dataclass(frozen=True, order=True)
class Money:
    """An amount in minor units of one currency. Arithmetic across currencies raises."""

    amount_minor: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount_minor, int) or isinstance(self.amount_minor, bool):
            raise TypeError("Money.amount_minor must be an int of minor units")
        if not _known_currency(self.currency):
            raise ValueError(f"unknown ISO 4217 currency {self.currency!r}")

    @classmethod
    def cap(cls, currency: str) -> Money:
        """The most money one amount or one balance in ``currency`` may be: :data:`MAX_MAJOR_UNITS` major units."""
        return cls(MAX_MAJOR_UNITS * 10 ** cls.minor_digits(currency), currency)

    @property
    def beyond_cap(self) -> bool:
        """More than :meth:`cap` either way (an amount, a balance or a sum that the platform refuses to hold)."""
        return abs(self.amount_minor) > self.cap(self.currency).amount_minor

    @classmethod
    def parse(cls, text: str, currency: str) -> Money:
        """``"1250000"`` or ``"99.50"`` in ``currency`` (Persian digits allowed); never through a float.

        :raises ValueError: not a number, more decimals than the currency has (``"1.5"`` rial), or beyond
            :meth:`cap`.
        """
        try:
            amount = Decimal(ascii_digits(text).strip().replace(",", "").replace("_", ""))
        except InvalidOperation:
            raise ValueError(f"{text!r} is not an amount") from None
        if not amount.is_finite():
            raise ValueError(f"{text!r} is not an amount")
        digits = cls.minor_digits(currency)
        minor = amount.scaleb(digits)
        if minor != minor.to_integral_value():
            raise ValueError(f"{currency} amounts have at most {digits} decimal places")
        money = cls(int(minor), currency)
        if money.beyond_cap:
            raise ValueError(f"at most {cls.cap(currency)}")
        return money

    @staticmethod
    @cache
    def minor_digits(currency: str) -> int:
        """Minor-unit digits of ``currency`` according to CLDR."""
        return get_currency_precision(currency)

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise ValueError(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount_minor + other.amount_minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount_minor - other.amount_minor, self.currency)

    def times(self, factor: Decimal | int) -> Money:
        """This amount ``factor`` times (an hourly rate × hours, a rate per km × km), rounded half up to a whole
        minor unit."""
        product = (Decimal(self.amount_minor) * Decimal(factor)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return Money(int(product), self.currency)

    def __str__(self) -> str:
        digits = self.minor_digits(self.currency)
        if digits == 0:
            return f"{self.amount_minor} {self.currency}"
        sign = "-" if self.amount_minor < 0 else ""
        whole, part = divmod(abs(self.amount_minor), 10**digits)
        return f"{sign}{whole}.{part:0{digits}d} {self.currency}"
