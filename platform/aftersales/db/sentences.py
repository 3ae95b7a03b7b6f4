"""Column types for the sentences plugins say: stored as message id and parameters, read back as
:class:`~aftersales.contract.Message` (a ``str`` holding its English), so every reader can render them in its
own language.

A row written before sentences had ids holds plain English; it reads back as that ``str`` and is shown as it is.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import JSON, Dialect, Text
from sqlalchemy.types import TypeDecorator

from aftersales.contract.text import Message, loaded_text, stored_text

_STORED_MESSAGE = '{"id": '


class Sentences(TypeDecorator[list[str]]):
    """A JSON list of sentences: each a Message's id, domain and typed parameters, or plain text."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: list[str] | None, dialect: Dialect) -> Any:
        return None if value is None else [stored_text(text) for text in value]

    def process_result_value(self, value: Any, dialect: Dialect) -> list[str] | None:
        return None if value is None else [loaded_text(stored) for stored in value]


class Sentence(TypeDecorator[str]):
    """One sentence in a text column: a Message as its JSON (``{"id": …, "domain": …, "params": …}``), any other
    text as it is. Text that merely looks like a stored Message but is not one reads back as the text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if isinstance(value, Message):
            return json.dumps(value.to_json(), ensure_ascii=False)
        return value

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or not value.startswith(_STORED_MESSAGE):
            return value
        try:
            return loaded_text(json.loads(value))
        except (ValueError, TypeError, KeyError):
            return value
