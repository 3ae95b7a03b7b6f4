"""The request page's quotes and follow-ups: what staff see of them, and reading the forms that quote the work
and record a follow-up's (or a routed step's) answers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.service.followups import services as followups
from aftersales.service.followups.models import FollowUp
from aftersales.service.followups.routing import reason_of
from aftersales.service.quotes import services as quotes
from aftersales.service.quotes.models import ServiceQuote
from aftersales.service.quotes.price_list import ItemAsked
from aftersales.web.portal.booking.views import Line, lines_of


@dataclass(frozen=True)
class QuoteView:
    """A quote as a page shows it: lines with amounts as money, the total, and the reasons as sentences."""

    quote: ServiceQuote
    lines: list[Line]
    total: Money
    reasons: list[str]


def quote_view(quote: ServiceQuote) -> QuoteView:
    return QuoteView(quote, lines_of(quote.lines, quote.currency), Money(quote.total_minor, quote.currency),
                     quotes.shown_reasons(quote))


async def quotes_of(session: AsyncSession, request_id: UUID, customer_id: UUID | None = None) -> list[QuoteView]:
    return [quote_view(q) for q in await quotes.quotes_of(session, request_id, customer_id=customer_id)]


@dataclass(frozen=True)
class FollowUpView:
    followup: FollowUp
    reason: str | None

    @property
    def answerable(self) -> bool:
        return self.followup.status in followups.ANSWERABLE


async def followups_of(session: AsyncSession, request_id: UUID) -> list[FollowUpView]:
    """The request's follow-ups and the steps they were routed to, earliest due first."""
    found = await session.scalars(select(FollowUp).where(FollowUp.request_id == request_id)
                                  .order_by(FollowUp.due_at, FollowUp.id))
    return [FollowUpView(f, reason_of(f)) for f in found]


def quote_asked(typed: dict[str, str], currency: str) -> tuple[quotes.QuoteAsked, dict[str, str]]:
    """The quote form as the service takes it, and a reason per field that does not read (English; the page
    translates its own)."""
    errors: dict[str, str] = {}
    hours = None
    if typed.get("labour_hours"):
        try:
            hours = Decimal(typed["labour_hours"].replace(",", "."))
        except InvalidOperation:
            errors["labour_hours"] = "hours"
    labour_minor = None
    if typed.get("labour_price"):
        try:
            labour_minor = Money.parse(typed["labour_price"], currency).amount_minor
        except ValueError:
            errors["labour_price"] = "price"
    parts = []
    for line in (typed.get("parts") or "").splitlines():
        words = line.split()
        if not words:
            continue
        try:
            parts.append(ItemAsked(words[0], int(words[1]) if len(words) > 1 else 1))
        except ValueError:
            errors["parts"] = "parts"
    return quotes.QuoteAsked(labour_hours=hours, labour_minor=labour_minor, parts=parts), errors


def answers_given(typed: dict[str, Any]) -> followups.Answers:
    """The answer form: one answer a line, and the problem when one is reported."""
    answers = tuple(line.strip() for line in (typed.get("answers") or "").splitlines() if line.strip())
    problem = (typed.get("problem") or "").strip() or None
    return followups.Answers(answers=answers, comment=(typed.get("comment") or "").strip(), problem=problem)
