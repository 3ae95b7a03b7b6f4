"""The language an API answer speaks to its reader: ``Accept-Language`` among the platform's languages
(negotiated as the pages negotiate it). When the header names none of them the answer keeps the English the
API always spoke (numbers plain, dates ISO 8601), so existing integrations read what they read before.

Plugin sentences (:class:`~aftersales.contract.Message`) in an answer are rendered for that reader: translated
from the plugin's catalogue, numbers, dates and amounts in the reader's locale (toman where the tenant counts
so). Response schemas mark such fields :data:`Said`; a Message anywhere else in an answer (a problem document's
field reason) is rendered by the app's type encoder, :func:`say`.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Annotated, Any

from litestar.types import ASGIApp, Receive, Scope, Send
from pydantic import PlainSerializer, ValidatorFunctionWrapHandler, WrapValidator

from aftersales.contract.text import Message
from aftersales.i18n.catalogues import SUPPORTED_LOCALES
from aftersales.i18n.formatting import LocaleFormat
from aftersales.i18n.negotiation import choose_locale
from aftersales.i18n.rendering import reader_format, render

DEFAULT_LOCALE = "en"


@dataclass
class Reader:
    """Who reads this answer: the language negotiated, and whether the tenant counts rial in toman (set once
    the tenant is known)."""

    locale: str | None = None
    """None: the reader asked for no language the platform speaks."""
    irr_as_toman: bool = False

    def format(self) -> LocaleFormat:
        return reader_format(self.locale or DEFAULT_LOCALE, irr_as_toman=self.irr_as_toman)


_reader: ContextVar[Reader | None] = ContextVar("aftersales_reader", default=None)


def reader() -> Reader:
    """The reader of the answer being built (English outside a request)."""
    return _reader.get() or Reader()


def say(text: str) -> str:
    """``text`` as this answer's reader reads it (its English as said when the reader named no language)."""
    current = reader()
    return str(text) if current.locale is None else render(text, current.format())


def api_locale(accept_language: str | None) -> str | None:
    """The language of an API answer: the most wanted of ``Accept-Language`` the platform speaks, else None."""
    chosen = choose_locale(offered=SUPPORTED_LOCALES, default="", accept_language=accept_language)
    return chosen or None


def _keep_sentence(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    return value if isinstance(value, Message) else handler(value)


Said = Annotated[str, WrapValidator(_keep_sentence), PlainSerializer(say, return_type=str)]
"""A response field holding a sentence a plugin said: rendered in the reader's language when answered."""


class ReaderMiddleware:
    """Chooses the reader's language of every HTTP request (pages choose their own, :mod:`aftersales.web`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accept = next((value.decode("latin-1") for name, value in scope["headers"] if name == b"accept-language"),
                      None)
        token = _reader.set(Reader(api_locale(accept)))
        # Reset on success only: an error raised by a middleware inside this one (the control-character check) is
        # answered by the app's outermost exception handler, which must still say it in the reader's language.
        # The reader then outlives the request in this context only; a server runs each request in a context
        # of its own, and the next request here sets its own reader first.
        await self.app(scope, receive, send)
        _reader.reset(token)
