"""Coverage: what a registration's warranty covers, computed by the vertical and stored with its reasons.

The vertical's ``aftersales_warranty_terms`` decides the terms from the model and the sale. The result is
stored as a :class:`~aftersales.warranty.models.Coverage` row; recomputing (after an exchange) supersedes the
current row rather than overwriting it, so what a customer was told at any time can be shown later.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aftersales.contract.money import Money
from aftersales.contract.values import SaleInfo, WarrantyTerms
from aftersales.tenancy.current import CurrentTenant
from aftersales.warranty.catalog import product_info
from aftersales.warranty.models import Coverage, ProductModel, Registration

CoverageStatus = Literal["in_warranty", "expired", "not_started"]


def sale_of(registration: Registration, exchanged_on: date | None = None) -> SaleInfo:
    """The sale a registration records, as the warranty rules see it."""
    price = Money(registration.price_minor, registration.currency) if registration.price_minor is not None else None
    return SaleInfo(sold_on=registration.purchased_on, price=price, seller=registration.seller,
                    invoice_number=registration.invoice_number, exchanged_on=exchanged_on)


def terms_of(coverage: Coverage) -> WarrantyTerms:
    """The stored terms, as the claim rules receive them."""
    return WarrantyTerms(
        warranty_start=coverage.warranty_start, warranty_end=coverage.warranty_end,
        parts_support_end=coverage.parts_support_end, return_until=coverage.return_until,
        exchange_until=coverage.exchange_until, restarts_on_exchange=coverage.restarts_on_exchange,
        exclusions=tuple(coverage.exclusions or ()), reasons=tuple(coverage.reasons or ()),
    )


class CoveragePeriod(Protocol):
    """What :func:`status_on` reads: a :class:`Coverage`, or a Core row with its two dates."""

    warranty_start: date
    warranty_end: date


def status_on(coverage: CoveragePeriod, day: date) -> CoverageStatus:
    """Whether the warranty runs on ``day``: its start and end dates both count as covered."""
    if day < coverage.warranty_start:
        return "not_started"
    return "in_warranty" if day <= coverage.warranty_end else "expired"


async def current_coverage(session: AsyncSession, registration: Registration) -> Coverage | None:
    return await session.scalar(select(Coverage).where(
        Coverage.registration_id == registration.id, Coverage.superseded_at.is_(None)))


async def record_coverage(session: AsyncSession, tenant: CurrentTenant, registration: Registration,
                          model: ProductModel, *, cause: str, now: datetime,
                          exchanged_on: date | None = None) -> Coverage:
    """Ask the vertical for the terms of this registration's sale and store them as its current coverage."""
    terms = tenant.hooks.aftersales_warranty_terms(tenant=tenant.context, product=product_info(model),
                                                   sale=sale_of(registration, exchanged_on))
    return await _replace_current(session, registration, Coverage(
        registration_id=registration.id, warranty_start=terms.warranty_start, warranty_end=terms.warranty_end,
        parts_support_end=terms.parts_support_end, return_until=terms.return_until,
        exchange_until=terms.exchange_until, restarts_on_exchange=terms.restarts_on_exchange,
        exclusions=list(terms.exclusions), reasons=list(terms.reasons), cause=cause,
    ), now)


async def carry_coverage(session: AsyncSession, source: Coverage, registration: Registration,
                         *, reason: str) -> Coverage:
    """The same terms for the next owner: a transfer hands the warranty on, it does not restart it."""
    copy = Coverage(
        registration_id=registration.id, warranty_start=source.warranty_start, warranty_end=source.warranty_end,
        parts_support_end=source.parts_support_end, return_until=source.return_until,
        exchange_until=source.exchange_until, restarts_on_exchange=source.restarts_on_exchange,
        exclusions=list(source.exclusions or ()), reasons=[*(source.reasons or ()), reason], cause="transferred",
    )
    session.add(copy)
    await session.flush()
    return copy


async def _replace_current(session: AsyncSession, registration: Registration, coverage: Coverage,
                           now: datetime) -> Coverage:
    previous = await current_coverage(session, registration)
    if previous is not None:
        previous.superseded_at = now
        await session.flush()  # before the insert: one current coverage per registration (a unique index)
    session.add(coverage)
    await session.flush()
    return coverage
