"""What request bodies share: text limits taken from the services' own, and the bounds of every amount of money,
so a schema and the rule it announces cannot disagree."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from aftersales.contract.money import MAX_MAJOR_UNITS, MAX_MINOR_UNITS, Money, known_currency
from aftersales.errors import FieldError


def limited_text(limit: int) -> type[str]:
    """A string the service takes at most ``limit`` characters of, once trimmed: ``maxLength`` in the OpenAPI
    document, checked by the service alone, so a longer value is refused with the others of the same body (422,
    each field with its reason and code) rather than alone before them."""
    return Annotated[str, Field(json_schema_extra={"maxLength": limit})]  # type: ignore[return-value]


_AMOUNT = Field(
    ge=-MAX_MINOR_UNITS, le=MAX_MINOR_UNITS,
    description=f"Minor units of the currency; at most {MAX_MAJOR_UNITS:,} major units of it (the services check "
                f"the amount's own currency: 10^14 cents of a euro, 10^12 rial), never beyond {MAX_MINOR_UNITS:,}.")
AmountMinor = Annotated[int, _AMOUNT]
"""An amount of money in a request body: beyond the widest cap (:data:`~aftersales.contract.money.MAX_MINOR_UNITS`)
it is refused before any service runs (400 naming the field), so no amount can overflow a 64-bit column; the
services and the ledger check the cap of the amount's own currency (:meth:`~aftersales.contract.money.Money.cap`)."""
OptionalAmountMinor = Annotated[int | None, _AMOUNT]
"""An amount that may be left out, bounded as :data:`AmountMinor` (the bounds documented on the field itself)."""


def _currency(code: str) -> str:
    if not known_currency(code.upper()):
        raise ValueError("is not an ISO 4217 currency code")
    return code.upper()


CurrencyCode = Annotated[str, Field(min_length=3, max_length=3, description="An ISO 4217 code (EUR, IRR, CNY)."),
                         AfterValidator(_currency)]
"""A currency in a request body: an ISO 4217 code CLDR knows (Babel), upper-cased; ``000`` or ``XYZ`` are refused
before any service runs (400 naming the field)."""


def beyond_cap(field: str, amount: Money, what: str = "") -> list[FieldError]:
    """The refusal of ``amount`` (an amount taken, a line, a total) past its currency's :meth:`Money.cap`, naming
    ``field`` (code ``money.beyond_cap``, the cap in ``params``); none within it."""
    if not amount.beyond_cap:
        return []
    cap = Money.cap(amount.currency)
    reason = f"{what} would be {amount}, more than the most money can be ({cap})" if what else f"must be at most {cap}"
    return [FieldError(field, reason, code="money.beyond_cap",
                       params={"cap_minor": cap.amount_minor, "currency": cap.currency})]
