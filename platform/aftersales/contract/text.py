"""Sentences a plugin says to people: message ids with typed parameters, translated by the core per reader.

A plugin never writes a reason, failed condition, offer text or clock name as a finished English sentence.
It writes a :class:`Message`: the English text as a gettext message id with ``{name}`` placeholders, and the
parameters as typed values (``int``, ``Decimal``, ``str``, ``date``, :class:`~aftersales.contract.Money`)::

    _ = messages("aftersales_electronics")      # the plugin's gettext domain
    _("{months}-month warranty from the sale", months=18)

The core stores the id and the parameters (:meth:`Message.to_json`), never the English sentence, and renders
them in the reader's language from the plugin's own catalogue, formatting each parameter the reader's way
(Persian digits, Jalali dates, the locale's currency format). A :class:`Message` *is* a ``str`` holding its
English rendering, so code and tests that read reasons as text keep working.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Self

from aftersales.contract.money import Money

CORE_DOMAIN = "aftersales"
"""The gettext domain of the core's own sentences (:mod:`aftersales.contract.defaults`)."""

Param = int | Decimal | str | date | Money
"""What a message parameter may be: formatted by the reader's locale when the message is rendered. A
:class:`Message` (a ``str``) is a phrase of the sentence, translated with it (``what=_("warranty")``)."""

_PARAM_TYPES = (int, Decimal, str, date, Money)


class Message(str):
    """A translatable sentence: ``msgid`` (English, ``{name}`` placeholders), typed ``params``, gettext ``domain``.

    The ``str`` value is the English rendering (numbers plain, dates ISO 8601, money as ``"1250000 IRR"``).
    """

    msgid: str
    params: Mapping[str, Param]
    domain: str

    def __new__(cls, msgid: str, /, *, domain: str = CORE_DOMAIN, **params: Param) -> Self:
        for name, value in params.items():
            if isinstance(value, bool) or not isinstance(value, _PARAM_TYPES) or isinstance(value, datetime):
                raise TypeError(f"message parameter {name!r} is a {type(value).__name__}; "
                                "use int, Decimal, str, date or Money")
        try:
            english = msgid.format(**{name: english_value(value) for name, value in params.items()})
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"message {msgid!r} does not fit its parameters: {exc}") from None
        self = super().__new__(cls, english)
        self.msgid = msgid
        self.params = dict(params)
        self.domain = domain
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.msgid, self.domain, tuple(self.params.items())))

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, domain={self.domain!r}, **{dict(self.params)!r})"

    def to_json(self) -> dict[str, Any]:
        """The id, domain and parameters as JSON, each parameter tagged with its type (what the core stores)."""
        return {"id": self.msgid, "domain": self.domain,
                "params": {name: _encode(value) for name, value in self.params.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Message:
        """The message :meth:`to_json` stored."""
        params = {name: _decode(value) for name, value in dict(data.get("params") or {}).items()}
        return cls(str(data["id"]), domain=str(data.get("domain") or CORE_DOMAIN), **params)


def _rebuild(msgid: str, domain: str, params: tuple[tuple[str, Param], ...]) -> Message:
    return Message(msgid, domain=domain, **dict(params))


def messages(domain: str) -> Callable[..., Message]:
    """The ``_`` of one plugin: ``_(msgid, **params)`` makes a :class:`Message` of the plugin's gettext domain.

    Name the function ``_`` so Babel's extractor finds the ids (``pybabel extract -k _``).
    """

    def _(msgid: str, /, **params: Param) -> Message:
        return Message(msgid, domain=domain, **params)

    return _


def english_value(value: Param) -> str:
    """A parameter as the English rendering writes it: numbers grouped by thousands (``500,000``), dates ISO 8601."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | Decimal):
        return f"{value:,}"
    return str(value)


def stored_text(text: str) -> Any:
    """What the core stores for a sentence: a :class:`Message` as its JSON, any other text as itself."""
    return text.to_json() if isinstance(text, Message) else text


def loaded_text(stored: Any) -> str:
    """The sentence :func:`stored_text` stored: a :class:`Message` again, or the plain text it was. Text that is
    already loaded (a :class:`Message` included) comes back as it is, so loading twice never loses a message."""
    if isinstance(stored, str):
        return stored
    if isinstance(stored, Mapping) and "id" in stored:
        return Message.from_json(stored)
    return str(stored)


def _encode(value: Param) -> Any:
    if isinstance(value, Message):
        return {"message": value.to_json()}
    if isinstance(value, Money):
        return {"money": [value.amount_minor, value.currency]}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    return value


def _decode(value: Any) -> Param:
    if isinstance(value, Mapping):
        if "message" in value:
            return Message.from_json(value["message"])
        if "money" in value:
            amount, currency = value["money"]
            return Money(int(amount), str(currency))
        if "date" in value:
            return date.fromisoformat(value["date"])
        if "decimal" in value:
            return Decimal(value["decimal"])
        raise ValueError(f"unknown message parameter {value!r}")
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"unknown message parameter {value!r}")  # noqa: TRY004 (stored data, not an argument)
    return value
