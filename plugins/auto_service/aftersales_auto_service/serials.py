"""Serial numbers in auto service: vehicle identification numbers (VINs), or a tenant's own equipment pattern.

Serials are trimmed and upper-cased, and Persian (۰–۹) or Arabic-Indic (٠–٩) digits are read as ASCII digits.

VINs follow ISO 3779, with the check digit of 49 CFR 565. The check is hand-written because no well-kept VIN
library exists on PyPI (python-stdnum has none). A VIN has 17 characters: digits and the letters A-Z except
I, O and Q (too easily read as 1 and 0). The 9th character is a check digit that is mandatory only for
North-American VINs (first character 1-5); elsewhere it is often a plain character (e.g. ``Z`` on European
VINs), so those are checked for structure only.
"""

from __future__ import annotations

from aftersales.contract import SerialCheck, ascii_digits, messages

VIN_LENGTH = 17
CHECK_DIGIT_INDEX = 8
FORBIDDEN_LETTERS = "IOQ"
NORTH_AMERICAN_REGIONS = "12345"

_ = messages("aftersales_auto_service")

TRANSLITERATION = {str(d): d for d in range(10)} | {
    **dict.fromkeys("AJ", 1),
    **dict.fromkeys("BKS", 2),
    **dict.fromkeys("CLT", 3),
    **dict.fromkeys("DMU", 4),
    **dict.fromkeys("ENV", 5),
    **dict.fromkeys("FW", 6),
    **dict.fromkeys("GPX", 7),
    **dict.fromkeys("HY", 8),
    **dict.fromkeys("RZ", 9),
}
"""The value of each allowed character in the check-digit sum (49 CFR 565.15, table I)."""
WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
"""The weight of each position in the check-digit sum (49 CFR 565.15, table II)."""


def vin_check_digit(vin: str) -> str:
    """The check digit, ``0``-``9`` or ``X``, of a 17-character VIN of allowed characters (position 9)."""
    remainder = sum(TRANSLITERATION[char] * weight for char, weight in zip(vin, WEIGHTS, strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)


def check_vin(serial: str) -> SerialCheck:
    """Accept a structurally valid VIN, and for North-American VINs only one whose check digit is right."""
    vin = ascii_digits(serial).strip().upper()
    if len(vin) != VIN_LENGTH:
        return SerialCheck.refuse(serial, "vin", _("a VIN has 17 characters, not {length}", length=len(vin)))
    for position, char in enumerate(vin, start=1):
        if char in FORBIDDEN_LETTERS:
            return SerialCheck.refuse(
                serial,
                "vin",
                _("a VIN never contains the letters I, O or Q (found {char} at position {position}; "
                  "it is probably a 1 or a 0)", char=char, position=position),
            )
        if char not in TRANSLITERATION:
            return SerialCheck.refuse(
                serial,
                "vin",
                _("a VIN has only digits and letters A-Z (found {char} at position {position})", char=repr(char),
                  position=position),
            )
    if vin[0] in NORTH_AMERICAN_REGIONS and vin[CHECK_DIGIT_INDEX] != vin_check_digit(vin):
        return SerialCheck.refuse(
            serial, "vin", _("the VIN check digit (9th character) is wrong: a character was probably mistyped")
        )
    return SerialCheck.accept(vin, "vin")

