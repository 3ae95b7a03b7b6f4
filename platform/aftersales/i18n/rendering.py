"""A sentence as its reader reads it: a :class:`~aftersales.contract.Message` translated from its domain's
catalogue, each parameter formatted by the reader's locale; any other text as it is.

Numbers take the locale's separators and digits (Persian digits in ``fa``), dates its calendar (Jalali in
``fa``), amounts its currency format (toman where the tenant counts so). In a right-to-left locale every
parameter is wrapped in Unicode isolates (FSI … PDI): a serial, an amount with a Latin currency code or a
number beside a dash then keeps its own order inside the sentence instead of dragging its neighbours along.
Pages, the API and e-mails all render through :func:`render`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from aftersales.contract.money import Money
from aftersales.contract.text import Message, Param
from aftersales.i18n.catalogues import translations
from aftersales.i18n.formatting import LocaleFormat

FSI, PDI = "\u2068", "\u2069"
"""FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: a parameter's own direction, isolated from the sentence's."""

log = logging.getLogger(__name__)


def reader_format(locale: str, *, irr_as_toman: bool = False) -> LocaleFormat:
    """The formatting of a reader outside the pages (API, e-mail, SMS)."""
    return LocaleFormat(locale, irr_as_toman=irr_as_toman)


def render(text: str, fmt: LocaleFormat) -> str:
    """``text`` in the reader's language: a :class:`Message` translated and formatted, plain text unchanged
    (sentences stored before messages had ids, in English)."""
    if not isinstance(text, Message):
        return str(text)
    template = translations(text.domain, fmt.locale).gettext(text.msgid)
    isolate = fmt.direction == "rtl"
    values = {name: _param(value, fmt, isolate) for name, value in text.params.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        log.error("the %s translation of %r in %s does not fit its parameters", fmt.locale, text.msgid, text.domain)
        return text.msgid.format(**values)


def render_all(texts: Iterable[str], fmt: LocaleFormat) -> list[str]:
    """Each of ``texts`` rendered for the reader."""
    return [render(text, fmt) for text in texts]


def _param(value: Param, fmt: LocaleFormat, isolate: bool) -> str:
    if isinstance(value, Message):
        return render(value, fmt)  # a phrase of the sentence, in the sentence's direction
    if isinstance(value, Money):
        shown = fmt.money(value)
    elif isinstance(value, date):
        shown = fmt.date(value)
    elif isinstance(value, int | Decimal):
        shown = fmt.number(value)
    else:
        shown = value
    return f"{FSI}{shown}{PDI}" if isolate else shown
