"""Serial formats any vertical may use (part of the plugin contract): a tenant's own regular expression."""

from __future__ import annotations

import re

from aftersales.contract.numerals import ascii_digits
from aftersales.contract.text import CORE_DOMAIN, messages
from aftersales.contract.values import SerialCheck

_ = messages(CORE_DOMAIN)


def check_pattern(serial: str, pattern: str, scheme: str = "pattern", *, whose: str | None = None) -> SerialCheck:
    """Accept a serial whose normalised form (digits as ASCII, trimmed, upper-cased) fully matches ``pattern``.

    ``whose`` names the format's owner in the refusal, a phrase the plugin translates (default "this company's")."""
    text = ascii_digits(serial).strip().upper()
    if not text:
        return SerialCheck.refuse(serial, scheme, _("the serial is empty"))
    if re.fullmatch(pattern, text) is None:
        return SerialCheck.refuse(serial, scheme, _("the serial does not have {whose} format ({pattern})",
                                                      whose=whose or _("this company's"), pattern=pattern))
    return SerialCheck.accept(text, scheme)
