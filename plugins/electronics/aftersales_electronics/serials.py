"""Serial numbers of electronics: IMEIs of phones (seed 000) or a tenant's own pattern (machines, seed 004).

Customers in Iran often type Persian (۰–۹) or Arabic-Indic (٠–٩) digits; both are read as ASCII digits first.
Only the 15-digit IMEI is accepted: it is what the box and ``*#06#`` show and what the warranty registry
stores, so the 14-digit form without check digit and the 16-digit IMEISV are refused with a reason.
"""

from __future__ import annotations

from stdnum import imei
from stdnum.exceptions import InvalidChecksum

from aftersales.numerals import ascii_digits
from aftersales.values import SerialCheck

IMEI_LENGTH = 15


def check_imei(serial: str) -> SerialCheck:
    """Accept a 15-digit IMEI with a correct Luhn check digit, spaces and dashes removed."""
    number = imei.compact(ascii_digits(serial))
    if not number:
        return SerialCheck.refuse(serial, "imei", "the IMEI is empty")
    if not (number.isascii() and number.isdigit()):
        return SerialCheck.refuse(serial, "imei", "an IMEI has only digits")
    if len(number) != IMEI_LENGTH:
        return SerialCheck.refuse(serial, "imei", _wrong_length_reason(len(number)))
    try:
        imei.validate(number)
    except InvalidChecksum:
        return SerialCheck.refuse(
            serial, "imei", "the IMEI check digit is wrong: a digit was probably mistyped"
        )
    return SerialCheck.accept(number, "imei")


def _wrong_length_reason(length: int) -> str:
    if length == IMEI_LENGTH - 1:
        return "an IMEI has 15 digits; the 14-digit form without its check digit is not accepted"
    if length == IMEI_LENGTH + 1:
        return "an IMEI has 15 digits; this looks like a 16-digit IMEISV, which is not accepted"
    return f"an IMEI has 15 digits, not {length}"

