"""Money as integer minor units plus an ISO 4217 currency; never a float.

The number of minor units per currency comes from CLDR via Babel (IRR: 0, CNY: 2, GEL: 2, USD: 2), so a
tenant's amounts mean what its customers read on an invoice.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from babel.numbers import get_currency_precision, is_currency

from aftersales.contract.numerals import ascii_digits

_known_currency = cache(is_currency)
"""Babel rebuilds its list of currencies on every ``is_currency`` call; a search makes a Money per candidate."""


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
    def parse(cls, text: str, currency: str) -> Money:
        """``"1250000"`` or ``"99.50"`` in ``currency`` (Persian digits allowed); never through a float.

        :raises ValueError: not a number, or more decimals than the currency has (``"1.5"`` rial).
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
        return cls(int(minor), currency)

    @staticmethod
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
