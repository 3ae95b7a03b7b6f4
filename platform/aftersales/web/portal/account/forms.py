"""Reading what a customer typed into an account form: dates as they write them, amounts, uploads (plain text
fields: :mod:`aftersales.web.forms`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import jdatetime
from babel.numbers import NumberFormatError, parse_decimal
from litestar.datastructures import UploadFile

from aftersales.contract.money import Money
from aftersales.contract.numerals import ascii_digits

_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
JALALI_BEFORE = 1700
"""A year below this is a Solar Hijri (Jalali) year: 1404 is 2025/26, as an Iranian invoice is dated."""


def read_date(typed: str) -> date | None:
    """A date as the date picker sends it (``2026-05-12``) or as typed from an invoice, in any digits, with
    ``-``, ``/`` or ``.`` and in the Jalali calendar when the year says so (``۱۴۰۵/۰۲/۲۲``); None if it is no date."""
    match = _DATE.match(ascii_digits(typed.strip()))
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    try:
        if year < JALALI_BEFORE:
            return jdatetime.date(year, month, day).togregorian()
        return date(year, month, day)
    except ValueError:
        return None


def typed_amount(typed: str) -> str:
    """An amount as typed (``۱۲٬۵۰۰٬۰۰۰``, ``12 500 000``) in the plain form the services parse."""
    return ascii_digits(typed).replace("٬", "").replace("٫", ".").replace(" ", "").replace("\u00a0", "")


def typed_minor(text: str, currency: str, locale: str) -> int | None:
    """``text`` as an amount of ``currency`` in minor units, read with the reader's separators (CLDR, through
    Babel) or plainly (``۴۵۰٬۰۰۰``, ``450 000``); None when it is not a whole number of minor units."""
    try:
        value = parse_decimal(ascii_digits(text.strip()), locale=locale)
    except (NumberFormatError, InvalidOperation):
        try:
            value = Decimal(typed_amount(text))
        except InvalidOperation:
            return None
    value = value.scaleb(Money.minor_digits(currency))
    if not value.is_finite() or value != value.to_integral_value():
        return None
    return int(value)


@dataclass(frozen=True)
class Upload:
    """A file sent with a form: its bytes, declared type and name."""

    content: bytes
    content_type: str
    filename: str


async def upload(posted: Any, name: str) -> Upload | None:
    """The file chosen in the form's ``name`` input, or None when none was chosen."""
    value = posted.get(name)
    if not isinstance(value, UploadFile) or not value.filename:
        return None
    return Upload(await value.read(), value.content_type or "", value.filename)
