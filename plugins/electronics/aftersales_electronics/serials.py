"""Serial numbers of electronics: IMEIs of phones (seed 000) or a tenant's own pattern (machines, seed 004).

Customers in Iran often type Persian (۰–۹) or Arabic-Indic (٠–٩) digits; both are read as ASCII digits first.
Only the 15-digit IMEI is accepted: it is what the box and ``*#06#`` show and what the warranty registry
stores, so the 14-digit form without check digit and the 16-digit IMEISV are refused with a reason.
"""

from __future__ import annotations

from collections.abc import Iterable

from stdnum import imei

from aftersales.contract import SerialCheck, ascii_digits, messages

IMEI_LENGTH = 15
_ = messages("aftersales_electronics")


def check_imei(serial: str) -> SerialCheck:
    """Accept a 15-digit IMEI with a correct Luhn check digit, spaces and dashes removed."""
    number = ascii_digits(serial)
    if not _is_plain_imei(number):  # most imported IMEIs are already 15 plain digits: nothing to remove
        number = imei.compact(number)
    if not number:
        return SerialCheck.refuse(serial, "imei", _("the IMEI is empty"))
    if not (number.isascii() and number.isdigit()):
        return SerialCheck.refuse(serial, "imei", _("an IMEI has only digits"))
    if len(number) != IMEI_LENGTH:
        return SerialCheck.refuse(serial, "imei", _wrong_length_reason(len(number)))
    if not luhn_valid(number):
        return SerialCheck.refuse(
            serial, "imei", _("the IMEI check digit is wrong: a digit was probably mistyped")
        )
    return SerialCheck.accept(number, "imei")


def check_imeis(serials: Iterable[str]) -> list[SerialCheck]:
    """:func:`check_imei` of each serial; the usual import row, 15 plain digits with a right check digit, is
    accepted without the general path."""
    accept = SerialCheck.accept
    return [accept(serial, "imei") if _is_plain_imei(serial) and luhn_valid(serial) else check_imei(serial)
            for serial in serials]


def _is_plain_imei(number: str) -> bool:
    return len(number) == IMEI_LENGTH and number.isascii() and number.isdigit()


_DOUBLED_DIGIT = bytes.maketrans(b"0123456789", b"0246813579")
"""Each digit doubled, with the digits of the product summed (Luhn: 7 → 14 → 5), as an ASCII digit."""


def luhn_valid(digits: str) -> bool:
    """The Luhn check of a string of ASCII digits (the same verdict as ``stdnum.luhn``, a bulk import's speed).

    From the right, every second digit is doubled; the digit sum must be a multiple of 10. Summing the ASCII
    codes and subtracting ``ord("0")`` per digit keeps the loop in C.
    """
    data = digits.encode("ascii")
    kept, doubled = data[-1::-2], data[-2::-2].translate(_DOUBLED_DIGIT)
    return (sum(kept) + sum(doubled) - 48 * len(data)) % 10 == 0


def _wrong_length_reason(length: int) -> str:
    if length == IMEI_LENGTH - 1:
        return _("an IMEI has 15 digits; the 14-digit form without its check digit is not accepted")
    if length == IMEI_LENGTH + 1:
        return _("an IMEI has 15 digits; this looks like a 16-digit IMEISV, which is not accepted")
    return _("an IMEI has 15 digits, not {length}", length=length)

