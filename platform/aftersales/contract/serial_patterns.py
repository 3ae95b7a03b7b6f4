"""Serial formats any vertical may use (part of the plugin contract): a tenant's own regular expression."""

from __future__ import annotations

import re

from aftersales.contract.numerals import ascii_digits
from aftersales.contract.values import SerialCheck


def check_pattern(serial: str, pattern: str, scheme: str = "pattern", *, whose: str = "this company's") -> SerialCheck:
    """Accept a serial whose normalised form (digits as ASCII, trimmed, upper-cased) fully matches ``pattern``."""
    text = ascii_digits(serial).strip().upper()
    if not text:
        return SerialCheck.refuse(serial, scheme, "the serial is empty")
    if re.fullmatch(pattern, text) is None:
        return SerialCheck.refuse(serial, scheme, f"the serial does not have {whose} format ({pattern})")
    return SerialCheck.accept(text, scheme)
